//! Composing the answer from the ranked candidates: the best fact with its citations (matched
//! words highlighted in a snippet), an ambiguous second, related facts, or a decline with
//! suggestions — each with an explanation of how the question was read and scored.

use std::collections::HashSet;

use super::intent::Intent;
use super::normalize;
use super::query::{AskedNoun, Query};
use super::rerank::Candidate;
use super::score::Signals;
use super::synonyms::SynonymTable;
use super::{score, snippet, Engine};
use crate::answer::{
    Answer, CitedQuote, DeclineReason, Expansion, Explanation, FactCard, FactSummary, Found,
    Missing, NoMatch, NotStated,
};
use crate::knowledge::Citation;

impl Engine {
    pub(super) fn answer(&self, query: &Query, ranked: &[Candidate]) -> Answer {
        let fingerprint = self.kb.fingerprint.clone();
        let Some(best) = ranked.first() else {
            return Answer::NoMatch(NoMatch {
                confidence: 0.0,
                reason: DeclineReason::TooFar,
                suggestions: Vec::new(),
                not_stated: None,
                explanation: self.explain(query, None, &HashSet::new()),
                fingerprint,
            });
        };
        let matched = self.matched_terms(query, best);
        let explanation = self.explain(query, Some(best), &matched);
        // One word the question shares with two facts alike ("what did they say no country
        // should do": only "country") does not single either out: offer both, answer neither.
        let known_words = query
            .slots
            .iter()
            .filter(|s| !s.alternatives.is_empty())
            .count();
        let undecided = known_words <= 1
            && ranked.get(1).is_some_and(|second| {
                best.confidence - second.confidence < score::AMBIGUITY_MARGIN
            });
        // Nor is one word the fact never says itself, only in the phrasings written to find
        // it ("what day is it today" and an alternate question's "present-day"), unless the
        // question also names an event ("second cyber dialogue date").
        let unstated = known_words == 1
            && query.event.is_none()
            && !query.slots.iter().any(|slot| {
                slot.alternatives
                    .iter()
                    .any(|&(term, _, _)| self.index.states(term, best.doc))
            });
        // What the best fact is about is what was asked, but it does not give the asked
        // detail (a date, a place, a reason), or the question turns on a word no fact has
        // ("ransomware"): say what the articles do say, and that they do not say this.
        // The fact closest to the subject may rank below one that merely gives the asked
        // type of answer: "which state hosts the smart city projects" is about the smart
        // city fact, though a fact naming a city outranks it once it is marked down for
        // naming none.
        let subject = if best.confidence < self.decline_below {
            ranked
                .iter()
                .take(score::EXACT_RANKS)
                .max_by(|a, b| subject_confidence(a).total_cmp(&subject_confidence(b)))
                .filter(|c| subject_confidence(c) > best.confidence)
                .unwrap_or(best)
        } else {
            best
        };
        if !undecided && !unstated {
            if let Some(missing) = self.missing(query, subject) {
                let matched = self.matched_terms(query, subject);
                return Answer::NoMatch(NoMatch {
                    confidence: subject.confidence,
                    reason: DeclineReason::NotStated,
                    suggestions: Vec::new(),
                    not_stated: Some(Box::new(NotStated {
                        missing,
                        fact: self.card(subject.doc),
                        citations: self.kb.facts[subject.doc]
                            .citations
                            .iter()
                            .map(|c| self.cite(c, &matched))
                            .collect(),
                    })),
                    explanation,
                    fingerprint,
                });
            }
        }
        if best.confidence < self.decline_below || undecided || unstated {
            let suggestions = ranked
                .iter()
                .take(score::SUGGESTION_COUNT)
                .filter(|c| c.confidence >= score::SUGGESTION_MIN)
                .map(|c| self.summary(c.doc))
                .collect();
            return Answer::NoMatch(NoMatch {
                confidence: best.confidence,
                reason: if best.confidence < self.decline_below {
                    DeclineReason::TooFar
                } else if undecided {
                    DeclineReason::Tied
                } else {
                    DeclineReason::OneWord
                },
                suggestions,
                not_stated: None,
                explanation,
                fingerprint,
            });
        }
        let ambiguous_with = ranked
            .get(1)
            .filter(|second| {
                second.confidence >= self.decline_below
                    && best.confidence - second.confidence < score::AMBIGUITY_MARGIN
            })
            .map(|second| self.summary(second.doc));
        let fact = &self.kb.facts[best.doc];
        Answer::Found(Found {
            fact: self.card(best.doc),
            citations: fact
                .citations
                .iter()
                .map(|c| self.cite(c, &matched))
                .collect(),
            confidence: best.confidence,
            related: self.related(ranked, best.doc, ambiguous_with.as_ref()),
            expansion: self.expansion(query, best.doc),
            ambiguous_with,
            explanation,
            fingerprint,
        })
    }

