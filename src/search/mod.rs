//! The retrieval engine: a free-text question in, the best fact with its citations out — or
//! an honest decline with suggestions. [`Engine::ask`] runs four stages, one file each:
//!
//! - `query`: the question read into slots of index terms (typos corrected except in real
//!   words, synonyms added, the named event found).
//! - `recall`: those terms walk their postings in tantivy ([`postings`]); every fact sharing
//!   one is scored with BM25F and coverage, and the best [`score::RERANK_DEPTH`] go on.
//! - `rerank`: the costlier signals (alternate-question similarity, mismatches),
//!   then the final order.
//! - `compose`: the answer or decline, with citations, related facts and an explanation.
//!
//! Every weight, count and threshold is named in [`score`], with the reason for its value;
//! [`index`] is built once per knowledge base; [`lookup`] finds a fact by its name (or the
//! closest ones); the other modules analyse text.

pub mod english;
pub mod entities;
pub mod followup;
pub mod index;
pub mod intent;
pub mod lookup;
pub mod normalize;
pub mod postings;
pub mod score;
pub mod snippet;
pub mod synonyms;
pub mod tokenizer;
pub mod typo;

mod compose;
mod query;
mod recall;
mod rerank;

use std::sync::Arc;

use crate::answer::Answer;
use crate::knowledge::{Fact, FactKind, KnowledgeBase};
use index::Index;
use query::{prepare, Query};
use rerank::Candidate;
pub use score::{Signals, MAX_QUESTION_CHARS, MAX_QUESTION_TERMS};

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

pub struct Engine {
    kb: Arc<KnowledgeBase>,
    index: Index,
    decline_below: f32,
}

/// A ranked fact, for evaluation and tuning.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub fact_id: String,
    pub confidence: f32,
    pub signals: Signals,
}

impl Engine {
    /// Builds the index. Cost grows linearly with the knowledge base.
    pub fn new(kb: Arc<KnowledgeBase>) -> Self {
        english::warm_up();
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

    /// [`Engine::ask`] and [`Engine::top`] from one reading and ranking of `question` (what
    /// evaluation needs: asking twice doubled the eval gate of a reload).
    pub fn ask_and_top(
        &self,
        question: &str,
        filters: &Filters,
        k: usize,
    ) -> (Answer, Vec<Ranked>) {
        let question = prepare(question);
        let query = self.parse_query(&question);
        let ranked = self.rank(&query, filters);
        let top = ranked
            .iter()
            .take(k)
            .map(|c| Ranked {
                fact_id: self.kb.facts[c.doc].id.clone(),
                confidence: c.confidence,
                signals: c.signals,
            })
            .collect();
        (self.answer(&query, &ranked), top)
    }

    /// [`Engine::top`] for a question still being typed. A last word that is no word of the
    /// vocabulary and has no space after it is probably half typed ("memorandum of coop"):
    /// read as a word it drags every score down, so it is read as the vocabulary word it
    /// begins that most facts have. One ranking, so a keystroke costs what a question does.
    pub fn top_while_typing(&self, question: &str, filters: &Filters, k: usize) -> Vec<Ranked> {
        self.top(&self.completed(question), filters, k)
    }

    /// `question` with a half-typed last word completed (see [`Engine::top_while_typing`]).
    fn completed<'q>(&self, question: &'q str) -> std::borrow::Cow<'q, str> {
        /// Most completions looked at: a prefix of one or two letters begins hundreds.
        const COMPLETIONS: usize = 64;
        let start = question
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map_or(question.len(), |(at, _)| at);
        let last = question[start..].to_lowercase();
        let ix = &self.index;
        if last.chars().count() < 2
            || ix.term_ids.contains_key(&ix.analyzer.stem(&last))
            || english::is_english_word(&last)
        {
            return question.into();
        }
        let best = ix
            .postings
            .words_starting(&last, COMPLETIONS)
            .into_iter()
            .filter(|word| word.len() > last.len())
            .max_by_key(|word| {
                let df = ix
                    .term_ids
                    .get(&ix.analyzer.stem(word))
                    .map_or(0, |&t| ix.doc_freq(t));
                (df, std::cmp::Reverse(word.clone()))
            });
        match best {
            Some(word) => format!("{}{word}", &question[..start]).into(),
            None => question.into(),
        }
    }

    /// Every candidate for `query` that passes `filters`, best first.
    fn rank(&self, query: &Query, filters: &Filters) -> Vec<Candidate> {
        let recalled = self.recall(query, filters);
        self.rerank(query, recalled)
    }
}

#[cfg(test)]
mod tests;
