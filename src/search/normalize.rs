//! The text pipeline, as a chain of small named steps:
//! `fold_char` (NFKD, diacritics and invisible marks removed, typographic punctuation unified)
//! → `tokenize` (words, numbers and compounds such as `5g`, `46th`, `$227`, `cert-in`, `r&d`)
//! → lowercase → stop words → English stemming ([`Analyzer`]).
//!
//! Tokens keep the byte range they came from in the original text, so snippets can mark the
//! matched words without re-finding them.

use std::ops::Range;

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One token of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded and lowercased.
    pub text: String,
    /// Bytes of the original text it came from.
    pub range: Range<usize>,
    /// Written in capitals (`IT`, `US`): never a stop word, since acronyms collide with them.
    pub acronym: bool,
    /// Starts with a capital letter mid-sentence: probably a name, which weighs more.
    pub capitalised: bool,
    /// A whole compound (`cert-in`, `$227`) emitted besides its parts.
    pub compound: bool,
}

/// Folds one character to zero or more characters: compatibility forms and accents removed,
/// typographic quotes and dashes made ASCII, invisible formatting marks (zero-width,
/// bidirectional) dropped, control characters turned into spaces.
pub fn fold_char(ch: char, out: &mut String) {
    match ch {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => out.push('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}' => {}
        c if c.is_control() => out.push(' '),
        c if c.is_ascii() => out.push(c),
        c => out.extend(std::iter::once(c).nfkd().filter(|c| !is_combining_mark(*c))),
    }
}

/// The lowercase text of folded characters.
fn lowercase_chars(chars: &[(char, Range<usize>)]) -> String {
    let mut text = String::with_capacity(chars.len());
    for &(c, _) in chars {
        if c.is_ascii() {
            text.push(c.to_ascii_lowercase());
        } else {
            text.extend(c.to_lowercase());
        }
    }
    text
}

/// Two or more letters, all capitals (`IT`, `US`, `NASSCOM`).
fn is_acronym(chars: &[(char, Range<usize>)]) -> bool {
    let mut letters = 0;
    for &(c, _) in chars {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

/// Characters that join two alphanumerics into one token (`cert-in`, `r&d`, `2.5`, `$227`).
fn is_joiner(ch: char) -> bool {
    matches!(ch, '-' | '&' | '.' | '$' | '_' | '/')
}

/// Splits `text` into tokens. Compounds are emitted whole and as their parts, so `cert-in`
/// matches a question saying `cert-in`, `certin`-less `cert in`, or just `cert`.
pub fn tokenize(text: &str) -> Vec<Token> {
    // Fold char by char, remembering for each folded char the original byte range.
    let mut chars: Vec<(char, Range<usize>)> = Vec::with_capacity(text.len());
    let mut buf = String::new();
    for (at, ch) in text.char_indices() {
        if ch.is_ascii() {
            // The common case, without the per-character buffer (same result as fold_char).
            let folded = if ch.is_ascii_control() {
                ' '
            } else if ch == '`' {
                '\''
            } else {
                ch
            };
            chars.push((folded, at..at + 1));
            continue;
        }
        buf.clear();
        fold_char(ch, &mut buf);
        for folded in buf.chars() {
            chars.push((folded, at..at + ch.len_utf8()));
        }
    }
    let mostly_upper = {
        let letters = chars.iter().filter(|(c, _)| c.is_alphabetic()).count();
        let upper = chars.iter().filter(|(c, _)| c.is_uppercase()).count();
        letters > 0 && upper * 2 > letters
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut sentence_start = true;
    while i < chars.len() {
        let (ch, _) = chars[i];
        let starts_money = ch == '$' && chars.get(i + 1).is_some_and(|(c, _)| c.is_ascii_digit());
        if !(ch.is_alphanumeric() || starts_money) {
            if matches!(ch, '.' | '!' | '?' | '\n' | ':') {
                sentence_start = true;
            }
            i += 1;
            continue;
        }
        // Extend over alphanumerics and joiners that sit between alphanumerics.
        let start = i;
        let mut end = i + 1;
        while end < chars.len() {
            let c = chars[end].0;
            let joined =
                is_joiner(c) && chars.get(end + 1).is_some_and(|(n, _)| n.is_alphanumeric());
            if c.is_alphanumeric() || joined {
                end += 1;
            } else {
                break;
            }
        }
        let span = &chars[start..end];
        let capitalised = !mostly_upper && !sentence_start && span[0].0.is_uppercase();
        let token = |part: &[(char, Range<usize>)], compound: bool| Token {
            text: lowercase_chars(part),
            range: part[0].1.start..part[part.len() - 1].1.end,
            acronym: !mostly_upper && is_acronym(part),
            capitalised,
            compound,
        };
        if span.iter().any(|(c, _)| is_joiner(*c)) {
            tokens.push(token(span, true));
            for part in span.split(|(c, _)| is_joiner(*c)).filter(|p| !p.is_empty()) {
                tokens.push(token(part, false));
            }
        } else {
            tokens.push(token(span, false));
        }
        sentence_start = false;
        i = end;
    }
    tokens
}

/// Words that carry no topic: function words, question words and chat filler ("hey", "pls",
/// "lol"), so that casual phrasing does not dilute the words that matter.
pub fn is_stop_word(word: &str) -> bool {
    static SET: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| STOP_WORDS.iter().copied().collect());
    SET.contains(word)
        || (word.chars().count() == 1 && !word.starts_with(|c: char| c.is_ascii_digit()))
}

// Sorted, so that additions are easy to review (a unit test keeps it sorted).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "actually",
    "after",
    "again",
    "ah",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anybody",
    "anyone",
    "anything",
    "anyway",
    "approx",
    "approximately",
    "are",
    "as",
    "at",
    "basically",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "bot",
    "both",
    "bro",
    "bruh",
    "btw",
    "but",
    "by",
    "can",
    "cheers",
    "could",
    "coz",
    "curious",
    "cuz",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "dude",
    "dunno",
    "during",
    "each",
    "eh",
    "else",
    "ever",
    "every",
    "exactly",
    "explain",
    "few",
    "folks",
    "for",
    "fr",
    "from",
    "further",
    "get",
    "give",
    "go",
    "gonna",
    "got",
    "gotta",
    "guys",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "hey",
    "hi",
    "him",
    "his",
    "hm",
    "hmm",
    "how",
    "huh",
    "i",
    "idk",
    "if",
    "imo",
    "in",
    "info",
    "into",
    "is",
    "it",
    "its",
    "just",
    "kind",
    "kinda",
    "know",
    "let",
    "like",
    "literally",
    "lmao",
    "lol",
    "man",
    "mate",
    "me",
    "mean",
    "more",
    "most",
    "much",
    "my",
    "nah",
    "need",
    "ngl",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "please",
    "pls",
    "plz",
    "question",
    "quick",
    "quickly",
    "really",
    "remind",
    "rn",
    "roughly",
    "s",
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "so",
    "some",
    "somebody",
    "someone",
    "something",
    "soo",
    "sooo",
    "sort",
    "sorta",
    "stuff",
    "such",
    "t",
    "tbh",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "tho",
    "those",
    "through",
    "thx",
    "to",
    "too",
    "u",
    "uh",
    "um",
    "under",
    "until",
    "up",
    "ur",
    "us",
    "very",
    "wait",
    "wanna",
    "want",
    "was",
    "we",
    "well",
    "were",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whos",
    "why",
    "will",
    "with",
    "wondering",
    "would",
    "ya",
    "yeah",
    "yep",
    "yo",
    "you",
    "your",
    "yours",
];

/// Stems a word: ordinal words become numbers (`third` → `3rd`), alphabetic words their
/// English Snowball stem; numbers and compounds (`46th`, `cert-in`) stay as they are.
pub fn stem_with(stemmer: &rust_stemmers::Stemmer, word: &str) -> String {
    if let Some(variant) = one_spelling(word) {
        return stem_with(stemmer, &variant);
    }
    if let Some(number) = super::entities::ordinal(word) {
        number.to_string()
    } else if let Some(agent) = agent_noun(word) {
        agent.to_string()
    } else if word.chars().all(char::is_alphabetic) {
        stemmer.stem(word).into_owned()
    } else {
        word.to_string()
    }
}

/// Words spelt two ways, with the spelling both are read as (sorted). Facts and questions go
/// through the same analysis, so which of the two is kept does not matter.
const SPELLING_VARIANTS: &[(&str, &str)] = &[
    ("catalog", "catalogue"),
    ("catalogs", "catalogues"),
    ("center", "centre"),
    ("centers", "centres"),
    ("defense", "defence"),
    ("dialog", "dialogue"),
    ("dialogs", "dialogues"),
    ("enroll", "enrol"),
    ("fulfill", "fulfil"),
    ("labor", "labour"),
    ("license", "licence"),
    ("licenses", "licences"),
    ("offense", "offence"),
    ("program", "programme"),
    ("programs", "programmes"),
];

/// The one spelling `word` (folded, lowercase) is read as, if it has another: a word of
/// [`SPELLING_VARIANTS`], or an "-ize" word read as "-ise" ("organization", "organisation").
fn one_spelling(word: &str) -> Option<String> {
    if let Ok(i) = SPELLING_VARIANTS.binary_search_by_key(&word, |&(v, _)| v) {
        return Some(SPELLING_VARIANTS[i].1.to_string());
    }
    const ENDINGS: &[(&str, &str)] = &[
        ("izations", "isations"),
        ("ization", "isation"),
        ("izing", "ising"),
        ("izers", "isers"),
        ("izer", "iser"),
        ("ized", "ised"),
        ("izes", "ises"),
        ("ize", "ise"),
        ("yzed", "ysed"),
        ("yzes", "yses"),
        ("yze", "yse"),
    ];
    ENDINGS.iter().find_map(|(american, british)| {
        let stem = word.strip_suffix(american)?;
        // "size", "prize", "seize": too short a stem to be a spelling of "-ise".
        (stem.len() >= 4 && stem.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| format!("{stem}{british}"))
    })
}

/// The whole pipeline for one text: tokens that matter, stemmed.
pub struct Analyzer {
    stemmer: rust_stemmers::Stemmer,
    /// Stems of the words seen while indexing. Nearly every word of a quote, and most words
    /// of a question, are among them, and a lookup costs a fraction of stemming.
    known: FxHashMap<Box<str>, Box<str>>,
}

/// A token after analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Folded surface form, before stemming (what typo correction compares).
    pub surface: String,
    /// Stemmed form (what the index stores).
    pub stem: String,
    pub range: Range<usize>,
    pub capitalised: bool,
    pub compound: bool,
    /// Ordinal among non-compound terms: neighbours differ by one (proximity, phrases).
    pub position: u32,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
            known: FxHashMap::default(),
        }
    }
}

