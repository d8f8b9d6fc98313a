//! Reading a question: links dropped and length bounded ([`prepare`]), then each word turned
//! into a [`Slot`] of the index terms it may stand for — the word itself, a typo correction, a
//! a compound's parts, a synonym concept — and the event it names.

use super::score::{self, MAX_QUESTION_CHARS, MAX_QUESTION_TERMS};
use super::synonyms::SynonymTable;
use super::{english, entities, intent, normalize, Engine};

/// What of a question is read: links dropped (a pasted URL is not what the question is
/// about, and its pieces would dilute the words that are), then as many characters as fold
/// ([`normalize::fold_char`]) to at most [`MAX_QUESTION_CHARS`]. The bound is on the folded
/// text because that is what every later pass reads: one compatibility character (㌖, ﷺ)
/// folds to up to 18 letters, so a cap on typed characters alone let a 500-character question
/// cost as much as a 9,000-letter one.
pub(super) fn prepare(question: &str) -> String {
    let mut kept = String::with_capacity(question.len().min(MAX_QUESTION_CHARS * 4));
    for word in question.split_inclusive(char::is_whitespace) {
        let link =
            word.contains("://") || word.trim_start_matches(['(', '[', '<']).starts_with("www.");
        if !link {
            kept.push_str(word);
        }
        if kept.len() >= MAX_QUESTION_CHARS * 4 {
            break;
        }
    }
    let kept = within_folded_length(&kept, MAX_QUESTION_CHARS);
    let kept = small_numbers_spelled_out(&chat_spellings_spelled_out(kept));
    entities::mark_lowercase_countries(&entities::capitals_as_countries(&kept))
}

/// The longest prefix of `text` whose folded form has at most `max` characters.
fn within_folded_length(text: &str, max: usize) -> &str {
    let mut folded = 0;
    let mut buf = String::new();
    for (at, ch) in text.char_indices() {
        folded += if ch.is_ascii() {
            1
        } else {
            buf.clear();
            normalize::fold_char(ch, &mut buf);
            buf.chars().count()
        };
        if folded > max {
            return &text[..at];
        }
    }
    text
}

/// Chat spellings of question and function words, with the word they stand for (sorted).
/// Some are real words to a dictionary ("wen", "wat"), so the typo pass would keep them, and
/// the question word decides what kind of answer is wanted ("wen" asks for a date).
const CHAT_SPELLINGS: &[(&str, &str)] = &[
    ("abt", "about"),
    ("cud", "could"),
    ("hw", "how"),
    ("shud", "should"),
    ("wat", "what"),
    ("wen", "when"),
    ("wer", "where"),
    ("wht", "what"),
    ("wot", "what"),
    ("wud", "would"),
    ("wut", "what"),
];

/// The question with [`CHAT_SPELLINGS`] written out, whole words only, any case.
fn chat_spellings_spelled_out(question: &str) -> String {
    let mut out = String::with_capacity(question.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let lower = word.to_ascii_lowercase();
        match CHAT_SPELLINGS.binary_search_by_key(&lower.as_str(), |&(chat, _)| chat) {
            Ok(i) => out.push_str(CHAT_SPELLINGS[i].1),
            Err(_) => match mistyped_function_word(&lower) {
                Some(meant) => out.push_str(meant),
                None => out.push_str(word),
            },
        }
        word.clear();
    };
    for c in question.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '’' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Words that start the part of a question that asks, rather than a preamble ("I'm writing a
/// report on …, so which …?").
const ASKING_WORDS: &[&str] = &[
    "how", "what", "when", "where", "which", "who", "whom", "whose", "why",
];

/// Questions longer than this many words are also split at commas when looking for the part
/// that asks: in a short question a comma sets off a detail of the question itself ("which
/// areas, like 5G, did the MoC cover?"); in a long one it more often ends a preamble.
const SPLIT_AT_COMMAS_FROM_WORDS: usize = 20;

/// The byte range of `question` that asks: from the start of the last clause holding a
/// question word to the end. Clauses end at a full stop, question or exclamation mark,
/// semicolon, colon or line break (and at commas in long questions). The whole question when
/// no clause holds one, or the first does.
pub(super) fn asking_clause(question: &str) -> std::ops::Range<usize> {
    let long = question.split_whitespace().count() > SPLIT_AT_COMMAS_FROM_WORDS;
    let is_end = |c: char| matches!(c, '.' | '?' | '!' | ';' | ':' | '\n') || (long && c == ',');
    let mut starts = vec![0];
    for (at, c) in question.char_indices() {
        if is_end(c) {
            starts.push(at + c.len_utf8());
        }
    }
    let asks = |range: std::ops::Range<usize>| {
        question[range]
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| {
                let w = w.to_ascii_lowercase();
                ASKING_WORDS.contains(&w.as_str())
            })
    };
    let mut chosen = 0;
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(question.len());
        if asks(start..end) {
            chosen = start;
        }
    }
    chosen..question.len()
}

