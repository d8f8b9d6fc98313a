//! `ask`: the engine on the command line — readable output for people, JSON for tools.

use std::io::{BufRead, IsTerminal, Read, Write};

use cyberbridge::answer::{Answer, Found, NoMatch};
use cyberbridge::search::{Engine, Filters};
use serde_json::{json, Value};

/// Output modes of `ask`.
pub struct AskOptions {
    pub json: bool,
    pub filters: Filters,
}

/// Longest line read from stdin: the engine reads at most 1,000 characters of a question, and
/// a line with no end must not take the memory with it.
const MAX_LINE_BYTES: usize = 64 * 1024;

pub fn ask(engine: &Engine, question: Option<String>, options: &AskOptions) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    match question {
        Some(question) => answer_one(engine, &question, options, colour, &mut out),
        // No question: one per line on stdin (JSON Lines with --json), answered as they come.
        None => answer_lines(
            engine,
            std::io::stdin().lock(),
            options,
            colour,
            &mut out,
            &mut std::io::stderr(),
        ),
    }
}

fn answer_one(
    engine: &Engine,
    question: &str,
    options: &AskOptions,
    colour: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let answer = engine.ask(question, &options.filters);
    if options.json {
        writeln!(out, "{}", to_json(&answer))?;
    } else {
        writeln!(out, "{}", render_text(&answer, colour))?;
    }
    out.flush()?;
    Ok(())
}

/// One answer per non-blank line. A line that cannot be a question (invalid UTF-8, longer than
/// [`MAX_LINE_BYTES`]) gets its own error — a JSON object `{"status": "error", "line": N,
/// "error": "…"}` with `--json`, a message on stderr otherwise — and the stream goes on.
fn answer_lines(
    engine: &Engine,
    mut input: impl BufRead,
    options: &AskOptions,
    colour: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    for number in 1.. {
        bytes.clear();
        let read = input
            .by_ref()
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut bytes)?;
        if read == 0 {
            break;
        }
        let problem = if bytes.len() > MAX_LINE_BYTES && !bytes.ends_with(b"\n") {
            // Skip the rest of the line.
            input.skip_until(b'\n')?;
            Some(format!("line longer than {MAX_LINE_BYTES} bytes"))
        } else {
            match std::str::from_utf8(&bytes) {
                Ok(line) => {
                    let line = line.trim_end_matches(['\n', '\r']);
                    if !line.trim().is_empty() {
                        answer_one(engine, line, options, colour, out)?;
                    }
                    None
                }
                Err(e) => Some(format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1)),
            }
        };
        if let Some(problem) = problem {
            if options.json {
                writeln!(
                    out,
                    "{}",
                    json!({"status": "error", "line": number, "error": problem})
                )?;
                out.flush()?;
            } else {
                writeln!(err, "line {number}: {problem}; skipped")?;
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn engine() -> Engine {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml");
        Engine::new(Arc::new(cyberbridge::knowledge::load(&path).unwrap()))
    }

    #[test]
    fn regression_one_bad_line_does_not_end_the_stream() {
        // Issue 13, point 7: one invalid UTF-8 line on stdin aborted `ask --json` (exit 2).
        let mut input = b"When was the MoC signed?\n\xff\xfe bad\n".to_vec();
        input.extend(vec![b'x'; MAX_LINE_BYTES + 10]);
        input.extend(b"\nWho led the Indian delegation in 2017?\n");
        let options = AskOptions {
            json: true,
            filters: Filters::default(),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        answer_lines(&engine(), &input[..], &options, false, &mut out, &mut err).unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert_eq!(lines[0]["status"], "answered");
        assert_eq!(
            lines[1],
            json!({"status": "error", "line": 2, "error": "invalid UTF-8 at byte 1"})
        );
        assert_eq!(lines[2]["line"], 3);
        assert!(lines[2]["error"].as_str().unwrap().contains("longer than"));
        assert_eq!(lines[3]["fact_id"], "sanjay-kumar-verma");
        // Text mode: the answers on stdout, the skipped lines on stderr.
        let options = AskOptions {
            json: false,
            ..options
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        answer_lines(&engine(), &input[..], &options, false, &mut out, &mut err).unwrap();
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("line 2: invalid UTF-8") && err.contains("line 3: line longer"),
            "{err}"
        );
    }
}
