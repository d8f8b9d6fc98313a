//! The retrieval engine: a free-text question in, the best fact with its citations out — or
//! an honest decline with suggestions.
//!
//! Two stages. Recall: the question's words (typo-corrected, synonym-expanded) walk the
//! inverted index, scoring every fact that shares a word with BM25F and coverage. Re-rank: the
//! best [`score::RERANK_DEPTH`] are scored again with alternate-question similarity and
//! proximity, and the confidence decides between answering and declining.

pub mod entities;
pub mod index;
pub mod intent;
pub mod normalize;
pub mod paraphrase;
pub mod score;
pub mod snippet;
pub mod synonyms;
pub mod typo;

use std::collections::HashSet;
use std::sync::Arc;

use crate::answer::{Answer, CitedQuote, Explanation, FactCard, FactSummary, Found, NoMatch};
use crate::knowledge::{Fact, FactKind, KnowledgeBase};
use index::{pack, Index};
pub use score::Signals;
use synonyms::SynonymTable;

/// Only the start of a very long question is read: nobody asks 100 KB of question, and the
/// cost of a question must stay bounded whatever arrives.
pub const MAX_QUESTION_CHARS: usize = 1_000;
/// Most distinct question words considered, for the same reason: a question has far fewer
/// content words, and each costs a posting-list walk (a 100 KB question at 100k facts: 4.8 ms
/// with 32, 3.1 ms with 16).
pub const MAX_QUESTION_TERMS: usize = 16;
/// Suggestions on a decline must reach this confidence, or they are noise.
const SUGGESTION_MIN: f32 = 0.12;

/// Restricts which facts may answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub topic: Option<String>,
    pub kind: Option<FactKind>,
    /// Case-insensitive party name, e.g. "japan".
    pub party: Option<String>,
    pub year: Option<u16>,
}

impl Filters {
    fn admits(&self, fact: &Fact) -> bool {
        self.topic
            .as_ref()
            .is_none_or(|t| fact.topics.iter().any(|ft| ft == t))
            && self.kind.is_none_or(|k| fact.kind == k)
            && self
                .party
                .as_ref()
                .is_none_or(|p| fact.parties.iter().any(|fp| fp.eq_ignore_ascii_case(p)))
            && self
                .year
                .is_none_or(|y| fact.date.is_some_and(|d| d.year == y))
    }
}

/// What of a question is read: links dropped (a pasted URL is not what the question is
/// about, and its pieces would dilute the words that are), then the first
/// [`MAX_QUESTION_CHARS`] characters.
fn prepare(question: &str) -> String {
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
    let kept: String = kept.chars().take(MAX_QUESTION_CHARS).collect();
    entities::mark_lowercase_countries(&kept)
}

pub struct Engine {
    kb: Arc<KnowledgeBase>,
    index: Index,
    decline_below: f32,
}

/// One word of the question with the index terms it may stand for.
#[derive(Debug)]
struct Slot {
    typed: String,
    /// (term, factor, share): factor discounts typos and synonyms; share splits a multi-word
    /// synonym's score across the words it spans so it is counted once.
    alternatives: Vec<(u32, f32, f32)>,
    weight: f32,
    /// The term the slot most likely means (exact or corrected), for proximity.
    primary: Option<u32>,
    stem: String,
    /// A number or a country: a fact that lacks it is probably about something else.
    entity: bool,
}

struct Query {
    intent: intent::Intent,
    /// The question's words, folded and lowercase, stop words included (answer-type checks).
    words: Vec<String>,
    /// The event the question names, if any ([`Engine::named_event`]).
    event: Option<u32>,
    slots: Vec<Slot>,
    /// Every index term any slot may stand for, sorted.
    all_terms: Vec<u32>,
    total_weight: f32,
    corrections: Vec<(String, String)>,
    concepts: Vec<usize>,
    /// Each word's most likely term, in order (unknown words get ids of their own).
    sequence: Vec<u32>,
}

/// A ranked fact, for evaluation and tuning.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub fact_id: String,
    pub confidence: f32,
    pub signals: Signals,
}

struct Candidate {
    doc: usize,
    /// The alternate question closest to the question, by terms.
    alternate: Option<usize>,
    signals: Signals,
    confidence: f32,
}

impl Engine {
    /// Builds the index. Cost grows linearly with the knowledge base.
    pub fn new(kb: Arc<KnowledgeBase>) -> Self {
        let index = Index::build(&kb);
        Engine {
            kb,
            index,
            decline_below: score::DEFAULT_DECLINE_BELOW,
        }
    }

