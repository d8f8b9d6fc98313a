//! What kind of answer a question wants, where that is easy to tell: "when" wants a dated
//! fact, "how much" a fact that states a quantity, "who" one that names a person or body,
//! "where" one that names a place, "what does X stand for" one whose quote spells X out. A
//! fact of the wrong kind is probably not the answer, however many words it shares ("how much
//! did Japan invest in 5G?" is not answered by "the dialogue reviewed 5G"; "who led India's
//! side at the second dialogue?" is not answered by the fact that the dialogue took place).

use serde::Deserialize;

use super::normalize::tokenize;
use crate::knowledge::{Fact, SynonymGroup, MONTHS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Any,
    /// "when", "what year", "which month", "what date".
    When,
    /// "how much", "how many", "what amount".
    Quantity,
    /// "who", "whom", "which ministry", "name of": a person or a body.
    Who,
    /// "where", "which city", "what venue": a place.
    Where,
    /// "what does NASSCOM stand for", "MeitY full form": an acronym spelled out.
    Expansion,
    /// "why", "for what reason": a cause or purpose.
    Why,
    /// An answer type defined by data alone (a knowledge file's own `[[answer_types]]`): its
    /// index in [`Vocabulary::answer_types`].
    Other(u8),
}

/// The built-in vocabulary of answer types and details (see the file for its format).
const BUILTIN_VOCABULARY: &str = include_str!("answer_types.toml");

/// What questions ask of facts, and how facts show they give it: [`BUILTIN_VOCABULARY`],
/// which a knowledge file can extend.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    #[serde(default)]
    pub answer_types: Vec<AnswerType>,
    #[serde(default)]
    pub details: Vec<Detail>,
}

/// One kind of answer a question may want.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerType {
    pub name: String,
    /// How a reply names what is missing: "The articles don't say {says}".
    #[serde(default)]
    pub says: String,
    /// Phrases that ask for it.
    #[serde(default)]
    pub asks: Vec<String>,
    /// Nouns that ask for it after "which" or "what".
    #[serde(default)]
    pub asks_which: Vec<String>,
    /// Words or phrases that, anywhere in the question, mean `asks` did not ask for it after
    /// all.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Phrases in a fact's own words that show it gives this answer.
    #[serde(default)]
    pub states: Vec<String>,
    /// A rule in code that shows it: "year", "quantity", "actor", "expansion".
    #[serde(default)]
    pub detect: Option<String>,
    /// Only the fact's quotes can show it, not its answer: an answer names the event it is
    /// about ("at the 2017 dialogue, …") without that being what the source states.
    #[serde(default)]
    pub quotes_only: bool,
}

/// A detail of a person, body or place: asked and stated by the same words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detail {
    pub name: String,
    pub words: Vec<String>,
    /// Asked only of a person the question names ("what did Masato Otaka say"): "what does
    /// the article say" asks for no remark.
    #[serde(default)]
    pub of_person: bool,
}

/// The `detect` rules the code knows.
pub const DETECT_RULES: &[&str] = &["actor", "count", "day", "expansion", "quantity", "year"];

impl Vocabulary {
    /// The built-in vocabulary, parsed once.
    pub fn builtin() -> &'static Vocabulary {
        static BUILTIN: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| {
            toml::from_str(BUILTIN_VOCABULARY).expect("the built-in answer types parse")
        })
    }

    /// This vocabulary with `more` added: a type or detail of a known name gains its words, a
    /// new one is appended.
    pub fn extended(&self, more: &Vocabulary) -> Vocabulary {
        let mut out = self.clone();
        for extra in &more.answer_types {
            match out.answer_types.iter_mut().find(|t| t.name == extra.name) {
                Some(known) => {
                    known.asks.extend(extra.asks.iter().cloned());
                    known.asks_which.extend(extra.asks_which.iter().cloned());
                    known.unless.extend(extra.unless.iter().cloned());
                    known.states.extend(extra.states.iter().cloned());
                    known.quotes_only |= extra.quotes_only;
                    if extra.detect.is_some() {
                        known.detect.clone_from(&extra.detect);
                    }
                    if !extra.says.is_empty() {
                        known.says.clone_from(&extra.says);
                    }
                }
                None => out.answer_types.push(extra.clone()),
            }
        }
        for extra in &more.details {
            match out.details.iter_mut().find(|d| d.name == extra.name) {
                Some(known) => {
                    known.words.extend(extra.words.iter().cloned());
                    known.of_person |= extra.of_person;
                }
                None => out.details.push(extra.clone()),
            }
        }
        out
    }

    /// The answer type called `name` (as a fact's `answers` names it).
    pub fn intent_named(&self, name: &str) -> Option<Intent> {
        let i = self.answer_types.iter().position(|t| t.name == name)?;
        Some(intent_of(&self.answer_types[i].name, i))
    }

    /// How a reply names what `intent` asks: "when", "how much or how many".
    pub fn says(&self, intent: Intent) -> &str {
        self.answer_types
            .iter()
            .enumerate()
            .find(|(i, t)| intent_of(&t.name, *i) == intent)
            .map_or("that", |(_, t)| {
                if t.says.is_empty() {
                    t.name.as_str()
                } else {
                    t.says.as_str()
                }
            })
    }
}

