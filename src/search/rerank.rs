//! Re-rank: the recalled facts scored again with the costlier signals — alternate-question
//! similarity (by terms), entity, intent and event mismatches — and
//! put in their final order.

use super::entities;
use super::intent::Intent;
use super::query::Query;
use super::recall::{Recalled, HIT_BITS};
use super::score::{self, Signals};
use super::Engine;

/// A ranked fact with its signals, best first once [`Engine::rerank`] is done.
pub(super) struct Candidate {
    pub(super) doc: usize,
    /// The alternate question closest to the question, by terms.
    pub(super) alternate: Option<usize>,
    pub(super) signals: Signals,
    pub(super) confidence: f32,
    /// Which of the question's terms the fact holds ([`Recalled::hits`]).
    pub(super) hits: u64,
}

impl Engine {
    /// Scores `recalled` with every signal and orders it best first; ties are broken by fact id.
    pub(super) fn rerank(&self, query: &Query, recalled: Vec<Recalled>) -> Vec<Candidate> {
        let ix = &self.index;
        let mut ranked: Vec<Candidate> = recalled
            .into_iter()
            .map(|recalled| {
                let d = recalled.doc;
                // The asked detail must be of the asked subject: the day of the 2017 dialogue
                // does not say on which day the 2022 e-dialogue was held.
                let typed = !matches!(query.wanted.intent, Intent::Any | Intent::Expansion);
                let of_other_event = query
                    .event
                    .is_some_and(|e| ix.doc_events[d].is_some_and(|other| other != e));
                let answers = ix.docs[d].kinds.answers(&query.wanted) && !(typed && of_other_event);
                let expansion = query.wanted.intent == Intent::Expansion;
                let signals = Signals {
                    coverage: recalled.coverage,
                    bm25: recalled.bm25,
                    question: 0.0,
                    entity_mismatches: self.entity_mismatches(query, d, recalled.hits),
                    intent_mismatch: !answers && !expansion,
                    expansion_mismatch: !answers && expansion,
                    event_mismatch: query.event.is_some_and(|e| ix.doc_events[d] != Some(e)),
                    // Who led one dialogue says nothing of who led another.
                    actor_of_other_event: query
                        .event
                        .is_some_and(|e| ix.doc_events[d].is_some_and(|other| other != e))
                        && (query.wanted.intent == Intent::Who || query.wanted.person_name),
                    side_mismatch: query.side.is_some_and(|side| self.other_side(side, d)),
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
                    hits: recalled.hits,
                }
            })
            .collect();
        self.add_question_terms(query, &mut ranked);
        ranked.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| self.kb.facts[a.doc].id.cmp(&self.kb.facts[b.doc].id))
        });
        ranked
    }

    /// Term overlap between the question and the fact's closest alternate question (or
    /// title), and which alternate that was.
    fn question_terms(
        &self,
        query: &Query,
        doc: usize,
        slot_of: &[(u32, usize, f32)],
        sieve: &TermSieve,
        slot_best: &mut [f32],
    ) -> (f32, Option<usize>) {
        let idf = &self.index.idf;
        let mut best = (0.0f32, None);
        let alternates = &self.index.alternates;
        for i in 0..alternates.count(doc) {
            let alternate = alternates.get(doc, i);
            // One pass over the alternate's words: each slot counts by the best of its
            // alternatives the alternate holds, and each word the question has (itself or by
            // a concept covering it) counts its idf towards the alternate's side.
            slot_best.fill(0.0);
            let mut alt_found = 0.0f32;
            for (word, concepts) in alternate.terms() {
                let mut asked = false;
                for term in std::iter::once(word).chain(concepts.iter().map(|&(_, c)| c)) {
                    if !sieve.may_hold(term) {
                        continue;
                    }
                    let from = slot_of.partition_point(|e| e.0 < term);
                    for &(_, slot, factor) in slot_of[from..].iter().take_while(|e| e.0 == term) {
                        slot_best[slot] = slot_best[slot].max(factor);
                        asked = true;
                    }
                }
                if asked {
                    alt_found += idf[word as usize];
                }
            }
            let found: f32 = query
                .slots
                .iter()
                .zip(slot_best.iter())
                .map(|(slot, factor)| factor * slot.weight)
                .sum();
            // Preamble words found count in the denominator too, as in recall's coverage.
            let preamble: f32 = query
                .slots
                .iter()
                .zip(slot_best.iter())
                .filter(|(slot, _)| slot.preamble && query.preamble_optional)
                .map(|(slot, factor)| factor * slot.weight)
                .sum();
            let terms = score::harmonic(
                found / (query.total_weight + preamble).max(f32::EPSILON),
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
        // (term, slot, factor) of every slot's alternatives, by term: an alternate's words
        // look their slots up, rather than every slot scanning every alternate.
        let mut slot_of: Vec<(u32, usize, f32)> = query
            .slots
            .iter()
            .enumerate()
            .flat_map(|(s, slot)| slot.alternatives.iter().map(move |a| (a.0, s, a.1)))
            .collect();
        slot_of.sort_unstable_by_key(|e| e.0);
        let mut slot_best = vec![0f32; query.slots.len()];
        let sieve = TermSieve::of(&query.all_terms);
        let mut scored: Vec<f32> = Vec::with_capacity(ranked.len());
        for candidate in ranked.iter_mut() {
            if scored.len() >= score::EXACT_RANKS {
                scored.sort_by(|a, b| b.total_cmp(a));
                if ceiling(candidate) < scored[score::EXACT_RANKS - 1] {
                    break;
                }
            }
            let (terms, alternate) =
                self.question_terms(query, candidate.doc, &slot_of, &sieve, &mut slot_best);
            candidate.signals.question = terms;
            candidate.alternate = alternate;
            candidate.confidence = candidate.signals.confidence();
            scored.push(candidate.confidence);
        }
    }

    /// Whether fact `doc` is about one side and that side is not `side`: its parties name
    /// one country, and not this one. A fact about both countries is no one side's (whether
    /// it involves a third is the entity check's business), nor is one about no country (a
    /// person, a firm).
    fn other_side(&self, side: &str, doc: usize) -> bool {
        self.only_side(doc).is_some_and(|only| only != side)
    }

    /// The one country fact `doc`'s parties name, if exactly one.
    fn only_side(&self, doc: usize) -> Option<&'static str> {
        let mut countries = self.kb.facts[doc]
            .parties
            .iter()
            .filter_map(|party| entities::country_named(party));
        match (countries.next(), countries.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// Numbers and countries of the question that the fact neither contains nor names as a
    /// party.
    fn entity_mismatches(&self, query: &Query, doc: usize, hits: u64) -> u32 {
        let parties = self.index.parties.of(doc);
        let cited_years = self.index.cited_years.of(doc);
        // "Who led the Indian side in the talks with Japan": a fact about India's side alone
        // does not name Japan, and need not.
        let counterpart_implied = query
            .side
            .is_some_and(|side| self.only_side(doc) == Some(side));
        query
            .slots
            .iter()
            .filter(|slot| slot.entity)
            .filter(|slot| !(counterpart_implied && slot.counterpart))
            .filter(|slot| {
                !slot.alternatives.iter().any(|&(t, _, _)| {
                    parties.contains(&t)
                        || (slot.source_year && cited_years.contains(&t))
                        || self.holds(query, hits, t, doc)
                })
            })
            .count() as u32
    }

    /// Whether fact `doc` holds `term`, one of the question's: from the bits recall recorded
    /// (`hits`), or from the postings past the first [`HIT_BITS`] terms.
    pub(super) fn holds(&self, query: &Query, hits: u64, term: u32, doc: usize) -> bool {
        match query.hit_terms.binary_search(&term) {
            Ok(i) if i < HIT_BITS => hits & (1 << i) != 0,
            _ => self.index.holds(term, doc),
        }
    }
}

/// A 256-bit filter of a question's terms: most words of an alternate question are not the
/// question's, and one bit test turns them away before a binary search.
struct TermSieve([u64; 4]);

impl TermSieve {
    fn of(terms: &[u32]) -> Self {
        let mut bits = [0u64; 4];
        for &t in terms {
            bits[(t as usize >> 6) & 3] |= 1 << (t & 63);
        }
        TermSieve(bits)
    }

    /// False only if `term` is not among the terms.
    fn may_hold(&self, term: u32) -> bool {
        self.0[(term as usize >> 6) & 3] & (1 << (term & 63)) != 0
    }
}
