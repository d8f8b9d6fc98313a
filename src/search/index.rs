//! The inverted index built once per knowledge base: BM25F postings over five weighted
//! fields, per-term weights, the typo vocabulary, and per-fact data for re-ranking
//! (alternate questions as term sets, adjacent-term pairs for the proximity bonus).

use std::collections::HashMap;

use super::normalize::{Analyzer, Term};
use super::synonyms::SynonymTable;
use super::typo::TypoIndex;
use crate::knowledge::{Fact, KnowledgeBase};

/// The fields of a fact, in the order of [`FIELD_WEIGHTS`].
#[derive(Clone, Copy)]
enum Field {
    Title = 0,
    Questions = 1,
    Keywords = 2,
    Answer = 3,
    Quotes = 4,
}
const FIELDS: usize = 5;

/// How much an occurrence in each field counts. Alternate questions and titles are written to
/// be matched; quotes are the article's wording, long and full of incidental words.
pub const FIELD_WEIGHTS: [f32; FIELDS] = [3.0, 2.5, 2.0, 1.5, 1.0];
/// BM25 length normalisation. Lower than the usual 0.75: fields here are short and their length
/// says little about relevance.
pub const FIELD_LENGTH_B: f32 = 0.5;
/// BM25 term-frequency saturation.
pub const BM25_K1: f32 = 1.2;
/// Numbers and dates name one event: "2017" singles out a dialogue better than "dialogue".
pub const NUMBER_BOOST: f32 = 1.6;
/// Names (capitalised mid-sentence, or acronyms) are what people ask about.
pub const NAME_BOOST: f32 = 1.3;