/// The [`Intent`] of the answer type `name` at `index` of the vocabulary.
fn intent_of(name: &str, index: usize) -> Intent {
    match name {
        "when" => Intent::When,
        "quantity" => Intent::Quantity,
        "who" => Intent::Who,
        "where" => Intent::Where,
        "expansion" => Intent::Expansion,
        "why" => Intent::Why,
        _ => Intent::Other(u8::try_from(index).unwrap_or(u8::MAX)),
    }
}

/// Whether `phrase` (lowercase words) occurs in `words`.
fn contains_phrase(words: &[String], phrase: &str) -> bool {
    phrase_position(words, phrase).is_some()
}

/// Where `phrase` (lowercase words) first occurs in `words`. It runs for every cue of the
/// table on every question and every fact, so it allocates nothing, and a phrase is compared
/// whole only where its first word stands.
fn phrase_position(words: &[String], phrase: &str) -> Option<usize> {
    let mut parts = phrase.split(' ').filter(|p| !p.is_empty());
    let first = parts.next()?;
    let rest = parts.clone().count();
    (0..words.len().saturating_sub(rest)).find(|&at| {
        words[at] == first
            && parts
                .clone()
                .zip(&words[at + 1..])
                .all(|(part, word)| word == part)
    })
}

/// Whether `word` (folded, lowercase) only frames an expansion question ("stand", "full
/// form"): a word of the expansion type's `asks` phrases.
pub fn is_expansion_frame(word: &str) -> bool {
    const FRAME_EXTRA: &[&str] = &["expand", "expanded", "form", "mean", "meaning", "means"];
    FRAME_EXTRA.contains(&word)
        || Vocabulary::builtin()
            .answer_types
            .iter()
            .filter(|t| t.name == "expansion")
            .flat_map(|t| &t.asks)
            .any(|phrase| phrase.split_whitespace().any(|w| w == word && w != "for"))
}

/// Nouns for a person: with "name", the question asks who, by name.
const PERSON_NOUNS: &[&str] = &[
    "ambassador",
    "author",
    "ceo",
    "chairman",
    "chief",
    "coordinator",
    "director",
    "head",
    "leader",
    "minister",
    "official",
    "officer",
    "partner",
    "person",
    "president",
    "secretary",
    "spokesperson",
    "writer",
];

/// Whether `word` (lowercase) names people: a person noun or its plural, or a word for
/// the people of a delegation ("officials", "delegates", "members").
pub(crate) fn is_person_noun(word: &str) -> bool {
    const PEOPLE: &[&str] = &[
        "delegate",
        "delegates",
        "diplomat",
        "diplomats",
        "member",
        "members",
        "people",
        "persons",
        "representative",
        "representatives",
    ];
    PEOPLE.contains(&word)
        || PERSON_NOUNS.contains(&word)
        || word
            .strip_suffix('s')
            .is_some_and(|one| PERSON_NOUNS.contains(&one))
}

/// Words of a body's name, never of a person's.
const BODY_WORDS: &[&str] = &[
    "agency",
    "association",
    "bureau",
    "centre",
    "center",
    "co",
    "company",
    "corporation",
    "council",
    "department",
    "division",
    "forum",
    "government",
    "institute",
    "ltd",
    "ministry",
    "organisation",
    "organization",
    "police",
    "university",
];

/// Whether a party reads as a person's name: two to four capitalised words, none of them a
/// body's word, an acronym or a country ("Masato Otaka", not "Kochhar & Co.", "NASSCOM" or
/// "Ministry of External Affairs").
pub(crate) fn is_person_name(party: &str) -> bool {
    let words: Vec<&str> = party.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            let lower = w.to_lowercase();
            let lower = lower.trim_end_matches('.');
            chars.next().is_some_and(char::is_uppercase)
                && chars.all(|c| c.is_lowercase() || c == '-' || c == '\'')
                && !BODY_WORDS.contains(&lower)
                && !super::entities::is_country(lower)
        })
}

/// Detects the intent from the question's words (before stop words are removed: the words
/// that say it are stop words).
pub fn detect(question: &str) -> Intent {
    Wanted::of(question).intent
}

/// [`detect`] over words already folded and lowercased, with the phrase that asked.
fn detect_words(words: &[String], vocabulary: &Vocabulary) -> (Intent, String) {
    let types = &vocabulary.answer_types;
    // The first cue in the question decides ("who benefits when they align": who), the order
    // of the table breaks a tie ("how much" before a type asked by "how").
    let mut first: Option<(usize, usize, &String)> = None;
    for (i, t) in types.iter().enumerate() {
        if t.unless.iter().any(|u| contains_phrase(words, u)) {
            continue;
        }
        for phrase in &t.asks {
            if let Some(at) = phrase_position(words, phrase) {
                // "When" or "where" right before a verb in -ing joins a clause, it asks
                // nothing: "what does the overlap bring when taking technology to market".
                let joins = (phrase == "when" || phrase == "where")
                    && words
                        .get(at + 1)
                        .is_some_and(|w| w.len() > 5 && w.ends_with("ing"));
                if joins {
                    continue;
                }
                if first.is_none_or(|(best, _, _)| at < best) {
                    first = Some((at, i, phrase));
                }
            }
        }
    }
    if let Some((_, i, phrase)) = first {
        return (intent_of(&types[i].name, i), phrase.clone());
    }
    // "Which city", "which Indian state", "what government agency": the noun may follow a
    // word or two that qualify it.
    for (i, t) in types.iter().enumerate() {
        for (at, word) in words.iter().enumerate() {
            if word != "which" && word != "what" {
                continue;
            }
            let noun = words[at + 1..]
                .iter()
                .take(3)
                .take_while(|w| !super::normalize::is_stop_word(w) || t.asks_which.contains(w))
                .find(|w| t.asks_which.contains(w));
            if let Some(noun) = noun {
                return (intent_of(&t.name, i), format!("{word} {noun}"));
            }
        }
    }
    (Intent::Any, String::new())
}

