//! The metrics listener: `GET /metrics` (Prometheus text) and `GET /healthz`, over plain
//! HTTP/1.1 with one request per connection. Two fixed routes do not justify an HTTP server
//! crate in the bot; a scraper or a load balancer's health check is all that talks to it.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request head larger than this is refused (a scrape's is a few hundred bytes).
pub const MAX_REQUEST_HEAD: usize = 8 * 1024;
/// A client that has not sent its request head within this is dropped.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Metrics,
    Health,
    NotFound,
    MethodNotAllowed,
    BadRequest,
}

/// Routes a request line (`GET /metrics HTTP/1.1`); a query string is ignored.
pub fn route(request_line: &str) -> Route {
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Route::BadRequest;
    };
    let path = target.split('?').next().unwrap_or(target);
    let known = match path {
        "/metrics" => Route::Metrics,
        "/healthz" => Route::Health,
        _ => return Route::NotFound,
    };
    if method == "GET" || method == "HEAD" {
        known
    } else {
        Route::MethodNotAllowed
    }
}

/// What the listener needs from the bot.
pub struct Sources {
    /// The Prometheus text.
    pub metrics: Box<dyn Fn() -> String + Send + Sync>,
    /// `Ok(state)` when healthy, else `Err(why not)`.
    pub health: Box<dyn Fn() -> Result<String, String> + Send + Sync>,
}

/// Status line, content type and body for `route`.
pub fn respond(route: Route, sources: &Sources) -> (&'static str, &'static str, String) {
    const TEXT: &str = "text/plain; charset=utf-8";
    match route {
        Route::Metrics => (
            "200 OK",
            "text/plain; version=0.0.4; charset=utf-8",
            (sources.metrics)(),
        ),
        Route::Health => match (sources.health)() {
            Ok(body) => ("200 OK", TEXT, body + "\n"),
            Err(body) => ("503 Service Unavailable", TEXT, body + "\n"),
        },
        Route::NotFound => ("404 Not Found", TEXT, "try /metrics or /healthz\n".into()),
        Route::MethodNotAllowed => ("405 Method Not Allowed", TEXT, "GET only\n".into()),
        Route::BadRequest => ("400 Bad Request", TEXT, "bad request\n".into()),
    }
}

/// Most connections answered at once; more wait in the kernel's backlog, holding no file
/// descriptor of ours (a scraper and a health check need two).
pub const MAX_CONNECTIONS: usize = 64;

/// Serves until the task is dropped. Each connection gets [`READ_TIMEOUT`] in all, one
/// request, and a place among [`MAX_CONNECTIONS`].
pub async fn serve(listener: TcpListener, sources: Arc<Sources>) {
    let places = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(place) = Arc::clone(&places).acquire_owned().await else {
            return;
        };
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors and the like: back off a little, keep serving.
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let sources = Arc::clone(&sources);
        tokio::spawn(async move {
            let _place = place;
            let _ = tokio::time::timeout(READ_TIMEOUT, answer(stream, &sources)).await;
        });
    }
}

async fn answer(mut stream: TcpStream, sources: &Sources) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > MAX_REQUEST_HEAD {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let request_line = text.lines().next().unwrap_or_default();
    let route = if head.len() > MAX_REQUEST_HEAD {
        Route::BadRequest
    } else {
        route(request_line)
    };
    let (status, content_type, body) = respond(route, sources);
    let head_only = request_line.starts_with("HEAD ");
    let mut response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n",
        body.len()
    );
    if !head_only {
        response.push_str(&body);
    }
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route("GET /metrics HTTP/1.1"), Route::Metrics);
        assert_eq!(route("GET /healthz?verbose HTTP/1.1"), Route::Health);
        assert_eq!(route("HEAD /healthz HTTP/1.0"), Route::Health);
        assert_eq!(route("POST /metrics HTTP/1.1"), Route::MethodNotAllowed);
        assert_eq!(route("GET / HTTP/1.1"), Route::NotFound);
        assert_eq!(route(""), Route::BadRequest);
    }

    #[test]
    fn health_is_503_with_the_reason_when_unhealthy() {
        let sources = Sources {
            metrics: Box::new(String::new),
            health: Box::new(|| Err("gateway reconnecting".into())),
        };
        let (status, _, body) = respond(Route::Health, &sources);
        assert_eq!(status, "503 Service Unavailable");
        assert_eq!(body, "gateway reconnecting\n");
    }

    #[tokio::test]
    async fn a_scrape_over_loopback_gets_the_metrics_text() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sources = Arc::new(Sources {
            metrics: Box::new(|| "x_total 1\n".into()),
            health: Box::new(|| Ok("ok".into())),
        });
        let server = tokio::spawn(serve(listener, sources));
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        assert!(response.ends_with("\r\n\r\nx_total 1\n"), "{response}");
        server.abort();
    }

    #[tokio::test]
    async fn half_sent_requests_are_dropped_and_a_health_check_still_gets_through() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sources = Arc::new(Sources {
            metrics: Box::new(String::new),
            health: Box::new(|| Ok("ok".into())),
        });
        let server = tokio::spawn(serve(listener, sources));
        let mut held = Vec::new();
        for _ in 0..MAX_CONNECTIONS + 10 {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(b"GET /metrics HT").await.unwrap();
            held.push(stream);
        }
        let started = std::time::Instant::now();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut response = String::new();
        tokio::time::timeout(READ_TIMEOUT * 3, stream.read_to_string(&mut response))
            .await
            .expect("answered once the half-sent ones time out")
            .unwrap();
        assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
        assert!(started.elapsed() < READ_TIMEOUT * 3);
        let mut first = held.swap_remove(0);
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(READ_TIMEOUT, first.read_to_end(&mut rest)).await;
        assert!(
            closed.is_ok(),
            "a half-sent request is closed after the timeout"
        );
        server.abort();
    }
}
