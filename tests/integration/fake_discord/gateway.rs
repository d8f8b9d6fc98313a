//! The gateway half of the fake: a websocket speaking Discord's v10 JSON protocol (text
//! frames, no compression — serenity asks for `?v=10` only and never for zlib-stream; its
//! IDENTIFY carries `compress: true`, which only concerns binary payloads, so plain text frames
//! are fine).
//!
//! Protocol as serenity 0.12.5 drives it:
//! - on connect we send HELLO (op 10); serenity answers IDENTIFY (op 2) on a fresh connection,
//!   but on a *resume* it sends RESUME (op 6) right after connecting without waiting for HELLO;
//! - we answer IDENTIFY with READY (+ GUILD_CREATE), RESUME with RESUMED (no replay), and
//!   heartbeats (op 1) with HEARTBEAT_ACK (op 11) — an unacked heartbeat makes serenity
//!   reconnect with a full re-identify;
//! - serenity does *not* use `resume_gateway_url`; it reconnects to the URL from
//!   `GET /gateway`.
//!
//! Each connection is a task that owns its socket; everything else talks to it through an
//! unbounded channel, and all sequence numbers are assigned under the gateway lock right
//! before queuing, so frame order always equals `s` order.
//!
//! Shards: each IDENTIFY names `shard: [id, total]`; the fake keeps one session per shard id
//! (several connections at once, from one bot process or several), and sends a guild's events
//! only to the shard that owns it, `(guild_id >> 22) % total` — DMs to shard 0, as Discord
//! does. READY and GUILD_CREATE list only the shard's own guilds ([`super::FakeConfig::guilds`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc::{self, UnboundedSender};

use super::payloads;
use super::recorder::GatewayFrame;
use super::Inner;

/// Something to do on one connection.
#[derive(Debug)]
pub enum Outbound {
    /// Send a text frame.
    Text(String),
    /// Send a close frame with this code, then drop the socket.
    Close(u16, String),
    /// Drop the socket without a close frame (like a network failure).
    Abort,
}

/// One shard's session.
#[derive(Default, Debug)]
pub struct Session {
    /// The connection with a live session (READY or RESUMED sent), which dispatches go to.
    pub live: Option<u64>,
    pub session_id: Option<String>,
    /// Last sequence number sent in the current session.
    pub seq: u64,
}

/// The shard that owns `guild_id` when the bot runs `total` shards (Discord's rule).
pub fn shard_of_guild(guild_id: u64, total: u32) -> u32 {
    ((guild_id >> 22) % u64::from(total.max(1))) as u32
}