/// Whether any of `tokens` (folded, lowercase) spells one of `phrases`.
fn states_any(tokens: &[String], phrases: &[String]) -> bool {
    phrases.iter().any(|p| contains_phrase(tokens, p))
}

/// Whether `text` names a place.
pub fn states_place(text: &str) -> bool {
    let tokens: Vec<String> = tokenize(text).into_iter().map(|t| t.text).collect();
    Vocabulary::builtin()
        .answer_types
        .iter()
        .filter(|t| t.name == "where")
        .any(|t| states_any(&tokens, &t.states))
}

/// The acronyms `text` spells out, as (acronym lowercase, expansion as written):
/// "a Memorandum of Cooperation (MoC)" gives ("moc", "Memorandum of Cooperation"), "IP
/// (intellectual property)" gives ("ip", "intellectual property"). An acronym is a
/// parenthesised or parenthesising word of 2–10 letters with at least two capitals; the
/// expansion before it starts at the nearest word (at most 8 back) with its first letter.
pub fn expanded_acronyms(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let is_acronym = |w: &str| {
        let letters = w
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '&')
            .count();
        (2..=10).contains(&letters) && w.chars().filter(char::is_ascii_uppercase).count() >= 2
    };
    let first_letter = |w: &str| {
        w.chars()
            .find(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
    };
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inside = rest[open + 1..close].trim();
        let before = &rest[..open];
        let before_words: Vec<&str> = before.split_whitespace().collect();
        if is_acronym(inside) && !inside.contains(' ') {
            // "Memorandum of Cooperation (MoC)": the words before, from the nearest one that
            // starts with the acronym's first letter.
            let window = before_words.len().saturating_sub(8);
            let start = (window..before_words.len())
                .rev()
                .find(|&i| first_letter(before_words[i]) == first_letter(inside));
            if let Some(start) = start {
                let expansion = before_words[start..].join(" ");
                let expansion = expansion.trim_matches(|c: char| !c.is_alphanumeric());
                found.push((inside.to_lowercase(), expansion.to_string()));
            }
        } else if let Some(word) = before_words.last() {
            // "IP (intellectual property)": the acronym comes first.
            let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
            if is_acronym(word) && first_letter(inside) == first_letter(word) {
                found.push((word.to_lowercase(), inside.to_string()));
            }
        }
        rest = &rest[close + 1..];
    }
    found.sort();
    found.dedup();
    found
}

/// What kinds of answer a fact can give, computed once per fact at index time.
#[derive(Debug, Clone, Default)]
pub struct AnswerKinds {
    /// The answer types it gives: declared by the fact's `answers`, or read from its words.
    pub gives: Vec<Intent>,
    /// It names a person among its parties ("Masato Otaka"), not only bodies and countries.
    pub person: bool,
    /// Acronyms its answer or quotes spell out: (acronym lowercase, expansion as written).
    pub expands: Vec<(String, String)>,
    /// The details ([`Vocabulary::details`]) its title, answer or quotes state (indexes).
    pub attributes: Vec<usize>,
    /// For the answer types it was seen to give, the words that showed it (a year, a place,
    /// a number): an answer must add one the question did not already say ("when in November
    /// is the conference" is not answered by "in November").
    pub shown: Vec<(Intent, Vec<String>)>,
}

/// The details of `vocabulary` that `words` (folded, lowercase) name, by a word or a phrase
/// of theirs.
fn attributes_named(words: &[String], vocabulary: &Vocabulary) -> Vec<usize> {
    vocabulary
        .details
        .iter()
        .enumerate()
        .filter(|(_, d)| d.words.iter().any(|w| contains_phrase(words, w)))
        .map(|(i, _)| i)
        .collect()
}

