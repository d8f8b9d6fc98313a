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

/// Mutable gateway state (sessions, counters, recorded frames).
#[derive(Default)]
pub struct GatewayState {
    next_conn_id: u64,
    /// Open connections by id.
    pub conns: HashMap<u64, UnboundedSender<Outbound>>,
    /// The connection with a live session (READY or RESUMED sent), which dispatches go to.
    pub live: Option<u64>,
    pub session_id: Option<String>,
    /// Last sequence number sent in the current session.
    pub seq: u64,
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
}

impl GatewayState {
    /// Queues a dispatch (op 0) on the live connection, assigning the next `s`.
    /// Returns `None` if there is no live connection.
    pub fn dispatch(&mut self, event: &str, data: Value) -> Option<u64> {
        let conn = self.live?;
        let tx = self.conns.get(&conn)?.clone();
        if tx.is_closed() {
            // The connection task is gone; wait for the bot's next session.
            self.live = None;
            return None;
        }
        Some(self.send_dispatch(&tx, event, data))
    }

    fn send_dispatch(&mut self, tx: &UnboundedSender<Outbound>, event: &str, data: Value) -> u64 {
        self.seq += 1;
        let frame = json!({ "op": 0, "t": event, "s": self.seq, "d": data });
        let _ = tx.send(Outbound::Text(frame.to_string()));
        self.dispatched.push((self.seq, event.to_string(), data));
        self.seq
    }

    /// Sends `out` to the live connection and ends the session's liveness (the bot is expected
    /// to reconnect). Returns whether there was a live connection.
    pub fn disrupt(&mut self, out: Outbound) -> bool {
        let Some(tx) = self.live.take().and_then(|c| self.conns.get(&c).cloned()) else {
            return false;
        };
        let _ = tx.send(out);
        self.resumed_ok_at_disruption = self.resumed_ok;
        true
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
        if gw.live == Some(conn_id) {
            gw.live = None;
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
            let session_id = format!("fake-session-{}", gw.identifies.len());
            gw.session_id = Some(session_id.clone());
            gw.seq = 0;
            gw.live = Some(conn_id);
            gw.send_dispatch(
                tx,
                "READY",
                payloads::ready(&session_id, &inner.gateway_url()),
            );
            if inner.config.send_guild_create {
                gw.send_dispatch(tx, "GUILD_CREATE", payloads::guild_create());
            }
        }
        // RESUME
        6 => {
            gw.resumes.push(d.clone());
            let known =
                gw.session_id.is_some() && d["session_id"].as_str() == gw.session_id.as_deref();
            if known {
                gw.resumed_ok += 1;
                gw.live = Some(conn_id);
                gw.send_dispatch(tx, "RESUMED", json!({}));
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
