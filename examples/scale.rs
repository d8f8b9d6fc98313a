//! Builds the engine over a synthetic knowledge base and answers questions, for measuring
//! peak memory: `cargo build --release --example scale &&
//! /usr/bin/time -v target/release/examples/scale 100000` ("Maximum resident set size").

use std::sync::Arc;
use std::time::Instant;

use cyberbridge::{synthetic, Answer, Engine, Filters};

fn main() {
    let facts: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let started = Instant::now();
    let kb = Arc::new(synthetic::knowledge_base(facts, 42));
    let generated = started.elapsed();
    let engine = Engine::new(kb.clone());
    let built = started.elapsed() - generated;
    let questions = synthetic::questions(&kb, 1_000, 7);
    let asked = Instant::now();
    let answered = questions
        .iter()
        .filter(|q| matches!(engine.ask(q, &Filters::default()), Answer::Found(_)))
        .count();
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
        "{facts} facts: generated in {generated:.2?}, index built in {built:.2?}; {answered}/{} answered, {:.2?} per question; a 100 KB question: {hostile_time:.2?}",
        questions.len(),
        asked.elapsed() / questions.len() as u32
    );
}