/// BM25 inverse document frequency.
pub fn idf(doc_freq: usize, docs: usize) -> f32 {
    let (df, n) = (doc_freq as f32, docs as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// One alternate question (or the title) of a fact, ready for similarity scoring.
#[derive(Debug)]
pub struct Alternate {
    /// Content terms (not concepts), each with the concepts that cover it.
    pub terms: Vec<(u32, Vec<u32>)>,
    /// Stems joined by spaces, for whole-string similarity.
    pub joined: String,
}

#[derive(Debug)]
pub struct DocIndex {
    pub alternates: Vec<Alternate>,
    /// (term, next term) pairs of every field, packed and sorted.
    pub bigrams: Vec<u64>,
    /// Terms the fact is about without necessarily saying them: its parties ("India",
    /// "Masato Otaka") and its year.
    pub parties: Vec<u32>,
    /// The answer or a quote states a quantity (for "how much" questions).
    pub states_quantity: bool,
}

pub struct Index {
    pub analyzer: Analyzer,
    pub synonyms: SynonymTable,
    pub term_ids: HashMap<String, u32>,
    /// term → (fact index, BM25F pseudo term frequency).
    pub postings: Vec<Vec<(u32, f32)>>,
    pub idf: Vec<f32>,
    pub boost: Vec<f32>,
    pub typo: TypoIndex,
    /// Highest idf any term can have (a term in no fact): the weight of an unknown word.
    pub unknown_idf: f32,
    pub docs: Vec<DocIndex>,
}

pub fn pack(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// A text analysed into index keys: stems, compounds, and synonym concepts.
struct Analysed {
    keys: Vec<(String, bool)>,
    /// Consecutive content stems, for bigrams.
    sequence: Vec<String>,
    terms: Vec<Term>,
    concepts: Vec<(usize, usize, usize)>,
}

fn analyse(text: &str, analyzer: &Analyzer, synonyms: &SynonymTable) -> Analysed {
    let terms = analyzer.terms(text);
    let concepts: Vec<(usize, usize, usize)> = synonyms
        .find(&terms)
        .into_iter()
        .map(|m| (m.concept, m.first, m.last))
        .collect();
    let mut keys: Vec<(String, bool)> = terms
        .iter()
        .map(|t| (t.stem.clone(), t.capitalised))
        .collect();
    for &(concept, first, _) in &concepts {
        keys.push((SynonymTable::concept_key(concept), terms[first].capitalised));
    }
    let sequence = terms
        .iter()
        .filter(|t| !t.compound)
        .map(|t| t.stem.clone())
        .collect();
    Analysed {
        keys,
        sequence,
        terms,
        concepts,
    }
}

impl Index {
    pub fn build(kb: &KnowledgeBase) -> Self {
        let analyzer = Analyzer::default();
        let synonyms = SynonymTable::new(&kb.synonyms, &analyzer);
        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut names: Vec<bool> = Vec::new();
        let mut surfaces: HashMap<String, ()> = HashMap::new();
        let mut intern = |key: &str, capitalised: bool, names: &mut Vec<bool>| -> u32 {
            let next = term_ids.len() as u32;
            let id = *term_ids.entry(key.to_string()).or_insert(next);
            if id as usize == names.len() {
                names.push(false);
            }
            names[id as usize] |= capitalised;
            id
        };

        // Pass 1: per fact and field, term counts and lengths.
        let mut counts: Vec<Vec<(u32, usize, f32)>> = Vec::with_capacity(kb.facts.len());
        let mut lengths = vec![[0f32; FIELDS]; kb.facts.len()];
        let mut docs = Vec::with_capacity(kb.facts.len());
        for (doc, fact) in kb.facts.iter().enumerate() {
            let mut doc_counts: HashMap<(u32, usize), f32> = HashMap::new();
            let mut bigrams = Vec::new();
            let mut alternates = Vec::new();
            for (field, text) in field_texts(fact) {
                let analysed = analyse(text, &analyzer, &synonyms);
                for term in &analysed.terms {
                    if term.surface.chars().all(char::is_alphabetic) {
                        surfaces.insert(term.surface.clone(), ());
                    }
                }
                // Names are recognised in prose only: questions are typed in any case.
                let prose = matches!(field, Field::Title | Field::Answer | Field::Quotes);
                for (key, capitalised) in &analysed.keys {
                    let id = intern(key, prose && *capitalised, &mut names);
                    *doc_counts.entry((id, field as usize)).or_default() += 1.0;
                }
                lengths[doc][field as usize] += analysed.keys.len() as f32;
                let ids: Vec<u32> = analysed
                    .sequence
                    .iter()
                    .map(|s| intern(s, false, &mut names))
                    .collect();
                bigrams.extend(ids.windows(2).map(|w| pack(w[0], w[1])));
                if matches!(field, Field::Title | Field::Questions) {
                    alternates.push(alternate(&analysed, &mut |k| intern(k, false, &mut names)));
                }
            }
            bigrams.sort_unstable();
            bigrams.dedup();
            let mut parties: Vec<u32> = Vec::new();
            // A fact dated 2022 is about 2022 even where its text does not say so.
            let year = fact.date.map(|d| d.year.to_string());
            for party in fact.parties.iter().chain(year.as_ref()) {
                let analysed = analyse(party, &analyzer, &synonyms);
                parties.extend(
                    analysed
                        .keys
                        .iter()
                        .map(|(key, _)| intern(key, false, &mut names)),
                );
            }
            docs.push(DocIndex {
                alternates,
                bigrams,
                parties,
                states_quantity: super::intent::states_quantity(&fact.answer)
                    || fact
                        .citations
                        .iter()
                        .any(|c| super::intent::states_quantity(&c.quote)),
            });
            counts.push(
                doc_counts
                    .into_iter()
                    .map(|((id, field), n)| (id, field, n))
                    .collect(),
            );
        }

        // Pass 2: BM25F pseudo-frequencies into postings.
        let n = kb.facts.len().max(1) as f32;
        let mut average = [0f32; FIELDS];
        for doc_lengths in &lengths {
            for (sum, len) in average.iter_mut().zip(doc_lengths) {
                *sum += len / n;
            }
        }
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); term_ids.len()];
        for (doc, doc_counts) in counts.iter().enumerate() {
            let mut per_term: HashMap<u32, f32> = HashMap::new();
            for &(id, field, count) in doc_counts {
                let norm = 1.0 - FIELD_LENGTH_B
                    + FIELD_LENGTH_B * lengths[doc][field] / average[field].max(1.0);
                *per_term.entry(id).or_default() += FIELD_WEIGHTS[field] * count / norm;
            }
            let mut entries: Vec<(u32, f32)> = per_term.into_iter().collect();
            entries.sort_unstable_by_key(|(id, _)| *id);
            for (id, tf) in entries {
                postings[id as usize].push((doc as u32, tf));
            }
        }
        let docs_count = kb.facts.len();
        let idf_values: Vec<f32> = postings.iter().map(|p| idf(p.len(), docs_count)).collect();
        let mut by_id: Vec<&str> = vec![""; term_ids.len()];
        for (key, &id) in &term_ids {
            by_id[id as usize] = key;
        }
        let boost = by_id
            .iter()
            .zip(&names)
            .map(|(key, &name)| {
                if key.chars().any(|c| c.is_ascii_digit()) {
                    NUMBER_BOOST
                } else if name {
                    NAME_BOOST
                } else {
                    1.0
                }
            })
            .collect();
        // Synonym terms are vocabulary too: "jetro" is worth correcting even if no fact says it.
        for group in &kb.synonyms {
            for term in &group.terms {
                for token in analyzer.terms_with(term, false) {
                    if token.surface.chars().all(char::is_alphabetic) {
                        surfaces.insert(token.surface, ());
                    }
                }
            }
        }
        Index {
            typo: TypoIndex::new(surfaces.into_keys().collect()),
            unknown_idf: idf(0, docs_count),
            analyzer,
            synonyms,
            term_ids,
            postings,
            idf: idf_values,
            boost,
            docs,
        }
    }
}

fn alternate(analysed: &Analysed, intern: &mut dyn FnMut(&str) -> u32) -> Alternate {
    let mut terms: Vec<(u32, Vec<u32>)> = Vec::new();
    for (i, term) in analysed
        .terms
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.compound)
    {
        let concepts = analysed
            .concepts
            .iter()
            .filter(|&&(_, first, last)| first <= i && i <= last)
            .map(|&(c, _, _)| intern(&SynonymTable::concept_key(c)))
            .collect();
        let id = intern(&term.stem);
        if !terms.iter().any(|(t, _)| *t == id) {
            terms.push((id, concepts));
        }
    }
    Alternate {
        terms,
        joined: analysed.sequence.join(" "),
    }
}

/// Each field's texts. Alternate questions are separate texts so each can be compared whole.
fn field_texts(fact: &Fact) -> Vec<(Field, &str)> {
    let mut texts = vec![
        (Field::Title, fact.title.as_str()),
        (Field::Answer, fact.answer.as_str()),
    ];
    texts.extend(
        fact.questions
            .iter()
            .map(|q| (Field::Questions, q.as_str())),
    );
    texts.extend(fact.keywords.iter().map(|k| (Field::Keywords, k.as_str())));
    texts.extend(
        fact.citations
            .iter()
            .map(|c| (Field::Quotes, c.quote.as_str())),
    );
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_matches_the_bm25_formula() {
        let expected = (1.0f32 + (10.0 - 2.0 + 0.5) / (2.0 + 0.5)).ln();
        assert!((idf(2, 10) - expected).abs() < 1e-6);
        assert!(idf(1, 10) > idf(5, 10), "rarer terms weigh more");
        assert!(
            idf(10, 10) > 0.0,
            "a term in every fact still counts a little"
        );
    }
}