/// The words a clause asks about: the first content word after "about" or "regarding" ("what
/// did they say about ransomware"). The noun after "which" is not one: "which edition" is
/// answered by "the 5th", a word the question does not use.
fn asked_words(clause: &str) -> Vec<String> {
    const SKIPPED: &[&str] = &["specific", "exact", "exactly", "particular"];
    let words: Vec<String> = normalize::tokenize(clause)
        .into_iter()
        .filter(|t| !t.compound)
        .map(|t| t.text)
        .collect();
    let content = |w: &String| !normalize::is_stop_word(w) && !SKIPPED.contains(&w.as_str());
    let mut asked = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if word != "about" && word != "regarding" {
            continue;
        }
        let after = words[i + 1..]
            .iter()
            .skip_while(|w| SKIPPED.contains(&w.as_str()) || !content(w));
        asked.extend(after.take(1).cloned());
    }
    asked
}

/// "Which Indian cities are …": the words "which indian cities" and the noun ("cities"), the
/// last of the content words right after "which". None after "which of" or when the noun
/// only frames the question ("which one", "what kind").
fn which_noun(clause: &str) -> Option<(String, Vec<String>)> {
    const FRAMES: &[&str] = &[
        "one",
        "ones",
        "thing",
        "things",
        "way",
        "ways",
        "kind",
        "kinds",
        "sort",
        "type",
        "types",
        "specific",
        "exact",
        "particular",
    ];
    noun_after(clause, &["which"], FRAMES)
}

/// "How many Indian cities …": the words "how many indian cities" and the noun counted
/// ("cities"). A fact that never names what is counted counts something else: the MoC's four
/// areas are not "how many incidents were shared under the MoC".
fn counted_noun(clause: &str) -> Option<(String, Vec<String>)> {
    noun_after(clause, &["how", "many"], &[])
}