impl AnswerKinds {
    /// `glossary`: (acronym, expansion) pairs, lowercase ([`glossary`]).
    pub fn of(fact: &Fact, glossary: &[(String, String)], vocabulary: &Vocabulary) -> Self {
        // Only quotes can spell an acronym out: the answer to "what does IP stand for" cites
        // the article's words, and an answer's own paraphrase is not a citation.
        let quotes = || fact.citations.iter().map(|c| c.quote.as_str());
        let mut expands: Vec<(String, String)> = quotes().flat_map(expanded_acronyms).collect();
        // Lowercased once per fact, not once per glossary entry.
        let lowered: Vec<(&str, String)> = quotes().map(|t| (t, t.to_lowercase())).collect();
        for (acronym, expansion) in glossary {
            let written = lowered.iter().find_map(|(text, lower)| {
                let at = lower.find(expansion.as_str())?;
                // The text's own capitals where lowercasing kept byte offsets (ASCII).
                text.get(at..at + expansion.len())
                    .filter(|slice| slice.eq_ignore_ascii_case(expansion))
                    .map(str::to_string)
                    .or_else(|| Some(expansion.clone()))
            });
            if let Some(written) = written {
                expands.push((acronym.clone(), written));
            }
        }
        // One expansion per acronym, the article's own "(ACRONYM)" spelling before the
        // glossary's (the sort is stable).
        expands.sort_by(|a, b| a.0.cmp(&b.0));
        expands.dedup_by(|later, kept| later.0 == kept.0);
        let title: Vec<String> = tokenize(&fact.title).into_iter().map(|t| t.text).collect();
        let mut words = title;
        words.push(String::new()); // no phrase runs from the title into the text
        words.extend(text_tokens(fact));
        let attributes = attributes_named(&words, vocabulary);
        let shown: Vec<(Intent, Vec<String>)> = answer_types_shown(fact, vocabulary)
            .into_iter()
            .filter_map(|(name, words)| Some((vocabulary.intent_named(&name)?, words)))
            .collect();
        let mut gives: Vec<Intent> = match &fact.answers {
            Some(declared) => declared
                .iter()
                .filter_map(|name| vocabulary.intent_named(name))
                .collect(),
            None => shown.iter().map(|(intent, _)| *intent).collect(),
        };
        // Named things listed can be counted ("how many agencies were in Japan's
        // delegation"), whatever the fact declares; what is counted must still be what the
        // question counts (the search checks the noun).
        if let Some(count) = vocabulary.intent_named("count") {
            if !gives.contains(&count) && fact.citations.iter().any(|c| lists_names(&c.quote)) {
                gives.push(count);
            }
        }
        AnswerKinds {
            gives,
            shown,
            person: fact.parties.iter().any(|p| is_person_name(p)),
            expands,
            attributes,
        }
    }

    /// The (acronym, expansion) this fact gives for an acronym among the question's words.
    pub fn expansion(&self, wanted: &Wanted) -> Option<&(String, String)> {
        self.expands
            .iter()
            .find(|(acronym, _)| wanted.words.iter().any(|w| w == acronym))
    }

    /// Whether a fact of these kinds can give what `wanted` asks for.
    pub fn answers(&self, wanted: &Wanted) -> bool {
        if wanted
            .attributes
            .iter()
            .any(|a| !self.attributes.contains(a))
        {
            return false;
        }
        if wanted.person_name && !self.person {
            return false;
        }
        match wanted.intent {
            Intent::Any => true,
            // A fact's quotes spell an acronym out or not: a declaration cannot make it.
            Intent::Expansion => self.expansion(wanted).is_some(),
            intent => self.gives.contains(&intent) && self.adds_to(wanted),
        }
    }

    /// Whether the words that show the asked answer type include one the question does not
    /// say: "which venue in New Delhi" is not answered by "in New Delhi". "Who" is left out:
    /// "who is Masato Otaka" asks about the person it names. A declared type with nothing
    /// seen is taken on trust.
    fn adds_to(&self, wanted: &Wanted) -> bool {
        if wanted.intent == Intent::Who {
            return true;
        }
        self.shown
            .iter()
            .find(|(intent, _)| *intent == wanted.intent)
            .is_none_or(|(_, words)| words.iter().any(|w| !wanted.words.contains(w)))
    }
}

/// The answer and quotes of `fact`, as folded lowercase words: a fact's own words, where it
/// shows what it gives (its alternate questions and keywords are written to find it, and say
/// nothing of what it states).
fn text_tokens(fact: &Fact) -> Vec<String> {
    std::iter::once(fact.answer.as_str())
        .chain(fact.citations.iter().map(|c| c.quote.as_str()))
        .flat_map(|t| tokenize(t).into_iter().map(|t| t.text))
        .collect()
}