impl Analyzer {
    /// Stems words; turns ordinal words into numbers (`third` → `3rd`); leaves numbers and
    /// compounds (`46th`, `cert-in`) as they are.
    pub fn stem(&self, word: &str) -> String {
        if let Some(stem) = self.known.get(word) {
            return stem.to_string();
        }
        stem_with(&self.stemmer, word)
    }

    /// Takes over the stems another analyzer learnt (indexing runs one per thread).
    pub fn absorb(&mut self, other: Analyzer) {
        if self.known.is_empty() {
            self.known = other.known;
        } else {
            self.known.extend(other.known);
        }
    }

    /// Like [`Analyzer::terms_with`], remembering the stem of every new word (while indexing).
    pub fn learn_terms(&mut self, text: &str, drop_stop_words: bool) -> Vec<Term> {
        let terms = self.terms_with(text, drop_stop_words);
        for term in &terms {
            if !self.known.contains_key(term.surface.as_str()) {
                self.known
                    .insert(term.surface.as_str().into(), term.stem.as_str().into());
            }
        }
        terms
    }

    /// Content terms of `text`, stop words removed (acronyms kept).
    pub fn terms(&self, text: &str) -> Vec<Term> {
        self.terms_with(text, true)
    }

    /// Like [`Analyzer::terms`], optionally keeping stop words (a synonym such as "it" is
    /// itself a stop word).
    pub fn terms_with(&self, text: &str, drop_stop_words: bool) -> Vec<Term> {
        let mut position = 0u32;
        let mut out = Vec::new();
        for token in tokenize(text) {
            if drop_stop_words && !token.acronym && is_stop_word(&token.text) {
                if !token.compound {
                    position += 1;
                }
                continue;
            }
            out.push(Term {
                stem: self.stem(&token.text),
                surface: token.text,
                range: token.range,
                capitalised: token.capitalised || token.acronym,
                compound: token.compound,
                position,
            });
            if !token.compound {
                position += 1;
            }
        }
        out
    }
}