/// The words from `cue` to the noun after it, and the noun: the last of up to three content
/// words after the cue, past any of `frames` ("which kind of …"). None when that word names a
/// country (a country before the noun only says whose: "which indian cities").
fn noun_after(clause: &str, cue: &[&str], frames: &[&str]) -> Option<(String, Vec<String>)> {
    let words: Vec<String> = normalize::tokenize(clause)
        .into_iter()
        .filter(|t| !t.compound)
        .map(|t| t.text)
        .collect();
    let at = words
        .windows(cue.len())
        .position(|w| w.iter().zip(cue).all(|(a, b)| a == b))?;
    let run: Vec<&String> = words[at + cue.len()..]
        .iter()
        .skip_while(|w| frames.contains(&w.as_str()))
        .take_while(|w| !normalize::is_stop_word(w) && !frames.contains(&w.as_str()))
        .take(3)
        .collect();
    let noun = run
        .last()
        .filter(|w| entities::country_named(w).is_none())?;
    let phrase = cue
        .iter()
        .copied()
        .chain(run.iter().map(|w| w.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    Some((phrase, vec![noun.to_string()]))
}

/// Share of its weight a word of the preamble keeps (a word before the clause that asks): it
/// may say what the question is about ("on the India–Japan MoC, …"), but the clause that
/// asks says what is wanted.
pub(super) const PREAMBLE_SHARE: f32 = 0.35;

/// Function and question words people mistype. They are in no index (stop words), so the
/// typo pass cannot correct to them, and a question word decides what is asked.
const FUNCTION_WORDS: &[&str] = &[
    "about", "and", "are", "between", "did", "does", "for", "from", "how", "that", "the", "their",
    "they", "this", "was", "were", "what", "when", "where", "which", "who", "whose", "why", "with",
];

/// The function word `word` (lowercase) mistypes: two neighbouring letters swapped ("teh",
/// "waht", "wehn"), or, from five letters, any one edit ("whcih" is both). Only for words
/// that are no English word themselves.
fn mistyped_function_word(word: &str) -> Option<&'static str> {
    if word.len() < 3
        || !word.chars().all(|c| c.is_ascii_alphabetic())
        || FUNCTION_WORDS.contains(&word)
    {
        return None;
    }
    // Two neighbouring letters swapped, found without allocating (this runs for every word
    // of every question against every function word).
    let swapped = |f: &str| {
        let (a, b) = (f.as_bytes(), word.as_bytes());
        a.len() == b.len()
            && a.iter().zip(b).position(|(x, y)| x != y).is_some_and(|i| {
                i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..]
            })
    };
    // One edit changes the length by one at most: most words are turned away before the
    // (allocating) edit distance is computed.
    let meant = FUNCTION_WORDS.iter().copied().find(|f| {
        swapped(f)
            || (word.len() >= 5
                && word.len().abs_diff(f.len()) <= 1
                && strsim::damerau_levenshtein(word, f) == 1)
    })?;
    // A real word is no slip, however close ("those" is not "whose"): looked up last, since
    // the lookup allocates and most words are near no function word at all.
    (!normalize::is_stop_word(word) && !english::is_english_word(word)).then_some(meant)
}

/// A small number written in digits, as the word people also write ("the 2 countries" and
/// "the two countries" ask the same).
fn small_number(word: &str) -> Option<&'static str> {
    const WORDS: [&str; 9] = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    word.parse::<usize>()
        .ok()
        .filter(|n| (2..=10).contains(n) && !word.starts_with('0'))
        .map(|n| WORDS[n - 2])
}

/// The question with each word that is a small number alone ("the 2 countries", "2?") written
/// as a word; numbers inside a token ("5G", "$2", "3.5") stay.
fn small_numbers_spelled_out(question: &str) -> String {
    if !question.bytes().any(|b| b.is_ascii_digit()) {
        return question.to_string();
    }
    question
        .split_inclusive(char::is_whitespace)
        .map(|token| {
            let body = token.trim_end();
            let digits = body.trim_end_matches(['?', '!', ',', ';']);
            let tail = &token[digits.len()..];
            match small_number(digits) {
                Some(word) => format!("{word}{tail}"),
                None => token.to_string(),
            }
        })
        .collect()
}

/// Question words that only frame it (sorted for binary search).
const QUESTION_FILLER: &[&str] = &[
    "according",
    "bot",
    "ed",
    "fact",
    "facts",
    "guy",
    "mention",
    "mentioned",
    "mentions",
    "op",
    "per",
    "somewhere",
    "today",
    "tonight",
];

/// Words for an article (folded surface forms).
const SOURCE_WORDS: &[&str] = &[
    "article", "artical", "blog", "column", "op", "oped", "piece", "report", "story", "writeup",
];

/// Whether `term` is a year right before a word for an article ("the 2022 op-ed", "2017
/// ndm report"): the year the article appeared, not necessarily the year of the fact.
fn dates_source(terms: &[normalize::Term], term: &normalize::Term) -> bool {
    let year = term.surface.len() == 4
        && term.surface.chars().all(|c| c.is_ascii_digit())
        && (term.surface.starts_with("19") || term.surface.starts_with("20"));
    year && terms.iter().any(|t| {
        !t.compound
            && t.position > term.position
            && t.position <= term.position + 2
            && SOURCE_WORDS.contains(&t.surface.as_str())
    })
}

