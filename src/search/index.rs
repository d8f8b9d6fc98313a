//! The inverted index built once per knowledge base: BM25F postings over five weighted
//! fields, per-term weights, the typo vocabulary, and per-fact data for re-ranking
//! (alternate questions as term sets, adjacent-term pairs for the proximity bonus).

use rustc_hash::{FxHashMap, FxHashSet};

use super::intent::AnswerKinds;
use super::normalize::Analyzer;
use super::score::{saturate, FIELD_LENGTH_B, FIELD_WEIGHTS, NAME_BOOST, NUMBER_BOOST};
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
const FIELDS: usize = FIELD_WEIGHTS.len();

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
    /// Content terms in order, for whole-question (word order) similarity.
    pub sequence: Vec<u32>,
    /// Every term and concept, sorted (membership tests).
    pub ids: Vec<u32>,
    /// Sum of the terms' idf (filled in once all facts are indexed).
    pub weight: f32,
}

#[derive(Debug)]
pub struct DocIndex {
    pub alternates: Vec<Alternate>,
    /// (term, next term) pairs of every field, packed and sorted.
    pub bigrams: Vec<u64>,
    /// Terms the fact is about without necessarily saying them: its parties ("India",
    /// "Masato Otaka") and its year.
    pub parties: Vec<u32>,
    /// The kinds of answer the fact gives (date, quantity, actor, place, expansions).
    pub kinds: AnswerKinds,
    /// The publication years of the articles it cites: "the 2022 op-ed" names them.
    pub cited_years: Vec<u32>,
}

pub struct Index {
    pub analyzer: Analyzer,
    pub synonyms: SynonymTable,
    pub term_ids: FxHashMap<String, u32>,
    /// term → (fact index, BM25F pseudo term frequency, already saturated).
    pub postings: Vec<Vec<(u32, f32)>>,
    pub idf: Vec<f32>,
    pub boost: Vec<f32>,
    pub typo: TypoIndex,
    /// Highest idf any term can have (a term in no fact): the weight of an unknown word.
    pub unknown_idf: f32,
    pub docs: Vec<DocIndex>,
    /// Per event of the knowledge base, each alias as its sorted, deduplicated stems
    /// (compounds included: "e-dialogue" is not "2017 dialogue").
    pub event_aliases: Vec<Vec<Vec<String>>>,
    /// Per fact, the index of its event.
    pub doc_events: Vec<Option<u32>>,
    /// Every acronym some fact's quotes spell out, lowercase: the word an expansion question
    /// is about.
    pub acronyms: FxHashSet<String>,
}

pub fn pack(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// Index keys (stems, compounds, concepts) and their ids, interned once each.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<String, u32>,
    /// Seen capitalised mid-sentence in prose, per id: a name.
    names: Vec<bool>,
}

impl Interner {
    fn id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(key.to_string(), id);
        self.names.push(false);
        id
    }
}

/// A text analysed into interned index keys.
struct Analysed {
    /// Every key of the text, concepts included, with "capitalised".
    keys: Vec<(u32, bool)>,
    /// Consecutive content terms (no compounds, no concepts), for bigrams.
    sequence: Vec<u32>,
    /// Per content term, the concepts covering it (for alternates).
    covering: Vec<Vec<u32>>,
}

