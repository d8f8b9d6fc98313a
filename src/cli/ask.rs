//! `ask`: the engine on the command line — readable output for people, JSON for tools.

use std::io::{BufRead, IsTerminal, Write};

use cyberbridge::answer::{Answer, Found, NoMatch};
use cyberbridge::search::{Engine, Filters};
use serde_json::{json, Value};

/// Output modes of `ask`.
pub struct AskOptions {
    pub json: bool,
    pub filters: Filters,
}

pub fn ask(engine: &Engine, question: Option<String>, options: &AskOptions) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    let answer_one = |question: &str, out: &mut dyn Write| -> anyhow::Result<()> {
        let answer = engine.ask(question, &options.filters);
        if options.json {
            writeln!(out, "{}", to_json(&answer))?;
        } else {
            writeln!(out, "{}", render_text(&answer, colour))?;
        }
        out.flush()?;
        Ok(())
    };
    match question {
        Some(question) => answer_one(&question, &mut out),
        // No question: one per line on stdin (JSON Lines with --json), answered as they come.
        None => {
            for line in std::io::stdin().lock().lines() {
                let line = line?;
                if !line.trim().is_empty() {
                    answer_one(&line, &mut out)?;
                }
            }
            Ok(())
        }
    }
}

/// The JSON contract other tooling relies on (see the README); extra fields may be added.
pub fn to_json(answer: &Answer) -> Value {
    let explanation = answer.explanation();
    let why = json!({
        "matched_terms": explanation.matched_terms,
        "unmatched_terms": explanation.unmatched_terms,
        "corrections": explanation.corrections.iter().map(|(from, to)| json!({"from": from, "to": to})).collect::<Vec<_>>(),
        "synonyms": explanation.synonyms,
        "signals": explanation.signals.iter().map(|(name, value)| (name.clone(), json!(round(*value)))).collect::<serde_json::Map<_, _>>(),
    });
    match answer {
        Answer::Found(found) => json!({
            "status": "answered",
            "fact_id": found.fact.id,
            "kind": found.fact.kind,
            "title": found.fact.title,
            "answer": found.fact.answer,
            "date": found.fact.date,
            "confidence": round(found.confidence),
            "ambiguous_with": found.ambiguous_with,
            "citations": found.citations.iter().map(|c| json!({
                "source": c.source_id,
                "title": c.source_title,
                "url": c.url,
                "quote": c.quote,
            })).collect::<Vec<_>>(),
            "related": found.related,
            "fingerprint": found.fingerprint,
            "explanation": why,
        }),
        Answer::NoMatch(no) => json!({
            "status": "no_match",
            "confidence": round(no.confidence),
            "suggestions": no.suggestions,
            "fingerprint": no.fingerprint,
            "explanation": why,
        }),
    }
}

fn round(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}

struct Style {
    bold: &'static str,
    mark: &'static str,
    dim: &'static str,
    reset: &'static str,
}

const COLOUR: Style = Style {
    bold: "\x1b[1m",
    mark: "\x1b[1;33m",
    dim: "\x1b[2m",
    reset: "\x1b[0m",
};
const PLAIN: Style = Style {
    bold: "",
    mark: "",
    dim: "",
    reset: "",
};

pub fn render_text(answer: &Answer, colour: bool) -> String {
    let s = if colour { &COLOUR } else { &PLAIN };
    match answer {
        Answer::Found(found) => render_found(found, s, colour),
        Answer::NoMatch(no) => render_no_match(no, s),
    }
}

fn render_found(found: &Found, s: &Style, colour: bool) -> String {
    let mut out = format!(
        "{}{}{}\n{}\n",
        s.bold, found.fact.title, s.reset, found.fact.answer
    );
    for citation in &found.citations {
        // Without colour the matched words are marked with [brackets] so they still show.
        let quote = if colour {
            citation.snippet.render(s.mark, s.reset, str::to_string)
        } else {
            citation.snippet.render("[", "]", str::to_string)
        };
        out.push_str(&format!("\n  “{quote}”\n  — {}", citation.source_title));
        if let Some(url) = &citation.url {
            out.push_str(&format!(" <{url}>"));
        }
        out.push('\n');
    }
    if let Some(other) = &found.ambiguous_with {
        out.push_str(&format!(
            "\nOr did you mean: {} ({})\n",
            other.title, other.id
        ));
    }
    if !found.related.is_empty() {
        out.push_str("\nRelated:\n");
        for related in &found.related {
            out.push_str(&format!("  - {} ({})\n", related.title, related.id));
        }
    }
    out.push_str(&format!(
        "\n{}{} · {} · confidence {:.0}% · knowledge {}{}",
        s.dim,
        found.fact.id,
        found.fact.kind,
        found.confidence * 100.0,
        found.fingerprint,
        s.reset
    ));
    out
}

fn render_no_match(no: &NoMatch, s: &Style) -> String {
    let mut out = format!(
        "I don't know that one: the knowledge base has nothing close enough (confidence {:.0}%).",
        no.confidence * 100.0
    );
    if !no.suggestions.is_empty() {
        out.push_str("\nDid you mean:\n");
        for suggestion in &no.suggestions {
            out.push_str(&format!("  - {} ({})\n", suggestion.title, suggestion.id));
        }
    }
    out.push_str(&format!("{}knowledge {}{}", s.dim, no.fingerprint, s.reset));
    out
}
