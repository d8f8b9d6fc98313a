//! Recall: the first, cheap pass. The question's terms walk their postings in tantivy
//! ([`super::index::Index::walk`]), and every fact that shares one is scored with BM25F and
//! coverage; the best [`score::RERANK_DEPTH`] that pass the filters go on to
//! [`super::rerank`]. Words in nearly every fact are read only for those candidates
//! ([`score::NEGLIGIBLE_SHARE`]).

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::postings::{Reach, Scratch};
use super::query::{Query, Slot};
use super::{score, Engine, Filters};

/// Terms of the question whose presence in a fact recall records ([`Recalled::hits`]).
pub(super) const HIT_BITS: usize = 64;

/// A fact that survived the first pass, with its two first-pass signals.
pub(super) struct Recalled {
    pub(super) doc: usize,
    /// Share of the question's weight the fact covers ([`score::Signals::coverage`]).
    pub(super) coverage: f32,
    /// BM25F relative to the best any fact could get ([`score::Signals::bm25`]).
    pub(super) bm25: f32,
    /// Bit `i` set: the fact holds `query.hit_terms[i]` (for the first [`HIT_BITS`]).
    pub(super) hits: u64,
}

/// One fact's first-pass sums for the question being recalled.
#[derive(Clone, Copy, Default)]
struct Sums {
    bm25: f32,
    coverage: f32,
    /// This slot's best alternative so far (a slot counts once, by its best word).
    slot_score: f32,
    slot_cover: f32,
    /// Weight of the preamble words the fact has: added to the coverage's denominator too,
    /// so a preamble word raises the coverage of a fact that has it and lowers none.
    preamble: f32,
    hits: u64,
}

/// The per-fact sums of a question, kept per thread from one question to the next: at 100k
/// facts they are megabytes, and allocating and zeroing them per question cost a tenth of the
/// question. Between questions every entry is zero; `dirty` says a question did not finish
/// (a panic), and then they are zeroed whole.
struct Buffers {
    sums: Vec<Sums>,
    scratch: Scratch,
    /// Facts some scored word reached, in the order reached.
    any: Vec<u32>,
    /// Facts reached by the current slot's words.
    touched: Vec<u32>,
    dirty: bool,
}

impl Buffers {
    fn ready(&mut self, facts: usize) {
        if self.dirty || self.sums.len() != facts {
            self.sums = vec![Sums::default(); facts];
            self.scratch = Scratch::new(facts);
        }
        self.any.clear();
        self.touched.clear();
        self.dirty = true;
    }

    fn reset(&mut self) {
        for &d in &self.any {
            self.sums[d as usize] = Sums::default();
        }
        self.dirty = false;
    }
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers {
        sums: Vec::new(),
        scratch: Scratch::new(0),
        any: Vec::new(),
        touched: Vec::new(),
        dirty: false,
    });
}

impl Engine {
    /// The best [`score::RERANK_DEPTH`] facts passing `filters` by a blend of coverage and
    /// BM25F, in no particular order.
    pub(super) fn recall(&self, query: &Query, filters: &Filters) -> Vec<Recalled> {
        self.recall_leaving_out(query, filters, score::NEGLIGIBLE_SHARE)
    }

    /// [`Self::recall`], picking the candidates without the question's least telling words
    /// while they are worth at most `negligible` of the first-pass score together.
    fn recall_leaving_out(
        &self,
        query: &Query,
        filters: &Filters,
        negligible: f32,
    ) -> Vec<Recalled> {
        let n = self.kb.facts.len();
        if query.total_weight <= 0.0 || n == 0 {
            return Vec::new();
        }
        BUFFERS.with(|buffers| {
            let mut buffers = buffers.borrow_mut();
            buffers.ready(n);
            let recalled = self.recall_into(query, filters, negligible, &mut buffers);
            buffers.reset();
            recalled
        })
    }

    fn recall_into(
        &self,
        query: &Query,
        filters: &Filters,
        negligible_share: f32,
        b: &mut Buffers,
    ) -> Vec<Recalled> {
        let walk = Walk::new(self, query);
        // The question's least telling words ([`score::NEGLIGIBLE_SHARE`]) have the longest
        // postings and cannot move a fact by more than their share: the candidates are picked
        // without them, and then they are added to the candidates' sums.
        let mut order: Vec<(usize, f32)> = (0..query.slots.len())
            .map(|i| (i, walk.bound(&query.slots[i])))
            .collect();
        order.sort_by(|x, y| x.1.total_cmp(&y.1));
        let mut negligible = Vec::new();
        let mut sum = 0.0;
        for &(i, bound) in &order {
            sum += bound;
            if sum > negligible_share {
                break;
            }
            negligible.push(i);
        }
        for (i, slot) in query.slots.iter().enumerate() {
            if !negligible.contains(&i) {
                walk.slot(slot, Reach::All, b);
            }
        }
        let mut first = walk.first(filters, b);
        if first.len() < score::RERANK_DEPTH && !negligible.is_empty() {
            // Too few facts to choose from: every fact any word reaches is a candidate.
            for &i in &negligible {
                walk.slot(&query.slots[i], Reach::All, b);
            }
            negligible.clear();
            first = walk.first(filters, b);
        }
        let mut candidates = first;
        candidates.sort_unstable();
        for &i in &negligible {
            walk.slot(&query.slots[i], Reach::Among(&candidates), b);
        }
        walk.event_hits(Reach::Among(&candidates), b);
        candidates
            .into_iter()
            .map(|doc| walk.recalled(doc, &b.sums[doc as usize]))
            .collect()
    }
}

