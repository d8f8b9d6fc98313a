//! Reaching Discord before the serenity client starts, and stopping it on time.
//!
//! serenity retries a shard that cannot connect every 5 s, forever, and logs a `Debug` dump
//! each time; and `ShardManager::shutdown_all` does nothing while no shard has started, so a
//! bot that never connected could not be stopped. So `serve` first probes Discord
//! itself — the REST gateway endpoint (which also checks the token) and a TCP connection to the
//! gateway it names — retrying with an exponential [`Backoff`] and one clear log line per
//! attempt, racing the shutdown signal; only then does it start the client. Shutdown is bounded
//! by [`SHUTDOWN_GRACE`] whatever state the client is in.

use std::time::Duration;

use serenity::all::Http;

/// First wait after a failed attempt to reach Discord.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);
/// The longest wait between attempts: an outage of hours still gets a try a minute, and the
/// log a line a minute.
pub const MAX_RETRY: Duration = Duration::from_secs(60);
/// One attempt (the REST call, then the TCP connection to the gateway) gives up after this.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a shutdown waits for the client to close its gateway connection before leaving
/// it: SIGTERM must end the process within 5 s, and the runtime needs a moment after this.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// Discord's own REST base, when no `http_proxy` is configured.
pub const DISCORD_REST: &str = "https://discord.com";

/// Exponential backoff: [`FIRST_RETRY`], twice that, ... up to [`MAX_RETRY`].
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(FIRST_RETRY, MAX_RETRY)
    }
}

impl Backoff {
    pub fn new(first: Duration, cap: Duration) -> Self {
        Backoff {
            next: first.min(cap),
            cap,
        }
    }

    /// The wait before the next attempt; each call doubles the following one, up to the cap.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(self.cap);
        delay
    }
}

/// Discord refused the bot token (HTTP 401 on REST, close code 4004 on the gateway).
#[derive(Debug, thiserror::Error)]
#[error("the token was rejected by Discord ({detail}); check DISCORD_TOKEN")]
pub struct TokenRejected {
    pub detail: String,
}

/// What `GET /gateway/bot` said, once the gateway it names accepted a TCP connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// The gateway's URL.
    pub gateway: String,
    /// The number of shards Discord recommends (used by `[discord] shards = "auto"`).
    pub recommended_shards: u32,
    /// `session_start_limit.max_concurrency`: IDENTIFYs allowed per 5 s (see `shards`).
    pub max_concurrency: u64,
}

/// What one attempt to reach Discord found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// REST answered and the gateway accepts TCP connections.
    Reached(Reached),
    /// Something on the way failed: where, and the innermost cause.
    Unreachable { at: String, error: String },
    /// The token was refused.
    Rejected { detail: String },
}

/// `host` and `port` of a `ws://` / `wss://` (or http) URL; the default port by scheme.
pub fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let default_port = match scheme {
        "ws" | "http" => 80,
        "wss" | "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if authority.is_empty() {
        return None;
    }
    // An IPv6 literal: [::1]:8080
    if let Some(inner) = authority.strip_prefix('[') {
        let (host, after) = inner.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None => default_port,
        };
        return Some((host.to_string(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None => Some((authority.to_string(), default_port)),
    }
}

/// The innermost cause of an error: "Connection refused (os error 111)" rather than
/// "error sending request for url (...)".
pub fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// One attempt: `GET /gateway/bot` through `http` (at `rest_base`), then a TCP connection to
/// the gateway it names.
pub async fn probe(http: &Http, rest_base: &str) -> Probe {
    let gateway = match tokio::time::timeout(PROBE_TIMEOUT, http.get_bot_gateway()).await {
        Err(_) => {
            return Probe::Unreachable {
                at: rest_base.to_string(),
                error: format!("no answer within {} s", PROBE_TIMEOUT.as_secs()),
            }
        }
        Ok(Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(
            response,
        )))) if response.status_code.as_u16() == 401 => {
            return Probe::Rejected {
                detail: "HTTP 401 Unauthorized".into(),
            }
        }
        Ok(Err(err)) => {
            return Probe::Unreachable {
                at: rest_base.to_string(),
                error: root_cause(&err),
            }
        }
        Ok(Ok(answer)) => answer,
    };
    let reached = Reached {
        gateway: gateway.url,
        recommended_shards: gateway.shards,
        max_concurrency: gateway.session_start_limit.max_concurrency,
    };
    let gateway = reached.gateway.clone();
    let Some((host, port)) = host_port(&gateway) else {
        return Probe::Unreachable {
            at: gateway.clone(),
            error: "not a ws:// or wss:// URL".into(),
        };
    };
    match tokio::time::timeout(
        PROBE_TIMEOUT,
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    {
        Ok(Ok(_)) => Probe::Reached(reached),
        Ok(Err(err)) => Probe::Unreachable {
            at: gateway,
            error: err.to_string(),
        },
        Err(_) => Probe::Unreachable {
            at: gateway,
            error: format!("no connection within {} s", PROBE_TIMEOUT.as_secs()),
        },
    }
}

/// The log line for a failed attempt.
pub fn unreachable_line(at: &str, error: &str, retry_in: Duration) -> String {
    format!(
        "cannot reach Discord at {at}: {error}; retrying in {} s",
        retry_in.as_secs()
    )
}

/// Probes until Discord is reachable (returning what it said) or the token is refused,
/// waiting per `backoff` between attempts. Runs until then: race it against shutdown.
pub async fn until_reachable(
    http: &Http,
    rest_base: &str,
    mut backoff: Backoff,
) -> Result<Reached, TokenRejected> {
    loop {
        match probe(http, rest_base).await {
            Probe::Reached(reached) => return Ok(reached),
            Probe::Rejected { detail } => return Err(TokenRejected { detail }),
            Probe::Unreachable { at, error } => {
                let wait = backoff.next_delay();
                tracing::warn!("{}", unreachable_line(&at, &error, wait));
                tokio::time::sleep(wait).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let mut backoff = Backoff::default();
        let waits: Vec<u64> = (0..9).map(|_| backoff.next_delay().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[test]
    fn a_first_wait_above_the_cap_is_capped() {
        let mut backoff = Backoff::new(Duration::from_secs(90), Duration::from_secs(60));
        assert_eq!(backoff.next_delay(), Duration::from_secs(60));
    }

    #[test]
    fn host_port_reads_gateway_urls() {
        assert_eq!(
            host_port("wss://gateway.discord.gg"),
            Some(("gateway.discord.gg".into(), 443))
        );
        assert_eq!(
            host_port("ws://127.0.0.1:4000/gateway?v=10"),
            Some(("127.0.0.1".into(), 4000))
        );
        assert_eq!(host_port("ws://[::1]:81/x"), Some(("::1".into(), 81)));
        assert_eq!(host_port("http://h"), Some(("h".into(), 80)));
        assert_eq!(host_port("gateway.discord.gg"), None);
        assert_eq!(host_port("ftp://x"), None);
        assert_eq!(host_port("ws://h:port"), None);
    }

    #[test]
    fn the_unreachable_line_names_place_cause_and_wait() {
        assert_eq!(
            unreachable_line(
                "ws://127.0.0.1:9/gateway",
                "Connection refused (os error 111)",
                Duration::from_secs(4)
            ),
            "cannot reach Discord at ws://127.0.0.1:9/gateway: Connection refused (os error \
             111); retrying in 4 s"
        );
    }

    #[test]
    fn the_token_error_says_the_token_was_rejected() {
        let err = TokenRejected {
            detail: "gateway close code 4004".into(),
        };
        assert!(err.to_string().contains("the token was rejected"), "{err}");
    }
}
