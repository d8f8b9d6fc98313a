//! `eval`: accuracy and decline rates on a question set, with every failure listed.

use std::path::Path;
use std::process::ExitCode;

use cyberbridge::eval::{self, EvalSet};
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
                })
            })
            .collect();
        let line = serde_json::json!({"q": question.q, "expect": question.expect, "also": question.also, "top": top});
        writeln!(out, "{line}")?;
    }
    Ok(())
}

pub fn run(
    engine: &Engine,
    file: &Path,
    floors: &Floors,
    dump_to: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let set = EvalSet::load(file)?;
    let mut out = std::io::stdout().lock();
    if let Some(path) = dump_to {
        dump(engine, &set, path)?;
    }
    let report = eval::run(engine, &set);
    for failure in &report.failures {
        writeln!(
            out,
            "FAIL [{}] {:?}\n     expected {}, got {} (confidence {:.2})",
            failure.style.as_deref().unwrap_or("-"),
            failure.question.chars().take(120).collect::<String>(),
            failure.expected,
            failure.got,
            failure.confidence
        )?;
    }
    writeln!(
        out,
        "\n{} questions ({} answerable, {} out of scope)",
        set.questions.len(),
        report.answerable,
        report.out_of_scope
    )?;
    for (style, correct, total) in &report.by_style {
        writeln!(out, "  {style:<14} {correct:>3}/{total:<3}")?;
    }
    writeln!(
        out,
        "top-1 accuracy      {:.1}%  ({}/{})",
        report.top1() * 100.0,
        report.top1_correct,
        report.answerable
    )?;
    writeln!(out, "MRR@3               {:.3}", report.mrr3())?;
    writeln!(
        out,
        "decline recall      {:.1}%  ({}/{} out-of-scope declined)",
        report.decline_recall() * 100.0,
        report.declined_correctly,
        report.out_of_scope
    )?;
    writeln!(
        out,
        "decline precision   {:.1}%  ({}/{} declines were out of scope)",
        report.decline_precision() * 100.0,
        report.declined_correctly,
        report.declined_total
    )?;
    let mut ok = true;
    if let Some(floor) = floors.min_top1 {
        if report.top1() < floor {
            writeln!(
                out,
                "below floor: top-1 {:.1}% < {:.1}%",
                report.top1() * 100.0,
                floor * 100.0
            )?;
            ok = false;
        }
    }
    if let Some(floor) = floors.min_declined {
        if report.decline_recall() < floor {
            writeln!(
                out,
                "below floor: declined {:.1}% < {:.1}%",
                report.decline_recall() * 100.0,
                floor * 100.0
            )?;
            ok = false;
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