/// The first-pass score: coverage and relative BM25F, blended.
fn first_pass(coverage: f32, bm25: f32) -> f32 {
    score::FIRST_PASS_COVERAGE_SHARE * coverage + (1.0 - score::FIRST_PASS_COVERAGE_SHARE) * bm25
}

/// One question's walk over the postings.
struct Walk<'a> {
    engine: &'a Engine,
    query: &'a Query,
    /// The BM25F score a fact holding every word at saturation would get.
    max_bm25: f32,
}

impl<'a> Walk<'a> {
    fn new(engine: &'a Engine, query: &'a Query) -> Self {
        let max_bm25 = query
            .slots
            .iter()
            .map(|s| s.weight * (score::BM25_K1 + 1.0))
            .sum();
        Walk {
            engine,
            query,
            max_bm25,
        }
    }

    fn recalled(&self, doc: u32, s: &Sums) -> Recalled {
        Recalled {
            doc: doc as usize,
            coverage: s.coverage / (self.query.total_weight + s.preamble),
            bm25: s.bm25 / self.max_bm25,
            hits: s.hits,
        }
    }

    /// Records which of the named event's words the facts `among` reaches hold: they score
    /// nothing, but matched words are shown and highlighted.
    fn event_hits(&self, among: Reach, b: &mut Buffers) {
        for slot in &self.query.event_slots {
            for &(term, _, _) in &slot.alternatives {
                let term_bit = self.bit(term);
                if term_bit != 0 {
                    let sums = &mut b.sums;
                    self.engine
                        .index
                        .walk(term, among, &mut b.scratch, |doc, _| {
                            sums[doc as usize].hits |= term_bit;
                        });
                }
            }
        }
    }

    /// The bit of `term` in [`Recalled::hits`], if it has one.
    fn bit(&self, term: u32) -> u64 {
        match self.query.hit_terms.binary_search(&term) {
            Ok(i) if i < HIT_BITS => 1u64 << i,
            _ => 0,
        }
    }

    /// What one alternative of `slot` adds to BM25F per unit of saturated term frequency.
    fn bm25_weight(&self, slot: &Slot, (term, factor, share): (u32, f32, f32)) -> f32 {
        let ix = &self.engine.index;
        slot.focus * factor * share * ix.idf[term as usize] * ix.boost[term as usize]
    }

    /// The most `slot` can add to a fact's first-pass score.
    fn bound(&self, slot: &Slot) -> f32 {
        let factor = slot.alternatives.iter().map(|a| a.1).fold(0.0, f32::max);
        let bm25 = slot
            .alternatives
            .iter()
            .map(|&a| self.bm25_weight(slot, a))
            .fold(0.0, f32::max);
        first_pass(
            factor * slot.weight / self.query.total_weight,
            bm25 * (score::BM25_K1 + 1.0) / self.max_bm25,
        )
    }

    /// Adds `slot` to the sums of the facts `among` reaches that hold one of its terms (a
    /// slot counts once, by its best term).
    fn slot(&self, slot: &Slot, among: Reach, b: &mut Buffers) {
        let ix = &self.engine.index;
        let Buffers {
            sums,
            scratch,
            any,
            touched,
            ..
        } = b;
        let fresh = |s: &Sums| s.bm25 == 0.0 && s.coverage == 0.0 && s.hits == 0;
        let optional = slot.preamble && self.query.preamble_optional;
        // Most words stand for one term: add straight in, with no per-slot maximum.
        if let [alternative @ (term, factor, _)] = slot.alternatives[..] {
            let weight = self.bm25_weight(slot, alternative);
            let term_bit = self.bit(term);
            ix.walk(term, among, scratch, |doc, saturated| {
                let s = &mut sums[doc as usize];
                if fresh(s) {
                    any.push(doc);
                }
                s.bm25 += weight * saturated;
                s.coverage += factor * slot.weight;
                if optional {
                    s.preamble += factor * slot.weight;
                }
                s.hits |= term_bit;
            });
            return;
        }
        for &alternative in &slot.alternatives {
            let (term, factor, _) = alternative;
            let weight = self.bm25_weight(slot, alternative);
            let term_bit = self.bit(term);
            ix.walk(term, among, scratch, |doc, saturated| {
                let s = &mut sums[doc as usize];
                if s.slot_cover == 0.0 {
                    touched.push(doc);
                    if fresh(s) {
                        any.push(doc);
                    }
                }
                s.slot_score = s.slot_score.max(weight * saturated);
                s.slot_cover = s.slot_cover.max(factor);
                s.hits |= term_bit;
            });
        }
        for &doc in touched.iter() {
            let s = &mut sums[doc as usize];
            s.bm25 += s.slot_score;
            s.coverage += s.slot_cover * slot.weight;
            if optional {
                s.preamble += s.slot_cover * slot.weight;
            }
            s.slot_score = 0.0;
            s.slot_cover = 0.0;
        }
        touched.clear();
    }

