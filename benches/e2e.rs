//! The whole path, end to end: INTERACTION_CREATE sent by the fake Discord's gateway → serenity
//! → the bot → the interaction callback received by the fake's REST side, at 1, 10 and 100
//! concurrent interactions. `cargo bench --bench e2e`.
//!
//! - Criterion (`e2e/concurrent/N`) times a batch: N `/ask` interactions dispatched at once
//!   until all N answers are in.
//! - Then a plain loop records each interaction's own latency (dispatch → its callback
//!   arriving at the fake) over at least [`LATENCY_SAMPLES`] interactions per level and prints
//!   the median and p99 — criterion cannot report percentiles of the parts of a batch.
//!
//! Everything runs on loopback in one process on a 2-thread tokio runtime (the fake shares the
//! two cores with the bot, as on the CI machine). Each interaction comes from its own user, so
//! the per-user rate limit never answers instead of the engine.

#[path = "../tests/integration/fake_discord/mod.rs"]
mod fake_discord;
#[path = "../tests/integration/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use fake_discord::{opt_str, FakeUser, InteractionHandle, MEMBER_ROLE_ID};
use serde_json::json;
use support::{Harness, T};

const LEVELS: [usize; 3] = [1, 10, 100];
/// Interactions measured one by one per concurrency level, for the percentiles.
const LATENCY_SAMPLES: usize = 2_000;

const QUESTIONS: [&str; 5] = [
    "Who led the Indian delegation in 2017?",
    "When was the Memorandum of Cooperation signed?",
    "Who led Japan's delegation in 2017?",
    "What does the MoC cover?",
    "When did India and Japan hold the e-dialogue?",
];

/// A new user for every interaction.
static NEXT_USER: AtomicU64 = AtomicU64::new(0);

fn user() -> FakeUser {
    let n = NEXT_USER.fetch_add(1, Ordering::Relaxed);
    FakeUser::new(
        1_400_000_000_000_000_000 + n,
        "bench",
        1_500_000_000_000_000_000 + n,
    )
    .with_roles(&[MEMBER_ROLE_ID])
}

/// Dispatches `n` `/ask` interactions back to back, waits for every callback, and returns
/// each one's latency: from just before its INTERACTION_CREATE was handed to the gateway
/// connection to the moment the fake received its callback.
async fn batch(h: &Harness, n: usize) -> Vec<Duration> {
    let mut sent: Vec<(InteractionHandle, Instant)> = Vec::with_capacity(n);
    for i in 0..n {
        let question = QUESTIONS[i % QUESTIONS.len()];
        let (payload, handle) =
            h.fake
                .command_interaction("ask", json!([opt_str("question", question)]), user(), true);
        let start = Instant::now();
        h.fake.dispatch("INTERACTION_CREATE", payload).await;
        sent.push((handle, start));
    }
    let callbacks = futures_util::future::join_all(
        sent.iter()
            .map(|(handle, _)| h.fake.interaction_callback(handle, T)),
    )
    .await;
    sent.iter()
        .zip(callbacks)
        .map(|((_, start), callback)| {
            assert_eq!(callback.body["type"], 4, "answered directly");
            callback.at.duration_since(*start)
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn e2e(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let h = rt.block_on(Harness::start());
    // Warm the path (connections, caches) before measuring anything.
    rt.block_on(batch(&h, 20));

    let mut group = c.benchmark_group("e2e/concurrent");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for n in LEVELS {
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter_custom(|iters| {
                let started = Instant::now();
                for _ in 0..iters {
                    rt.block_on(batch(&h, n));
                }
                started.elapsed()
            });
        });
    }
    group.finish();

    println!("\nper-interaction latency, INTERACTION_CREATE sent → callback received:");
    println!("| concurrent | interactions | median | p99 | max |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for n in LEVELS {
        let mut latencies = Vec::with_capacity(LATENCY_SAMPLES + n);
        while latencies.len() < LATENCY_SAMPLES {
            latencies.extend(rt.block_on(batch(&h, n)));
        }
        latencies.sort_unstable();
        println!(
            "| {n} | {} | {:.2} ms | {:.2} ms | {:.2} ms |",
            latencies.len(),
            ms(percentile(&latencies, 50.0)),
            ms(percentile(&latencies, 99.0)),
            ms(*latencies.last().unwrap()),
        );
    }
    assert!(
        h.fake.unhandled_requests().is_empty(),
        "{:?}",
        h.fake.unhandled_requests()
    );
    rt.block_on(h.stop());
}

criterion_group!(benches, e2e);
criterion_main!(benches);
