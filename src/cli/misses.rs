//! `misses`: the declined-questions log grouped, with the fact to extend (see
//! [`cyberbridge::editing::misses`]), and 👎 per fact from the feedback log.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use cyberbridge::editing::misses::{self, Misses};
use cyberbridge::files::{self, FileKind};
use cyberbridge::Engine;

fn read_optional(path: &Path, required: bool) -> anyhow::Result<String> {
    match files::read(FileKind::Log, path) {
        Ok(text) => Ok(text),
        Err(e) if e.error.is_not_found() && !required => Ok(String::new()),
        Err(e) => Err(e.into()),
    }
}

/// `log_given`/`feedback_given`: whether the path came from the command line (then it must
/// exist) or is the default (then an absent file means no entries yet).
pub fn run(
    engine: &Engine,
    log: &Path,
    log_given: bool,
    feedback: &Path,
    feedback_given: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let declined = read_optional(log, log_given)?;
    let votes = read_optional(feedback, feedback_given)?;
    let found = misses::misses(engine, &declined, &votes);
    let mut out = cyberbridge::secrets::Redacting(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
    } else {
        render(&found, &mut out)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn render(found: &Misses, out: &mut impl Write) -> std::io::Result<()> {
    if found.groups.is_empty() {
        writeln!(out, "No declined questions.")?;
    }
    for (n, g) in found.groups.iter().enumerate() {
        writeln!(
            out,
            "{}. asked {} time(s) by {} user(s):",
            n + 1,
            g.asked,
            g.users
        )?;
        for q in &g.questions {
            writeln!(out, "   - {q}")?;
        }
        let near: Vec<String> = g
            .nearest
            .iter()
            .map(|n| format!("{} ({:.0}%)", n.fact, n.confidence * 100.0))
            .collect();
        writeln!(
            out,
            "   nearest: {}",
            if near.is_empty() {
                "—".into()
            } else {
                near.join(", ")
            }
        )?;
        match (&g.proposed, &g.questions_line) {
            (Some(fact), Some(line)) => {
                writeln!(out, "   add to fact \"{fact}\":")?;
                writeln!(out, "   {line}")?;
            }
            _ => writeln!(out, "   no fact covers this — consider a new entry")?,
        }
    }
    if !found.feedback.is_empty() {
        writeln!(out, "\nFeedback per fact (👎 / 👍):")?;
        for v in &found.feedback {
            writeln!(out, "   {}: {} 👎, {} 👍", v.fact, v.down, v.up)?;
        }
    }
    if found.skipped_lines > 0 {
        writeln!(
            out,
            "\n{} log lines were not entries and were skipped.",
            found.skipped_lines
        )?;
    }
    Ok(())
}
