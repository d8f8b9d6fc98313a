//! `draft ARTICLE --source ID`: candidate `[[facts]]` tables from an article's text, one per
//! informative sentence (a sentence over the quote limit is cut at clause boundaries). Every
//! quote is a span of the article, byte for byte: its own quotation marks, dashes and line
//! breaks, not the folded forms `check` compares ([`normalize_for_quote`]). The rest — title,
//! kind, date, parties, questions — is a proposal for the editor to curate, not a finished
//! entry; a question is proposed only when the sentence clearly says what it asks
//! ([`questions`]).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::questions::{self, FUNCTION_WORDS};
use crate::knowledge::{normalize_for_quote, KnowledgeBase, MAX_QUOTE_CHARS, MONTHS};
use crate::search::normalize::Analyzer;
use crate::{Engine, Filters};

/// Sentences with fewer words than this are headings, bylines or fragments, not facts.
const MIN_WORDS: usize = 6;
/// A sentence is covered by an existing quote when at least this share of its content words
/// are words of that quote: the editor already cited it, perhaps as a shorter clause.
const COVERED_SHARE: f64 = 0.6;
/// Titles are cut at a phrase boundary to at most this many characters.
const MAX_TITLE_CHARS: usize = 90;
/// Words that open a phrase of their own, so that a title may end before them: prepositions,
/// conjunctions and relative words.
#[rustfmt::skip]
const PHRASE_OPENERS: &[&str] = &[
    "of", "in", "on", "at", "to", "for", "with", "by", "from", "into", "under", "over", "about",
    "across", "after", "against", "among", "as", "before", "between", "during", "through",
    "toward", "towards", "until", "via", "within", "without", "including", "following", "such",
    "and", "or", "but", "which", "that", "who", "where", "when", "while", "whereas", "because",
    "although",
];
/// Auxiliaries of an active verb, whose object a cut title would leave out.
#[rustfmt::skip]
const ACTIVE_AUXILIARIES: &[&str] = &[
    "has", "have", "had", "will", "would", "can", "could", "may", "might", "must", "shall",
    "should",
];
/// First words of an opening phrase a long sentence's title leaves out, up to its comma.
const INTRODUCTIONS: &[&str] = &["according", "as", "above", "in", "on", "after", "following"];
/// A boundary that leaves fewer words is not a title; then the words that fit are kept, less
/// any function words at the end.
const MIN_TITLE_WORDS: usize = 4;

/// Lines of page furniture rather than article: comment forms, sharing, copyright.
const BOILERPLATE: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "email address will not be published",
    "required fields are marked",
    "share this",
    "subscribe",
    "all rights reserved",
    "click here",
    "read more",
    "related posts",
    "sign up",
];

/// Words that make a sentence a promise or agreement about the future.
const COMMITMENT_MARKERS: &[&str] = &[
    " will ",
    " shall ",
    "agreed to",
    "agree to",
    "promise",
    "pledge",
    "commit",
    "intend",
    "plan to",
    "expected to",
    "reaffirm",
];

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Co.", "Mr.", "Ms.", "Dr.", "Inc.", "Ltd.", "St.", "No.", "vs.",
];

/// Parties always looked for, with the adjectives that name them.
const PARTIES: &[(&str, &[&str])] = &[
    ("India", &["india", "indian", "indians"]),
    ("Japan", &["japan", "japanese"]),
    ("United States", &["united states", "american"]),
    ("China", &["china", "chinese"]),
    ("Russia", &["russia", "russian"]),
    ("Ukraine", &["ukraine", "ukrainian"]),
];

/// One proposed entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub title: String,
    pub answer: String,
    pub commitment: bool,
    pub topics: Vec<String>,
    pub parties: Vec<String>,
    pub date: Option<String>,
    pub numbers: Vec<String>,
    /// Questions a person would ask that the sentence answers; empty when no template fits
    /// the sentence clearly ([`questions::propose`]).
    pub questions: Vec<String>,
    /// A slice of the article, byte for byte.
    pub quote: String,
}

/// What a draft found: the candidates, and how many sentences existing quotes already cover.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub candidates: Vec<Candidate>,
    pub covered: Vec<String>,
    pub boilerplate: usize,
}

