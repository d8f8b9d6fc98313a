//! A fake Discord (REST + gateway) for end-to-end tests of the bot, since real Discord is
//! unreachable from CI.
//!
//! Point serenity at it with [`FakeDiscord::serenity_http`] (or by hand:
//! `HttpBuilder::new(token).proxy(fake.http_url()).ratelimiter_disabled(true)` — serenity then
//! sends REST to `{proxy}/api/v10/...` and learns `ws://127.0.0.1:PORT/gateway` from
//! `GET /api/v10/gateway`). Then inject events ([`FakeDiscord::send_command`],
//! [`FakeDiscord::send_dm`], ...) and await what the bot does
//! ([`FakeDiscord::interaction_reply`], [`FakeDiscord::message_reply`], ...).
//!
//! Every wait takes a timeout and panics with the recent request log and gateway state, so a
//! failing test says what the bot actually did. Nothing here sleeps to "give the bot time",
//! except [`FakeDiscord::assert_no_request_since`], where a quiet window is the assertion.
//!
//! Include from an integration test with `mod fake_discord;`.
#![allow(dead_code, unused_imports)]

pub mod gateway;
pub mod payloads;
pub mod recorder;
pub mod reply;
pub mod rest;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

pub use payloads::{
    opt_bool, opt_focused, opt_int, opt_str, FakeUser, InteractionHandle, ADMIN_DM_CHANNEL_ID,
    ADMIN_ID, ADMIN_ROLE_ID, APP_ID, BOT_ID, CHANNEL_ID, EVERYONE_ROLE_ID, FAKE_TOKEN, GUILD_ID,
    GUILD_NAME, MEMBER_DM_CHANNEL_ID, MEMBER_ID, MEMBER_ROLE_ID, OTHER_BOT_DM_CHANNEL_ID,
    OTHER_BOT_ID, OTHER_CHANNEL_ID, OWNER_DM_CHANNEL_ID, OWNER_ID, SECOND_GUILD_ID,
};
pub use recorder::{GatewayFrame, RecordedRequest};
pub use reply::{callback, Reply, EPHEMERAL};

use gateway::{GatewayState, Outbound};
use payloads::SnowflakeGen;
use recorder::Recorder;
use rest::{FailRule, InteractionInfo, RestState};

/// Knobs for one fake instance.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// HELLO's `heartbeat_interval`. Discord uses ~41250 ms; lower it to exercise heartbeats.
    pub heartbeat_interval_ms: u64,
    /// Send GUILD_CREATE after READY (as Discord does for each guild).
    pub send_guild_create: bool,
    /// If set, IDENTIFY with another token is closed with 4004 (serenity then gives up).
    /// `None` accepts any token.
    pub expected_token: Option<String>,
    /// How long [`FakeDiscord::dispatch`] and the gateway control helpers wait for a live
    /// session before panicking.
    pub session_timeout: Duration,
    /// If set, `GET /gateway` and `/gateway/bot` name this URL instead of the fake's own
    /// gateway (e.g. a port that refuses connections).
    pub gateway_url_override: Option<String>,
    /// `GET /gateway/bot`'s recommended shard count (`shards`).
    pub shards: u32,
    /// `GET /gateway/bot`'s `session_start_limit.max_concurrency`.
    pub max_concurrency: u64,
    /// The guilds the bot is in; each shard's READY and GUILD_CREATEs list its own
    /// (`(id >> 22) % total`). Guilds other than [`GUILD_ID`] are copies of it.
    pub guilds: Vec<u64>,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            heartbeat_interval_ms: 41_250,
            send_guild_create: true,
            expected_token: None,
            session_timeout: Duration::from_secs(10),
            gateway_url_override: None,
            shards: 1,
            max_concurrency: 1,
            guilds: vec![GUILD_ID],
        }
    }
}

/// State shared by the server tasks and the test-side handle.
pub struct Inner {
    pub addr: SocketAddr,
    pub config: FakeConfig,
    pub recorder: Recorder,
    pub rest: Mutex<RestState>,
    pub gateway: Mutex<GatewayState>,
    pub ids: SnowflakeGen,
}

