//! `ask`: the engine on the command line — readable output for people, JSON for tools.

use std::collections::HashSet;
use std::io::{BufRead, IsTerminal, Read, Write};

use cyberbridge::answer::{Answer, CitedQuote, DeclineReason, Found, NoMatch};
use cyberbridge::bot::i18n::{self, Lang};
use cyberbridge::knowledge::{Fact, KnowledgeBase};
use cyberbridge::search::followup::{Context, FollowUp};
use cyberbridge::search::normalize::{is_stop_word, tokenize};
use cyberbridge::search::{Engine, Filters, MAX_QUESTION_CHARS, MAX_QUESTION_TERMS};
use serde_json::{json, Value};

/// Output modes of `ask`.
pub struct AskOptions {
    pub json: bool,
    pub filters: Filters,
    /// `--session`: questions on stdin are one conversation; a follow-up fragment ("and
    /// India's?") is read in the context of the last answer (see `search::followup`).
    pub session: bool,
}

/// Longest line read from stdin: the engine reads at most 1,000 characters of a question, and
/// a line with no end must not take the memory with it.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// The prompt shown when questions are typed at a terminal (on stderr, so stdout stays the
/// answers alone).
pub const PROMPT: &str = "question> ";

pub fn ask(engine: &Engine, question: Option<String>, options: &AskOptions) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    // The conversation so far (`--session` only): the context of the last answer.
    let mut context: Option<Context> = None;
    let mut answer_one = |question: &str, echo: bool, out: &mut dyn Write| -> anyhow::Result<()> {
        if let Some(notice) = cut_notice(question) {
            super::to_stderr(format_args!("warning: {notice}"));
        }
        let follow_up = context
            .as_ref()
            .filter(|_| options.session)
            .and_then(|c| engine.follow_up(c, question));
        let asked = follow_up.as_ref().map_or(question, |f| f.read_as.as_str());
        // A question in Japanese or Hindi script cannot match English quotes: say so, as the
        // bot does, instead of a 0 % decline.
        if let Some(lang) = script_language(asked) {
            let message = other_script_message(lang);
            if options.json {
                let mut value = other_script_json(lang, &message, engine);
                value["question"] = json!(question);
                if options.session {
                    value["read_as"] = json!(follow_up.as_ref().map(|f| &f.read_as));
                    value["carried"] = json!(Vec::<String>::new());
                }
                writeln!(out, "{value}")?;
            } else {
                if echo {
                    writeln!(out, "> {question}")?;
                }
                writeln!(out, "{message}")?;
                if echo {
                    writeln!(out)?;
                }
            }
            out.flush()?;
            return Ok(());
        }
        let answer = engine.ask(asked, &options.filters);
        if options.session {
            if let Answer::Found(found) = &answer {
                context = Some(engine.context_after(asked, &found.fact.id, follow_up.as_ref()));
            }
        }
        if options.json {
            let mut value = to_json(&answer);
            value["question"] = json!(question);
            if options.session {
                value["read_as"] = json!(follow_up.as_ref().map(|f| &f.read_as));
                value["carried"] = json!(follow_up
                    .as_ref()
                    .map(|f| f
                        .carried
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>())
                    .unwrap_or_default());
            }
            writeln!(out, "{value}")?;
        } else {
            if echo {
                writeln!(out, "> {question}")?;
            }
            if let Some(follow_up) = &follow_up {
                writeln!(out, "{}", read_as_line(follow_up))?;
            }
            writeln!(out, "{}", render_text(&answer, colour))?;
            if echo {
                // A blank line between one question's answer and the next question.
                writeln!(out)?;
            }
        }
        out.flush()?;
        Ok(())
    };
    match question {
        Some(question) => answer_one(&question, false, &mut out),
        // No question: one per line on stdin (JSON Lines with --json), answered as they come.
        None => {
            let stdin = std::io::stdin();
            let interactive = stdin.is_terminal();
            // At a terminal the question is on screen already; elsewhere the echo pairs each
            // answer with its question.
            let echo = !interactive;
            let prompt = || {
                if interactive {
                    eprint!("{PROMPT}");
                    let _ = std::io::stderr().flush();
                }
            };
            prompt();
            let mut input = stdin.lock();
            let mut buffer = Vec::new();
            for number in 1.. {
                let line = match read_line(&mut input, &mut buffer)? {
                    None => break,
                    Some(Ok(line)) => line,
                    // A line that cannot be a question gets its own error; the stream goes on.
                    Some(Err(problem)) => {
                        if options.json {
                            // Like every object, it names its question: what of the line
                            // decodes, invalid bytes as U+FFFD, cut to a readable length.
                            let question: String = String::from_utf8_lossy(&buffer)
                                .trim_end_matches(['\n', '\r'])
                                .chars()
                                .take(ERROR_QUESTION_CHARS)
                                .collect();
                            writeln!(
                                out,
                                "{}",
                                json!({"status": "error", "line": number, "error": problem,
                                       "question": question})
                            )?;
                            out.flush()?;
                        } else {
                            super::to_stderr(format_args!("line {number}: {problem}; skipped"));
                        }
                        prompt();
                        continue;
                    }
                };
                if line.trim().is_empty() {
                    if options.json {
                        // Line N out always belongs to line N in.
                        writeln!(out, "{}", json!({"status": "empty", "question": line}))?;
                        out.flush()?;
                    }
                } else {
                    answer_one(&line, echo, &mut out)?;
                }
                prompt();
            }
            Ok(())
        }
    }
}