/// Byte ranges of the question that name who says it rather than what is asked: "according
/// to the ndm report, who headed …", "… according to nasscom". They run from "according to"
/// to the next comma or stop, or to the question word that starts the question proper.
fn source_phrases(question: &str) -> Vec<std::ops::Range<usize>> {
    const OPENERS: &[&str] = &["according to", "as per"];
    const QUESTION_WORDS: &[&str] = &[
        " who ", " what ", " when ", " where ", " which ", " how ", " did ", " does ", " do ",
        " is ", " was ", " were ",
    ];
    let lower = question.to_lowercase();
    if lower.len() != question.len() {
        return Vec::new(); // offsets would not carry over
    }
    let mut spans = Vec::new();
    for opener in OPENERS {
        for (at, _) in lower.match_indices(opener) {
            let start = at + opener.len();
            let rest = &lower[start..];
            let stop = rest.find([',', '?', ';', '.', '!']).unwrap_or(rest.len());
            let asked = QUESTION_WORDS
                .iter()
                .filter_map(|w| rest.find(w))
                .min()
                .unwrap_or(rest.len());
            spans.push(start..start + stop.min(asked));
        }
    }
    spans
}

/// Whether `word` (not a word of the knowledge base, nor of English) is one edit from a
/// question word of five letters or more: stop words are in no index, so the typo pass
/// cannot correct to them.
fn mistyped_question_word(word: &str) -> bool {
    const QUESTION_WORDS: &[&str] = &["about", "where", "which", "whose"];
    word.len() >= 4
        && QUESTION_WORDS
            .iter()
            .any(|q| strsim::damerau_levenshtein(word, q) == 1)
}

/// One word of the question with the index terms it may stand for.
#[derive(Debug)]
pub(super) struct Slot {
    pub(super) typed: String,
    /// (term, factor, share): factor discounts typos and synonyms; share splits a multi-word
    /// synonym's score across the words it spans so it is counted once.
    pub(super) alternatives: Vec<(u32, f32, f32)>,
    pub(super) weight: f32,
    /// Share of its weight the word keeps ([`score::EXPANSION_CONTEXT_SHARE`] for the words
    /// around an acronym; 1 otherwise), already applied to `weight`, for BM25F.
    pub(super) focus: f32,
    pub(super) stem: String,
    /// A number or a country: a fact that lacks it is probably about something else.
    pub(super) entity: bool,
    /// A word of the preamble, before the clause that asks: it counts towards a fact's
    /// coverage only when the fact has it (it may say what the question is about, but a
    /// fact need not share a word of "I'm writing a report for my class").
    pub(super) preamble: bool,
    /// A year that dates the article asked about ("the 2022 op-ed"): a fact cited from an
    /// article of that year has it.
    pub(super) source_year: bool,
    /// The country the question names after "with" ([`entities::sides`]): a fact about the
    /// asked side alone need not name it.
    pub(super) counterpart: bool,
}

pub(super) struct Query {
    /// The kind of answer asked for, and the attributes named (answer-type checks).
    pub(super) wanted: intent::Wanted,
    /// The event the question names, if any ([`Engine::named_event`]).
    pub(super) event: Option<u32>,
    /// The words that named it, taken out of `slots` (not scored), still shown as matched
    /// and highlighted in the answer's quotes.
    pub(super) event_slots: Vec<Slot>,
    pub(super) slots: Vec<Slot>,
    /// Every index term any slot may stand for, sorted.
    pub(super) all_terms: Vec<u32>,
    pub(super) total_weight: f32,
    /// Whether preamble words count only where a fact has them: the clause that asks has
    /// words some fact has.
    pub(super) preamble_optional: bool,
    pub(super) corrections: Vec<(String, String)>,
    pub(super) concepts: Vec<usize>,
    /// The terms of `slots` and `event_slots`, sorted: recall records which of the first 64
    /// each fact holds ([`super::recall::Recalled::hits`]).
    pub(super) hit_terms: Vec<u32>,
    /// The one country whose side the question asks about ([`entities::sides`]).
    pub(super) side: Option<&'static str>,
    /// A word the question asks about that no fact has, as typed: the thing after "about"
    /// ("what did they say about ransomware"). The closest fact is about something else,
    /// however many other words match.
    pub(super) asked_unknown: Option<String>,
    /// "Which cities": the noun a which-question asks an instance of, when it asks for no
    /// typed answer (a date, a place).
    pub(super) asked_noun: Option<AskedNoun>,
    /// "How many incidents": what a counting question counts.
    pub(super) counted_noun: Option<AskedNoun>,
}