/// Analyses `text`, adding its alphabetic words to `vocabulary` (for typo correction).
fn analyse(
    text: &str,
    analyzer: &mut Analyzer,
    synonyms: &SynonymTable,
    interner: &mut Interner,
    vocabulary: &mut FxHashSet<String>,
) -> Analysed {
    let terms = analyzer.learn_terms(text, true);
    let concepts = synonyms.find(&terms);
    let mut keys = Vec::with_capacity(terms.len() + concepts.len());
    let mut sequence = Vec::with_capacity(terms.len());
    let mut covering = Vec::with_capacity(terms.len());
    let concept_ids: Vec<u32> = concepts
        .iter()
        .map(|m| interner.id(&SynonymTable::concept_key(m.concept)))
        .collect();
    for (i, term) in terms.iter().enumerate() {
        let id = interner.id(&term.stem);
        keys.push((id, term.capitalised));
        if !term.compound {
            sequence.push(id);
            covering.push(
                concepts
                    .iter()
                    .zip(&concept_ids)
                    .filter(|(m, _)| m.first <= i && i <= m.last)
                    .map(|(_, &c)| c)
                    .collect(),
            );
        }
        if term.surface.chars().all(char::is_alphabetic) && !vocabulary.contains(&term.surface) {
            vocabulary.insert(term.surface.clone());
        }
    }
    keys.extend(
        concepts
            .iter()
            .zip(&concept_ids)
            .map(|(m, &c)| (c, terms[m.first].capitalised)),
    );
    Analysed {
        keys,
        sequence,
        covering,
    }
}

/// Facts analysed by one thread, with term ids local to it.
struct Partial {
    analyzer: Analyzer,
    interner: Interner,
    surfaces: FxHashSet<String>,
    docs: Vec<PartialDoc>,
}

struct PartialDoc {
    /// (term, field, occurrences).
    counts: Vec<(u32, usize, f32)>,
    lengths: [f32; FIELDS],
    bigrams: Vec<(u32, u32)>,
    alternates: Vec<Alternate>,
    parties: Vec<u32>,
    cited_years: Vec<u32>,
    kinds: AnswerKinds,
}

/// Below this many facts one thread indexes faster than several (thread start and merge).
const PARALLEL_FROM_FACTS: usize = 4_000;

fn analyse_facts(
    facts: &[Fact],
    synonyms: &SynonymTable,
    glossary: &[(String, String)],
    source_years: &FxHashMap<&str, u16>,
) -> Partial {
    let mut analyzer = Analyzer::default();
    let mut interner = Interner::default();
    let mut surfaces: FxHashSet<String> = FxHashSet::default();
    let mut docs = Vec::with_capacity(facts.len());
    let mut counts: FxHashMap<(u32, usize), f32> = FxHashMap::default();
    for fact in facts {
        counts.clear();
        let mut lengths = [0f32; FIELDS];
        let mut bigrams = Vec::new();
        let mut alternates = Vec::new();
        for (field, text) in field_texts(fact) {
            let is_alternate = matches!(field, Field::Title | Field::Questions);
            let analysed = analyse(text, &mut analyzer, synonyms, &mut interner, &mut surfaces);
            // Names are recognised in prose only: questions are typed in any case.
            let prose = matches!(field, Field::Title | Field::Answer | Field::Quotes);
            for &(id, capitalised) in &analysed.keys {
                interner.names[id as usize] |= prose && capitalised;
                *counts.entry((id, field as usize)).or_default() += 1.0;
            }
            lengths[field as usize] += analysed.keys.len() as f32;
            bigrams.extend(analysed.sequence.windows(2).map(|w| (w[0], w[1])));
            if is_alternate {
                alternates.push(alternate(analysed));
            }
        }
        let mut parties: Vec<u32> = Vec::new();
        // A fact dated 2022 is about 2022 even where its text does not say so.
        let year = fact.date.map(|d| d.year.to_string());
        for party in fact.parties.iter().chain(year.as_ref()) {
            let analysed = analyse(party, &mut analyzer, synonyms, &mut interner, &mut surfaces);
            parties.extend(analysed.keys.iter().map(|&(id, _)| id));
        }
        let mut years: Vec<String> = fact
            .citations
            .iter()
            .filter_map(|c| source_years.get(c.source.as_str()))
            .map(u16::to_string)
            .collect();
        years.sort_unstable();
        years.dedup();
        let mut cited_years: Vec<u32> = Vec::new();
        for year in &years {
            let analysed = analyse(year, &mut analyzer, synonyms, &mut interner, &mut surfaces);
            cited_years.extend(analysed.keys.iter().map(|&(id, _)| id));
        }
        docs.push(PartialDoc {
            cited_years,
            counts: counts
                .iter()
                .map(|(&(id, field), &n)| (id, field, n))
                .collect(),
            lengths,
            bigrams,
            alternates,
            parties,
            kinds: AnswerKinds::of(fact, glossary),
        });
    }
    Partial {
        analyzer,
        interner,
        surfaces,
        docs,
    }
}