/// The language of a question written mostly in Japanese or Hindi script (the bot's rule,
/// [`cyberbridge::bot::i18n::script_language`]).
pub fn script_language(question: &str) -> Option<Lang> {
    i18n::script_language(question)
}

/// The bot's reply to a question in another script, in that language, pointing to the
/// `topics` command instead of `/topics`.
pub fn other_script_message(lang: Lang) -> String {
    i18n::fill(
        lang,
        "ask.other_script",
        &[("topics", &"`cyberbridge topics`")],
    )
}

/// A decline for a question in another script, in the shape of every `no_match` object, with
/// `reason` `"not_english"`, the question's `language` and the `message` shown as text.
fn other_script_json(lang: Lang, message: &str, engine: &Engine) -> Value {
    json!({
        "status": "no_match",
        "confidence": 0.0,
        "reason": "not_english",
        "language": lang.code(),
        "message": message,
        "suggestions": [],
        "fingerprint": engine.knowledge().fingerprint,
        "explanation": {
            "matched_terms": [],
            "unmatched_terms": [],
            "corrections": [],
            "synonyms": [],
            "signals": {},
        },
    })
}

/// "(read as: …; carried over: …)", the line before an answer to a follow-up.
pub fn read_as_line(follow_up: &FollowUp) -> String {
    let carried: Vec<String> = follow_up.carried.iter().map(ToString::to_string).collect();
    format!(
        "(read as: {}; carried over: {})",
        follow_up.read_as,
        carried.join(", ")
    )
}

/// The next line of `input` without its line ending: `None` at the end, `Some(Err(why))` for
/// a line that is not valid UTF-8 or is longer than [`MAX_LINE_BYTES`] (the rest of it is
/// skipped). Never holds more than `MAX_LINE_BYTES` + 1 bytes.
/// How much of an unreadable line its error object repeats.
const ERROR_QUESTION_CHARS: usize = 200;

fn read_line(
    input: &mut impl BufRead,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Result<String, String>>> {
    buffer.clear();
    let read = input
        .by_ref()
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', buffer)?;
    if read == 0 {
        return Ok(None);
    }
    if buffer.len() > MAX_LINE_BYTES && !buffer.ends_with(b"\n") {
        input.skip_until(b'\n')?;
        return Ok(Some(Err(format!(
            "line longer than {MAX_LINE_BYTES} bytes"
        ))));
    }
    Ok(Some(match std::str::from_utf8(buffer) {
        Ok(line) => Ok(line.trim_end_matches(['\n', '\r']).to_string()),
        Err(e) => Err(format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1)),
    }))
}