    /// Overrides the confidence below which the engine declines.
    pub fn with_decline_threshold(mut self, decline_below: f32) -> Self {
        self.decline_below = decline_below;
        self
    }

    pub fn knowledge(&self) -> &Arc<KnowledgeBase> {
        &self.kb
    }

    /// Synonym terms of different groups that read the same once analysed, as
    /// `(used, shadowed)`: the second never takes effect. `check` reports them.
    pub fn shadowed_synonyms(&self) -> &[(String, String)] {
        &self.index.synonyms.shadowed
    }

    pub fn decline_threshold(&self) -> f32 {
        self.decline_below
    }

    /// Answers `question` from the facts that pass `filters`. Deterministic: ties are broken
    /// by fact id.
    pub fn ask(&self, question: &str, filters: &Filters) -> Answer {
        let question = prepare(question);
        let query = self.parse_query(&question);
        let ranked = self.rank(&query, filters);
        self.answer(&query, &ranked)
    }

    /// The `k` best facts for `question` with their confidences and signals, best first,
    /// whether or not the best is good enough to answer (for evaluation and tuning).
    pub fn top(&self, question: &str, filters: &Filters, k: usize) -> Vec<Ranked> {
        let question = prepare(question);
        let query = self.parse_query(&question);
        self.rank(&query, filters)
            .into_iter()
            .take(k)
            .map(|c| Ranked {
                fact_id: self.kb.facts[c.doc].id.clone(),
                confidence: c.confidence,
                signals: c.signals,
            })
            .collect()
    }