/// Analyses the facts on every core for large knowledge bases, in one thread otherwise.
fn analyse_all(
    facts: &[Fact],
    synonyms: &SynonymTable,
    glossary: &[(String, String)],
    source_years: &FxHashMap<&str, u16>,
) -> Vec<Partial> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    if threads < 2 || facts.len() < PARALLEL_FROM_FACTS {
        return vec![analyse_facts(facts, synonyms, glossary, source_years)];
    }
    let chunk = facts.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = facts
            .chunks(chunk)
            .map(|part| scope.spawn(move || analyse_facts(part, synonyms, glossary, source_years)))
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

impl Index {
    pub fn build(kb: &KnowledgeBase) -> Self {
        let mut analyzer = Analyzer::default();
        let synonyms = SynonymTable::new(&kb.synonyms, &analyzer);
        let mut interner = Interner::default();
        let mut surfaces: FxHashSet<String> = FxHashSet::default();

        // Pass 1: per fact and field, term counts and lengths; then local ids made global.
        let mut counts: Vec<Vec<(u32, usize, f32)>> = Vec::with_capacity(kb.facts.len());
        let mut lengths = Vec::with_capacity(kb.facts.len());
        let mut docs = Vec::with_capacity(kb.facts.len());
        // Where an article spells an acronym out itself ("Intellectual Property (IP)"), that
        // is the citation for what it stands for; the synonym glossary serves the others.
        let defined: FxHashSet<String> = kb
            .facts
            .iter()
            .flat_map(|f| &f.citations)
            .filter(|c| c.quote.contains('('))
            .flat_map(|c| super::intent::expanded_acronyms(&c.quote))
            .map(|(acronym, _)| acronym)
            .collect();
        let glossary: Vec<(String, String)> = super::intent::glossary(&kb.synonyms)
            .into_iter()
            .filter(|(acronym, _)| !defined.contains(acronym))
            .collect();
        let source_years: FxHashMap<&str, u16> = kb
            .sources
            .iter()
            .filter_map(|s| Some((s.id.as_str(), s.published?.year)))
            .collect();
        for partial in analyse_all(&kb.facts, &synonyms, &glossary, &source_years) {
            let mut global = vec![0u32; partial.interner.names.len()];
            for (key, &local) in &partial.interner.ids {
                let id = interner.id(key);
                global[local as usize] = id;
                interner.names[id as usize] |= partial.interner.names[local as usize];
            }
            let map = |ids: &mut Vec<u32>| ids.iter_mut().for_each(|id| *id = global[*id as usize]);
            analyzer.absorb(partial.analyzer);
            surfaces.extend(partial.surfaces);
            for mut doc in partial.docs {
                for (id, _, _) in &mut doc.counts {
                    *id = global[*id as usize];
                }
                let mut bigrams: Vec<u64> = doc
                    .bigrams
                    .iter()
                    .map(|&(a, b)| pack(global[a as usize], global[b as usize]))
                    .collect();
                bigrams.sort_unstable();
                bigrams.dedup();
                for alternate in &mut doc.alternates {
                    for (id, covering) in &mut alternate.terms {
                        *id = global[*id as usize];
                        map(covering);
                    }
                }
                map(&mut doc.parties);
                map(&mut doc.cited_years);
                counts.push(doc.counts);
                lengths.push(doc.lengths);
                docs.push(DocIndex {
                    alternates: doc.alternates,
                    bigrams,
                    parties: doc.parties,
                    cited_years: doc.cited_years,
                    kinds: doc.kinds,
                });
            }
        }

        // Pass 2: BM25F pseudo-frequencies into postings.
        let n = kb.facts.len().max(1) as f32;
        let mut average = [0f32; FIELDS];
        for doc_lengths in &lengths {
            for (sum, len) in average.iter_mut().zip(doc_lengths) {
                *sum += len / n;
            }
        }
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); interner.names.len()];
        let mut per_term: Vec<(u32, f32)> = Vec::new();
        for (doc, doc_counts) in counts.iter().enumerate() {
            per_term.clear();
            for &(id, field, count) in doc_counts {
                let norm = 1.0 - FIELD_LENGTH_B
                    + FIELD_LENGTH_B * lengths[doc][field] / average[field].max(1.0);
                per_term.push((id, FIELD_WEIGHTS[field] * count / norm));
            }
            per_term.sort_unstable_by_key(|(id, _)| *id);
            for chunk in per_term.chunk_by(|a, b| a.0 == b.0) {
                let tf: f32 = chunk.iter().map(|(_, tf)| tf).sum();
                postings[chunk[0].0 as usize].push((doc as u32, saturate(tf)));
            }
        }
        let docs_count = kb.facts.len();
        let idf_values: Vec<f32> = postings.iter().map(|p| idf(p.len(), docs_count)).collect();
        for doc in &mut docs {
            for alternate in &mut doc.alternates {
                finish_alternate(alternate, &idf_values);
            }
        }
        let mut boost = vec![1.0; interner.names.len()];
        for (key, &id) in &interner.ids {
            if key.chars().any(|c| c.is_ascii_digit()) {
                boost[id as usize] = NUMBER_BOOST;
            } else if interner.names[id as usize] {
                boost[id as usize] = NAME_BOOST;
            }
        }
        // Synonym terms are vocabulary too: "jetro" is worth correcting even if no fact says it.
        for group in &kb.synonyms {
            for term in &group.terms {
                for token in analyzer.terms_with(term, false) {
                    if token.surface.chars().all(char::is_alphabetic) {
                        surfaces.insert(token.surface);
                    }
                }
            }
        }
        let event_aliases = kb
            .events
            .iter()
            .map(|event| {
                event
                    .aliases
                    .iter()
                    .map(|alias| {
                        let mut stems: Vec<String> =
                            analyzer.terms(alias).into_iter().map(|t| t.stem).collect();
                        stems.sort();
                        stems.dedup();
                        stems
                    })
                    .filter(|stems| !stems.is_empty())
                    .collect()
            })
            .collect();
        let doc_events = kb
            .facts
            .iter()
            .map(|f| {
                let id = f.event.as_deref()?;
                kb.events.iter().position(|e| e.id == id).map(|i| i as u32)
            })
            .collect();
        let acronyms = docs
            .iter()
            .flat_map(|d| d.kinds.expands.iter().map(|(acronym, _)| acronym.clone()))
            .collect();
        Index {
            acronyms,
            event_aliases,
            doc_events,
            typo: TypoIndex::new(surfaces.into_iter().collect()),
            unknown_idf: idf(0, docs_count),
            analyzer,
            synonyms,
            term_ids: interner.ids,
            postings,
            idf: idf_values,
            boost,
            docs,
        }
    }
}

fn alternate(analysed: Analysed) -> Alternate {
    let mut terms: Vec<(u32, Vec<u32>)> = Vec::new();
    for (&id, covering) in analysed.sequence.iter().zip(analysed.covering) {
        if !terms.iter().any(|(t, _)| *t == id) {
            terms.push((id, covering));
        }
    }
    Alternate {
        terms,
        sequence: analysed.sequence,
        ids: Vec::new(),
        weight: 0.0,
    }
}

/// Fills in what an alternate can only know once ids are global and idf is known.
fn finish_alternate(alternate: &mut Alternate, idf: &[f32]) {
    let mut ids: Vec<u32> = alternate
        .terms
        .iter()
        .flat_map(|(t, c)| std::iter::once(*t).chain(c.iter().copied()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    alternate.ids = ids;
    alternate.weight = alternate.terms.iter().map(|(t, _)| idf[*t as usize]).sum();
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
