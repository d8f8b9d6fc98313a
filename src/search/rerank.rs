//! Re-rank: the recalled facts scored again with the costlier signals — alternate-question
//! similarity (terms, then whole-string), proximity, entity, intent and event mismatches — and
//! put in their final order.

use super::index::pack;
use super::intent::Intent;
use super::query::Query;
use super::recall::Recalled;
use super::score::{self, Signals};
use super::Engine;

/// A ranked fact with its signals, best first once [`Engine::rerank`] is done.
pub(super) struct Candidate {
    pub(super) doc: usize,
    /// The alternate question closest to the question, by terms.
    pub(super) alternate: Option<usize>,
    pub(super) signals: Signals,
    pub(super) confidence: f32,
}

impl Engine {
    /// Scores `recalled` with every signal and orders it best first; ties are broken by fact id.
    pub(super) fn rerank(&self, query: &Query, recalled: Vec<Recalled>) -> Vec<Candidate> {
        let ix = &self.index;
        let mut ranked: Vec<Candidate> = recalled
            .into_iter()
            .map(|recalled| {
                let d = recalled.doc;
                let answers = ix.docs[d].kinds.answers(&query.wanted);
                let expansion = query.wanted.intent == Intent::Expansion;
                let signals = Signals {
                    coverage: recalled.coverage,
                    bm25: recalled.bm25,
                    question: 0.0,
                    proximity: self.proximity(query, d, recalled.coverage),
                    entity_mismatches: self.entity_mismatches(query, d),
                    intent_mismatch: !answers && !expansion,
                    expansion_mismatch: !answers && expansion,
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
    /// the first [`score::STRING_RANKS`] even with it is left as it is (it is also the costliest
    /// signal).
    fn add_string_similarity(&self, query: &Query, ranked: &mut [Candidate]) {
        let mut preliminary: Vec<f32> = ranked.iter().map(|c| c.confidence).collect();
        preliminary.sort_by(|a, b| b.total_cmp(a));
        let cutoff = preliminary
            .get(score::STRING_RANKS - 1)
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
        let cited_years = &self.index.docs[doc].cited_years;
        query
            .slots
            .iter()
            .filter(|slot| slot.entity)
            .filter(|slot| {
                !slot.alternatives.iter().any(|&(t, _, _)| {
                    parties.contains(&t)
                        || (slot.source_year && cited_years.contains(&t))
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
}