/// The answer types `fact`'s own words show it gives, by name: what its `answers` key
/// defaults to, and what `check` reports for a fact without one.
pub fn inferred_answer_types(fact: &Fact, vocabulary: &Vocabulary) -> Vec<String> {
    answer_types_shown(fact, vocabulary)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// Each answer type `fact`'s own words show, with the words that show it.
fn answer_types_shown(fact: &Fact, vocabulary: &Vocabulary) -> Vec<(String, Vec<String>)> {
    let all_tokens = text_tokens(fact);
    let quote_tokens: Vec<String> = fact
        .citations
        .iter()
        .flat_map(|c| tokenize(&c.quote).into_iter().map(|t| t.text))
        .collect();
    let texts = || {
        std::iter::once(fact.answer.as_str()).chain(fact.citations.iter().map(|c| c.quote.as_str()))
    };
    vocabulary
        .answer_types
        .iter()
        .filter_map(|t| {
            let tokens = if t.quotes_only {
                &quote_tokens
            } else {
                &all_tokens
            };
            let numbers = || -> Vec<String> {
                tokens
                    .iter()
                    .filter(|t| {
                        t.chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_digit() || c == '$')
                    })
                    .cloned()
                    .collect()
            };
            let mut shown: Vec<String> = match t.detect.as_deref() {
                Some("year") => tokens.iter().filter(|t| is_year(t)).cloned().collect(),
                Some("quantity") if texts().any(states_quantity) => numbers(),
                Some("count") => {
                    // A count is a plain number or a number word: not a year, an ordinal
                    // ("46th") or a name ("5G").
                    // "Two" is left out: "the two countries" counts nothing anyone asks.
                    const NUMBER_WORDS: &[&str] = &[
                        "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen",
                        "hundred", "thousand", "million", "billion",
                    ];
                    // A list is not a count: "how many patents did start-ups file" is not
                    // answered by "filing patents, trademarks and designs". The number must
                    // count something: a word follows it ("four areas"), not more digits.
                    tokens
                        .windows(2)
                        .filter(|w| {
                            let number = (w[0].chars().all(|c| c.is_ascii_digit())
                                && !is_year(&w[0]))
                                || NUMBER_WORDS.contains(&w[0].as_str());
                            number
                                && w[1].chars().all(|c| c.is_alphabetic())
                                && !MONTHS.contains(&w[1].as_str())
                        })
                        .map(|w| w[0].clone())
                        .collect()
                }
                Some("day") => days(tokens),
                // A party that is not a country is a person or a body ("Masato Otaka").
                Some("actor") => fact
                    .parties
                    .iter()
                    .filter(|p| !super::entities::is_country(&p.to_lowercase()))
                    .flat_map(|p| tokenize(p).into_iter().map(|t| t.text))
                    .collect(),
                Some("expansion") => fact
                    .citations
                    .iter()
                    .flat_map(|c| expanded_acronyms(&c.quote))
                    .map(|(acronym, _)| acronym)
                    .collect(),
                _ => Vec::new(),
            };
            for phrase in &t.states {
                if contains_phrase(tokens, phrase) {
                    shown.extend(phrase.split_whitespace().map(str::to_string));
                }
            }
            (!shown.is_empty()).then(|| (t.name.clone(), shown))
        })
        .collect()
}

/// Whether `text` lists three or more names: comma-separated items ("…, Mumbai, Bangalore
/// and Hyderabad"), most starting with a capital. A list of kinds ("patents, trademarks and
/// designs") counts nothing anyone asks a number of.
fn lists_names(text: &str) -> bool {
    let items: Vec<&str> = text
        .split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect();
    let named = items
        .iter()
        .filter(|item| {
            let item = item.trim_start_matches("the ");
            item.chars().next().is_some_and(char::is_uppercase)
        })
        .count();
    text.matches(',').count() >= 2 && named >= 3 && 2 * named >= items.len()
}

fn is_year(token: &str) -> bool {
    token.len() == 4
        && token.chars().all(|c| c.is_ascii_digit())
        && (token.starts_with("19") || token.starts_with("20"))
}

/// Days of the month beside a month's name ("17 august", "august 17"), as the day number.
fn days(tokens: &[String]) -> Vec<String> {
    let day = |t: &str| {
        let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    tokens
        .windows(2)
        .filter(|w| {
            (day(&w[0]) && MONTHS.contains(&w[1].as_str()))
                || (MONTHS.contains(&w[0].as_str()) && day(&w[1]))
        })
        .map(|w| {
            if day(&w[0]) {
                w[0].clone()
            } else {
                w[1].clone()
            }
        })
        .collect()
}

/// What a question asks for, read once per question: the kind of answer, the attributes it
/// names, and its words (folded, lowercase, stop words kept) for acronym lookups.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub intent: Intent,
    /// The words that asked for it ("when", "which state"), for a reply that says the
    /// articles do not state it.
    pub asked: String,
    /// The question asks for a person's name ("the name of the joint secretary who led
    /// India", "Japan's ambassador, by name"): a fact that names no person cannot answer,
    /// however well it matches the role.
    pub person_name: bool,
    pub attributes: Vec<usize>,
    pub words: Vec<String>,
}

impl Wanted {
    pub fn of(question: &str) -> Self {
        Self::with(question, Vocabulary::builtin(), false)
    }