impl Inner {
    /// `ws://127.0.0.1:PORT/gateway` (serenity appends `?v=10`).
    pub fn gateway_url(&self) -> String {
        format!("ws://{}/gateway", self.addr)
    }

    /// Recent requests + gateway state, for timeout panics.
    fn diagnostics(&self) -> String {
        let mut out = self.recorder.recent_summary(25);
        let gw = self.gateway.lock().unwrap();
        let _ = writeln!(
            out,
            "gateway: connections={} open={} sessions by shard={:?} of {} identifies={} \
             resumes={} (accepted {}) heartbeats={}",
            gw.connections(),
            gw.conns.len(),
            gw.sessions,
            gw.total_shards,
            gw.identifies.len(),
            gw.resumes.len(),
            gw.resumed_ok,
            gw.heartbeats
        );
        let _ = writeln!(out, "last frames from the bot:");
        for f in gw.frames.iter().skip(gw.frames.len().saturating_sub(8)) {
            let mut d = f.d.to_string();
            if let Some(token) = f.d["token"].as_str() {
                d = d.replace(token, "<token>");
            }
            d.truncate(200);
            let _ = writeln!(out, "  conn {} op {} d={}", f.conn_id, f.op, d);
        }
        let _ = writeln!(out, "last dispatches to the bot:");
        for (s, t, _) in gw
            .dispatched
            .iter()
            .skip(gw.dispatched.len().saturating_sub(8))
        {
            let _ = writeln!(out, "  s={s} {t}");
        }
        out
    }
}

/// Identifies one injected MESSAGE_CREATE, to find the bot's answer to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageHandle {
    pub id: u64,
    pub channel_id: u64,
    /// Request-log position when it was dispatched: replies are looked for after it.
    pub mark: usize,
}

/// A running fake Discord. Dropping it stops the server and drops all gateway connections.
pub struct FakeDiscord {
    inner: Arc<Inner>,
    server: JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
        for tx in self.inner.gateway.lock().unwrap().conns.values() {
            let _ = tx.send(Outbound::Abort);
        }
    }
}

impl FakeDiscord {
    // -----------------------------------------------------------------------------------------
    // Lifecycle
    // -----------------------------------------------------------------------------------------

    /// Starts a fake with default settings on `127.0.0.1:<random port>`.
    pub async fn start() -> Self {
        Self::start_with(FakeConfig::default()).await
    }

    /// Starts a fake with `config`.
    pub async fn start_with(config: FakeConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake");
        let addr = listener.local_addr().expect("local addr");
        let inner = Arc::new(Inner {
            addr,
            config,
            recorder: Recorder::default(),
            rest: Mutex::new(RestState::default()),
            gateway: Mutex::new(GatewayState::default()),
            ids: SnowflakeGen::default(),
        });
        let app = Router::new()
            .route("/gateway", get(gateway::upgrade))
            .fallback(rest::handle)
            .with_state(Arc::clone(&inner));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { inner, server }
    }

    /// Stops the server (same as dropping it).
    pub fn shutdown(self) {}

    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// `http://127.0.0.1:PORT` — the value for serenity's `HttpBuilder::proxy`.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// `ws://127.0.0.1:PORT/gateway`.
    pub fn gateway_url(&self) -> String {
        self.inner.gateway_url()
    }