/// Splits `text` into sentences, each a verbatim slice of it (outer whitespace trimmed).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for paragraph in split_paragraphs(text) {
        let mut start = 0;
        let bytes: Vec<(usize, char)> = paragraph.char_indices().collect();
        for (i, &(at, ch)) in bytes.iter().enumerate() {
            if !matches!(ch, '.' | '?' | '!') {
                continue;
            }
            // Closing quotes belong to the sentence.
            let mut end = at + ch.len_utf8();
            let mut j = i + 1;
            while let Some(&(pos, c)) = bytes.get(j) {
                if matches!(c, '"' | '\u{201D}' | '\'' | '\u{2019}' | ')') {
                    end = pos + c.len_utf8();
                    j += 1;
                } else {
                    break;
                }
            }
            let next_is_break = match bytes.get(j) {
                None => true,
                Some(&(_, c)) => c.is_whitespace(),
            };
            let next_word_starts_sentence = bytes[j..]
                .iter()
                .find(|(_, c)| !c.is_whitespace())
                .is_none_or(|&(_, c)| {
                    c.is_uppercase() || c.is_ascii_digit() || "\"\u{201C}'\u{2018}(".contains(c)
                });
            let piece = &paragraph[start..end];
            let abbreviation = ABBREVIATIONS.iter().any(|a| piece.ends_with(a))
                || piece
                    .split_whitespace()
                    .last()
                    .is_some_and(|w| w.len() == 2 && w.starts_with(char::is_uppercase));
            if next_is_break && next_word_starts_sentence && !abbreviation {
                let s = piece.trim();
                if !s.is_empty() {
                    out.push(s);
                }
                start = end;
            }
        }
        let rest = paragraph[start..].trim();
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

