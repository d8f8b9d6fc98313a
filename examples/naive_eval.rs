//! The naive baseline of the benchmarks — compare the question with every fact's alternate
//! questions using strsim and answer with the closest — measured on the public question set,
//! for comparison with `cargo run --release -- eval tests/eval/questions.toml`.
//! `cargo run --release --example naive_eval`

use std::path::Path;

use cyberbridge::eval::EvalSet;
use cyberbridge::knowledge;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let kb = knowledge::load(&root.join("knowledge.toml")).expect("knowledge.toml loads");
    let set = EvalSet::load(&root.join("tests/eval/questions.toml")).expect("the eval set loads");
    let alternates: Vec<(&str, String)> = kb
        .facts
        .iter()
        .flat_map(|f| {
            f.questions
                .iter()
                .map(move |q| (f.id.as_str(), q.to_lowercase()))
        })
        .collect();
    // (best similarity, fact, expected) per question.
    let scored: Vec<(f64, &str, &cyberbridge::eval::EvalQuestion)> = set
        .questions
        .iter()
        .map(|q| {
            let question = q.q.to_lowercase();
            let (similarity, fact) = alternates
                .iter()
                .map(|(fact, alt)| (strsim::normalized_levenshtein(&question, alt), *fact))
                .fold(
                    (f64::MIN, ""),
                    |best, next| if next.0 > best.0 { next } else { best },
                );
            (similarity, fact, q)
        })
        .collect();
    let answerable = scored.iter().filter(|s| !s.2.expects_decline()).count();
    let out_of_scope = scored.len() - answerable;
    println!("naive strsim baseline on {} questions ({answerable} answerable, {out_of_scope} out of scope)", scored.len());
    println!("threshold  top-1    declined");
    for step in 0..=10 {
        let threshold = f64::from(step) * 0.05;
        let right = scored
            .iter()
            .filter(|(sim, fact, q)| {
                !q.expects_decline()
                    && *sim >= threshold
                    && (q.expect == *fact || q.also.iter().any(|a| a == fact))
            })
            .count();
        let declined = scored
            .iter()
            .filter(|(sim, _, q)| q.expects_decline() && *sim < threshold)
            .count();
        println!(
            "{threshold:>9.2}  {:>5.1}%  {:>6.1}%",
            100.0 * right as f64 / answerable as f64,
            100.0 * declined as f64 / out_of_scope as f64
        );
    }
}
