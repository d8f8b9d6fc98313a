//! Recall: the first, cheap pass. The question's terms walk the inverted index, and every fact
//! that shares one is scored with BM25F and coverage; the best [`score::RERANK_DEPTH`] that
//! pass the filters go on to [`super::rerank`].

use super::query::Query;
use super::{score, Engine, Filters};

/// A fact that survived the first pass, with its two first-pass signals.
pub(super) struct Recalled {
    pub(super) doc: usize,
    /// Share of the question's weight the fact covers ([`score::Signals::coverage`]).
    pub(super) coverage: f32,
    /// BM25F relative to the best any fact could get ([`score::Signals::bm25`]).
    pub(super) bm25: f32,
}

impl Engine {
    /// The best [`score::RERANK_DEPTH`] facts passing `filters` by a blend of coverage and
    /// BM25F, in no particular order.
    pub(super) fn recall(&self, query: &Query, filters: &Filters) -> Vec<Recalled> {
        let ix = &self.index;
        let n = self.kb.facts.len();
        let total_weight = query.total_weight;
        if total_weight <= 0.0 || n == 0 {
            return Vec::new();
        }
        let max_bm25: f32 = query
            .slots
            .iter()
            .map(|s| s.weight * (score::BM25_K1 + 1.0))
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
                let weight =
                    slot.focus * factor * share * ix.idf[term as usize] * ix.boost[term as usize];
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
                let weight =
                    slot.focus * factor * share * ix.idf[term as usize] * ix.boost[term as usize];
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
                let d = doc as usize;
                Recalled {
                    doc: d,
                    coverage: coverage[d] / total_weight,
                    bm25: bm25[d] / max_bm25,
                }
            })
            .collect()
    }
}