fn split_paragraphs(text: &str) -> Vec<&str> {
    // A paragraph ends at a blank line.
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    let mut previous_blank = false;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank && !previous_blank && offset > start {
            out.push(&text[start..offset]);
        }
        if blank {
            start = offset + line.len();
        }
        previous_blank = blank;
        offset += line.len();
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Whether `sentence` is page furniture or too short to be a fact.
pub fn is_boilerplate(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    if BOILERPLATE.iter().any(|b| lower.contains(b)) {
        return true;
    }
    // A byline or address block: several short lines, none a sentence.
    let lines: Vec<&str> = sentence.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() > 1
        && lines
            .iter()
            .all(|l| l.split_whitespace().count() < MIN_WORDS)
    {
        return true;
    }
    let words = sentence.split_whitespace().count();
    // A heading or byline has no sentence punctuation at its end.
    let ends_like_a_sentence = sentence
        .trim_end_matches(['"', '\u{201D}', '\'', '\u{2019}', ')'])
        .ends_with(['.', '?', '!']);
    words < MIN_WORDS || !ends_like_a_sentence
}

/// Cuts `sentence` into pieces of at most [`MAX_QUOTE_CHARS`] at clause boundaries (`;`,
/// `:`, `,` — the latest that fits), each a verbatim slice.
pub fn clauses(sentence: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = sentence.trim();
    // The byte where the character past the limit starts, if the rest is longer than the
    // limit: found in the first characters only, so a long unpunctuated run is cut in time
    // linear in its length (counting all of the rest at each cut was quadratic).
    while let Some((limit, _)) = rest.char_indices().nth(MAX_QUOTE_CHARS) {
        let head = &rest[..limit];
        let cut = [';', ':', ',']
            .iter()
            .filter_map(|p| head.rfind(*p))
            .max()
            .or_else(|| head.rfind(' '))
            .unwrap_or(limit.saturating_sub(1));
        let (piece, tail) = rest.split_at(cut + 1);
        out.push(piece.trim());
        rest = tail.trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The sentence as an answer: one line, straight quotes and dashes, no wrapping quote marks,
/// ending with a full stop.
pub fn clean_answer(sentence: &str) -> String {
    let folded = normalize_for_quote(sentence);
    let mut text = folded.trim().to_string();
    if text.starts_with('"') && text.matches('"').count() == 1 {
        text.remove(0);
    }
    let text = text.trim_end_matches([',', ';', ':']).to_string();
    if text.ends_with(['.', '?', '!', '"']) {
        text
    } else {
        format!("{text}.")
    }
}

fn is_commitment(sentence: &str) -> bool {
    let lower = format!(" {} ", sentence.to_lowercase());
    COMMITMENT_MARKERS.iter().any(|m| lower.contains(m))
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '$')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `2022-06` for "June 2022", `2017` for a lone year (the first found).
pub fn detect_date(sentence: &str) -> Option<String> {
    let w = words(sentence);
    for (i, word) in w.iter().enumerate() {
        if let Some(month) = MONTHS.iter().position(|m| m == word) {
            if let Some(year) = w.get(i + 1).filter(|y| is_year(y)) {
                return Some(format!("{year}-{:02}", month + 1));
            }
        }
    }
    w.into_iter().find(|y| is_year(y))
}

fn is_year(word: &str) -> bool {
    word.len() == 4
        && word.chars().all(|c| c.is_ascii_digit())
        && (1990..=2099).contains(&word.parse::<u32>().unwrap_or(0))
}

/// Parties named in the sentence (countries and their adjectives), in a fixed order.
pub fn detect_parties(sentence: &str) -> Vec<String> {
    let lower = format!(" {} ", words(sentence).join(" "));
    PARTIES
        .iter()
        .filter(|(_, names)| names.iter().any(|n| lower.contains(&format!(" {n} "))))
        .map(|(party, _)| party.to_string())
        .collect()
}

/// Amounts, ranks and counts: `$227 billion`, `46th`, `5G` is not one (a name, not a number).
pub fn detect_numbers(sentence: &str) -> Vec<String> {
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, raw) in tokens.iter().enumerate() {
        let t = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '$' && c != '%');
        let digits = t.trim_start_matches('$');
        let numeric = !digits.is_empty()
            && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
            && (digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '%')
                || ["st", "nd", "rd", "th"].iter().any(|s| {
                    digits
                        .strip_suffix(s)
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
                }));
        if !numeric || is_year(digits) {
            continue;
        }
        let scale = tokens
            .get(i + 1)
            .map(|n| n.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
            .filter(|n| {
                ["million", "billion", "trillion", "crore", "lakh", "percent"].contains(&n.as_str())
            });
        out.push(match scale {
            Some(s) => format!("{t} {s}"),
            None => t.to_string(),
        });
    }
    out
}

/// Ids already used, and for each base the last number given to it.
#[derive(Default)]
struct Ids {
    taken: HashSet<String>,
    /// Where to start looking for `base-n`: every smaller `n` is taken (ids are never
    /// released), so a base proposed many times (an article that repeats itself) costs one
    /// lookup per id rather than one per earlier use of the base.
    next: HashMap<String, usize>,
}

/// A kebab-case id from the first content words, unique among `ids`: the base, else `base-2`,
/// `base-3`, … (the first not taken).
fn propose_id(answer: &str, analyzer: &Analyzer, ids: &mut Ids) -> String {
    let content: Vec<String> = analyzer
        .terms(answer)
        .into_iter()
        .map(|t| t.surface)
        .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric()))
        .take(5)
        .collect();
    let base = if content.is_empty() {
        "draft".to_string()
    } else {
        content.join("-")
    };
    let mut id = base.clone();
    let mut n = ids.next.get(&base).copied().unwrap_or(2);
    while ids.taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    ids.next.insert(base, n);
    ids.taken.insert(id.clone());
    id
}

