//! `eval`: accuracy and decline rates on a question set, with every failure listed.

use std::path::Path;
use std::process::ExitCode;

use cyberbridge::eval::{self, EvalSet};
use cyberbridge::peer::TantivyPeer;
use cyberbridge::search::Engine;

pub use cyberbridge::eval::Floors;

/// Writes each question's five best candidates with their signals as JSON Lines, for tuning
/// weights and thresholds offline.
pub fn dump(engine: &Engine, set: &EvalSet, path: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let quotes = eval::FoldedQuotes::of(engine.knowledge());
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
                    "entity_mismatches": r.signals.entity_mismatches,
                    "intent_mismatch": r.signals.intent_mismatch,
                    "expansion_mismatch": r.signals.expansion_mismatch,
                    "unknown_words": r.signals.unknown_words,
                    "event_mismatch": r.signals.event_mismatch,
                    "side_mismatch": r.signals.side_mismatch,
                    "actor_of_other_event": r.signals.actor_of_other_event,
                })
            })
            .collect();
        let accepted = question.accepted_among(engine.knowledge(), &quotes);
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

fn ratio(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

pub fn run(
    engine: &Engine,
    file: &Path,
    floors: &Floors,
    dump_to: Option<&Path>,
    with_peer: bool,
    scores_only: bool,
) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let set = EvalSet::load(file)?;
    let mut out = cyberbridge::secrets::Redacting(std::io::stdout().lock());
    if let Some(path) = dump_to {
        dump(engine, &set, path)?;
    }
    let report = eval::run(engine, &set);
    // A blind set is scored once before anyone reads its failures: `--scores-only` prints
    // the figures and nothing that would show which questions failed.
    for failure in report.failures.iter().filter(|_| !scores_only) {
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
    if !report.by_kind.is_empty() {
        writeln!(
            out,
            "by kind (a question to decline is right when declined or not stated)"
        )?;
        for (kind, correct, total) in &report.by_kind {
            writeln!(out, "  {kind:<14} {correct:>3}/{total:<3}")?;
        }
    }
    writeln!(
        out,
        "top-1 accuracy      {:.1}%  ({}/{})",
        report.top1() * 100.0,
        report.top1_correct,
        report.answerable
    )?;
    writeln!(
        out,
        "ranked first        {:.1}%  ({}/{}; the right fact ranked first, answered or declined)",
        ratio(report.ranked_first, report.answerable) * 100.0,
        report.ranked_first,
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
    writeln!(
        out,
        "answer precision    {:.1}%  ({}/{} answers given were right)",
        report.answer_precision() * 100.0,
        report.answered_correct,
        report.answered_total
    )?;
    writeln!(
        out,
        "not stated          {} replies said what the articles do not state",
        report.not_stated
    )?;
    if report.uncited > 0 {
        writeln!(
            out,
            "uncited             {} answerable questions quote words no fact cites",
            report.uncited
        )?;
    }
    if with_peer {
        let peer = TantivyPeer::new(engine.knowledge())?;
        let (right, total) = eval::peer_top1(&peer, engine.knowledge(), &set);
        writeln!(
            out,
            "tantivy peer top-1  {:.1}%  ({right}/{total}; BM25 + fuzzy over the same facts, never declines)",
            ratio(right, total) * 100.0
        )?;
    }
    let below = report.below(floors);
    for b in &below {
        writeln!(
            out,
            "below floor: {} {:.1}% < {:.1}%",
            b.measure,
            b.value * 100.0,
            b.floor * 100.0
        )?;
    }
    let ok = below.is_empty();
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
