//! `misses`: the declined-questions log grouped, with the fact to extend (see
//! [`cyberbridge::editing::misses`]), and 👎 per fact from the feedback log.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use cyberbridge::editing::misses::{self, Misses};
use cyberbridge::files::{self, FileKind};
use cyberbridge::Engine;

/// The log's text; `None` when it does not exist and was not asked for by name (the default
/// path before the bot has written anything).
fn read_optional(path: &Path, required: bool) -> anyhow::Result<Option<String>> {
    match files::read(FileKind::Log, path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.error.is_not_found() && !required => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// "no declined-questions log at PATH …": an absent log is not an empty one, and saying "No
/// declined questions" of a file never written (a wrong folder, logging off) misleads.
fn absent(what: &str, path: &Path, key: &str, flag: &str) -> String {
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!(
        "no {what} log at {}: the bot writes it there ([logs] {key}) once it has something to \
         log; pass {flag} FILE to read another",
        shown.display()
    )
}

/// `log_given`/`feedback_given`: whether the path came from the command line (then it must
/// exist) or is the default (then an absent file is said to be absent, and is no entries).
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
    let found = misses::misses(
        engine,
        declined.as_deref().unwrap_or_default(),
        votes.as_deref().unwrap_or_default(),
    );
    let mut notes = Vec::new();
    if declined.is_none() {
        notes.push(absent("declined-questions", log, "declined", "--log"));
    }
    if votes.is_none() {
        notes.push(absent("feedback", feedback, "feedback", "--feedback"));
    }
    let mut out = cyberbridge::secrets::Redacting(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
        // The JSON document keeps its shape; the notes go to stderr.
        for note in &notes {
            super::to_stderr(format_args!("note: {note}"));
        }
    } else {
        for note in &notes {
            writeln!(out, "{note}")?;
        }
        // "No declined questions" only of a log that exists.
        if declined.is_some() {
            render(&found, &mut out)?;
        } else {
            render_feedback_and_skipped(&found, &mut out)?;
        }
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
    render_feedback_and_skipped(found, out)
}

/// The feedback summary and the count of skipped lines, the end of [`render`].
fn render_feedback_and_skipped(found: &Misses, out: &mut impl Write) -> std::io::Result<()> {
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