/// A person's "-ator" noun stemmed apart from its action: Snowball gives "coordinator" and
/// "coordination" one stem, but India's cyber security coordinator is not the coordination
/// of policies. The plural is folded onto the singular.
fn agent_noun(word: &str) -> Option<&str> {
    let singular = word.strip_suffix('s').unwrap_or(word);
    (singular.len() > 6 && singular.ends_with("ator") && singular.chars().all(char::is_alphabetic))
        .then_some(singular)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folded, lowercased form of a whole string (for comparisons that need no ranges).
    fn fold(text: &str) -> String {
        let mut folded = String::with_capacity(text.len());
        for ch in text.chars() {
            fold_char(ch, &mut folded);
        }
        folded.to_lowercase()
    }

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    fn stems(text: &str) -> Vec<String> {
        Analyzer::default()
            .terms(text)
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    #[test]
    fn a_coordinator_is_not_coordination() {
        assert_eq!(
            stems("coordinator coordinators"),
            ["coordinator", "coordinator"]
        );
        assert_ne!(stems("coordinator"), stems("coordination"));
        assert_eq!(stems("dialogues"), stems("dialogue"));
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn keeps_numbers_ordinals_money_and_compounds() {
        assert_eq!(texts("5G, 46th in 2022"), ["5g", "46th", "in", "2022"]);
        assert_eq!(texts("$227 billion"), ["$227", "227", "billion"]);
        assert_eq!(texts("CERT-In said"), ["cert-in", "cert", "in", "said"]);
        assert_eq!(texts("R&D spectrum"), ["r&d", "r", "d", "spectrum"]);
    }

    #[test]
    fn folds_accents_typography_and_invisible_marks() {
        assert_eq!(texts("Japan\u{2019}s café"), ["japan", "s", "cafe"]);
        assert_eq!(texts("e\u{2013}dialogue"), ["e-dialogue", "e", "dialogue"]);
        assert_eq!(texts("cy\u{200B}ber \u{202E}5G\u{202C}"), ["cyber", "5g"]);
        assert_eq!(texts("ｆｕｌｌｗｉｄｔｈ"), ["fullwidth"]);
        assert_eq!(texts("a\u{0007}b"), ["a", "b"]);
    }

    #[test]
    fn ranges_point_into_the_original_text() {
        let text = "Japan\u{2019}s “global” reach";
        for token in tokenize(text) {
            assert!(
                fold(&text[token.range.clone()]).contains(&token.text),
                "{token:?}"
            );
        }
    }

    #[test]
    fn acronyms_survive_stop_words_unless_the_whole_text_shouts() {
        assert_eq!(stems("what is the IT revenue"), ["it", "revenu"]);
        assert_eq!(stems("is it big"), ["big"]);
        assert_eq!(stems("WHO LED THE TEAM"), ["led", "team"]);
        assert_eq!(stems("India and the US"), ["india", "us"]);
    }

    #[test]
    fn casual_filler_and_question_words_are_dropped_and_words_stemmed() {
        assert_eq!(
            stems("hey bot, who headed the delegations lol"),
            ["head", "deleg"]
        );
    }

    #[test]
    fn names_mid_sentence_are_marked_capitalised() {
        let terms = Analyzer::default().terms("Headed by Masato Otaka.");
        let names: Vec<&str> = terms
            .iter()
            .filter(|t| t.capitalised)
            .map(|t| t.surface.as_str())
            .collect();
        assert_eq!(names, ["masato", "otaka"]);
    }
}
