//! Operating the bot: the gateway state, the metrics it records, and `/healthz`.
//!
//! Metrics go through the `metrics` facade: every call below is a no-op until a recorder is
//! installed, which `serve` does only when `[metrics] listen` is set ([`install`]); then
//! [`http::serve`] answers `GET /metrics` (Prometheus text) and `GET /healthz`. Every metric
//! name is written once, here.
//!
//! [`watch`] reloads the knowledge file when it changes (`[knowledge] watch`).

pub mod http;
pub mod watch;

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Questions by outcome (`answered`, `declined`, `refused`, `rate_limited`).
pub const QUESTIONS_TOTAL: &str = "cyberbridge_questions_total";
/// Reloads by result (`ok`, `failed`).
pub const RELOADS_TOTAL: &str = "cyberbridge_reloads_total";
/// Replies Discord never received (after retries).
pub const REPLY_ERRORS_TOTAL: &str = "cyberbridge_reply_errors_total";
/// Time the engine takes to answer one question.
pub const ENGINE_SECONDS: &str = "cyberbridge_engine_seconds";
/// From an interaction's arrival to its reply accepted by Discord.
pub const REPLY_SECONDS: &str = "cyberbridge_reply_seconds";
/// Facts (and commitments) in the knowledge base serving. One series: labelled with the
/// fingerprint, it kept a series for every version ever served.
pub const KNOWLEDGE_FACTS: &str = "cyberbridge_knowledge_facts";
/// The fingerprint of the knowledge base serving, its first 12 hex digits as a number (exact
/// in a float): processes serving the same version show the same value, in one series.
pub const KNOWLEDGE_FINGERPRINT: &str = "cyberbridge_knowledge_fingerprint";
/// 1 for the gateway's current state, 0 for the others (label `state`).
pub const GATEWAY_STATE: &str = "cyberbridge_gateway_state";
/// Gateway events handled, by shard (label `shard`) and event (`event`).
pub const SHARD_EVENTS_TOTAL: &str = "cyberbridge_shard_events_total";
/// 1 while a shard this process runs is connected, else 0 (label `shard`).
pub const SHARD_CONNECTED: &str = "cyberbridge_shard_connected";

/// Histogram buckets in seconds: the engine takes tens of µs, a Discord reply tens of ms;
/// the 3 s interaction deadline sits inside the range.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0,
];

/// What a question came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Answered,
    Declined,
    /// Empty or too long.
    Refused,
    RateLimited,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Declined => "declined",
            Outcome::Refused => "refused",
            Outcome::RateLimited => "rate_limited",
        }
    }
}

pub fn question(outcome: Outcome) {
    metrics::counter!(QUESTIONS_TOTAL, "outcome" => outcome.label()).increment(1);
}

pub fn engine_latency(elapsed: Duration) {
    metrics::histogram!(ENGINE_SECONDS).record(elapsed.as_secs_f64());
}

pub fn reply_latency(elapsed: Duration) {
    metrics::histogram!(REPLY_SECONDS).record(elapsed.as_secs_f64());
}

pub fn reply_error() {
    metrics::counter!(REPLY_ERRORS_TOTAL).increment(1);
}

/// One gateway event (`interaction`, `message`, `ready`, ...) handled by `shard`.
pub fn shard_event(shard: u32, event: &'static str) {
    metrics::counter!(SHARD_EVENTS_TOTAL, "shard" => shard.to_string(), "event" => event)
        .increment(1);
}

pub fn shard_connected(shard: u32, connected: bool) {
    metrics::gauge!(SHARD_CONNECTED, "shard" => shard.to_string()).set(if connected {
        1.0
    } else {
        0.0
    });
}

pub fn reload(ok: bool) {
    let result = if ok { "ok" } else { "failed" };
    metrics::counter!(RELOADS_TOTAL, "result" => result).increment(1);
}

/// Reports the knowledge base now serving.
pub fn knowledge(facts: usize, fingerprint: &str) {
    metrics::gauge!(KNOWLEDGE_FACTS).set(facts as f64);
    metrics::gauge!(KNOWLEDGE_FINGERPRINT).set(fingerprint_number(fingerprint));
}

/// The first 12 hex digits of `fingerprint` as a number (48 bits: exact in an f64).
pub fn fingerprint_number(fingerprint: &str) -> f64 {
    let digits: String = fingerprint.chars().take(12).collect();
    u64::from_str_radix(&digits, 16).map_or(0.0, |n| n as f64)
}

/// Where the connection to Discord's gateway stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum GatewayState {
    /// Not tried yet, or Discord not reachable yet.
    Connecting = 0,
    Connected = 1,
    /// Was connected; the connection dropped and is being re-established.
    Reconnecting = 2,
    /// Shutting down.
    Stopping = 3,
}