/// What of `question` the engine does not read, if anything: it reads the first
/// [`MAX_QUESTION_CHARS`] characters and [`MAX_QUESTION_TERMS`] distinct words, those of the
/// clause that asks first.
pub fn cut_notice(question: &str) -> Option<String> {
    let chars = question.chars().count();
    if chars > MAX_QUESTION_CHARS {
        return Some(format!(
            "the question has {chars} characters; only the first {MAX_QUESTION_CHARS} characters were read"
        ));
    }
    let words: HashSet<String> = tokenize(question)
        .into_iter()
        .filter(|t| t.acronym || !is_stop_word(&t.text))
        .map(|t| t.text)
        .collect();
    (words.len() > MAX_QUESTION_TERMS).then(|| {
        format!(
            "the question has {} distinct words; only {MAX_QUESTION_TERMS} were read, those of the clause that asks first",
            words.len()
        )
    })
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
            "citations": citations_json(&found.citations),
            "related": found.related,
            "expansion": found.expansion,
            "fingerprint": found.fingerprint,
            "explanation": why,
        }),
        Answer::NoMatch(no) if no.not_stated.is_some() => {
            let not = no.not_stated.as_ref().expect("checked");
            json!({
                "status": "not_stated",
                "missing": not.missing,
                "confidence": round(no.confidence),
                "closest": {
                    "fact_id": not.fact.id,
                    "title": not.fact.title,
                    "answer": not.fact.answer,
                    "citations": citations_json(&not.citations),
                },
                "fingerprint": no.fingerprint,
                "explanation": why,
            })
        }
        Answer::NoMatch(no) => json!({
            "status": "no_match",
            "confidence": round(no.confidence),
            "reason": no.reason,
            "suggestions": no.suggestions,
            "fingerprint": no.fingerprint,
            "explanation": why,
        }),
    }
}