/// The guild an event concerns (`guild_id`, as Discord writes it: a string), if any.
pub fn event_guild(data: &Value) -> Option<u64> {
    match &data["guild_id"] {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// Mutable gateway state (sessions, counters, recorded frames).
#[derive(Default)]
pub struct GatewayState {
    next_conn_id: u64,
    /// Open connections by id.
    pub conns: HashMap<u64, UnboundedSender<Outbound>>,
    /// Sessions by shard id.
    pub sessions: std::collections::BTreeMap<u32, Session>,
    /// The shard count the bot identified with (from IDENTIFY's `shard`; 1 before any).
    pub total_shards: u32,
    /// `d` of every IDENTIFY.
    pub identifies: Vec<Value>,
    /// `d` of every RESUME (accepted or not).
    pub resumes: Vec<Value>,
    /// RESUMEs answered with RESUMED.
    pub resumed_ok: u64,
    /// `resumed_ok` when the fake last disrupted the session (for `wait_for_resume`).
    pub resumed_ok_at_disruption: u64,
    pub heartbeats: u64,
    /// Every frame the bot sent.
    pub frames: Vec<GatewayFrame>,
    /// Every dispatch the fake sent: (seq, event name, data).
    pub dispatched: Vec<(u64, String, Value)>,
    /// The shard each of `dispatched` went to.
    pub dispatched_to: Vec<u32>,
}

impl GatewayState {
    /// The shard an event with `data` goes to: its guild's, or 0 (DMs and the like).
    pub fn shard_for(&self, data: &Value) -> u32 {
        event_guild(data).map_or(0, |g| shard_of_guild(g, self.total_shards.max(1)))
    }

    /// The first shard with a live session (the one the single-session helpers act on).
    pub fn first_live(&self) -> Option<u32> {
        self.sessions
            .iter()
            .find(|(_, s)| s.live.is_some())
            .map(|(id, _)| *id)
    }

    /// The first shard's session id (the only one, for a bot with one shard).
    pub fn session_id(&self) -> Option<String> {
        self.sessions
            .values()
            .next()
            .and_then(|s| s.session_id.clone())
    }

    /// Number of shards with a live session.
    pub fn live_shards(&self) -> usize {
        self.sessions.values().filter(|s| s.live.is_some()).count()
    }

    /// Queues a dispatch (op 0) on the live connection of the shard that owns the event,
    /// assigning that session's next `s`. Returns `None` if that shard has no live connection.
    pub fn dispatch(&mut self, event: &str, data: Value) -> Option<u64> {
        let shard = self.shard_for(&data);
        let conn = self.sessions.get(&shard)?.live?;
        let tx = self.conns.get(&conn)?.clone();
        if tx.is_closed() {
            // The connection task is gone; wait for the bot's next session.
            if let Some(session) = self.sessions.get_mut(&shard) {
                session.live = None;
            }
            return None;
        }
        Some(self.send_dispatch(shard, &tx, event, data))
    }

    fn send_dispatch(
        &mut self,
        shard: u32,
        tx: &UnboundedSender<Outbound>,
        event: &str,
        data: Value,
    ) -> u64 {
        let session = self.sessions.entry(shard).or_default();
        session.seq += 1;
        let seq = session.seq;
        let frame = json!({ "op": 0, "t": event, "s": seq, "d": data });
        let _ = tx.send(Outbound::Text(frame.to_string()));
        self.dispatched.push((seq, event.to_string(), data));
        self.dispatched_to.push(shard);
        seq
    }

    /// Sends `out` to the first live shard's connection and ends that session's liveness (the
    /// bot is expected to reconnect). Returns whether there was a live connection.
    pub fn disrupt(&mut self, out: Outbound) -> bool {
        let Some(shard) = self.first_live() else {
            return false;
        };
        let live = self.sessions.get_mut(&shard).and_then(|s| s.live.take());
        let Some(tx) = live.and_then(|c| self.conns.get(&c).cloned()) else {
            return false;
        };
        let _ = tx.send(out);
        self.resumed_ok_at_disruption = self.resumed_ok;
        true
    }

    /// The shard whose live connection is `conn`, if any.
    fn shard_on(&self, conn: u64) -> Option<u32> {
        self.sessions
            .iter()
            .find(|(_, s)| s.live == Some(conn))
            .map(|(id, _)| *id)
    }

    fn register(&mut self, tx: UnboundedSender<Outbound>) -> u64 {
        self.next_conn_id += 1;
        self.conns.insert(self.next_conn_id, tx);
        self.next_conn_id
    }

    /// Number of websocket connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.next_conn_id
    }
}

/// `GET /gateway` with an upgrade: hand the socket to a connection task.
pub async fn upgrade(State(inner): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(16 << 20)
        .on_upgrade(move |socket| connection(inner, socket))
}

async fn connection(inner: Arc<Inner>, socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn_id = inner.gateway.lock().unwrap().register(tx.clone());
    let hello = json!({
        "op": 10, "s": null, "t": null,
        "d": { "heartbeat_interval": inner.config.heartbeat_interval_ms },
    });
    let _ = tx.send(Outbound::Text(hello.to_string()));
    inner.recorder.bump();

    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Outbound::Text(text)) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                },
                Some(Outbound::Close(code, reason)) => {
                    let frame = CloseFrame { code, reason: reason.into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                },
                Some(Outbound::Abort) | None => break,
            },
            msg = stream.next() => match msg {
                Some(Ok(Message::Text(text))) => on_frame(&inner, conn_id, &tx, &text),
                Some(Ok(Message::Binary(bytes))) => {
                    on_frame(&inner, conn_id, &tx, &String::from_utf8_lossy(&bytes));
                },
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {},
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
        }
    }
    // Dropping sink + stream here closes the TCP connection.
    {
        let mut gw = inner.gateway.lock().unwrap();
        gw.conns.remove(&conn_id);
        if let Some(shard) = gw.shard_on(conn_id) {
            if let Some(session) = gw.sessions.get_mut(&shard) {
                session.live = None;
            }
        }
    }
    inner.recorder.bump();
}