    fn parse_query(&self, question: &str) -> Query {
        let ix = &self.index;
        let intent = intent::detect(question);
        let mut terms = ix.analyzer.terms(question);
        if intent == intent::Intent::Expansion {
            // "stand for", "full form" say what is asked, not what it is about.
            terms.retain(|t| !intent::is_expansion_frame(&t.surface));
        }
        let mut slots: Vec<Slot> = Vec::new();
        let mut corrections = Vec::new();
        let mut slot_of_term = vec![usize::MAX; terms.len()];
        for (i, term) in terms.iter_mut().enumerate() {
            if term.compound || slots.len() >= MAX_QUESTION_TERMS {
                continue;
            }
            let mut slot = Slot {
                typed: question[term.range.clone()].to_string(),
                alternatives: Vec::new(),
                weight: 0.0,
                primary: None,
                stem: term.stem.clone(),
                entity: entities::is_entity(&term.stem) || entities::is_entity(&term.surface),
            };
            if let Some(&id) = ix.term_ids.get(&term.stem) {
                slot.alternatives.push((id, 1.0, 1.0));
                slot.primary = Some(id);
            } else if paraphrase::is_english_word(&term.surface) {
                // A real word is not a typo: it may have a WordNet synonym the facts use.
                for word in ix.paraphrases.of(&term.surface) {
                    if let Some(&id) = ix.term_ids.get(&ix.analyzer.stem(word)) {
                        if !slot.alternatives.iter().any(|a| a.0 == id) {
                            slot.alternatives.push((id, score::PARAPHRASE_FACTOR, 1.0));
                        }
                    }
                }
            } else if let Some((word, distance)) = self.best_correction(&term.surface) {
                let stem = ix.analyzer.stem(&word);
                corrections.push((slot.typed.clone(), word));
                if let Some(&id) = ix.term_ids.get(&stem) {
                    slot.alternatives
                        .push((id, score::typo_factor(distance), 1.0));
                    slot.primary = Some(id);
                }
                // The corrected stem may still spell a synonym ("jetro") though no fact has it.
                term.stem = stem.clone();
                slot.stem = stem;
            }
            // A word asked twice counts once ("india japan india").
            if let Some(same) = slots.iter().position(|s| s.stem == slot.stem) {
                slot_of_term[i] = same;
                continue;
            }
            slot_of_term[i] = slots.len();
            slots.push(slot);
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
        // An event named in the question narrows the candidates (see `rank`); its words are not
        // evidence for the fact that merely says the event happened — unless they are all the
        // question says.
        let event = self.named_event(&terms);
        if let Some((_, stems)) = &event {
            let rest_known = slots
                .iter()
                .any(|s| !stems.contains(&s.stem) && !s.alternatives.is_empty());
            if rest_known {
                slots.retain(|s| !stems.contains(&s.stem));
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
        }
        // Unknown words get ids of their own (from the top of the range) so that they count
        // as different from every word of an alternate.
        let sequence = slots
            .iter()
            .enumerate()
            .map(|(i, s)| s.primary.unwrap_or(u32::MAX - i as u32))
            .collect();
        concepts.sort_unstable();
        concepts.dedup();
        let mut all_terms: Vec<u32> = slots
            .iter()
            .flat_map(|s| s.alternatives.iter().map(|a| a.0))
            .collect();
        all_terms.sort_unstable();
        all_terms.dedup();
        Query {
            event: event.map(|(e, _)| e),
            intent,
            words: normalize::tokenize(question)
                .into_iter()
                .filter(|t| !t.compound)
                .map(|t| t.text)
                .collect(),
            total_weight: slots.iter().map(|s| s.weight).sum(),
            all_terms,
            slots,
            corrections,
            concepts,
            sequence,
        }
    }

    /// The event whose alias the question contains in full (most words wins; two events
    /// tied means none), with that alias's stems.
    fn named_event(&self, terms: &[normalize::Term]) -> Option<(u32, Vec<String>)> {
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
        let corrections = ix.typo.corrections(surface);
        let best_distance = corrections.first()?.1;
        corrections
            .into_iter()
            .take_while(|(_, d)| *d == best_distance)
            .max_by_key(|(word, _)| {
                let df = ix
                    .term_ids
                    .get(&ix.analyzer.stem(word))
                    .map_or(0, |&t| ix.postings[t as usize].len());
                (df, std::cmp::Reverse(word.to_string()))
            })
            .map(|(word, d)| (word.to_string(), d))
    }

    fn rank(&self, query: &Query, filters: &Filters) -> Vec<Candidate> {
        let ix = &self.index;
        let n = self.kb.facts.len();
        let total_weight = query.total_weight;
        if total_weight <= 0.0 || n == 0 {
            return Vec::new();
        }
        let max_bm25: f32 = query
            .slots
            .iter()
            .map(|s| s.weight * (index::BM25_K1 + 1.0))
            .sum();
        let mut bm25 = vec![0f32; n];
        let mut coverage = vec![0f32; n];
        let mut slot_score = vec![0f32; n];
        let mut slot_cover = vec![0f32; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut any: Vec<u32> = Vec::new();
        for slot in &query.slots {
            // Most words stand for one term: add straight in, with no per-slot maximum.
            if let [(term, factor, share)] = slot.alternatives[..] {
                let weight = factor * share * ix.idf[term as usize] * ix.boost[term as usize];
                for &(doc, saturated) in &ix.postings[term as usize] {
                    let d = doc as usize;
                    if bm25[d] == 0.0 && coverage[d] == 0.0 {
                        any.push(doc);
                    }
                    bm25[d] += weight * saturated;
                    coverage[d] += factor * slot.weight;
                }
                continue;
            }
            for &(term, factor, share) in &slot.alternatives {
                let weight = factor * share * ix.idf[term as usize] * ix.boost[term as usize];
                for &(doc, saturated) in &ix.postings[term as usize] {
                    let d = doc as usize;
                    if slot_cover[d] == 0.0 {
                        touched.push(doc);
                    }
                    slot_score[d] = slot_score[d].max(weight * saturated);
                    slot_cover[d] = slot_cover[d].max(factor);
                }
            }
            for &doc in &touched {
                let d = doc as usize;
                if bm25[d] == 0.0 && coverage[d] == 0.0 {
                    any.push(doc);
                }
                bm25[d] += slot_score[d];
                coverage[d] += slot_cover[d] * slot.weight;
                slot_score[d] = 0.0;
                slot_cover[d] = 0.0;
            }
            touched.clear();
        }
        let mut first: Vec<(u32, f32)> = any
            .into_iter()
            .filter(|&d| filters.admits(&self.kb.facts[d as usize]))
            .map(|d| {
                let c = coverage[d as usize] / total_weight;
                let b = bm25[d as usize] / max_bm25;
                (d, 0.5 * c + 0.5 * b)
            })
            .collect();
        let by_score_then_id = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1).then_with(|| {
                self.kb.facts[a.0 as usize]
                    .id
                    .cmp(&self.kb.facts[b.0 as usize].id)
            })
        };
        if first.len() > score::RERANK_DEPTH {
            first.select_nth_unstable_by(score::RERANK_DEPTH - 1, by_score_then_id);
            first.truncate(score::RERANK_DEPTH);
        }
        let mut ranked: Vec<Candidate> = first
            .into_iter()
            .map(|(doc, _)| {
                let d = doc as usize;
                let signals = Signals {
                    coverage: coverage[d] / total_weight,
                    bm25: bm25[d] / max_bm25,
                    question: 0.0,
                    proximity: self.proximity(query, d, coverage[d] / total_weight),
                    entity_mismatches: self.entity_mismatches(query, d),
                    intent_mismatch: !ix.docs[d].kinds.answers(query.intent, &query.words),
                    event_mismatch: query.event.is_some_and(|e| ix.doc_events[d] != Some(e)),
                    unknown_words: query
                        .slots
                        .iter()
                        .filter(|s| !s.entity && s.alternatives.is_empty())
                        .count() as u32,
                };
                Candidate {
                    doc: d,
                    confidence: signals.confidence(),
                    signals,
                    alternate: None,
                }
            })
            .collect();
        self.add_question_terms(query, &mut ranked);
        self.add_string_similarity(query, &mut ranked);
        ranked.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| self.kb.facts[a.doc].id.cmp(&self.kb.facts[b.doc].id))
        });
        ranked
    }

    /// Term overlap between the question and the fact's closest alternate question (or
    /// title), and which alternate that was.
    fn question_terms(&self, query: &Query, doc: usize) -> (f32, Option<usize>) {
        let idf = &self.index.idf;
        let in_query = |t: u32| query.all_terms.binary_search(&t).is_ok();
        let mut best = (0.0f32, None);
        for (i, alternate) in self.index.docs[doc].alternates.iter().enumerate() {
            let found: f32 = query
                .slots
                .iter()
                .map(|slot| {
                    let factor = slot
                        .alternatives
                        .iter()
                        .filter(|(t, _, _)| alternate.ids.binary_search(t).is_ok())
                        .map(|a| a.1)
                        .fold(0.0, f32::max);
                    factor * slot.weight
                })
                .sum();
            let alt_found: f32 = alternate
                .terms
                .iter()
                .filter(|(term, concepts)| in_query(*term) || concepts.iter().any(|&c| in_query(c)))
                .map(|(term, _)| idf[*term as usize])
                .sum();
            let terms = score::harmonic(
                found / query.total_weight.max(f32::EPSILON),
                alt_found / alternate.weight.max(f32::EPSILON),
            );
            if terms > best.0 || best.1.is_none() {
                best = (terms, Some(i));
            }
        }
        best
    }

    /// Adds alternate-question similarity (by terms), the costliest signal, where it can
    /// matter: in order of the most each candidate could reach with it, stopping once no
    /// candidate left can enter the first [`score::EXACT_RANKS`] (what an answer shows).
    fn add_question_terms(&self, query: &Query, ranked: &mut [Candidate]) {
        let ceiling = |c: &Candidate| {
            Signals {
                question: 1.0,
                ..c.signals
            }
            .confidence()
        };
        ranked.sort_by(|a, b| ceiling(b).total_cmp(&ceiling(a)));
        let mut scored: Vec<f32> = Vec::with_capacity(ranked.len());
        for candidate in ranked.iter_mut() {
            if scored.len() >= score::EXACT_RANKS {
                scored.sort_by(|a, b| b.total_cmp(a));
                if ceiling(candidate) < scored[score::EXACT_RANKS - 1] {
                    break;
                }
            }
            let (terms, alternate) = self.question_terms(query, candidate.doc);
            candidate.signals.question = score::QUESTION_TERMS_SHARE * terms;
            candidate.alternate = alternate;
            candidate.confidence = candidate.signals.confidence();
            scored.push(candidate.confidence);
        }
    }

    /// Adds the whole-question similarity (word-level edit distance, so word order counts)
    /// with each candidate's closest alternate, where it can
    /// matter: it adds at most [`score::MAX_STRING_GAIN`], so a candidate that cannot reach
    /// the third place even with it is left as it is (it is also the costliest signal).
    fn add_string_similarity(&self, query: &Query, ranked: &mut [Candidate]) {
        let mut preliminary: Vec<f32> = ranked.iter().map(|c| c.confidence).collect();
        preliminary.sort_by(|a, b| b.total_cmp(a));
        let cutoff = preliminary
            .get(2)
            .or(preliminary.last())
            .copied()
            .unwrap_or(0.0)
            - score::MAX_STRING_GAIN;
        for candidate in ranked.iter_mut().filter(|c| c.confidence >= cutoff) {
            if let Some(i) = candidate.alternate {
                let alternate = &self.index.docs[candidate.doc].alternates[i];
                let edits = strsim::generic_levenshtein(&query.sequence, &alternate.sequence);
                let longest = query.sequence.len().max(alternate.sequence.len()).max(1);
                let whole = 1.0 - edits as f32 / longest as f32;
                candidate.signals.question += (1.0 - score::QUESTION_TERMS_SHARE) * whole;
                candidate.confidence = candidate.signals.confidence();
            }
        }
    }

    /// Numbers and countries of the question that the fact neither contains nor names as a
    /// party.
    fn entity_mismatches(&self, query: &Query, doc: usize) -> u32 {
        let postings = &self.index.postings;
        let parties = &self.index.docs[doc].parties;
        query
            .slots
            .iter()
            .filter(|slot| slot.entity)
            .filter(|slot| {
                !slot.alternatives.iter().any(|&(t, _, _)| {
                    parties.contains(&t)
                        || postings[t as usize]
                            .binary_search_by_key(&(doc as u32), |p| p.0)
                            .is_ok()
                })
            })
            .count() as u32
    }

    /// Share of adjacent question-word pairs that are adjacent in the fact.
    fn proximity(&self, query: &Query, doc: usize, coverage: f32) -> f32 {
        let primaries: Vec<Option<u32>> = query.slots.iter().map(|s| s.primary).collect();
        if primaries.len() < 2 {
            return coverage;
        }
        let bigrams = &self.index.docs[doc].bigrams;
        let found = primaries
            .windows(2)
            .filter(|w| matches!((w[0], w[1]), (Some(a), Some(b)) if bigrams.binary_search(&pack(a, b)).is_ok()))
            .count();
        found as f32 / (primaries.len() - 1) as f32
    }

    fn answer(&self, query: &Query, ranked: &[Candidate]) -> Answer {
        let fingerprint = self.kb.fingerprint.clone();
        let Some(best) = ranked.first() else {
            return Answer::NoMatch(NoMatch {
                confidence: 0.0,
                suggestions: Vec::new(),
                explanation: self.explain(query, None, &HashSet::new()),
                fingerprint,
            });
        };
        let matched = self.matched_terms(query, best.doc);
        let explanation = self.explain(query, Some(best), &matched);
        if best.confidence < self.decline_below {
            let suggestions = ranked
                .iter()
                .take(3)
                .filter(|c| c.confidence >= SUGGESTION_MIN)
                .map(|c| self.summary(c.doc))
                .collect();
            return Answer::NoMatch(NoMatch {
                confidence: best.confidence,
                suggestions,
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
            fact: FactCard {
                id: fact.id.clone(),
                kind: fact.kind,
                title: fact.title.clone(),
                answer: fact.answer.clone(),
                date: fact.date.map(|d| d.to_string()),
            },
            citations: fact
                .citations
                .iter()
                .map(|c| self.cite(c, &matched))
                .collect(),
            confidence: best.confidence,
            related: self.related(ranked, best.doc, ambiguous_with.as_ref()),
            ambiguous_with,
            explanation,
            fingerprint,
        })
    }

    fn summary(&self, doc: usize) -> FactSummary {
        let fact = &self.kb.facts[doc];
        FactSummary {
            id: fact.id.clone(),
            title: fact.title.clone(),
        }
    }

    /// Up to three related facts: the next-best matches, then facts sharing the most topics.
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
            .take(3)
            .collect();
        if related.len() < 3 {
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
            related.extend(by_topic.into_iter().map(|(_, d)| d).take(3 - related.len()));
        }
        related.into_iter().map(|d| self.summary(d)).collect()
    }

    /// Index terms of the question found in this fact (words, corrections and concepts).
    fn matched_terms(&self, query: &Query, doc: usize) -> HashSet<u32> {
        let postings = &self.index.postings;
        query
            .slots
            .iter()
            .flat_map(|s| s.alternatives.iter().map(|a| a.0))
            .filter(|&t| {
                postings[t as usize]
                    .binary_search_by_key(&(doc as u32), |p| p.0)
                    .is_ok()
            })
            .collect()
    }

    fn cite(&self, citation: &crate::knowledge::Citation, matched: &HashSet<u32>) -> CitedQuote {
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
        for slot in &query.slots {
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

#[cfg(test)]
mod tests;
