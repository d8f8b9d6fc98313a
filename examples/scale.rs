//! Builds the engine (or the tantivy peer) over a synthetic knowledge base and answers
//! questions, for measuring memory:
//! `cargo build --release --example scale && /usr/bin/time -v target/release/examples/scale
//! 100000 [engine|tantivy]` ("Maximum resident set size" is the whole process, knowledge
//! base included). It also prints the resident memory the index added (VmRSS after the build
//! minus before it, from /proc/self/status), which is what the index itself costs, and the
//! peak the build reached above the memory before it (VmHWM, reset before the build).

use std::sync::Arc;
use std::time::Instant;

use cyberbridge::peer::TantivyPeer;
use cyberbridge::{synthetic, Answer, Engine, Filters};

/// Resident memory in MiB, where /proc is available.
fn resident_mib() -> Option<f64> {
    status_mib("VmRSS:")
}

/// Highest resident memory since [`reset_peak`], in MiB.
fn peak_mib() -> Option<f64> {
    status_mib("VmHWM:")
}

fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak resident memory to the current one (Linux: `5` to `clear_refs`), so that
/// the peak measured is the build's, not the knowledge base generation's.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn show(mib: Option<f64>) -> String {
    mib.map_or_else(|| "?".into(), |m| format!("{m:.0} MiB"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let facts: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let which = args.next().unwrap_or_else(|| "engine".into());
    let started = Instant::now();
    let kb = Arc::new(synthetic::knowledge_base(facts, 42));
    let generated = started.elapsed();
    let questions = synthetic::questions(&kb, 1_000, 7);
    reset_peak();
    let before = resident_mib();
    if which == "tantivy" {
        let peer = TantivyPeer::new(&kb).expect("the tantivy index builds");
        let built = started.elapsed() - generated;
        let after = resident_mib();
        let peak = peak_mib();
        let asked = Instant::now();
        let ranked = questions
            .iter()
            .filter(|q| !peer.top(q, 5).is_empty())
            .count();
        println!(
            "tantivy, {facts} facts: index built in {built:.2?}, index memory {} (peak during the build {}); {ranked}/{} ranked, {:.2?} per question",
            show(after.zip(before).map(|(a, b)| a - b)),
            show(peak.zip(before).map(|(p, b)| p - b)),
            questions.len(),
            asked.elapsed() / questions.len() as u32
        );
        return;
    }
    let engine = Engine::new(kb.clone());
    let built = started.elapsed() - generated;
    let after = resident_mib();
    let peak = peak_mib();
    let asked = Instant::now();
    let answered = questions
        .iter()
        .filter(|q| matches!(engine.ask(q, &Filters::default()), Answer::Found(_)))
        .count();
    let per_question = asked.elapsed() / questions.len() as u32;
    let hostile: String = synthetic::questions(&kb, 20_000, 99)
        .join(" ")
        .chars()
        .take(100_000)
        .collect();
    let timed = Instant::now();
    let rounds = 50;
    for _ in 0..rounds {
        std::hint::black_box(engine.ask(&hostile, &Filters::default()));
    }
    let hostile_time = timed.elapsed() / rounds;
    println!(
        "engine, {facts} facts: generated in {generated:.2?}, index built in {built:.2?}, index memory {} (peak during the build {}); {answered}/{} answered, {per_question:.2?} per question; a 100 KB question: {hostile_time:.2?}",
        show(after.zip(before).map(|(a, b)| a - b)),
        show(peak.zip(before).map(|(p, b)| p - b)),
        questions.len(),
    );
}