/// Handles one frame from the bot: record it, then answer per opcode.
fn on_frame(inner: &Inner, conn_id: u64, tx: &UnboundedSender<Outbound>, text: &str) {
    let frame: Value = serde_json::from_str(text).unwrap_or_else(|_| json!({ "raw": text }));
    let op = frame["op"].as_u64().unwrap_or(u64::MAX);
    let d = frame["d"].clone();
    let mut gw = inner.gateway.lock().unwrap();
    gw.frames.push(GatewayFrame {
        at: Instant::now(),
        conn_id,
        op,
        d: d.clone(),
    });
    match op {
        // HEARTBEAT
        1 => {
            gw.heartbeats += 1;
            let _ = tx.send(Outbound::Text(json!({ "op": 11, "d": null }).to_string()));
        }
        // IDENTIFY
        2 => {
            gw.identifies.push(d.clone());
            if let Some(expected) = &inner.config.expected_token {
                let got = d["token"].as_str().unwrap_or_default();
                if got.trim_start_matches("Bot ") != expected.trim_start_matches("Bot ") {
                    let _ = tx.send(Outbound::Close(4004, "Authentication failed.".into()));
                    drop(gw);
                    inner.recorder.bump();
                    return;
                }
            }
            // `shard: [id, total]`; a bot that does not shard sends none (or [0, 1]).
            let shard = d["shard"][0].as_u64().unwrap_or(0) as u32;
            let total = d["shard"][1].as_u64().unwrap_or(1).max(1) as u32;
            gw.total_shards = total;
            let session_id = format!("fake-session-{}", gw.identifies.len());
            gw.sessions.insert(
                shard,
                Session {
                    live: Some(conn_id),
                    session_id: Some(session_id.clone()),
                    seq: 0,
                },
            );
            let guilds: Vec<u64> = inner
                .config
                .guilds
                .iter()
                .copied()
                .filter(|g| shard_of_guild(*g, total) == shard)
                .collect();
            gw.send_dispatch(
                shard,
                tx,
                "READY",
                payloads::ready_for_shard(
                    &session_id,
                    &inner.gateway_url(),
                    [shard, total],
                    &guilds,
                ),
            );
            if inner.config.send_guild_create {
                for guild in guilds {
                    gw.send_dispatch(
                        shard,
                        tx,
                        "GUILD_CREATE",
                        payloads::in_guild(payloads::guild_create(), guild),
                    );
                }
            }
        }
        // RESUME
        6 => {
            gw.resumes.push(d.clone());
            let resumed = gw
                .sessions
                .iter()
                .find(|(_, s)| {
                    s.session_id.is_some() && d["session_id"].as_str() == s.session_id.as_deref()
                })
                .map(|(id, _)| *id);
            if let Some(shard) = resumed {
                gw.resumed_ok += 1;
                if let Some(session) = gw.sessions.get_mut(&shard) {
                    session.live = Some(conn_id);
                }
                gw.send_dispatch(shard, tx, "RESUMED", json!({}));
            } else {
                let _ = tx.send(Outbound::Text(json!({ "op": 9, "d": false }).to_string()));
            }
        }
        // PRESENCE_UPDATE (3), REQUEST_GUILD_MEMBERS (8), ...: recorded only.
        _ => {}
    }
    drop(gw);
    inner.recorder.bump();
}