    /// What the question asks that the best fact does not state, when the fact is close
    /// enough to be what the question is about: the asked answer type or detail it does not
    /// give, or a word of the question that no fact contains.
    fn missing(&self, query: &Query, best: &Candidate) -> Option<Missing> {
        let s = &best.signals;
        // Only a fact about what was asked can say what the articles say of it: not one of
        // another event, another side, another year or country.
        if s.event_mismatch || s.side_mismatch || s.entity_mismatches > 0 {
            return None;
        }
        if s.intent_mismatch || s.expansion_mismatch {
            // The fact is about the subject if it would be answered but for the answer type.
            if subject_confidence(best) >= self.decline_below {
                // A word no fact has says more than the detail: "what did the ambassador say
                // about ransomware" is not stated because nothing mentions ransomware.
                if let Some(word) = &query.asked_unknown {
                    return Some(Missing::Word(word.clone()));
                }
                return Some(Missing::Detail(
                    query
                        .wanted
                        .missing(&self.index.docs[best.doc].kinds, &self.kb.vocabulary),
                ));
            }
            return None;
        }
        if best.confidence < self.decline_below {
            return None;
        }
        if let Some(noun) = &query.counted_noun {
            if !self.names(noun, best.doc) {
                return Some(Missing::Detail(noun.phrase.clone()));
            }
        }
        if let Some(noun) = &query.asked_noun {
            if !self.says_which(noun, best.doc) {
                return Some(Missing::Detail(noun.phrase.clone()));
            }
        }
        query
            .asked_unknown
            .as_ref()
            .map(|word| Missing::Word(word.clone()))
    }

    /// Whether fact `doc` says which of the asked thing it means. It does when it mentions
    /// none of the words after "which" (no judgement), or when a mention has a word beside it
    /// that the question does not use ("smart island and smart city projects" says which
    /// projects, "the law firm Kochhar" which firm, "the 5th Global Conference" which
    /// conference), or a list after it ("ministries such as interior, …"). "Japanese
    /// companies" does not say which Japanese companies.
    fn says_which(&self, noun: &AskedNoun, doc: usize) -> bool {
        const LIST_OPENERS: &[&str] = &["such", "including", "like", "namely", "from"];
        let fact = &self.kb.facts[doc];
        let analyzer = &self.index.analyzer;
        let new = |w: &String| {
            !normalize::is_stop_word(w) && !noun.question_stems.contains(&analyzer.stem(w))
        };
        let mut mentioned = false;
        for text in std::iter::once(&fact.answer).chain(fact.citations.iter().map(|c| &c.quote)) {
            let words: Vec<String> = normalize::tokenize(text)
                .into_iter()
                .filter(|t| !t.compound)
                .map(|t| t.text)
                .collect();
            for (i, word) in words.iter().enumerate() {
                if !noun.stems.contains(&analyzer.stem(word)) {
                    continue;
                }
                mentioned = true;
                // The content words right before it ("5th global conference"), and the one
                // right after it ("firm kochhar").
                let new_before = words[..i]
                    .iter()
                    .rev()
                    .take_while(|w| !normalize::is_stop_word(w))
                    .take(3)
                    .any(new);
                let after = words.get(i + 1);
                let list_after = after.is_some_and(|w| LIST_OPENERS.contains(&w.as_str()));
                if new_before || list_after || after.is_some_and(new) {
                    return true;
                }
            }
        }
        // A fact that never says the noun may still name one under another word ("which
        // generation" of "5G", "which bodies" of "the National Police Agency"); one that names
        // nothing the question does not already say ("industry and academia" for "which
        // universities") cannot say which.
        !mentioned && fact_names_something_new(fact, &noun.question_stems, analyzer)
    }