    /// `names_person`: the question names someone a fact names ("Masato Otaka").
    pub fn with(question: &str, vocabulary: &Vocabulary, names_person: bool) -> Self {
        let tokens = tokenize(question);
        // Details are named by whole words: "next-generation" names no next meeting.
        let compounds: Vec<std::ops::Range<usize>> = tokens
            .iter()
            .filter(|t| t.compound)
            .map(|t| t.range.clone())
            .collect();
        let whole_words: Vec<String> = tokens
            .iter()
            .filter(|t| {
                t.compound
                    || !compounds
                        .iter()
                        .any(|c| c.start <= t.range.start && t.range.end <= c.end)
            })
            .map(|t| t.text.clone())
            .collect();
        let words: Vec<String> = tokens
            .into_iter()
            .filter(|t| !t.compound)
            .map(|t| t.text)
            .collect();
        let has = |w: &str| words.iter().any(|x| x == w);
        // "Who is Japan's ambassador" asks who, by name, as much as "the ambassador's name".
        let who_is = has("whos")
            || words
                .windows(2)
                .any(|w| w[0] == "who" && ["is", "was", "s"].contains(&w[1].as_str()));
        let person_noun = words.iter().any(|w| PERSON_NOUNS.contains(&w.as_str()));
        // What "the author" says is the article itself, not a remark the article reports.
        let speaker_noun = words.iter().any(|w| {
            PERSON_NOUNS.contains(&w.as_str()) && !["author", "writer"].contains(&w.as_str())
        });
        let asks_name = ["name", "names", "named"].iter().any(|w| has(w));
        // "Who represented the National Police Agency" asks for the people who did: the
        // agency's name in a list of bodies does not say who represented it.
        let who_represented = words.windows(2).any(|w| {
            w[0] == "who" && ["represent", "represented", "represents"].contains(&w[1].as_str())
        });
        let person_name = (person_noun && who_is)
            || (asks_name && (person_noun || has("who")))
            || who_represented;
        let (mut intent, asked) = detect_words(&words, vocabulary);
        let mut attributes = attributes_named(&whole_words, vocabulary);
        // A detail asked only of a person ([`Detail::of_person`]) needs one in the question.
        if !(names_person || speaker_noun) {
            attributes.retain(|&a| !vocabulary.details.get(a).is_some_and(|d| d.of_person));
        }
        // "How can I contact Kochhar": the detail named is what is asked, not a procedure.
        if let Intent::Other(i) = intent {
            let declarative = vocabulary
                .answer_types
                .get(usize::from(i))
                .is_some_and(|t| t.states.is_empty() && t.detect.is_none());
            if declarative && !attributes.is_empty() {
                intent = Intent::Any;
            }
        }
        Wanted {
            intent,
            asked,
            person_name,
            attributes,
            words,
        }
    }

    /// What a reply says the articles do not state, given what the closest fact gives: a
    /// detail it lacks, a person's name, or the asked answer type in the question's words
    /// ("which state").
    pub fn missing(&self, kinds: &AnswerKinds, vocabulary: &Vocabulary) -> String {
        if let Some(&a) = self
            .attributes
            .iter()
            .find(|a| !kinds.attributes.contains(a))
        {
            return vocabulary.details[a].name.clone();
        }
        if self.person_name && !kinds.person {
            return "the person's name".into();
        }
        match self.intent {
            Intent::Any => "that".into(),
            Intent::When | Intent::Why | Intent::Who | Intent::Where if !self.asked.is_empty() => {
                self.asked.clone()
            }
            intent => vocabulary.says(intent).to_string(),
        }
    }
}

/// Acronyms and their expansions from the synonym groups: a one-word term of a group whose
/// other term has several words starting with the same letter ("meity" and "ministry of
/// electronics and information technology").
pub fn glossary(groups: &[SynonymGroup]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for group in groups {
        for short in group
            .terms
            .iter()
            .filter(|t| !t.contains(' ') && t.len() <= 10)
        {
            for long in group
                .terms
                .iter()
                .filter(|t| t.split_whitespace().count() >= 2)
            {
                if long.chars().next() == short.chars().next() {
                    pairs.push((short.to_lowercase(), long.to_lowercase()));
                }
            }
        }
    }
    pairs
}

/// Words that make a preceding number a quantity.
const QUANTITY_UNITS: &[&str] = &[
    "billion", "crore", "lakh", "million", "percent", "per", "thousand", "trillion",
];

