//! Where a reload's time goes at scale: `cargo run --release --example reload_stages [FACTS]`
//! times each stage a reload runs (read and validate, diff, engine build, the eval gate on the
//! tune set) on a synthetic knowledge base, with the peak resident memory after each, and the
//! whole reload against the engine build. The gate measures the new version once; the running
//! one only when the new one is below a floor, once per eval set (`bot::reload`).

use std::time::Instant;

use cyberbridge::knowledge::{self, LoadOptions};
use cyberbridge::{synthetic, Engine};

fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let facts: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile_dir();
    let path = dir.join("knowledge.toml");
    std::fs::write(
        &path,
        synthetic::to_toml(&synthetic::knowledge_base(facts, 42)),
    )
    .unwrap();
    // The running version (no index: only the diff reads it).
    let old = synthetic::knowledge_base(facts, 7);
    cyberbridge::memory::release_freed();
    println!(
        "{facts} facts, {} MB on disk, peak {} MB",
        std::fs::metadata(&path).unwrap().len() >> 20,
        peak_mb()
    );
    let reload = Instant::now();
    let started = Instant::now();
    let loaded = knowledge::load_with(&path, &LoadOptions::default()).unwrap();
    println!(
        "read + parse + validate  {:>8.2?}  peak {} MB",
        started.elapsed(),
        peak_mb()
    );
    let started = Instant::now();
    let changes = knowledge::diff::diff(&old, &loaded);
    println!(
        "diff                     {:>8.2?}  ({} changed)",
        started.elapsed(),
        changes.changed.len()
    );
    let started = Instant::now();
    let engine = Engine::new(std::sync::Arc::new(loaded));
    let build = started.elapsed();
    println!(
        "engine build             {build:>8.2?}  peak {} MB",
        peak_mb()
    );
    let before_gate = reload.elapsed();
    let set = cyberbridge::eval::EvalSet::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/tune.toml"),
    )
    .unwrap();
    let started = Instant::now();
    let report = cyberbridge::eval::run(&engine, &set);
    let gate = started.elapsed();
    println!(
        "eval gate (tune set)     {gate:>8.2?}  ({} questions, top-1 {:.2})",
        set.questions.len(),
        report.top1()
    );
    let total = before_gate + gate;
    println!(
        "reload                   {total:>8.2?}  {:.2} × the engine build, peak {} MB",
        total.as_secs_f64() / build.as_secs_f64(),
        peak_mb()
    );
    let started = Instant::now();
    for q in &set.questions {
        engine.ask_and_top(&q.q, &cyberbridge::Filters::default(), 3);
    }
    println!(
        "(answering the set       {:>8.2?}  on one thread, not part of the reload)",
        started.elapsed()
    );
    drop(engine);
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("reload-stages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