    /// Whether fact `doc`'s title, answer or quotes name the noun, or the noun is one that
    /// asks for an answer type the fact gives: what a fact counts, it names ("four areas",
    /// "offices in New Delhi, Mumbai, …"), or its names are of that kind ("how many
    /// agencies" of a fact listing agencies by name, which gives "who").
    fn names(&self, noun: &AskedNoun, doc: usize) -> bool {
        let fact = &self.kb.facts[doc];
        let analyzer = &self.index.analyzer;
        let vocabulary = &self.kb.vocabulary;
        let kinds = &self.index.docs[doc].kinds;
        let gives = &kinds.gives;
        // Bodies listed ("officials from the National Police Agency, …") are no count of
        // officials: people are counted only where the fact names people.
        let of_people = noun.words.iter().any(|w| super::intent::is_person_noun(w));
        if of_people && !kinds.person {
            return false;
        }
        let kind_given = vocabulary.answer_types.iter().any(|t| {
            vocabulary
                .intent_named(&t.name)
                .is_some_and(|intent| gives.contains(&intent))
                && t.asks_which
                    .iter()
                    .any(|w| noun.stems.contains(&analyzer.stem(w)))
        });
        kind_given
            || [&fact.title, &fact.answer]
                .into_iter()
                .chain(fact.citations.iter().map(|c| &c.quote))
                .any(|text| {
                    normalize::tokenize(text)
                        .iter()
                        .any(|t| noun.stems.contains(&analyzer.stem(&t.text)))
                })
    }

    fn card(&self, doc: usize) -> FactCard {
        let fact = &self.kb.facts[doc];
        FactCard {
            id: fact.id.clone(),
            kind: fact.kind,
            title: fact.title.clone(),
            answer: fact.answer.clone(),
            date: fact.date.map(|d| d.to_string()),
        }
    }

    /// For an expansion question, the acronym as the user typed it and the fact's expansion.
    fn expansion(&self, query: &Query, doc: usize) -> Option<Box<Expansion>> {
        if query.wanted.intent != Intent::Expansion {
            return None;
        }
        let (acronym, expansion) = self.index.docs[doc].kinds.expansion(&query.wanted)?;
        let typed = query
            .slots
            .iter()
            .map(|s| s.typed.as_str())
            .find(|t| t.eq_ignore_ascii_case(acronym))
            .map_or_else(|| acronym.to_uppercase(), str::to_string);
        Some(Box::new(Expansion {
            acronym: typed,
            expansion: expansion.clone(),
        }))
    }

    fn summary(&self, doc: usize) -> FactSummary {
        let fact = &self.kb.facts[doc];
        FactSummary {
            id: fact.id.clone(),
            title: fact.title.clone(),
        }
    }

    /// Up to [`score::RELATED_COUNT`] related facts: the next-best matches, then facts sharing the most topics.
    fn related(
        &self,
        ranked: &[Candidate],
        best: usize,
        ambiguous: Option<&FactSummary>,
    ) -> Vec<FactSummary> {
        let skip =
            |doc: usize| doc == best || ambiguous.is_some_and(|a| a.id == self.kb.facts[doc].id);
        let mut related: Vec<usize> = ranked
            .iter()
            .filter(|c| c.confidence >= score::RELATED_MIN && !skip(c.doc))
            .map(|c| c.doc)
            .take(score::RELATED_COUNT)
            .collect();
        if related.len() < score::RELATED_COUNT {
            let topics = &self.kb.facts[best].topics;
            let mut by_topic: Vec<(usize, usize)> = (0..self.kb.facts.len())
                .filter(|&d| !skip(d) && !related.contains(&d))
                .map(|d| {
                    (
                        self.kb.facts[d]
                            .topics
                            .iter()
                            .filter(|t| topics.contains(t))
                            .count(),
                        d,
                    )
                })
                .filter(|(shared, _)| *shared > 0)
                .collect();
            by_topic.sort_by(|a, b| {
                b.0.cmp(&a.0)
                    .then_with(|| self.kb.facts[a.1].id.cmp(&self.kb.facts[b.1].id))
            });
            related.extend(
                by_topic
                    .into_iter()
                    .map(|(_, d)| d)
                    .take(score::RELATED_COUNT - related.len()),
            );
        }
        related.into_iter().map(|d| self.summary(d)).collect()
    }

    /// Index terms of the question found in this fact (words, corrections and concepts).
    fn matched_terms(&self, query: &Query, best: &Candidate) -> HashSet<u32> {
        query
            .slots
            .iter()
            .chain(&query.event_slots)
            .flat_map(|s| s.alternatives.iter().map(|a| a.0))
            .filter(|&t| self.holds(query, best.hits, t, best.doc))
            .collect()
    }