/// The answer as a title: all of it when it is short, else its longest start, within
/// [`MAX_TITLE_CHARS`], that ends at a phrase boundary — before a preposition or relative
/// word (before "and" or "or" only when nothing else is in reach), or at a comma that ends a
/// clause rather than a list item — and not inside a name ("Ministry of External Affairs"). A
/// long sentence's opening phrase is left out. A title never ends on a function word ("… of
/// the Ministry of" was a cut at a word boundary), nor on an active verb cut from its object.
fn propose_title(answer: &str) -> String {
    let text = answer
        .trim_start_matches('"')
        .trim_end_matches(['.', '!', '?', '"']);
    let mut words: Vec<&str> = text.split_whitespace().collect();
    // A long sentence's opening phrase ("According to NASSCOM, …") is not what it is about.
    let opening = words.iter().position(|w| w.ends_with(','));
    if text.chars().count() > MAX_TITLE_CHARS
        && words
            .first()
            .is_some_and(|w| INTRODUCTIONS.contains(&w.to_lowercase().as_str()))
    {
        if let Some(comma) = opening.filter(|&i| i + 1 < words.len() && i < 12) {
            words.drain(..=comma);
        }
    }
    let text = words.join(" ");
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let is_function = |w: &str| FUNCTION_WORDS.contains(&bare(w).as_str());
    let capital = |w: &str| {
        w.trim_start_matches(|c: char| !c.is_alphanumeric())
            .starts_with(char::is_uppercase)
    };
    // How many words fit.
    let mut fit = 0;
    let mut length = 0;
    for word in &words {
        let added = word.chars().count() + usize::from(fit > 0);
        if length + added > MAX_TITLE_CHARS {
            break;
        }
        length += added;
        fit += 1;
    }
    let mut end = fit;
    if fit < words.len() {
        // The last boundary that leaves a title of some words: after a word ending a clause,
        // or before a function word that opens a phrase, outside a name.
        // Before "and" or "or" only when nothing else is in reach: it often joins two words
        // of one phrase ("important | and evolving areas").
        let boundary = |coordinating: bool| {
            (MIN_TITLE_WORDS..=fit).rev().find(|&k| {
                let (last, next) = (words[k - 1], words[k]);
                // A comma in a list ("open, secure and resilient") is no boundary: the list
                // goes on within the next words. One before a participle or a relative word
                // is ("…, emphasizing safety and security").
                let clause_follows = bare(next).ends_with("ing")
                    || (PHRASE_OPENERS.contains(&bare(next).as_str())
                        && !["and", "or", "but"].contains(&bare(next).as_str()));
                let list = !clause_follows
                    && words[k..(k + 3).min(words.len())]
                        .iter()
                        .any(|w| w.ends_with(',') || ["and", "or"].contains(&bare(w).as_str()));
                let clause = last.ends_with([';', ':']) || (last.ends_with(',') && !list);
                let opener = bare(next);
                // Not before an article or a determiner: that splits a verb from its object
                // ("… led | the Indian side").
                let opens = PHRASE_OPENERS.contains(&opener.as_str())
                    && (coordinating || !["and", "or", "but"].contains(&opener.as_str()))
                    && !is_function(last);
                let in_name = capital(last)
                    && ["of", "for", "and", "on"].contains(&opener.as_str())
                    && words.get(k + 1).is_some_and(|w| capital(w));
                (clause || opens) && !in_name
            })
        };
        end = boundary(false).or_else(|| boundary(true)).unwrap_or(fit);
    }
    let mut kept: Vec<&str> = words[..end].to_vec();
    // Never end on a function word or an open bracket or quote.
    let trim = |kept: &mut Vec<&str>| {
        while let Some(last) = kept.last() {
            let unclosed = last.contains('(') && !last.contains(')');
            if is_function(last) || unclosed || bare(last).is_empty() {
                kept.pop();
            } else {
                break;
            }
        }
    };
    trim(&mut kept);
    // A cut title that ends on "has already led" or "will share" lacks what was led or
    // shared: the noun phrase before the auxiliary says more. A passive ("will be created")
    // is whole and stays.
    if end < words.len() && kept.len() >= 2 {
        let verb = kept.len() - 1;
        let mut aux = verb - 1;
        if ["already", "also", "further", "now"].contains(&bare(kept[aux]).as_str()) && aux > 0 {
            aux -= 1;
        }
        let active = ACTIVE_AUXILIARIES.contains(&bare(kept[aux]).as_str())
            && !["be", "been"].contains(&bare(kept[verb]).as_str());
        if active && aux >= MIN_TITLE_WORDS - 1 {
            kept.truncate(aux);
            trim(&mut kept);
        }
    }
    let mut title = kept.join(" ");
    if let Some(first) = title.chars().next().filter(|c| c.is_lowercase()) {
        title.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    if title.matches('"').count() % 2 == 1 {
        title = title.replace('"', "");
    }
    let title = title.trim_end_matches([',', ';', ':', '-']).trim_end();
    if title.is_empty() {
        // Nothing but function words, or one word longer than a title.
        text.chars().take(MAX_TITLE_CHARS).collect()
    } else {
        title.to_string()
    }
}

/// Whether an existing quote already covers `sentence` (see [`COVERED_SHARE`]).
fn covered_by(sentence: &str, quotes: &[(String, HashSet<String>)]) -> bool {
    let folded = normalize_for_quote(sentence).to_lowercase();
    let mine: HashSet<String> = words(&folded).into_iter().filter(|w| w.len() > 3).collect();
    quotes.iter().any(|(quote, theirs)| {
        if folded.contains(quote.as_str()) || quote.contains(&folded) {
            return true;
        }
        !mine.is_empty()
            && mine.iter().filter(|w| theirs.contains(*w)).count() as f64
                >= COVERED_SHARE * mine.len() as f64
    })
}

/// Drafts candidates from `article` for source `source`. With `kb`, sentences its quotes
/// already cover are left out, ids avoid its ids, and each candidate takes the topics of the
/// fact it is nearest to (else the first topic).
pub fn draft(article: &str, source: &str, kb: Option<&Arc<KnowledgeBase>>) -> Draft {
    let analyzer = Analyzer::default();
    let engine = kb.map(|kb| Engine::new(kb.clone()));
    let quotes: Vec<(String, HashSet<String>)> = kb
        .map(|kb| {
            kb.facts
                .iter()
                .flat_map(|f| &f.citations)
                .map(|c| {
                    let q = normalize_for_quote(&c.quote).to_lowercase();
                    let set = words(&q).into_iter().filter(|w| w.len() > 3).collect();
                    (q, set)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut ids = Ids {
        taken: kb
            .map(|kb| kb.facts.iter().map(|f| f.id.clone()).collect())
            .unwrap_or_default(),
        next: HashMap::new(),
    };
    let mut result = Draft::default();
    for sentence in sentences(article) {
        if is_boilerplate(sentence) {
            result.boilerplate += 1;
            continue;
        }
        for clause in clauses(sentence) {
            // The quote is the article's own text, byte for byte (typographic quotes and
            // dashes, line breaks): a slice of it by construction, checked anyway, for
            // nothing (searching the article for each quote was quadratic).
            if !is_slice_of(article, clause) {
                continue;
            }
            if covered_by(clause, &quotes) {
                result.covered.push(normalize_for_quote(clause));
                continue;
            }
            let answer = clean_answer(clause);
            let date = detect_date(clause);
            let numbers = detect_numbers(clause);
            let topics = match (&engine, kb) {
                (Some(engine), Some(kb)) => engine
                    .top(&answer, &Filters::default(), 1)
                    .first()
                    .and_then(|r| kb.fact(&r.fact_id))
                    .map(|f| f.topics.clone())
                    .or_else(|| kb.topics.first().map(|t| vec![t.id.clone()]))
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            result.candidates.push(Candidate {
                id: propose_id(&answer, &analyzer, &mut ids),
                title: propose_title(&answer),
                questions: questions::propose(&answer),
                commitment: is_commitment(clause),
                parties: detect_parties(clause),
                topics,
                date,
                numbers,
                answer,
                quote: clause.to_string(),
            });
        }
    }
    let _ = source;
    result
}

/// Whether `part` is a slice of `text` (the same bytes in the same place, not just equal).
fn is_slice_of(text: &str, part: &str) -> bool {
    let (start, end) = (text.as_ptr() as usize, text.as_ptr() as usize + text.len());
    let at = part.as_ptr() as usize;
    at >= start && at + part.len() <= end
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", parts.join(", "))
}

/// The candidates as `[[facts]]` tables citing `source`, ready to paste.
pub fn render(draft: &Draft, source: &str) -> String {
    let mut out = String::new();
    for c in &draft.candidates {
        out.push_str("\n[[facts]]\n");
        out.push_str(&format!("id = {}\n", toml_string(&c.id)));
        out.push_str(&format!(
            "kind = \"{}\"\n",
            if c.commitment { "commitment" } else { "fact" }
        ));
        out.push_str(&format!("title = {}\n", toml_string(&c.title)));
        out.push_str(&format!("answer = {}\n", toml_string(&c.answer)));
        if c.topics.is_empty() {
            out.push_str("topics = [] # TODO: at least one topic id\n");
        } else {
            out.push_str(&format!("topics = {}\n", toml_list(&c.topics)));
        }
        if !c.parties.is_empty() {
            out.push_str(&format!("parties = {}\n", toml_list(&c.parties)));
        }
        if let Some(date) = &c.date {
            out.push_str(&format!("date = {}\n", toml_string(date)));
        }
        if c.questions.is_empty() {
            out.push_str("questions = [] # TODO: the questions users would ask\n");
        } else {
            out.push_str(&format!("questions = {}\n", toml_list(&c.questions)));
        }
        if !c.numbers.is_empty() {
            out.push_str(&format!("keywords = {}\n", toml_list(&c.numbers)));
        }
        out.push_str("[[facts.citations]]\n");
        out.push_str(&format!("source = {}\n", toml_string(source)));
        out.push_str(&format!("quote = {}\n", toml_string(&c.quote)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_verbatim_slices_and_skip_abbreviations() {
        let text = "Kocchar & Co. is a firm. In June 2022, India and Japan met.\nIt went well!\n\nNext paragraph here.";
        let s = sentences(text);
        assert_eq!(
            s,
            [
                "Kocchar & Co. is a firm.",
                "In June 2022, India and Japan met.",
                "It went well!",
                "Next paragraph here."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let s = sentences(
            "\u{201C}We agree,\u{201D} it said. \u{201C}Both sides agreed.\u{201D} Then more.",
        );
        assert_eq!(s[1], "\u{201C}Both sides agreed.\u{201D}");
    }

    #[test]
    fn headings_bylines_and_comment_prompts_are_boilerplate() {
        assert!(is_boilerplate("Leave a Reply"));
        assert!(is_boilerplate(
            "Your email address will not be published. Required fields are marked *"
        ));
        assert!(is_boilerplate("Daksh Kumar"));
        assert!(is_boilerplate(
            "Daksh Kumar\nintellectual property practice\nKocchar & Co."
        ));
        assert!(is_boilerplate(
            "Japan and India Reaffirm Promise to Protect Cyberspace"
        ));
        assert!(!is_boilerplate(
            "India and Japan held a high-level virtual e-dialogue."
        ));
    }

    #[test]
    fn a_long_sentence_is_cut_at_clause_boundaries_within_the_limit() {
        let long = format!(
            "{}; {}, {}.",
            "a ".repeat(250).trim(),
            "b ".repeat(200).trim(),
            "c ".repeat(100).trim()
        );
        let pieces = clauses(&long);
        assert!(pieces.len() >= 2, "{pieces:?}");
        for p in &pieces {
            assert!(p.chars().count() <= MAX_QUOTE_CHARS);
            assert!(long.contains(p));
        }
        assert!(pieces[0].ends_with(';'), "{}", pieces[0]);
    }

    #[test]
    fn dates_parties_numbers_and_kind_are_detected() {
        let s =
            "In June 2022, the Indian side said IT revenue will reach $227 billion, ranked 46th.";
        assert_eq!(detect_date(s).as_deref(), Some("2022-06"));
        assert_eq!(detect_date("It happened in 2017.").as_deref(), Some("2017"));
        assert_eq!(detect_parties(s), ["India"]);
        assert_eq!(detect_numbers(s), ["$227 billion", "46th"]);
        assert!(is_commitment(s));
        assert!(!is_commitment("They met in Delhi."));
    }

    #[test]
    fn titles_end_at_a_phrase_boundary_never_on_a_function_word() {
        let long =
            "The joint secretary of the Cyberdiplomacy Division of the Ministry of External \
                    Affairs led the Indian side, which included ministries such as interior.";
        let title = propose_title(long);
        assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
        assert_eq!(title, "The joint secretary of the Cyberdiplomacy Division");
        // Short enough: the whole answer, less its full stop.
        assert_eq!(
            propose_title("India ranked 46th in the 2021 Global Innovation Index."),
            "India ranked 46th in the 2021 Global Innovation Index"
        );
        // An opening phrase is left out of a long sentence's title; a list's comma is no
        // boundary; an active verb cut from its object goes with its auxiliary.
        assert_eq!(
            propose_title(
                "According to the National Association of Software and Services Companies \
                 (NASSCOM), IT industry revenue in India is estimated at $227 billion in the \
                 current fiscal year, up from $196 billion the previous year."
            ),
            "IT industry revenue in India is estimated at $227 billion in the current fiscal year"
        );
        assert_eq!(
            propose_title(
                "India and Japan reaffirmed their promise to a free, open, stable, secure, \
                 accessible, and peaceful cyberspace, allowing financial innovation and growth."
            ),
            "India and Japan reaffirmed their promise"
        );
        assert_eq!(
            propose_title(
                "Japan's global competitiveness in submarine optical cable infrastructure has \
                 already led India to partner with Japanese companies."
            ),
            "Japan's global competitiveness in submarine optical cable infrastructure"
        );
        // No boundary in reach: the words that fit, less the function words at the end.
        let title = propose_title(&format!("{} of the rest.", "word ".repeat(17).trim()));
        assert!(title.ends_with("word"), "{title}");
    }

    #[test]
    fn any_sentence_gets_a_title_within_the_limit_and_questions_of_one_shape() {
        const WORDS: &[&str] = &[
            "India",
            "Japan",
            "the",
            "of",
            "and",
            "will",
            "was",
            "led",
            "signed",
            "in",
            "March",
            "2022",
            "delegation,",
            "(MoC)",
            "$5",
            "billion",
            "is",
            "expected",
            "to",
            "agreed",
            "under",
            "leadership",
            "ranked",
            "46th",
            "\"quoted\"",
            "it",
            "a",
            "side",
            "by",
            "take",
            "place",
            "reaffirmed",
            "included",
            "which",
            "Tokyo.",
        ];
        let mut rng = crate::synthetic::Rng::new(0x853C_49E6_748F_EA9B);
        let mut next = |below: usize| rng.below(below);
        for _ in 0..3000 {
            let count = 1 + next(40);
            let sentence: Vec<&str> = (0..count).map(|_| WORDS[next(WORDS.len())]).collect();
            let sentence = format!("{}.", sentence.join(" "));
            let title = propose_title(&sentence);
            assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
            let last = title.split_whitespace().last().map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            });
            let only_function_words = sentence.split_whitespace().all(|w| {
                FUNCTION_WORDS.contains(
                    &w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                        .as_str(),
                )
            });
            if !only_function_words {
                assert!(
                    !last.is_some_and(|l| FUNCTION_WORDS.contains(&l.as_str())),
                    "{title:?} from {sentence:?}"
                );
            }
            for q in questions::propose(&sentence) {
                assert!(q.ends_with('?') && q.matches('?').count() == 1, "{q}");
            }
        }
    }

    #[test]
    fn quotes_are_the_article_s_own_characters() {
        let article =
            "Japan\u{2019}s delegation met India\u{2013}Japan experts in\n\u{201C}Tokyo\u{201D} \
                       in June 2022.\n\nThe experts agreed to meet again in New Delhi.";
        let drafted = draft(article, "x", None);
        assert_eq!(drafted.candidates.len(), 2);
        assert_eq!(
            drafted.candidates[0].quote,
            "Japan\u{2019}s delegation met India\u{2013}Japan experts in\n\u{201C}Tokyo\u{201D} in \
             June 2022."
        );
        for c in &drafted.candidates {
            assert!(article.contains(&c.quote), "{:?}", c.quote);
        }
        // And so they are printed: the TOML reads back to the same bytes.
        let printed: toml::Value = toml::from_str(&render(&drafted, "x")).unwrap();
        assert_eq!(
            printed["facts"][0]["citations"][0]["quote"].as_str(),
            Some(drafted.candidates[0].quote.as_str())
        );
        // The answer is one line with straight marks, for the editor to reword.
        assert_eq!(
            drafted.candidates[0].answer,
            "Japan's delegation met India-Japan experts in \"Tokyo\" in June 2022."
        );
    }

    #[test]
    fn ids_are_kebab_case_and_unique() {
        let analyzer = Analyzer::default();
        let mut ids = Ids::default();
        let a = propose_id("India and Japan signed a memorandum.", &analyzer, &mut ids);
        let b = propose_id("India and Japan signed a memorandum.", &analyzer, &mut ids);
        assert_eq!(a, "india-japan-signed-memorandum");
        assert_eq!(b, "india-japan-signed-memorandum-2");
    }

    #[test]
    fn a_base_used_many_times_gets_the_first_free_number_as_before() {
        let analyzer = Analyzer::default();
        let mut ids = Ids::default();
        // Taken by the knowledge file, or by a sentence whose own words end in "3".
        ids.taken.insert("cyber-dialogue-held-3".to_string());
        let got: Vec<String> = (0..4)
            .map(|_| propose_id("Cyber dialogue held.", &analyzer, &mut ids))
            .collect();
        assert_eq!(
            got,
            [
                "cyber-dialogue-held",
                "cyber-dialogue-held-2",
                "cyber-dialogue-held-4",
                "cyber-dialogue-held-5"
            ]
        );
        assert_eq!(
            propose_id("Cyber dialogue held 3.", &analyzer, &mut ids),
            "cyber-dialogue-held-3-2"
        );
    }
}
