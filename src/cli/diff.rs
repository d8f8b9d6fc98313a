//! `diff OLD NEW`: what a reload from OLD to NEW would change, before it happens. The facts
//! added, removed and changed come from [`cyberbridge::knowledge::diff`], the implementation
//! `/reload` reports with; the eval scores are measured on both files. Exit 1 when a reload
//! would refuse NEW: it does not load (with `--sources`, a quote not verbatim in its article),
//! it removes more than the allowed share of facts, or a score falls below its floor and below
//! OLD's ([`eval::Floors::or_running`], the rule `/reload` applies). The output says what was
//! checked, and that no eval gate ran when no question set was given.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use cyberbridge::eval::{self, EvalReport, EvalSet};
use cyberbridge::knowledge::{self, diff, KnowledgeBase, LoadOptions};
use cyberbridge::Engine;

/// What a reload checks, as the `serve` config or the flags give it.
#[derive(Debug, Clone)]
pub struct Gate {
    pub eval_sets: Vec<PathBuf>,
    pub min_top1: f64,
    pub min_declined: f64,
    pub sources_dir: Option<PathBuf>,
    pub max_removed_share: f64,
    pub decline_below: Option<f32>,
}

fn report(kb: &Arc<KnowledgeBase>, set: &EvalSet, decline_below: Option<f32>) -> EvalReport {
    let engine = Engine::new(kb.clone());
    let engine = match decline_below {
        Some(t) => engine.with_decline_threshold(t),
        None => engine,
    };
    eval::run(&engine, set)
}

pub fn run(old: &Path, new: &Path, gate: &Gate, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let old_kb = Arc::new(super::knowledge(old)?);
    if !new.exists() {
        return Err(super::missing_knowledge(new));
    }
    let options = LoadOptions {
        sources_dir: gate.sources_dir.clone(),
        ..LoadOptions::default()
    };
    let new_kb = match knowledge::load_with(new, &options) {
        Ok(kb) => Arc::new(kb),
        Err(err) => {
            writeln!(out, "refused: {} would not load", new.display())?;
            for line in err.headlines() {
                writeln!(out, "  {line}")?;
            }
            return Ok(ExitCode::from(1));
        }
    };
    let changes = diff::diff(&old_kb, &new_kb);
    writeln!(
        out,
        "{} ({} facts) -> {} ({} facts): {} added, {} removed, {} changed",
        old.display(),
        old_kb.facts.len(),
        new.display(),
        new_kb.facts.len(),
        changes.added.len(),
        changes.removed.len(),
        changes.changed.len()
    )?;
    for line in changes.lines() {
        writeln!(out, "{line}")?;
    }
    let mut refused = Vec::new();
    let before = old_kb.facts.len();
    // Say what was checked, so that "would accept" is never read as more than it is.
    writeln!(
        out,
        "checked: {} loads and passes every rule of `check`; {}; it removes {} of {before} \
         facts (a reload allows {:.0}% without force:true)",
        new.display(),
        match &gate.sources_dir {
            Some(dir) => format!(
                "its quotes are verbatim in their articles in {}",
                dir.display()
            ),
            None => "its quotes were not checked against the article texts (no --sources, \
                     and no [knowledge] sources in a --config)"
                .to_string(),
        },
        changes.removed.len(),
        gate.max_removed_share * 100.0
    )?;
    if changes.removes_too_many(before, gate.max_removed_share) {
        refused.push(format!(
            "removes {} of {before} facts (more than {:.0}%): /reload needs force:true",
            changes.removed.len(),
            gate.max_removed_share * 100.0
        ));
    }
    let floors = eval::Floors {
        min_top1: Some(gate.min_top1),
        min_declined: Some(gate.min_declined),
    };
    for path in &gate.eval_sets {
        let set = EvalSet::load(path).map_err(|e| anyhow::anyhow!("{e}"))?;
        let old_report = report(&old_kb, &set, gate.decline_below);
        let new_report = report(&new_kb, &set, gate.decline_below);
        let (t0, d0) = (old_report.top1(), old_report.decline_recall());
        let (t1, d1) = (new_report.top1(), new_report.decline_recall());
        writeln!(
            out,
            "eval {} ({} questions): top-1 {:.1}% -> {:.1}% (floor {:.1}%), declined {:.1}% -> {:.1}% (floor {:.1}%)",
            path.display(),
            set.questions.len(),
            t0 * 100.0,
            t1 * 100.0,
            gate.min_top1 * 100.0,
            d0 * 100.0,
            d1 * 100.0,
            gate.min_declined * 100.0
        )?;
        // The reload's rule: below a floor and below the running version is a regression;
        // below a floor the running version misses too is not.
        let running = |measure: &str| if measure == "top-1" { t0 } else { d0 };
        let floor = |measure: &str| {
            if measure == "top-1" {
                gate.min_top1
            } else {
                gate.min_declined
            }
        };
        let regressions = new_report.below(&floors.or_running(&old_report));
        for below in &regressions {
            refused.push(format!(
                "{} on {} falls to {:.1}%, below the floor ({:.1}%) and below {} ({:.1}%)",
                below.measure,
                path.display(),
                below.value * 100.0,
                floor(below.measure) * 100.0,
                old.display(),
                running(below.measure) * 100.0
            ));
        }
        for below in new_report
            .below(&floors)
            .iter()
            .filter(|b| !regressions.iter().any(|r| r.measure == b.measure))
        {
            writeln!(
                out,
                "note: {} on {} is below the floor ({:.1}% < {:.1}%) but not below {} ({:.1}%): \
                 a reload does not refuse scores the running version has too",
                below.measure,
                path.display(),
                below.value * 100.0,
                below.floor * 100.0,
                old.display(),
                running(below.measure) * 100.0
            )?;
        }
    }
    if gate.eval_sets.is_empty() {
        writeln!(
            out,
            "no eval gate ran: no question set was given (--eval FILE, or --config with \
             [knowledge] eval_path), so the scores were not compared"
        )?;
    }
    if refused.is_empty() {
        if gate.eval_sets.is_empty() {
            writeln!(
                out,
                "a reload with no eval gate would accept {}",
                new.display()
            )?;
        } else {
            writeln!(out, "a reload would accept {}", new.display())?;
        }
        Ok(ExitCode::SUCCESS)
    } else {
        for reason in refused {
            writeln!(out, "refused: {reason}")?;
        }
        Ok(ExitCode::from(1))
    }
}