/// Whether `text` states a quantity: money (`$227`), or a number with a unit (`196 billion`).
pub fn states_quantity(text: &str) -> bool {
    let tokens = tokenize(text);
    tokens.iter().enumerate().any(|(i, t)| {
        t.text.starts_with('$')
            || (t.text.chars().all(|c| c.is_ascii_digit() || c == '.')
                && tokens
                    .get(i + 1)
                    .is_some_and(|n| QUANTITY_UNITS.contains(&n.text.as_str())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_when_and_quantity_questions() {
        assert_eq!(detect("india japan trade volume 2022"), Intent::Quantity);
        assert_eq!(detect("When was the MoC signed?"), Intent::When);
        assert_eq!(detect("what year did they meet"), Intent::When);
        assert_eq!(
            detect("how much is the IT industry worth"),
            Intent::Quantity
        );
        assert_eq!(detect("How many billions in revenue?"), Intent::Quantity);
        assert!(matches!(
            detect("how many areas does the MoC cover"),
            Intent::Other(_)
        ));
        assert_eq!(detect("how did they cooperate"), Intent::Any);
    }

    #[test]
    fn detects_who_where_and_expansion_questions() {
        assert_eq!(detect("who led the delegation"), Intent::Who);
        assert_eq!(detect("which ministry headed it"), Intent::Who);
        assert_eq!(detect("where was the dialogue held"), Intent::Where);
        assert_eq!(detect("which city hosted gccs"), Intent::Where);
        assert_eq!(detect("what does NASSCOM stand for"), Intent::Expansion);
        assert_eq!(detect("meity full form"), Intent::Expansion);
        assert_eq!(detect("what is the MoC"), Intent::Any);
    }

    #[test]
    fn expansion_frame_words_come_from_the_table() {
        assert!(is_expansion_frame("stand") && is_expansion_frame("acronym"));
        assert!(!is_expansion_frame("nasscom") && !is_expansion_frame("for"));
    }

    #[test]
    fn the_built_in_table_names_only_known_rules_and_unique_types() {
        let vocabulary = Vocabulary::builtin();
        let mut names: Vec<&str> = vocabulary
            .answer_types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "an answer type is listed twice");
        for t in &vocabulary.answer_types {
            if let Some(rule) = &t.detect {
                assert!(DETECT_RULES.contains(&rule.as_str()), "{}: {rule}", t.name);
            }
            assert!(
                !t.asks.is_empty() || !t.asks_which.is_empty(),
                "{} is never asked",
                t.name
            );
        }
    }

    #[test]
    fn the_first_cue_decides_what_is_asked() {
        assert_eq!(
            detect("so who actually benefits when they line up"),
            Intent::Who
        );
        assert_eq!(detect("when did who lead it"), Intent::When);
        assert_eq!(
            detect("why did they cancel the 2022 e-dialogue"),
            Intent::Why
        );
        assert_eq!(
            detect("how will police benefit when it comes to cybercrime"),
            Intent::Any
        );
        assert_eq!(detect("where did india place on the index"), Intent::Any);
        assert!(matches!(
            detect("on what date was the dialogue"),
            Intent::Other(_)
        ));
    }

    #[test]
    fn a_data_defined_answer_type_extends_the_table() {
        let more: Vocabulary = toml::from_str(
            r#"
            [[answer_types]]
            name = "price"
            says = "the price"
            asks = ["how much does it cost", "price of"]
            states = ["costs"]

            [[answer_types]]
            name = "where"
            states = ["kyoto"]
            "#,
        )
        .unwrap();
        let vocabulary = Vocabulary::builtin().extended(&more);
        let wanted = Wanted::with("what is the price of a ticket", &vocabulary, false);
        assert!(matches!(wanted.intent, Intent::Other(_)));
        assert_eq!(vocabulary.says(wanted.intent), "the price");
        let place = vocabulary
            .answer_types
            .iter()
            .find(|t| t.name == "where")
            .unwrap();
        assert!(place.states.iter().any(|s| s == "kyoto") && place.states.len() > 1);
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn finds_acronyms_spelled_out_either_way() {
        let pair = |a: &str, e: &str| (a.to_string(), e.to_string());
        assert_eq!(
            expanded_acronyms("a Memorandum of Cooperation (MoC) signed in March 2022"),
            [pair("moc", "Memorandum of Cooperation")]
        );
        assert_eq!(
            expanded_acronyms("theft of IP (intellectual property), or other data"),
            [pair("ip", "intellectual property")]
        );
        assert_eq!(
            expanded_acronyms("research and development (R&D) and the 5G (fifth) era"),
            [pair("r&d", "research and development")]
        );
        assert_eq!(
            expanded_acronyms(
                "the National Association of Software and Services Companies (NASSCOM)"
            ),
            [pair(
                "nasscom",
                "National Association of Software and Services Companies"
            )]
        );
        assert!(expanded_acronyms("India (the country) and Japan").is_empty());
    }

    #[test]
    fn an_attribute_the_fact_does_not_state_cannot_be_answered() {
        let kinds = AnswerKinds {
            attributes: attributes_named(
                &words(&["offices", "in", "delhi"]),
                Vocabulary::builtin(),
            ),
            ..AnswerKinds::default()
        };
        let asks = |q: &str| {
            kinds.answers(&Wanted {
                intent: Intent::Any,
                ..Wanted::of(q)
            })
        };
        assert!(asks("where is kochhar headquartered"));
        assert!(!asks("kochhar email"));
        assert!(!asks("when was kochhar founded"));
        assert!(asks("who chaired india's team"));
        let phoned = AnswerKinds {
            attributes: attributes_named(
                &words(&["contact", "details", "tel", "telephone"]),
                Vocabulary::builtin(),
            ),
            ..AnswerKinds::default()
        };
        let asks_phoned = |q: &str| phoned.answers(&Wanted::of(q));
        assert!(asks_phoned("kochhar phone number") && asks_phoned("how to contact kochhar"));
        assert!(!asks_phoned("kochhar email") && !asks_phoned("kochhar website url"));
    }

    #[test]
    fn a_question_for_a_name_needs_a_fact_that_names_a_person() {
        assert!(is_person_name("Masato Otaka") && is_person_name("Sanjay Kumar Verma"));
        assert!(!is_person_name("Kochhar & Co.") && !is_person_name("NASSCOM"));
        assert!(!is_person_name("Ministry of External Affairs") && !is_person_name("India"));
        assert!(!is_person_name("National Police Agency"));
        let role_only = AnswerKinds {
            gives: vec![Intent::Who],
            ..AnswerKinds::default()
        };
        let named = AnswerKinds {
            person: true,
            ..role_only.clone()
        };
        for q in [
            "what was the name of the joint secretary who led india",
            "who is japan's current ambassador to india",
            "japan's cyber ambassador in 2022, by name?",
            "who represented the national police agency at the second dialogue",
        ] {
            let wanted = Wanted::of(q);
            assert!(wanted.person_name, "{q}");
            assert!(!role_only.answers(&wanted) && named.answers(&wanted), "{q}");
        }
        for q in [
            "who led japan's delegation in 2022",
            "who was leading the japanese side",
            "who is the source for the revenue figure",
            "what is the name of the 2017 dialogue",
            "which agencies were represented at the second dialogue",
        ] {
            assert!(!Wanted::of(q).person_name, "{q}");
        }
    }

    #[test]
    fn only_quotes_spell_an_acronym_out() {
        let fact = |answer: &str, quote: &str| Fact {
            id: "f".into(),
            kind: crate::knowledge::FactKind::Fact,
            title: "t".into(),
            answer: answer.into(),
            topics: vec![],
            parties: vec![],
            date: None,
            event: None,
            questions: vec![],
            keywords: vec![],
            answers: None,
            citations: vec![crate::knowledge::Citation {
                source: "s".into(),
                quote: quote.into(),
            }],
        };
        let glossary = [("ip".to_string(), "intellectual property".to_string())];
        let paraphrased = fact(
            "a partner in the intellectual property (IP) practice",
            "IP law",
        );
        assert!(
            AnswerKinds::of(&paraphrased, &glossary, Vocabulary::builtin())
                .expands
                .is_empty()
        );
        let quoted = fact(
            "a partner",
            "ICT and Intellectual Property (IP) will overlap",
        );
        assert_eq!(
            AnswerKinds::of(&quoted, &[], Vocabulary::builtin()).expands,
            [("ip".to_string(), "Intellectual Property".to_string())]
        );
    }

    #[test]
    fn recognises_places_and_agents() {
        assert!(states_place("held in New Delhi on 17 August"));
        assert!(states_place("held virtually, as an e-dialogue"));
        assert!(!states_place("India and Japan signed an MoC"));
    }

    /// A fact whose answer and one quote say `answer`.
    fn fact_saying(answer: &str) -> Fact {
        Fact {
            id: "f".into(),
            kind: crate::knowledge::FactKind::Fact,
            title: "t".into(),
            answer: answer.into(),
            topics: vec![],
            parties: vec!["India".into()],
            date: None,
            event: None,
            questions: vec![],
            keywords: vec![],
            answers: None,
            citations: vec![crate::knowledge::Citation {
                source: "s".into(),
                quote: answer.into(),
            }],
        }
    }

    #[test]
    fn a_date_in_the_answer_alone_does_not_say_when() {
        let mut fact = fact_saying("The dialogue discussed threats.");
        fact.answer = "At the 2017 dialogue they discussed threats.".into();
        assert!(inferred_answer_types(&fact, Vocabulary::builtin()).is_empty());
    }

    #[test]
    fn what_a_fact_answers_is_read_from_its_own_words() {
        let vocabulary = Vocabulary::builtin();
        let types = |answer: &str| inferred_answer_types(&fact_saying(answer), vocabulary);
        let dated = types("The dialogue was held in New Delhi on 17 August 2017.");
        for t in ["day", "when", "where"] {
            assert!(dated.iter().any(|d| d == t), "{t} in {dated:?}");
        }
        // A year gives "when", not a day; a list is not a count; a ranking is not a count.
        let month = types("In June 2022 they met online.");
        assert!(month.iter().any(|d| d == "when") && !month.iter().any(|d| d == "day"));
        assert!(!types("ministries such as interior, defence, and IT")
            .iter()
            .any(|d| d == "count"));
        assert!(!types("India ranked 46th in the 2021 index")
            .iter()
            .any(|d| d == "count"));
        assert!(types("the MoC covers four areas")
            .iter()
            .any(|d| d == "count"));
        assert!(types("The dialogue discussed threats and mitigation.").is_empty());
    }

    #[test]
    fn a_declared_answer_type_overrides_the_words() {
        let vocabulary = Vocabulary::builtin();
        let mut fact = fact_saying("As nations recover, the timing is welcome.");
        let why = Wanted::of("why is the timing welcome");
        assert!(!AnswerKinds::of(&fact, &[], vocabulary).answers(&why));
        fact.answers = Some(vec!["why".into()]);
        assert!(AnswerKinds::of(&fact, &[], vocabulary).answers(&why));
    }

    #[test]
    fn an_answer_must_add_what_the_question_does_not_say() {
        let vocabulary = Vocabulary::builtin();
        let kinds = AnswerKinds::of(
            &fact_saying("The conference is to be held in November at New Delhi."),
            &[],
            vocabulary,
        );
        assert!(kinds.answers(&Wanted::of("where is the conference")));
        assert!(!kinds.answers(&Wanted::of("which venue in new delhi hosts the conference")));
        assert!(kinds.answers(&Wanted::of("which month is the conference")));
        assert!(!kinds.answers(&Wanted::of("what date in november is the conference")));
    }

    #[test]
    fn recognises_stated_quantities() {
        assert!(states_quantity("estimated at $227 billion"));
        assert!(states_quantity("up from 196 billion the previous year"));
        assert!(!states_quantity("India ranked 46th in the 2021 index"));
        assert!(!states_quantity("reviewed 5G telecommunications"));
    }

    #[test]
    fn when_before_a_verb_in_ing_asks_nothing() {
        assert_eq!(
            Wanted::of("what does that overlap bring when taking technology to market").intent,
            Intent::Any
        );
        assert_eq!(Wanted::of("when was the moc signed").intent, Intent::When);
        assert_eq!(
            Wanted::of("where was the meeting when talking about 5g").intent,
            Intent::Where
        );
    }
}
