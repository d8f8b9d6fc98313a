//! Recording of everything the bot does against the fake, plus the change signal that all
//! `wait_for_*` helpers block on.
//!
//! Waiting works by subscribing to a `watch` channel *before* checking the condition, so a change
//! that lands between "check" and "sleep" can't be missed and no polling sleeps are needed.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::watch;

/// One HTTP request the bot made, with the answer the fake gave.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Position in arrival order (0-based, over all requests).
    pub index: usize,
    pub at: Instant,
    /// Upper-case HTTP method.
    pub method: String,
    /// Full path as sent, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    /// Path without the `/api/v10` prefix, e.g. `/channels/1/messages`.
    pub route: String,
    pub query: Option<String>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    /// JSON body (for multipart uploads: the `payload_json` part); `Null` when there is none.
    pub body: Value,
    /// Status the fake answered with.
    pub status: u16,
    /// `true` when the answer came from [`super::FakeDiscord::fail_next`] fault injection.
    pub injected_failure: bool,
    /// The JSON the fake answered with (`Null` for 204).
    pub response: Value,
    /// No route of the fake matched (answered 404 `{"message": "404: Not Found", "code": 0}`).
    pub unhandled: bool,
}

impl RecordedRequest {
    /// Case-insensitive header lookup.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Authorization` header (serenity sends `Bot <token>`).
    pub fn authorization(&self) -> Option<&str> {
        self.header("authorization")
    }

    /// 2xx and not an injected failure.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status) && !self.injected_failure
    }

    /// Whether method and route match (see [`route_matches`]; method `*` or `""` = any).
    pub fn matches(&self, method: &str, pattern: &str) -> bool {
        method_matches(method, &self.method) && route_matches(pattern, &self.route)
    }

    /// One-line summary for diagnostics.
    pub fn summary(&self) -> String {
        let mut body = self.body.to_string();
        if body.len() > 300 {
            let mut cut = 300;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body.truncate(cut);
            body.push('…');
        }
        format!(
            "#{} {} {}{} -> {}{} body={}",
            self.index,
            self.method,
            self.path,
            self.query
                .as_deref()
                .map(|q| format!("?{q}"))
                .unwrap_or_default(),
            self.status,
            if self.injected_failure {
                " (injected)"
            } else {
                ""
            },
            body
        )
    }
}

/// A frame the bot sent on the gateway.
#[derive(Clone, Debug)]
pub struct GatewayFrame {
    pub at: Instant,
    /// Which websocket connection (1-based, in connect order).
    pub conn_id: u64,
    pub op: u64,
    pub d: Value,
}

/// `*`/`""` match any method; otherwise case-insensitive equality.
pub fn method_matches(pattern: &str, method: &str) -> bool {
    pattern.is_empty() || pattern == "*" || pattern.eq_ignore_ascii_case(method)
}

/// Strips the `/api/v10` (or `/api/v9`, `/api`) prefix so patterns can be written either way.
pub fn normalize_route(path: &str) -> &str {
    for prefix in ["/api/v10", "/api/v9", "/api"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if rest.is_empty() || rest.starts_with('/') {
                return rest;
            }
        }
    }
    path
}

/// Segment-wise prefix match of a route pattern: `/channels` matches `/channels/1/messages`;
/// a `*` or `{name}` segment matches any single segment, e.g.
/// `/interactions/*/*/callback` or `/webhooks/{app}/{token}/messages/@original`.
/// The pattern may carry the `/api/v10` prefix; a trailing `/` is ignored.
pub fn route_matches(pattern: &str, route: &str) -> bool {
    let pattern = normalize_route(pattern).trim_end_matches('/');
    let route = normalize_route(route);
    let mut route_segs = route.split('/');
    for p in pattern.split('/') {
        match route_segs.next() {
            Some(r) if p == "*" || (p.starts_with('{') && p.ends_with('}')) || p == r => {}
            _ => return false,
        }
    }
    true
}

/// Request log + the change signal.
pub struct Recorder {
    requests: Mutex<Vec<RecordedRequest>>,
    changed: watch::Sender<u64>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self {
            requests: Mutex::new(Vec::new()),
            changed: watch::channel(0).0,
        }
    }
}

impl Recorder {
    /// Wakes every waiter (call after any state change that a wait could be looking for).
    pub fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Appends a request (assigning its index) and wakes waiters.
    pub fn push(&self, mut req: RecordedRequest) -> usize {
        let index = {
            let mut reqs = self.requests.lock().unwrap();
            req.index = reqs.len();
            reqs.push(req);
            reqs.len() - 1
        };
        self.bump();
        index
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// Runs `f` over the log without cloning it.
    pub fn with_requests<T>(&self, f: impl FnOnce(&[RecordedRequest]) -> T) -> T {
        f(&self.requests.lock().unwrap())
    }

    pub fn len(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// Blocks until `check` returns `Some`, re-checking on every change. On timeout panics
    /// with `what` and `diagnostics()` so the failure says what the bot actually did.
    pub async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        diagnostics: impl Fn() -> String,
        mut check: impl FnMut() -> Option<T>,
    ) -> T {
        let mut rx = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(v) = check() {
                return v;
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                // The sender lives as long as `self`; treat a closed channel like a timeout.
                Ok(Err(_)) | Err(_) => {
                    if let Some(v) = check() {
                        return v;
                    }
                    panic!(
                        "fake_discord: timed out after {timeout:?} waiting for {what}\n{}",
                        diagnostics()
                    );
                }
            }
        }
    }

    /// The last `n` requests, one per line.
    pub fn recent_summary(&self, n: usize) -> String {
        let reqs = self.requests.lock().unwrap();
        let mut out = format!("recent requests ({} total):\n", reqs.len());
        if reqs.is_empty() {
            out.push_str("  (none)\n");
        }
        for r in reqs.iter().skip(reqs.len().saturating_sub(n)) {
            let _ = writeln!(out, "  {}", r.summary());
        }
        out
    }
}
