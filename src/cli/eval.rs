//! `eval`: accuracy and decline rates on a question set, with every failure listed.

use std::path::Path;
use std::process::ExitCode;

use cyberbridge::eval::{self, EvalSet};
use cyberbridge::peer::TantivyPeer;
use cyberbridge::search::Engine;

pub struct Floors {
    pub min_top1: Option<f64>,
    pub min_declined: Option<f64>,
}

/// Writes each question's five best candidates with their signals as JSON Lines, for tuning
/// weights and thresholds offline.
pub fn dump(engine: &Engine, set: &EvalSet, path: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for question in &set.questions {
        let top: Vec<_> = engine
            .top(&question.q, &Default::default(), 5)
            .into_iter()
            .map(|r| {
                serde_json::json!({
                    "fact_id": r.fact_id,
                    "confidence": r.confidence,
                    "coverage": r.signals.coverage,
                    "question": r.signals.question,
                    "bm25": r.signals.bm25,
                    "proximity": r.signals.proximity,
                    "entity_mismatches": r.signals.entity_mismatches,
                    "intent_mismatch": r.signals.intent_mismatch,
                    "unknown_words": r.signals.unknown_words,
                    "event_mismatch": r.signals.event_mismatch,
                })
            })
            .collect();
        let accepted = question.accepted(engine.knowledge());
        let expect = if question.expects_decline() {
            vec![eval::NO_MATCH.to_string()]
        } else {
            accepted
        };
        let line = serde_json::json!({"q": question.q, "expect": expect, "top": top});
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Accepts a floor as a fraction (0.95) or a percentage (95).
pub fn parse_floor(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("not a number: {text}"))?;
    let value = if value > 1.0 { value / 100.0 } else { value };
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "a floor is between 0 and 1 (or 0 and 100%): {text}"
        ))
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

pub fn run(
    engine: &Engine,
    file: &Path,
    floors: &Floors,
    dump_to: Option<&Path>,
    with_peer: bool,
) -> anyhow::Result<ExitCode> {
    let set = EvalSet::load(file)?;
    if let Some(path) = dump_to {
        dump(engine, &set, path)?;
    }
    let report = eval::run(engine, &set);
    for failure in &report.failures {
        println!(
            "FAIL [{}] {:?}\n     expected {}, got {} (confidence {:.2})",
            failure.style.as_deref().unwrap_or("-"),
            failure.question.chars().take(120).collect::<String>(),
            failure.expected,
            failure.got,
            failure.confidence
        );
    }
    println!(
        "\n{} questions ({} answerable, {} out of scope)",
        set.questions.len(),
        report.answerable,
        report.out_of_scope
    );
    for (style, correct, total) in &report.by_style {
        println!("  {style:<14} {correct:>3}/{total:<3}");
    }
    println!(
        "top-1 accuracy      {:.1}%  ({}/{})",
        report.top1() * 100.0,
        report.top1_correct,
        report.answerable
    );
    println!(
        "ranked first        {:.1}%  ({}/{}; the right fact ranked first, answered or declined)",
        ratio(report.ranked_first, report.answerable) * 100.0,
        report.ranked_first,
        report.answerable
    );
    println!("MRR@3               {:.3}", report.mrr3());
    println!(
        "decline recall      {:.1}%  ({}/{} out-of-scope declined)",
        report.decline_recall() * 100.0,
        report.declined_correctly,
        report.out_of_scope
    );
    println!(
        "decline precision   {:.1}%  ({}/{} declines were out of scope)",
        report.decline_precision() * 100.0,
        report.declined_correctly,
        report.declined_total
    );
    println!(
        "answer precision    {:.1}%  ({}/{} answers given were right)",
        report.answer_precision() * 100.0,
        report.answered_correct,
        report.answered_total
    );
    if report.uncited > 0 {
        println!(
            "uncited             {} answerable questions quote words no fact cites",
            report.uncited
        );
    }
    if with_peer {
        let peer = TantivyPeer::new(engine.knowledge())?;
        let (right, total) = eval::peer_top1(&peer, engine.knowledge(), &set);
        println!(
            "tantivy peer top-1  {:.1}%  ({right}/{total}; BM25 + fuzzy over the same facts, never declines)",
            ratio(right, total) * 100.0
        );
    }
    let mut ok = true;
    if let Some(floor) = floors.min_top1 {
        if report.top1() < floor {
            println!(
                "below floor: top-1 {:.1}% < {:.1}%",
                report.top1() * 100.0,
                floor * 100.0
            );
            ok = false;
        }
    }
    if let Some(floor) = floors.min_declined {
        if report.decline_recall() < floor {
            println!(
                "below floor: declined {:.1}% < {:.1}%",
                report.decline_recall() * 100.0,
                floor * 100.0
            );
            ok = false;
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