    /// The best [`score::RERANK_DEPTH`] facts reached so far that pass `filters` (ties to the
    /// first id), best first.
    fn first(&self, filters: &Filters, b: &Buffers) -> Vec<u32> {
        let facts = &self.engine.kb.facts;
        let id_order = &self.engine.index.id_order;
        let unfiltered = *filters == Filters::default();
        // Scores are never negative, so their bits sort as they do; the id's place breaks ties.
        let key = |doc: u32| {
            let s = &b.sums[doc as usize];
            let score = first_pass(
                s.coverage / (self.query.total_weight + s.preamble),
                s.bm25 / self.max_bm25,
            );
            (u64::from(score.to_bits()) << 32) | u64::from(u32::MAX - id_order[doc as usize])
        };
        // A min-heap of the best so far: most facts fall below its least and cost one compare.
        let mut best: BinaryHeap<Reverse<(u64, u32)>> =
            BinaryHeap::with_capacity(score::RERANK_DEPTH + 1);
        for &doc in &b.any {
            if !unfiltered && !filters.admits(&facts[doc as usize]) {
                continue;
            }
            let entry = (key(doc), doc);
            if best.len() < score::RERANK_DEPTH {
                best.push(Reverse(entry));
            } else if best.peek().is_some_and(|least| entry > least.0) {
                best.pop();
                best.push(Reverse(entry));
            }
        }
        best.into_sorted_vec()
            .into_iter()
            .map(|Reverse((_, doc))| doc)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::search::query::prepare;
    use crate::synthetic;

    /// Every fact any word of `query` reaches, with its exact sums.
    fn everything(engine: &Engine, query: &Query) -> Vec<Recalled> {
        let n = engine.kb.facts.len();
        let mut b = Buffers {
            sums: vec![Sums::default(); n],
            scratch: Scratch::new(n),
            any: Vec::new(),
            touched: Vec::new(),
            dirty: false,
        };
        let walk = Walk::new(engine, query);
        for slot in &query.slots {
            walk.slot(slot, Reach::All, &mut b);
        }
        walk.event_hits(Reach::All, &mut b);
        b.any
            .iter()
            .map(|&doc| walk.recalled(doc, &b.sums[doc as usize]))
            .collect()
    }

    /// First-pass score of a recalled fact.
    fn score_of(r: &Recalled) -> f32 {
        first_pass(r.coverage, r.bm25)
    }

    #[test]
    fn leaving_out_negligible_words_keeps_the_candidates_sums_exact_and_within_the_bound() {
        let kb = Arc::new(synthetic::knowledge_base(2_000, 42));
        let engine = Engine::new(kb.clone());
        let filters = Filters::default();
        let mut left_out = 0;
        for question in synthetic::questions(&kb, 200, 5) {
            let query = engine.parse_query(&prepare(&question));
            let exact = engine.recall_leaving_out(&query, &filters, 0.0);
            let fast = engine.recall(&query, &filters);
            assert_eq!(fast.len(), exact.len(), "{question}");
            // Every fact's exact first-pass score, so the candidates picked can be checked
            // against the exact best ones.
            let all = everything(&engine, &query);
            let mut scores: Vec<f32> = all.iter().map(score_of).collect();
            scores.sort_by(|a, b| b.total_cmp(a));
            let edge = scores.get(score::RERANK_DEPTH - 1).copied().unwrap_or(0.0);
            for r in &fast {
                let truth = all.iter().find(|a| a.doc == r.doc).expect("a reached fact");
                assert!((r.coverage - truth.coverage).abs() < 1e-5, "{question}");
                assert!((r.bm25 - truth.bm25).abs() < 1e-5, "{question}");
                assert_eq!(r.hits, truth.hits, "{question}");
                assert!(
                    score_of(r) >= edge - score::NEGLIGIBLE_SHARE - 1e-5,
                    "{question}: a candidate below the best {} by more than the share",
                    score::RERANK_DEPTH
                );
            }
            // A fact clearly among the best (by more than the share) is always picked.
            for truth in all
                .iter()
                .filter(|t| score_of(t) > edge + score::NEGLIGIBLE_SHARE + 1e-5)
            {
                assert!(fast.iter().any(|r| r.doc == truth.doc), "{question}");
            }
            left_out += usize::from(exact.iter().any(|e| fast.iter().all(|r| r.doc != e.doc)));
        }
        // Some question must have had words to leave out and a near-tie they settled, or
        // this test checks nothing.
        assert!(left_out > 0);
    }
}
