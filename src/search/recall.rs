//! Recall: the first, cheap pass. The question's terms walk their postings in tantivy
//! ([`super::index::Index::walk`]), and every fact that shares one is scored with BM25F and
//! coverage; the best [`score::RERANK_DEPTH`] that
//! pass the filters go on to [`super::rerank`].

use std::cell::RefCell;

use super::postings::Scratch;
use super::query::Query;
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
    /// Facts only the named event's words reached.
    marked: Vec<u32>,
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
        self.marked.clear();
        self.dirty = true;
    }

    fn reset(&mut self) {
        for &d in self.any.iter().chain(&self.marked) {
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
        marked: Vec::new(),
        dirty: false,
    });
}

impl Engine {
    /// The best [`score::RERANK_DEPTH`] facts passing `filters` by a blend of coverage and
    /// BM25F, in no particular order.
    pub(super) fn recall(&self, query: &Query, filters: &Filters) -> Vec<Recalled> {
        let n = self.kb.facts.len();
        if query.total_weight <= 0.0 || n == 0 {
            return Vec::new();
        }
        BUFFERS.with(|buffers| {
            let mut buffers = buffers.borrow_mut();
            buffers.ready(n);
            let recalled = self.recall_into(query, filters, &mut buffers);
            buffers.reset();
            recalled
        })
    }

    fn recall_into(&self, query: &Query, filters: &Filters, b: &mut Buffers) -> Vec<Recalled> {
        let ix = &self.index;
        let total_weight = query.total_weight;
        let max_bm25: f32 = query
            .slots
            .iter()
            .map(|s| s.weight * (score::BM25_K1 + 1.0))
            .sum();
        let Buffers {
            sums,
            scratch,
            any,
            touched,
            marked,
            ..
        } = b;
        let bit = |term: u32| match query.hit_terms.binary_search(&term) {
            Ok(i) if i < HIT_BITS => 1u64 << i,
            _ => 0,
        };
        let fresh = |s: &Sums| s.bm25 == 0.0 && s.coverage == 0.0 && s.hits == 0;
        for slot in &query.slots {
            // Most words stand for one term: add straight in, with no per-slot maximum.
            if let [(term, factor, share)] = slot.alternatives[..] {
                let weight =
                    slot.focus * factor * share * ix.idf[term as usize] * ix.boost[term as usize];
                let term_bit = bit(term);
                ix.walk(term, scratch, |doc, saturated| {
                    let s = &mut sums[doc as usize];
                    if fresh(s) {
                        any.push(doc);
                    }
                    s.bm25 += weight * saturated;
                    s.coverage += factor * slot.weight;
                    s.hits |= term_bit;
                });
                continue;
            }
            for &(term, factor, share) in &slot.alternatives {
                let weight =
                    slot.focus * factor * share * ix.idf[term as usize] * ix.boost[term as usize];
                let term_bit = bit(term);
                ix.walk(term, scratch, |doc, saturated| {
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
                s.slot_score = 0.0;
                s.slot_cover = 0.0;
            }
            touched.clear();
        }
        // The named event's words score nothing, but matched words are shown and highlighted.
        for slot in &query.event_slots {
            for &(term, _, _) in &slot.alternatives {
                let term_bit = bit(term);
                if term_bit != 0 {
                    ix.walk(term, scratch, |doc, _| {
                        let s = &mut sums[doc as usize];
                        if fresh(s) {
                            marked.push(doc);
                        }
                        s.hits |= term_bit;
                    });
                }
            }
        }
        let mut first: Vec<(u32, f32)> = any
            .iter()
            .copied()
            .filter(|&d| filters.admits(&self.kb.facts[d as usize]))
            .map(|d| {
                let s = &sums[d as usize];
                let c = s.coverage / total_weight;
                let b = s.bm25 / max_bm25;
                (
                    d,
                    score::FIRST_PASS_COVERAGE_SHARE * c
                        + (1.0 - score::FIRST_PASS_COVERAGE_SHARE) * b,
                )
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
        first
            .into_iter()
            .map(|(doc, _)| {
                let s = &sums[doc as usize];
                Recalled {
                    doc: doc as usize,
                    coverage: s.coverage / total_weight,
                    bm25: s.bm25 / max_bm25,
                    hits: s.hits,
                }
            })
            .collect()
    }
}