fn citations_json(citations: &[CitedQuote]) -> Vec<serde_json::Value> {
    citations
        .iter()
        .map(|c| {
            json!({
                "source": c.source_id,
                "title": c.source_title,
                "url": c.url,
                "quote": c.quote,
            })
        })
        .collect()
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

/// One fact or commitment as [`render_text`] shows an answer — headline, answer, every quote
/// with its source — then its topics and parties (as `/fact` shows them) and a footer of id,
/// kind, date and fingerprint: an answer without a question, so without a confidence.
pub fn render_fact(kb: &KnowledgeBase, fact: &Fact, colour: bool) -> String {
    let s = if colour { &COLOUR } else { &PLAIN };
    let mut out = format!("{}{}{}\n{}\n", s.bold, fact.title, s.reset, fact.answer);
    for citation in &fact.citations {
        let source = kb.source(&citation.source);
        out.push_str(&citation_lines(
            &citation.quote,
            source.map_or(citation.source.as_str(), |s| s.title.as_str()),
            source.and_then(|s| s.url.as_deref()),
        ));
    }
    let topics: Vec<&str> = fact
        .topics
        .iter()
        .map(|t| kb.topic(t).map_or(t.as_str(), |t| t.name.as_str()))
        .collect();
    out.push_str(&format!("\nTopics: {}", topics.join(", ")));
    if !fact.parties.is_empty() {
        out.push_str(&format!(" · Parties: {}", fact.parties.join(", ")));
    }
    let mut footer = vec![fact.id.clone(), fact.kind.to_string()];
    footer.extend(fact.date.map(|d| d.to_string()));
    footer.push(format!("knowledge {}", kb.fingerprint));
    out.push_str(&format!("\n\n{}{}{}", s.dim, footer.join(" · "), s.reset));
    out
}

/// A cited quote and its source: `\n  “quote”\n  — title <url>\n`.
fn citation_lines(quote: &str, source_title: &str, url: Option<&str>) -> String {
    let mut out = format!("\n  “{quote}”\n  — {source_title}");
    if let Some(url) = url {
        out.push_str(&format!(" <{url}>"));
    }
    out.push('\n');
    out
}

pub fn render_text(answer: &Answer, colour: bool) -> String {
    let s = if colour { &COLOUR } else { &PLAIN };
    match answer {
        Answer::Found(found) => render_found(found, s, colour),
        Answer::NoMatch(no) => render_no_match(no, s),
    }
}

fn render_found(found: &Found, s: &Style, colour: bool) -> String {
    let mut out = String::new();
    if let Some(e) = &found.expansion {
        out.push_str(&format!(
            "{}{}{} stands for {}{}{}.\n\n",
            s.bold, e.acronym, s.reset, s.bold, e.expansion, s.reset
        ));
    }
    out.push_str(&format!(
        "{}{}{}\n{}\n",
        s.bold, found.fact.title, s.reset, found.fact.answer
    ));
    for citation in &found.citations {
        // Without colour the matched words are marked with [brackets] so they still show.
        let quote = if colour {
            citation.snippet.render(s.mark, s.reset, str::to_string)
        } else {
            citation.snippet.render("[", "]", str::to_string)
        };
        out.push_str(&citation_lines(
            &quote,
            &citation.source_title,
            citation.url.as_deref(),
        ));
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
    if let Some(not) = &no.not_stated {
        let mut out = format!(
            "Not stated in the articles: they don't say {}. What they do say (not an answer to the question):\n\n{}{}{}\n{}\n",
            not.missing.phrase(),
            s.bold,
            not.fact.title,
            s.reset,
            not.fact.answer
        );
        for citation in &not.citations {
            out.push_str(&citation_lines(
                &citation.quote,
                &citation.source_title,
                citation.url.as_deref(),
            ));
        }
        out.push_str(&format!(
            "\n{}{} · not stated · confidence {:.0}% · knowledge {}{}",
            s.dim,
            not.fact.id,
            no.confidence * 100.0,
            no.fingerprint,
            s.reset
        ));
        return out;
    }
    let mut out = if no.reason == DeclineReason::Tied {
        "That could be several facts: the question shares one word with each. Which one?"
            .to_string()
    } else if no.reason == DeclineReason::OneWord {
        "One word is not enough to go on there: ask a whole question.".to_string()
    } else {
        format!(
            "I don't know that one: the knowledge base has nothing close enough (confidence {:.0}%).",
            no.confidence * 100.0
        )
    };
    out.push('\n');
    if !no.suggestions.is_empty() {
        out.push_str("Did you mean:\n");
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
    use std::path::Path;
    use std::sync::Arc;

    fn engine() -> Engine {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml");
        Engine::new(Arc::new(cyberbridge::knowledge::load(&path).unwrap()))
    }

    /// A decline with no suggestions used to run into the fingerprint line:
    /// `…(confidence 0%).knowledge 985979015e3d`.
    #[test]
    fn regression_a_decline_without_suggestions_breaks_the_line_before_the_fingerprint() {
        let answer = engine().ask("zzzz qqqq", &Filters::default());
        let Answer::NoMatch(no) = &answer else {
            panic!("expected a decline")
        };
        assert!(no.suggestions.is_empty(), "{:?}", no.suggestions);
        let text = render_text(&answer, false);
        assert!(text.contains(").\nknowledge "), "{text:?}");
    }

    /// The engine reads a bounded part of a question; the output says when it cut.
    #[test]
    fn regression_a_cut_question_is_noticed() {
        assert_eq!(cut_notice("who led japan's delegation?"), None);
        let long = "a".repeat(MAX_QUESTION_CHARS + 1);
        assert!(cut_notice(&long).unwrap().contains("first 1000 characters"));
        let many: Vec<String> = (0..20).map(|i| format!("word{i}x")).collect();
        assert!(cut_notice(&many.join(" "))
            .unwrap()
            .contains("only 16 were read"));
    }

    #[test]
    fn lines_are_read_whole_bad_ones_as_errors_and_the_stream_goes_on() {
        let mut input = b"first\r\n\xff\xfe bad\n".to_vec();
        input.extend(vec![b'x'; MAX_LINE_BYTES + 10]);
        input.extend(b"\nlast");
        let mut input = &input[..];
        let mut buffer = Vec::new();
        let mut lines = Vec::new();
        while let Some(line) = read_line(&mut input, &mut buffer).unwrap() {
            lines.push(line);
        }
        assert_eq!(
            lines,
            [
                Ok("first".to_string()),
                Err("invalid UTF-8 at byte 1".to_string()),
                Err(format!("line longer than {MAX_LINE_BYTES} bytes")),
                Ok("last".to_string()),
            ]
        );
    }
}