    fn cite(&self, citation: &Citation, matched: &HashSet<u32>) -> CitedQuote {
        let ix = &self.index;
        let terms = ix.analyzer.terms(&citation.quote);
        let mut ranges: Vec<_> = terms
            .iter()
            .filter(|t| {
                ix.term_ids
                    .get(&t.stem)
                    .is_some_and(|id| matched.contains(id))
            })
            .map(|t| t.range.clone())
            .collect();
        for found in ix.synonyms.find(&terms) {
            if ix
                .term_ids
                .get(&SynonymTable::concept_key(found.concept))
                .is_some_and(|id| matched.contains(id))
            {
                ranges.push(terms[found.first].range.start..terms[found.last].range.end);
            }
        }
        let source = self.kb.source(&citation.source);
        CitedQuote {
            source_id: citation.source.clone(),
            source_title: source.map_or_else(|| citation.source.clone(), |s| s.title.clone()),
            url: source.and_then(|s| s.url.clone()),
            quote: citation.quote.clone(),
            snippet: snippet::snippet(&citation.quote, ranges),
        }
    }

    /// `matched`: the question's index terms found in `best` ([`Engine::matched_terms`]).
    fn explain(
        &self,
        query: &Query,
        best: Option<&Candidate>,
        matched: &HashSet<u32>,
    ) -> Explanation {
        let (mut matched_terms, mut unmatched_terms) = (Vec::new(), Vec::new());
        for slot in query.slots.iter().chain(&query.event_slots) {
            if slot.alternatives.iter().any(|a| matched.contains(&a.0)) {
                matched_terms.push(slot.typed.clone());
            } else {
                unmatched_terms.push(slot.typed.clone());
            }
        }
        let synonyms = query
            .concepts
            .iter()
            .filter(|&&c| {
                self.index
                    .term_ids
                    .get(&SynonymTable::concept_key(c))
                    .is_some_and(|id| matched.contains(id))
            })
            .map(|&c| self.index.synonyms.groups[c].join(" = "))
            .collect();
        let mut signals = best.map(|b| b.signals.named()).unwrap_or_default();
        signals.push(("confidence".into(), best.map_or(0.0, |b| b.confidence)));
        Explanation {
            matched_terms,
            unmatched_terms,
            corrections: query.corrections.clone(),
            synonyms,
            signals,
        }
    }
}

/// How well `candidate` matches what the question is about, leaving out whether it gives the
/// asked type of answer.
fn subject_confidence(candidate: &Candidate) -> f32 {
    Signals {
        intent_mismatch: false,
        expansion_mismatch: false,
        ..candidate.signals
    }
    .confidence()
}

/// Whether the fact's own words (answer and quotes) identify something the question does not
/// already say: a name or an acronym (a capitalised word not opening a sentence, other than a
/// month or a country), a number other than a year, or an enumeration (three or more items,
/// "A, B and C"). That is what answers "which N" when the fact calls N by another word.
fn fact_names_something_new(
    fact: &crate::knowledge::Fact,
    question_stems: &[String],
    analyzer: &normalize::Analyzer,
) -> bool {
    std::iter::once(fact.answer.as_str())
        .chain(fact.citations.iter().map(|c| c.quote.as_str()))
        .any(|text| {
            if text.matches(',').count() >= 2 {
                return true;
            }
            let mut opens_sentence = true;
            for raw in text.split_whitespace() {
                let first = opens_sentence;
                opens_sentence = raw.ends_with(['.', '!', '?', ':']);
                // "Japan-India", "Japan's": each part is a word of its own.
                for word in raw.split(['-', '/', '\'', '\u{2019}']) {
                    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                    // A year places an event; it names no instance of anything.
                    let year = word.len() == 4 && word.chars().all(|c| c.is_ascii_digit());
                    let named = !year
                        && (word.chars().any(|c| c.is_ascii_digit())
                            || (!first && word.chars().any(char::is_uppercase)));
                    if !named {
                        continue;
                    }
                    let lower = word.to_lowercase();
                    if crate::knowledge::MONTHS.contains(&lower.as_str())
                        || super::entities::country_named(&lower).is_some()
                    {
                        continue;
                    }
                    if !question_stems.contains(&analyzer.stem(&lower)) {
                        return true;
                    }
                }
            }
            false
        })
}