    /// A serenity `Http` aimed at this fake, with serenity's ratelimiter off (so injected 429s
    /// reach the caller instead of being retried/slept on inside serenity).
    pub fn serenity_http(&self, token: &str) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(token)
            .proxy(self.http_url())
            .ratelimiter_disabled(true)
            .build()
    }

    // -----------------------------------------------------------------------------------------
    // Waiting primitives
    // -----------------------------------------------------------------------------------------

    async fn wait<T>(&self, timeout: Duration, what: &str, check: impl FnMut() -> Option<T>) -> T {
        self.inner
            .recorder
            .wait_until(timeout, what, || self.inner.diagnostics(), check)
            .await
    }

    /// First recorded request at index ≥ `from` satisfying `pred`.
    fn find_request(
        &self,
        from: usize,
        mut pred: impl FnMut(&RecordedRequest) -> bool,
    ) -> Option<RecordedRequest> {
        self.inner
            .recorder
            .with_requests(|reqs| reqs.iter().skip(from).find(|r| pred(r)).cloned())
    }

    // -----------------------------------------------------------------------------------------
    // Request log
    // -----------------------------------------------------------------------------------------

    /// Every request so far, in arrival order (failed and unhandled ones included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.recorder.requests()
    }

    /// Requests no route matched (answered 404 `{"message": "404: Not Found", "code": 0}`).
    pub fn unhandled_requests(&self) -> Vec<RecordedRequest> {
        self.inner
            .recorder
            .with_requests(|r| r.iter().filter(|r| r.unhandled).cloned().collect())
    }

    /// Requests matching `method` (`"*"` = any) and route `pattern` (see
    /// [`recorder::route_matches`]: segment prefix, `*`/`{x}` wildcards, `/api/v10` optional).
    pub fn requests_matching(&self, method: &str, pattern: &str) -> Vec<RecordedRequest> {
        self.inner.recorder.with_requests(|r| {
            r.iter()
                .filter(|r| r.matches(method, pattern))
                .cloned()
                .collect()
        })
    }

    /// Number of attempts (any outcome) matching `method` + `pattern`.
    pub fn count(&self, method: &str, pattern: &str) -> usize {
        self.inner
            .recorder
            .with_requests(|r| r.iter().filter(|r| r.matches(method, pattern)).count())
    }

    /// Number of matching requests that succeeded (2xx, not injected).
    pub fn count_success(&self, method: &str, pattern: &str) -> usize {
        self.inner.recorder.with_requests(|r| {
            r.iter()
                .filter(|r| r.matches(method, pattern) && r.is_success())
                .count()
        })
    }

    /// Current length of the request log; pass to the `*_since` helpers to only look at what
    /// happens afterwards.
    pub fn mark(&self) -> usize {
        self.inner.recorder.len()
    }

    /// Waits for the first request (already recorded or future) satisfying `pred`.
    pub async fn wait_for_request(
        &self,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> RecordedRequest {
        self.wait_for_request_since(0, pred, timeout).await
    }

    /// Waits for the first request at log position ≥ `mark` satisfying `pred`.
    pub async fn wait_for_request_since(
        &self,
        mark: usize,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> RecordedRequest {
        self.wait(timeout, "a request matching the predicate", || {
            self.find_request(mark, &pred)
        })
        .await
    }

    /// Waits for a request with `method` + route `pattern` (any outcome).
    pub async fn wait_for(
        &self,
        method: &str,
        pattern: &str,
        timeout: Duration,
    ) -> RecordedRequest {
        let what = format!("{method} {pattern}");
        self.wait(timeout, &what, || {
            self.find_request(0, |r| r.matches(method, pattern))
        })
        .await
    }

    /// Waits for `n` requests with `method` + `pattern` (any outcome); returns all of them.
    pub async fn wait_for_count(
        &self,
        method: &str,
        pattern: &str,
        n: usize,
        timeout: Duration,
    ) -> Vec<RecordedRequest> {
        let what = format!("{n} × {method} {pattern}");
        self.wait(timeout, &what, || {
            let found = self.requests_matching(method, pattern);
            (found.len() >= n).then_some(found)
        })
        .await
    }

    /// Waits for the first successful `POST /channels/{channel_id}/messages`.
    pub async fn wait_for_channel_message(
        &self,
        channel_id: u64,
        timeout: Duration,
    ) -> RecordedRequest {
        self.wait_for_channel_message_since(0, channel_id, timeout)
            .await
    }

    /// Like [`Self::wait_for_channel_message`], only considering requests after `mark`.
    pub async fn wait_for_channel_message_since(
        &self,
        mark: usize,
        channel_id: u64,
        timeout: Duration,
    ) -> RecordedRequest {
        let route = format!("/channels/{channel_id}/messages");
        let what = format!("a message to channel {channel_id}");
        self.wait(timeout, &what, || {
            self.find_request(mark, |r| {
                r.method == "POST" && r.route == route && r.is_success()
            })
        })
        .await
    }

    /// Panics if a request matching `method` + `pattern` arrives after `mark` within `window`.
    /// The one deliberate sleep in this module: proving absence needs a quiet period.
    pub async fn assert_no_request_since(
        &self,
        mark: usize,
        method: &str,
        pattern: &str,
        window: Duration,
    ) {
        let found = tokio::time::timeout(
            window,
            self.wait(window * 2, "never", || {
                self.find_request(mark, |r| r.matches(method, pattern))
            }),
        )
        .await;
        if let Ok(req) = found {
            panic!(
                "fake_discord: expected no {method} {pattern}, got {}\n{}",
                req.summary(),
                self.inner.diagnostics()
            );
        }
    }

    // -----------------------------------------------------------------------------------------
    // Fault injection
    // -----------------------------------------------------------------------------------------

    /// The next `times` requests matching `method` (`"*"` = any) and route `pattern` are
    /// answered with `status`, JSON `body` and extra `headers` instead of being handled.
    /// They are recorded with `injected_failure = true`.
    pub fn fail_next(
        &self,
        method: &str,
        pattern: &str,
        times: usize,
        status: u16,
        body: Value,
        headers: &[(&str, &str)],
    ) {
        self.inner.rest.lock().unwrap().fail_rules.push(FailRule {
            method: method.to_string(),
            pattern: pattern.to_string(),
            remaining: times,
            status,
            body,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        });
    }

    /// The next matching request gets Discord's per-route 429: body
    /// `{"message": "You are being rate limited.", "retry_after": s, "global": false}` plus
    /// `retry-after`, `x-ratelimit-*` headers.
    pub fn fail_next_rate_limited(&self, method: &str, pattern: &str, retry_after_secs: f64) {
        let retry = format!("{retry_after_secs:.3}");
        let retry_header = retry_after_secs.ceil().max(1.0).to_string();
        self.fail_next(
            method,
            pattern,
            1,
            429,
            json!({ "message": "You are being rate limited.", "retry_after": retry_after_secs,
                    "global": false }),
            &[
                ("retry-after", &retry_header),
                ("x-ratelimit-limit", "5"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset-after", &retry),
                ("x-ratelimit-bucket", "fakebucket"),
                ("x-ratelimit-scope", "user"),
            ],
        );
    }

    /// The next `times` matching requests get `status` with a generic Discord error body
    /// (e.g. 500/502/503 to test retries).
    pub fn fail_next_status(&self, method: &str, pattern: &str, times: usize, status: u16) {
        self.fail_next(
            method,
            pattern,
            times,
            status,
            json!({ "message": format!("{status}: injected failure"), "code": 0 }),
            &[],
        );
    }

    /// Removes all pending injected failures.
    pub fn clear_failures(&self) {
        self.inner.rest.lock().unwrap().fail_rules.clear();
    }

    // -----------------------------------------------------------------------------------------
    // Application commands
    // -----------------------------------------------------------------------------------------

    /// Commands the bot registered: `Some(GUILD_ID)` for guild commands, `None` for global.
    pub fn registered_commands(&self, guild: Option<u64>) -> Vec<Value> {
        let state = self.inner.rest.lock().unwrap();
        match guild {
            Some(g) => state.guild_commands.get(&g).cloned().unwrap_or_default(),
            None => state.global_commands.clone(),
        }
    }

    /// Names of all registered commands (guild then global).
    pub fn registered_command_names(&self) -> Vec<String> {
        let mut all = self.registered_commands(Some(GUILD_ID));
        all.extend(self.registered_commands(None));
        all.iter()
            .filter_map(|c| c["name"].as_str().map(str::to_string))
            .collect()
    }

    /// Waits until a command called `name` is registered (guild or global); returns it.
    pub async fn wait_for_command_registered(&self, name: &str, timeout: Duration) -> Value {
        let what = format!("registration of command {name:?}");
        self.wait(timeout, &what, || {
            let mut all = self.registered_commands(Some(GUILD_ID));
            all.extend(self.registered_commands(None));
            all.into_iter().find(|c| c["name"].as_str() == Some(name))
        })
        .await
    }

    // -----------------------------------------------------------------------------------------
    // Gateway: state and control
    // -----------------------------------------------------------------------------------------

    /// Waits until a session is live: the bot identified and got READY (or resumed).
    pub async fn wait_ready(&self, timeout: Duration) {
        self.wait(timeout, "a live gateway session (READY sent)", || {
            self.inner.gateway.lock().unwrap().first_live().map(|_| ())
        })
        .await;
    }

    /// Waits until `n` shards have a live session.
    pub async fn wait_ready_shards(&self, n: usize, timeout: Duration) {
        let what = format!("{n} live shard sessions");
        self.wait(timeout, &what, || {
            (self.inner.gateway.lock().unwrap().live_shards() >= n).then_some(())
        })
        .await;
    }

    /// The `shard` array (`[id, total]`) of every IDENTIFY, in order (`[0, 1]` when absent).
    pub fn identified_shards(&self) -> Vec<[u32; 2]> {
        self.identify_payloads()
            .iter()
            .map(|d| {
                [
                    d["shard"][0].as_u64().unwrap_or(0) as u32,
                    d["shard"][1].as_u64().unwrap_or(1) as u32,
                ]
            })
            .collect()
    }

    /// When each IDENTIFY arrived, in order.
    pub fn identify_times(&self) -> Vec<std::time::Instant> {
        self.inner
            .gateway
            .lock()
            .unwrap()
            .frames
            .iter()
            .filter(|f| f.op == 2)
            .map(|f| f.at)
            .collect()
    }

    /// The shard each dispatch went to, in the order of [`Self::dispatched`].
    pub fn dispatched_to(&self) -> Vec<u32> {
        self.inner.gateway.lock().unwrap().dispatched_to.clone()
    }

    /// Waits for the `n`-th IDENTIFY (1-based); returns its `d` (token, intents, ...).
    pub async fn wait_for_identify(&self, n: usize, timeout: Duration) -> Value {
        let what = format!("IDENTIFY #{n}");
        self.wait(timeout, &what, || {
            self.inner
                .gateway
                .lock()
                .unwrap()
                .identifies
                .get(n.saturating_sub(1))
                .cloned()
        })
        .await
    }

    /// Waits until the bot RESUMEd successfully after the last disruption
    /// ([`Self::send_reconnect`], [`Self::drop_connection`], ...) and the session is live again.
    /// Returns the RESUME's `d`.
    pub async fn wait_for_resume(&self, timeout: Duration) -> Value {
        self.wait(timeout, "a successful RESUME", || {
            let gw = self.inner.gateway.lock().unwrap();
            (gw.resumed_ok > gw.resumed_ok_at_disruption && gw.first_live().is_some())
                .then(|| gw.resumes.last().cloned().unwrap_or_default())
        })
        .await
    }

    /// Waits until the bot has sent `n` heartbeats in total.
    pub async fn wait_for_heartbeats(&self, n: u64, timeout: Duration) {
        let what = format!("{n} heartbeats");
        self.wait(timeout, &what, || (self.heartbeats() >= n).then_some(()))
            .await;
    }

    /// Number of IDENTIFYs received.
    pub fn identifies(&self) -> usize {
        self.inner.gateway.lock().unwrap().identifies.len()
    }

    /// `d` of every IDENTIFY.
    pub fn identify_payloads(&self) -> Vec<Value> {
        self.inner.gateway.lock().unwrap().identifies.clone()
    }

    /// Number of RESUMEs received (accepted or not).
    pub fn resumes(&self) -> usize {
        self.inner.gateway.lock().unwrap().resumes.len()
    }

    /// Number of heartbeats received.
    pub fn heartbeats(&self) -> u64 {
        self.inner.gateway.lock().unwrap().heartbeats
    }

    /// Number of websocket connections accepted.
    pub fn connections(&self) -> u64 {
        self.inner.gateway.lock().unwrap().connections()
    }

    /// Every frame the bot sent on the gateway.
    pub fn gateway_frames(&self) -> Vec<GatewayFrame> {
        self.inner.gateway.lock().unwrap().frames.clone()
    }

    /// Every dispatch sent to the bot: (seq, event name, data).
    pub fn dispatched(&self) -> Vec<(u64, String, Value)> {
        self.inner.gateway.lock().unwrap().dispatched.clone()
    }

    /// Current session id, if any.
    pub fn session_id(&self) -> Option<String> {
        self.inner.gateway.lock().unwrap().session_id()
    }

    /// Sends op 0 `event` with `data` to the live session (waiting for one, up to
    /// `FakeConfig::session_timeout`); returns its sequence number.
    pub async fn dispatch(&self, event: &str, data: Value) -> u64 {
        let what = format!("a live gateway session to dispatch {event}");
        self.wait(self.inner.config.session_timeout, &what, || {
            self.inner
                .gateway
                .lock()
                .unwrap()
                .dispatch(event, data.clone())
        })
        .await
    }

    /// Waits for a live session, then applies `out` to it and marks it no longer live.
    async fn disrupt(&self, what: &str, out: impl Fn() -> Outbound) {
        self.wait(self.inner.config.session_timeout, what, || {
            self.inner
                .gateway
                .lock()
                .unwrap()
                .disrupt(out())
                .then_some(())
        })
        .await;
        self.inner.recorder.bump();
    }

    /// Sends op 7 RECONNECT; serenity reconnects and RESUMEs.
    pub async fn send_reconnect(&self) {
        let frame = json!({ "op": 7, "d": null }).to_string();
        self.disrupt("a live session to send RECONNECT to", || {
            Outbound::Text(frame.clone())
        })
        .await;
    }

    /// Sends op 9 INVALID_SESSION. `resumable: true` → serenity RESUMEs at once;
    /// `false` → the fake forgets the session and serenity re-IDENTIFYs, which goes through
    /// serenity's shard queue (up to ~5 s after the previous shard start).
    pub async fn send_invalid_session(&self, resumable: bool) {
        let frame = json!({ "op": 9, "d": resumable }).to_string();
        self.disrupt("a live session to invalidate", || {
            Outbound::Text(frame.clone())
        })
        .await;
        if !resumable {
            // Forget the session (the first shard's: the one `disrupt` acted on).
            let mut gw = self.inner.gateway.lock().unwrap();
            if let Some(session) = gw.sessions.values_mut().next() {
                session.session_id = None;
            }
        }
    }

    /// Drops the TCP connection without a close frame; serenity sees a websocket error and
    /// RESUMEs.
    pub async fn drop_connection(&self) {
        self.disrupt("a live session to drop", || Outbound::Abort)
            .await;
    }

    /// Closes the connection with `code` (e.g. 4000 "unknown error": serenity RESUMEs; 4004
    /// "authentication failed": serenity stops).
    pub async fn close_connection(&self, code: u16) {
        self.disrupt("a live session to close", || {
            Outbound::Close(code, "fake_discord: closing".to_string())
        })
        .await;
    }

    // -----------------------------------------------------------------------------------------
    // Event builders (payload + bookkeeping) and senders
    // -----------------------------------------------------------------------------------------

    fn register_interaction(&self, handle: &InteractionHandle, channel_id: u64) {
        let mark = self.inner.recorder.len();
        self.inner.rest.lock().unwrap().interactions.insert(
            handle.token.clone(),
            InteractionInfo {
                id: handle.id,
                channel_id,
                acked: None,
                original: None,
                mark,
            },
        );
    }

    fn interaction_channel(invoker: &FakeUser, in_guild: bool) -> u64 {
        if in_guild {
            CHANNEL_ID
        } else {
            invoker.dm_channel_id
        }
    }

    fn command_like(
        &self,
        kind: u8,
        name: &str,
        options: Value,
        invoker: FakeUser,
        in_guild: bool,
    ) -> (Value, InteractionHandle) {
        let id = self.inner.ids.next();
        let registered = self.inner.rest.lock().unwrap().command_id(name);
        let command_id = registered.unwrap_or_else(|| self.inner.ids.next());
        let (payload, handle) = payloads::command_like_interaction(
            kind, id, command_id, name, options, &invoker, in_guild,
        );
        self.register_interaction(&handle, Self::interaction_channel(&invoker, in_guild));
        (payload, handle)
    }

    /// INTERACTION_CREATE payload for slash command `name` (type 2). `options` is Discord's
    /// `data.options` array, e.g. `json!([opt_str("question", "…")])`. Uses the id the bot
    /// registered for `name`, if it did.
    pub fn command_interaction(
        &self,
        name: &str,
        options: Value,
        invoker: FakeUser,
        in_guild: bool,
    ) -> (Value, InteractionHandle) {
        self.command_like(2, name, options, invoker, in_guild)
    }

    /// INTERACTION_CREATE payload for an autocomplete request (type 4); mark the option being
    /// typed with [`opt_focused`].
    pub fn autocomplete_interaction(
        &self,
        name: &str,
        options: Value,
        invoker: FakeUser,
        in_guild: bool,
    ) -> (Value, InteractionHandle) {
        self.command_like(4, name, options, invoker, in_guild)
    }

    /// INTERACTION_CREATE payload for a button press (type 3) on a bot message.
    pub fn component_interaction(
        &self,
        custom_id: &str,
        invoker: FakeUser,
        in_guild: bool,
    ) -> (Value, InteractionHandle) {
        let id = self.inner.ids.next();
        let message_id = self.inner.ids.next();
        let (payload, handle) =
            payloads::component_interaction(id, message_id, custom_id, &invoker, in_guild);
        self.register_interaction(&handle, Self::interaction_channel(&invoker, in_guild));
        (payload, handle)
    }

    /// For an interaction delivered over HTTP (built with [`Self::command_interaction`] and
    /// friends, POSTed to the bot's interactions endpoint instead of dispatched): the bot's
    /// HTTP response was the initial callback of type `callback_type`, so from now on the fake
    /// accepts `@original` edits and follow-ups for it, as Discord does once it has read that
    /// response. Before this call, an edit is refused with 404 "Unknown Message" (10008).
    pub fn acknowledged_over_http(&self, handle: &InteractionHandle, callback_type: u64) {
        if let Some(info) = self
            .inner
            .rest
            .lock()
            .unwrap()
            .interactions
            .get_mut(&handle.token)
        {
            info.acked = Some(callback_type);
        }
    }

    /// MESSAGE_CREATE payload: a DM from `author` to the bot.
    pub fn dm_message(&self, author: FakeUser, content: &str) -> Value {
        payloads::dm_message(self.inner.ids.next(), &author, content)
    }

    /// MESSAGE_CREATE payload: a message in the guild's text channel, optionally `@`-mentioning
    /// the bot (content prefixed `<@BOT_ID> `, bot in `mentions`).
    pub fn guild_message(&self, author: FakeUser, content: &str, mentions_bot: bool) -> Value {
        payloads::guild_message(self.inner.ids.next(), &author, content, mentions_bot)
    }

    /// Builds and dispatches a slash command invocation in `guild` (one of
    /// [`FakeConfig::guilds`]); it reaches only the shard that owns the guild.
    pub async fn send_command_in(
        &self,
        guild: u64,
        name: &str,
        options: Value,
        invoker: FakeUser,
    ) -> InteractionHandle {
        let (payload, handle) = self.command_interaction(name, options, invoker, true);
        self.dispatch("INTERACTION_CREATE", payloads::in_guild(payload, guild))
            .await;
        handle
    }

    /// Builds and dispatches a message in `guild`'s text channel (see [`Self::send_command_in`]).
    pub async fn send_guild_message_in(
        &self,
        guild: u64,
        author: FakeUser,
        content: &str,
        mentions_bot: bool,
    ) -> MessageHandle {
        let payload = payloads::in_guild(self.guild_message(author, content, mentions_bot), guild);
        self.send_message_create(payload).await
    }

    /// Builds and dispatches a slash command invocation.
    pub async fn send_command(
        &self,
        name: &str,
        options: Value,
        invoker: FakeUser,
        in_guild: bool,
    ) -> InteractionHandle {
        let (payload, handle) = self.command_interaction(name, options, invoker, in_guild);
        self.dispatch("INTERACTION_CREATE", payload).await;
        handle
    }

    /// Builds and dispatches an autocomplete request.
    pub async fn send_autocomplete(
        &self,
        name: &str,
        options: Value,
        invoker: FakeUser,
        in_guild: bool,
    ) -> InteractionHandle {
        let (payload, handle) = self.autocomplete_interaction(name, options, invoker, in_guild);
        self.dispatch("INTERACTION_CREATE", payload).await;
        handle
    }

    /// Builds and dispatches a button press.
    pub async fn send_component(
        &self,
        custom_id: &str,
        invoker: FakeUser,
        in_guild: bool,
    ) -> InteractionHandle {
        let (payload, handle) = self.component_interaction(custom_id, invoker, in_guild);
        self.dispatch("INTERACTION_CREATE", payload).await;
        handle
    }

    async fn send_message_create(&self, payload: Value) -> MessageHandle {
        let handle = MessageHandle {
            id: payload["id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or_default(),
            channel_id: payload["channel_id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or_default(),
            mark: self.mark(),
        };
        self.dispatch("MESSAGE_CREATE", payload).await;
        handle
    }

    /// Builds and dispatches a DM from `author`.
    pub async fn send_dm(&self, author: FakeUser, content: &str) -> MessageHandle {
        let payload = self.dm_message(author, content);
        self.send_message_create(payload).await
    }

    /// Builds and dispatches a guild channel message.
    pub async fn send_guild_message(
        &self,
        author: FakeUser,
        content: &str,
        mentions_bot: bool,
    ) -> MessageHandle {
        let payload = self.guild_message(author, content, mentions_bot);
        self.send_message_create(payload).await
    }

    // -----------------------------------------------------------------------------------------
    // Awaiting the bot's answers
    // -----------------------------------------------------------------------------------------

    /// The bot's visible reply to an interaction: the callback's `data` for types 4/7/8/9, or
    /// — after a deferral (5/6) — the first successful `PATCH .../messages/@original` or
    /// follow-up `POST /webhooks/{app}/{token}`. Only successful (2xx, non-injected) requests
    /// count, so after an injected 429 this waits for the retry.
    pub async fn interaction_reply(&self, handle: &InteractionHandle, timeout: Duration) -> Reply {
        let deadline = tokio::time::Instant::now() + timeout;
        let cb = self.interaction_callback(handle, timeout).await;
        let kind = cb.body["type"].as_u64().unwrap_or(0);
        if kind != callback::DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            && kind != callback::DEFERRED_UPDATE_MESSAGE
        {
            return Reply::new(cb, None);
        }
        let (original, hook) = (handle.original_route(), handle.webhook_route());
        let what = format!(
            "the edit/follow-up after deferring interaction {}",
            handle.id
        );
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        let edit = self
            .wait(remaining, &what, || {
                self.find_request(cb.index + 1, |r| {
                    r.is_success()
                        && ((r.method == "PATCH" && r.route == original)
                            || (r.method == "POST" && r.route == hook))
                })
            })
            .await;
        Reply::new(cb, Some(edit))
    }

    /// The first successful initial-response callback for the interaction.
    pub async fn interaction_callback(
        &self,
        handle: &InteractionHandle,
        timeout: Duration,
    ) -> RecordedRequest {
        let route = handle.callback_route();
        let what = format!("the callback for interaction {}", handle.id);
        let mark = self
            .inner
            .rest
            .lock()
            .unwrap()
            .interactions
            .get(&handle.token)
            .map_or(0, |i| i.mark);
        self.wait(timeout, &what, || {
            self.find_request(mark, |r| {
                r.method == "POST" && r.route == route && r.is_success()
            })
        })
        .await
    }

    /// Every callback attempt for the interaction (including failed/injected ones).
    pub fn interaction_callback_attempts(
        &self,
        handle: &InteractionHandle,
    ) -> Vec<RecordedRequest> {
        let route = handle.callback_route();
        self.inner.recorder.with_requests(|r| {
            r.iter()
                .filter(|r| r.method == "POST" && r.route == route)
                .cloned()
                .collect()
        })
    }

    /// Every follow-up / edit request for the interaction's token (webhook routes).
    pub fn interaction_followups(&self, handle: &InteractionHandle) -> Vec<RecordedRequest> {
        self.requests_matching("*", &handle.webhook_route())
    }

    /// The first successful message the bot posted in the channel of `msg` after it was sent.
    pub async fn message_reply(&self, msg: &MessageHandle, timeout: Duration) -> RecordedRequest {
        self.wait_for_channel_message_since(msg.mark, msg.channel_id, timeout)
            .await
    }
}
