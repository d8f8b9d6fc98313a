//! Prints, for synthetic questions, the fact each was written from and the engine's five best
//! facts with their confidence — one line per question — so that two builds can be compared
//! (`diff`, or count how often the source fact comes first):
//! `cargo run --release --example agree -- 100000 2000 > after.txt`.

use std::sync::Arc;

use cyberbridge::{synthetic, Engine, Filters};

fn main() {
    let mut args = std::env::args().skip(1);
    let facts: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let kb = Arc::new(synthetic::knowledge_base(facts, 42));
    let engine = Engine::new(kb.clone());
    let mut first = 0;
    for (source, question) in synthetic::questions_about(&kb, count, 11) {
        let ranked = engine.top(&question, &Filters::default(), 5);
        first += usize::from(
            ranked
                .first()
                .is_some_and(|r| r.fact_id == kb.facts[source].id),
        );
        let best: Vec<String> = ranked
            .iter()
            .map(|r| format!("{}:{:.4}", r.fact_id, r.confidence))
            .collect();
        println!("{}\t{}", kb.facts[source].id, best.join(" "));
    }
    eprintln!("the source fact first for {first} of {count} questions");
}
