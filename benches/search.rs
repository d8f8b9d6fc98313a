//! Retrieval benchmarks. `cargo bench --bench search`; `python3 tools/bench_table.py` prints
//! the medians and ratios docs/performance.md quotes ("Speed of the engine").
//!
//! - `shipped/*`: one question at a time from the public eval set, on `knowledge.toml`.
//! - `build/N`, `ask/N`: index build and one question (with typos half the time) on synthetic
//!   knowledge bases of N facts.
//! - `tantivy/*`: the peer — plain tantivy BM25 + fuzzy over the same facts
//!   ([`cyberbridge::peer`]) — on the same questions, in the same run (`tantivy-build/*`: its
//!   index build).
//! - `hostile/100000`: a 100 KB question of random words at 100k facts.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use cyberbridge::eval::EvalSet;
use cyberbridge::knowledge;
use cyberbridge::peer::TantivyPeer;
use cyberbridge::{synthetic, Engine, Filters};

/// Runs `ask` on the questions in turn, one per iteration.
fn rotate<'a, T, F>(questions: &'a [String], mut ask: F) -> impl FnMut() -> T + 'a
where
    F: FnMut(&'a str) -> T + 'a,
{
    let mut next = 0;
    move || {
        let question = &questions[next % questions.len()];
        next += 1;
        ask(question)
    }
}

fn shipped(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let kb = Arc::new(knowledge::load(&root.join("knowledge.toml")).unwrap());
    let questions: Vec<String> = EvalSet::load(&root.join("tests/eval/tune.toml"))
        .unwrap()
        .questions
        .into_iter()
        .map(|q| q.q)
        .filter(|q| q.len() < 500)
        .collect();
    let engine = Engine::new(kb.clone());
    let peer = TantivyPeer::new(&kb).unwrap();
    let filters = Filters::default();
    let mut group = c.benchmark_group("shipped");
    group.bench_function("engine", |b| {
        b.iter(rotate(&questions, |q| black_box(engine.ask(q, &filters))))
    });
    group.bench_function("tantivy", |b| {
        b.iter(rotate(&questions, |q| black_box(peer.top(q, 5))))
    });
    group.bench_function("build", |b| b.iter(|| black_box(Engine::new(kb.clone()))));
    group.finish();
}

fn scale(c: &mut Criterion) {
    for facts in [1_000usize, 10_000, 100_000] {
        let kb = Arc::new(synthetic::knowledge_base(facts, 42));
        let questions = synthetic::questions(&kb, 200, 7);
        let big = facts >= 100_000;

        let mut build = c.benchmark_group("build");
        build.sample_size(10);
        if big {
            build.measurement_time(Duration::from_secs(30));
        }
        build.bench_with_input(BenchmarkId::from_parameter(facts), &kb, |b, kb| {
            b.iter(|| black_box(Engine::new(kb.clone())))
        });
        build.finish();

        let engine = Engine::new(kb.clone());
        let filters = Filters::default();
        let mut ask = c.benchmark_group("ask");
        ask.bench_function(BenchmarkId::from_parameter(facts), |b| {
            b.iter(rotate(&questions, |q| black_box(engine.ask(q, &filters))))
        });
        ask.finish();

        let mut peer_build = c.benchmark_group("tantivy-build");
        peer_build.sample_size(10);
        if big {
            peer_build.measurement_time(Duration::from_secs(30));
        }
        peer_build.bench_with_input(BenchmarkId::from_parameter(facts), &kb, |b, kb| {
            b.iter(|| black_box(TantivyPeer::new(kb).unwrap()))
        });
        peer_build.finish();

        let peer = TantivyPeer::new(&kb).unwrap();
        let mut peer_ask = c.benchmark_group("tantivy");
        peer_ask.bench_function(BenchmarkId::from_parameter(facts), |b| {
            b.iter(rotate(&questions, |q| black_box(peer.top(q, 5))))
        });
        peer_ask.finish();

        if big {
            let hostile: String = synthetic::questions(&kb, 20_000, 99)
                .join(" ")
                .chars()
                .take(100_000)
                .collect();
            let mut group = c.benchmark_group("hostile");
            group.bench_function(BenchmarkId::from_parameter(facts), |b| {
                b.iter(|| black_box(engine.ask(&hostile, &filters)))
            });
            group.finish();
        }
    }
}

criterion_group!(benches, shipped, scale);
criterion_main!(benches);