impl GatewayState {
    pub const ALL: [GatewayState; 4] = [
        GatewayState::Connecting,
        GatewayState::Connected,
        GatewayState::Reconnecting,
        GatewayState::Stopping,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GatewayState::Connecting => "connecting",
            GatewayState::Connected => "connected",
            GatewayState::Reconnecting => "reconnecting",
            GatewayState::Stopping => "stopping",
        }
    }

    fn from_u8(value: u8) -> GatewayState {
        GatewayState::ALL
            .into_iter()
            .find(|s| *s as u8 == value)
            .unwrap_or(GatewayState::Connecting)
    }
}

/// The live gateway state, shared by the Discord adapter (which sets it) and `/healthz`.
#[derive(Debug, Default)]
pub struct Status {
    gateway: AtomicU8,
}

impl Status {
    pub fn gateway(&self) -> GatewayState {
        GatewayState::from_u8(self.gateway.load(Ordering::Relaxed))
    }

    pub fn set_gateway(&self, state: GatewayState) {
        self.gateway.store(state as u8, Ordering::Relaxed);
        for each in GatewayState::ALL {
            let value = if each == state { 1.0 } else { 0.0 };
            metrics::gauge!(GATEWAY_STATE, "state" => each.label()).set(value);
        }
    }

    /// Marks the gateway as lost: `Reconnecting` if it was connected (a shutdown stays one).
    pub fn lost(&self) {
        let _ = self.gateway.compare_exchange(
            GatewayState::Connected as u8,
            GatewayState::Reconnecting as u8,
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
        self.set_gateway(self.gateway());
    }
}

/// `/healthz`: healthy when connected to the gateway with a knowledge base loaded.
pub fn healthy(gateway: GatewayState, facts_loaded: usize) -> bool {
    gateway == GatewayState::Connected && facts_loaded > 0
}

/// Installs the process-wide Prometheus recorder (once; later calls fail).
pub fn install() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets(LATENCY_BUCKETS)?
        .install_recorder()?;
    describe();
    Ok(handle)
}

fn describe() {
    metrics::describe_counter!(QUESTIONS_TOTAL, "Questions asked, by outcome");
    metrics::describe_counter!(RELOADS_TOTAL, "Knowledge base reloads, by result");
    metrics::describe_counter!(
        REPLY_ERRORS_TOTAL,
        "Replies Discord did not accept after retries"
    );
    metrics::describe_histogram!(
        ENGINE_SECONDS,
        metrics::Unit::Seconds,
        "Engine time per question"
    );
    metrics::describe_histogram!(
        REPLY_SECONDS,
        metrics::Unit::Seconds,
        "Interaction received to reply accepted"
    );
    metrics::describe_gauge!(KNOWLEDGE_FACTS, "Facts in the knowledge base serving");
    metrics::describe_gauge!(
        KNOWLEDGE_FINGERPRINT,
        "The serving knowledge base's fingerprint, first 12 hex digits as a number"
    );
    metrics::describe_gauge!(GATEWAY_STATE, "1 for the gateway's current state");
    metrics::describe_counter!(
        SHARD_EVENTS_TOTAL,
        "Gateway events handled, by shard and event"
    );
    metrics::describe_gauge!(SHARD_CONNECTED, "1 while the shard is connected");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_only_when_connected_with_knowledge() {
        assert!(healthy(GatewayState::Connected, 55));
        assert!(!healthy(GatewayState::Connected, 0));
        for state in [
            GatewayState::Connecting,
            GatewayState::Reconnecting,
            GatewayState::Stopping,
        ] {
            assert!(!healthy(state, 55), "{state:?}");
        }
    }

    #[test]
    fn a_lost_connection_is_reconnecting_but_a_shutdown_stays_one() {
        let status = Status::default();
        assert_eq!(status.gateway(), GatewayState::Connecting);
        status.set_gateway(GatewayState::Connected);
        status.lost();
        assert_eq!(status.gateway(), GatewayState::Reconnecting);
        status.set_gateway(GatewayState::Stopping);
        status.lost();
        assert_eq!(status.gateway(), GatewayState::Stopping);
    }

    #[test]
    fn outcome_labels_are_the_documented_ones() {
        let labels: Vec<_> = [
            Outcome::Answered,
            Outcome::Declined,
            Outcome::Refused,
            Outcome::RateLimited,
        ]
        .map(Outcome::label)
        .to_vec();
        assert_eq!(labels, ["answered", "declined", "refused", "rate_limited"]);
    }
}