/// The words after "which" in a "which N" question, with the stems of every word of the
/// question: a fact that mentions N only the way the question does ("smart city projects"
/// for "which cities are in the smart city projects") does not say which.
pub(super) struct AskedNoun {
    /// "which cities", for the reply.
    pub(super) phrase: String,
    /// The noun, lowercase, and its stem.
    pub(super) words: Vec<String>,
    pub(super) stems: Vec<String>,
    pub(super) question_stems: Vec<String>,
}

impl Engine {
    pub(super) fn parse_query(&self, question: &str) -> Query {
        let ix = &self.index;
        // What is asked is read from the clause that asks, not from a preamble's "when I read
        // about who …"; its words are read first (below).
        let asking = asking_clause(question);
        let mut terms = ix.analyzer.terms(question);
        let wanted = intent::Wanted::with(
            &question[asking.clone()],
            &self.kb.vocabulary,
            terms.iter().any(|t| ix.person_stems.contains(&t.stem)),
        );
        let (side, counterpart) = entities::sides(question);
        if wanted.intent == intent::Intent::Expansion {
            // "stand for", "full form" say what is asked, not what it is about.
            terms.retain(|t| !intent::is_expansion_frame(&t.surface));
        }
        // Words that point at the source rather than name a topic ("according to", "per the
        // op-ed", "does it mention"): dropped from questions only, since in the articles'
        // own text they are ordinary words.
        // Read before the filler goes: "op" in "the 2022 op-ed" is filler, and says the year
        // dates the article.
        let source_years: Vec<u32> = terms
            .iter()
            .filter(|t| dates_source(&terms, t))
            .map(|t| t.position)
            .collect();
        terms.retain(|t| QUESTION_FILLER.binary_search(&t.surface.as_str()).is_err());
        // The source a question cites picks nothing out ("according to the ndm report, who
        // headed …" is not about the report), unless nothing else is asked. A year stays: it
        // dates the article ([`dates_source`]).
        let cited = source_phrases(question);
        let in_cited = |t: &normalize::Term| {
            !source_years.contains(&t.position)
                && cited.iter().any(|span| span.contains(&t.range.start))
        };
        if terms.iter().any(|t| !t.compound && !in_cited(t)) {
            terms.retain(|t| !in_cited(t));
        }
        let mut slots: Vec<Slot> = Vec::new();
        let mut corrections = Vec::new();
        let mut slot_of_term = vec![usize::MAX; terms.len()];
        // The clause that asks is read first, so a long preamble cannot crowd it out of the
        // [`MAX_QUESTION_TERMS`] words read.
        let in_preamble = |t: &normalize::Term| t.range.start < asking.start;
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_by_key(|&i| in_preamble(&terms[i]));
        // A word read before (same spelling, same part of the question) is read the same way
        // again: its typo lookup, the costliest step here, is done once per question, however
        // often a question repeats it. The slot it went to, or `None` if it was skipped.
        let mut read_before: rustc_hash::FxHashMap<(&str, bool), (Option<usize>, String)> =
            Default::default();
        let surfaces: Vec<String> = terms.iter().map(|t| t.surface.clone()).collect();
        for i in order {
            let term = &mut terms[i];
            if term.compound || slots.len() >= MAX_QUESTION_TERMS {
                continue;
            }
            let preamble = term.range.start < asking.start;
            if let Some((slot, stem)) = read_before.get(&(surfaces[i].as_str(), preamble)) {
                if let Some(slot) = *slot {
                    term.stem = stem.clone();
                    slot_of_term[i] = slot;
                }
                continue;
            }
            let read = 'read: {
                let mut slot = Slot {
                    typed: question[term.range.clone()].to_string(),
                    alternatives: Vec::new(),
                    weight: 0.0,
                    focus: 1.0,
                    stem: term.stem.clone(),
                    entity: entities::is_entity(&term.stem)
                        || entities::is_entity(&term.surface)
                        || ix.person_stems.contains(&term.stem),
                    preamble,
                    source_year: source_years.contains(&term.position),
                    counterpart: counterpart.is_some() && {
                        let typed = question[term.range.clone()].to_lowercase();
                        let word = typed.trim_end_matches("'s").trim_end_matches("’s");
                        entities::country_named(word) == counterpart
                    },
                };
                if let Some(&id) = ix.term_ids.get(&term.stem) {
                    slot.alternatives.push((id, 1.0, 1.0));
                    if preamble {
                        slot.focus = PREAMBLE_SHARE;
                        // A country or number of the preamble sets the scene ("the Indian foreign
                        // ministry released a statement"); it does not restrict the answer.
                        slot.entity = false;
                    }
                } else if preamble {
                    // A preamble word no fact has ("I'm a student") tells nothing about the
                    // answer: neither evidence nor an unknown topic.
                    break 'read None;
                } else if english::is_english_word(&term.surface) {
                    // A real word is not a typo: no fact has it, and it stays unknown.
                } else if mistyped_question_word(&term.surface) {
                    // "whic", "wher": a question word, mistyped, is no unknown topic.
                    break 'read None;
                } else if let Some((word, distance)) = self.best_correction(&term.surface) {
                    let stem = ix.analyzer.stem(&word);
                    corrections.push((slot.typed.clone(), word));
                    if let Some(&id) = ix.term_ids.get(&stem) {
                        slot.alternatives
                            .push((id, score::typo_factor(distance), 1.0));
                    }
                    // The corrected stem may still spell a synonym ("jetro") though no fact has it.
                    term.stem = stem.clone();
                    slot.stem = stem;
                }
                // A word asked twice counts once ("india japan india").
                if let Some(same) = slots.iter().position(|s| s.stem == slot.stem) {
                    break 'read Some(same);
                }
                slots.push(slot);
                Some(slots.len() - 1)
            };
            if let Some(slot) = read {
                slot_of_term[i] = slot;
            }
            read_before.insert((&surfaces[i], preamble), (read, term.stem.clone()));
        }
        // Compounds ("e-dialogue") stand for the words they join.
        for term in terms.iter().filter(|t| t.compound) {
            if let Some(&id) = ix.term_ids.get(&term.stem) {
                for (j, part) in terms.iter().enumerate() {
                    if !part.compound
                        && part.range.start >= term.range.start
                        && part.range.end <= term.range.end
                        && slot_of_term[j] != usize::MAX
                    {
                        slots[slot_of_term[j]].alternatives.push((id, 1.0, 1.0));
                    }
                }
            }
        }
        let mut concepts = Vec::new();
        for found in ix.synonyms.find(&terms) {
            let Some(&id) = ix.term_ids.get(&SynonymTable::concept_key(found.concept)) else {
                continue;
            };
            concepts.push(found.concept);
            let covered: Vec<usize> = (found.first..=found.last)
                .map(|t| slot_of_term[t])
                .filter(|&s| s != usize::MAX)
                .collect();
            let share = 1.0 / covered.len().max(1) as f32;
            for s in covered {
                slots[s]
                    .alternatives
                    .push((id, score::SYNONYM_FACTOR, share));
            }
        }
        // The word an expansion question asks about: an acronym some quote spells out.
        let names_acronym = |s: &Slot| ix.acronyms.contains(&s.typed.to_lowercase());
        // An event named in the question narrows the candidates (see `rank`); its words are not
        // evidence for the fact that merely says the event happened — unless they are all the
        // question says.
        let event = self.named_event(&terms);
        let mut event_slots = Vec::new();
        if let Some((_, stems)) = &event {
            // A word the alias uses that the question also says outside it stays evidence:
            // "Japan's" in "who led Japan's delegation at the Japan-India dialogue".
            let said = |stem: &str| {
                terms
                    .iter()
                    .filter(|t| !t.compound && t.stem == stem)
                    .count()
            };
            // Nor is the acronym an expansion question asks about ("what is the MoC short for").
            let asked = |s: &Slot| wanted.intent == intent::Intent::Expansion && names_acronym(s);
            let named_only = |s: &Slot| stems.contains(&s.stem) && said(&s.stem) < 2 && !asked(s);
            let rest_known = slots
                .iter()
                .any(|s| !named_only(s) && !s.alternatives.is_empty());
            if rest_known {
                let (named, rest): (Vec<Slot>, Vec<Slot>) = slots.into_iter().partition(named_only);
                slots = rest;
                event_slots = named;
            }
        }
        for slot in &mut slots {
            slot.weight = slot
                .alternatives
                .iter()
                .map(|&(t, _, _)| ix.idf[t as usize] * ix.boost[t as usize])
                .fold(0.0, f32::max);
            if slot.alternatives.is_empty() {
                slot.weight = ix.unknown_idf * score::UNKNOWN_WORD_FACTOR;
            }
            slot.weight *= slot.focus;
        }
        // "What does IP stand for in the 2022 piece": the acronym is what is asked; the other
        // words only choose between the facts that spell it out.
        if wanted.intent == intent::Intent::Expansion && slots.iter().any(names_acronym) {
            for slot in slots.iter_mut().filter(|s| !names_acronym(s)) {
                slot.weight *= score::EXPANSION_CONTEXT_SHARE;
                slot.focus = score::EXPANSION_CONTEXT_SHARE;
            }
        }
        concepts.sort_unstable();
        concepts.dedup();
        let mut all_terms: Vec<u32> = slots
            .iter()
            .flat_map(|s| s.alternatives.iter().map(|a| a.0))
            .collect();
        all_terms.sort_unstable();
        all_terms.dedup();
        let mut hit_terms: Vec<u32> = all_terms
            .iter()
            .copied()
            .chain(
                event_slots
                    .iter()
                    .flat_map(|s| s.alternatives.iter().map(|a| a.0)),
            )
            .collect();
        hit_terms.sort_unstable();
        hit_terms.dedup();
        let asked_unknown = asked_words(&question[asking.clone()])
            .into_iter()
            .find(|word| {
                slots
                    .iter()
                    .any(|s| s.alternatives.is_empty() && s.typed.eq_ignore_ascii_case(word))
            });
        let question_stems: Vec<String> = normalize::tokenize(question)
            .into_iter()
            .map(|t| ix.analyzer.stem(&t.text))
            .collect();
        let asked = |(phrase, run): (String, Vec<String>)| AskedNoun {
            phrase,
            stems: run.iter().map(|w| ix.analyzer.stem(w)).collect(),
            words: run,
            question_stems: question_stems.clone(),
        };
        let asked_noun = (wanted.intent == intent::Intent::Any)
            .then(|| which_noun(&question[asking.clone()]))
            .flatten()
            .map(asked);
        // "How many billion dollars" asks an amount, which "$227 billion" states.
        let counted_noun = (wanted.intent != intent::Intent::Quantity)
            .then(|| counted_noun(&question[asking.clone()]))
            .flatten()
            .map(asked);
        Query {
            asked_noun,
            counted_noun,
            asked_unknown,
            side,
            hit_terms,
            event: event.map(|(e, _)| e),
            event_slots,
            wanted,
            preamble_optional: slots
                .iter()
                .any(|s| !s.preamble && !s.alternatives.is_empty()),
            // A preamble word counts only where a fact has it (see [`Slot::preamble`]), unless
            // the clause that asks has no word any fact has.
            total_weight: {
                let asking: f32 = slots.iter().filter(|s| !s.preamble).map(|s| s.weight).sum();
                if asking > 0.0 {
                    asking
                } else {
                    slots.iter().map(|s| s.weight).sum()
                }
            },
            all_terms,
            slots,
            corrections,
            concepts,
        }
    }

    /// The event whose alias the question contains in full (most words wins; two events
    /// tied means none), with that alias's stems.
    pub(super) fn named_event(&self, terms: &[normalize::Term]) -> Option<(u32, Vec<String>)> {
        let stems: Vec<&str> = terms.iter().map(|t| t.stem.as_str()).collect();
        let mut best: Option<(u32, &Vec<String>)> = None;
        let mut tied = false;
        for (event, aliases) in self.index.event_aliases.iter().enumerate() {
            for alias in aliases {
                if !alias.iter().all(|s| stems.contains(&s.as_str())) {
                    continue;
                }
                match best {
                    Some((e, b))
                        if alias.len() < b.len()
                            || (alias.len() == b.len() && e == event as u32) => {}
                    Some((e, b)) if alias.len() == b.len() && e != event as u32 => tied = true,
                    _ => {
                        best = Some((event as u32, alias));
                        tied = false;
                    }
                }
            }
        }
        best.filter(|_| !tied).map(|(e, alias)| (e, alias.clone()))
    }

    /// The closest vocabulary word, preferring words that occur in more facts on a tie.
    fn best_correction(&self, surface: &str) -> Option<(String, usize)> {
        let ix = &self.index;
        let corrections = ix.corrections(surface);
        let best_distance = corrections.first()?.1;
        corrections
            .into_iter()
            .take_while(|(_, d)| *d == best_distance)
            .max_by_key(|(word, _)| {
                let df = ix
                    .term_ids
                    .get(&ix.analyzer.stem(word))
                    .map_or(0, |&t| ix.doc_freq(t));
                (df, std::cmp::Reverse(word.clone()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_before_a_word_for_an_article_dates_the_article() {
        let analyzer = normalize::Analyzer::default();
        let dated = |question: &str| {
            let terms = analyzer.terms(question);
            terms.iter().any(|t| dates_source(&terms, t))
        };
        assert!(dated("per the 2022 op-ed, who wrote it"));
        assert!(dated("in the 2017 ndm report"));
        assert!(!dated("who led india in 2017"));
        assert!(!dated("what did the 2022 dialogue review"));
    }

    #[test]
    fn filler_is_sorted_for_binary_search() {
        assert!(QUESTION_FILLER.windows(2).all(|w| w[0] < w[1]));
        assert!(CHAT_SPELLINGS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn a_mistyped_question_word_is_recognised() {
        assert!(mistyped_question_word("whic") && mistyped_question_word("wher"));
        assert!(!mistyped_question_word("gccs") && !mistyped_question_word("who"));
    }

    #[test]
    fn the_source_a_question_cites_runs_to_the_comma_or_the_question_word() {
        let cited = |q: &'static str| -> Vec<&'static str> {
            source_phrases(q).into_iter().map(|r| &q[r]).collect()
        };
        assert_eq!(
            cited("according to the ndm report, who headed india's team"),
            [" the ndm report"]
        );
        assert_eq!(
            cited("how many people work in IT according to nasscom"),
            [" nasscom"]
        );
        assert_eq!(
            cited("according to the article who led japan"),
            [" the article"]
        );
        assert!(cited("who led japan").is_empty());
    }

    #[test]
    fn chat_spellings_are_written_out_as_whole_words() {
        assert_eq!(
            chat_spellings_spelled_out("wen was the e-dialogue? Wat did they say"),
            "when was the e-dialogue? what did they say"
        );
        assert_eq!(chat_spellings_spelled_out("wendy watched"), "wendy watched");
    }
}
