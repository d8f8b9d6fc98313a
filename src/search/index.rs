//! The index built once per knowledge base: the facts' postings in tantivy
//! ([`super::postings`]: five weighted fields, field lengths, the typo vocabulary), and what
//! the engine keeps beside them — term ids and weights (idf, name and number boosts), and
//! per-fact data for re-ranking (alternate questions as term sets, parties, answer kinds, events).

use rustc_hash::{FxHashMap, FxHashSet};

use super::intent::{AnswerKinds, Vocabulary};
use super::normalize::Analyzer;
use super::postings::{FactTokens, Postings, PostingsWriter, Reach, Scratch};
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

/// Every fact's alternate questions (and title), flat: one allocation per array for the
/// whole knowledge base, rather than several per alternate.
#[derive(Debug, Default)]
pub struct Alternates {
    /// Per fact, its first alternate; one more entry closes the last fact.
    fact_start: Vec<u32>,
    /// Per alternate, its first word in `words`; one more entry closes the last.
    word_start: Vec<u32>,
    /// Per alternate, the sum of its distinct terms' idf.
    weight: Vec<f32>,
    /// Distinct content terms of every alternate, in order of first occurrence.
    words: Vec<u32>,
    /// (word index, concept), sorted: the concepts covering each term's first occurrence.
    covering: Vec<(u32, u32)>,
    /// Per alternate, its first entry in `covering`; one more entry closes the last.
    covering_start: Vec<u32>,
}

/// One alternate question (or the title) of a fact, ready for similarity scoring.
#[derive(Debug, Clone, Copy)]
pub struct Alternate<'a> {
    words: &'a [u32],
    /// This alternate's entries of [`Alternates::covering`].
    covering: &'a [(u32, u32)],
    /// Index of `words[0]` in [`Alternates::words`].
    base: u32,
    /// Sum of the terms' idf.
    pub weight: f32,
}

impl<'a> Alternate<'a> {
    /// Each distinct content term (not concepts) with the concepts that cover it.
    pub fn terms(&self) -> impl Iterator<Item = (u32, &'a [(u32, u32)])> + '_ {
        // `covering` is in word order: one cursor walks it alongside the words.
        let mut cursor = 0;
        self.words.iter().enumerate().map(move |(i, &term)| {
            let at = self.base + i as u32;
            let from = cursor;
            while cursor < self.covering.len() && self.covering[cursor].0 <= at {
                cursor += 1;
            }
            (term, &self.covering[from..cursor])
        })
    }
}

impl Alternates {
    /// How many alternates fact `doc` has.
    pub fn count(&self, doc: usize) -> usize {
        (self.fact_start[doc + 1] - self.fact_start[doc]) as usize
    }

    /// Alternate `i` of fact `doc`.
    pub fn get(&self, doc: usize, i: usize) -> Alternate<'_> {
        let a = self.fact_start[doc] as usize + i;
        let (from, to) = (self.word_start[a] as usize, self.word_start[a + 1] as usize);
        let (lo, hi) = (
            self.covering_start[a] as usize,
            self.covering_start[a + 1] as usize,
        );
        Alternate {
            words: &self.words[from..to],
            covering: &self.covering[lo..hi],
            base: from as u32,
            weight: self.weight[a],
        }
    }

    /// Adds the next fact's alternates: each as its terms (global ids) and the concepts
    /// covering each term.
    fn push_fact(&mut self, alternates: impl Iterator<Item = (Vec<u32>, Vec<Vec<u32>>)>) {
        if self.fact_start.is_empty() {
            self.fact_start.push(0);
            self.word_start.push(0);
            self.covering_start.push(0);
        }
        for (words, covering) in alternates {
            for (i, concepts) in covering.into_iter().enumerate() {
                if words[..i].contains(&words[i]) {
                    continue;
                }
                let at = self.words.len() as u32;
                self.words.push(words[i]);
                self.covering.extend(concepts.into_iter().map(|c| (at, c)));
            }
            self.word_start.push(self.words.len() as u32);
            self.covering_start.push(self.covering.len() as u32);
            self.weight.push(0.0);
        }
        self.fact_start.push(self.weight.len() as u32);
    }

    /// Fills in the weights once idf is known, and frees spare capacity.
    fn finish(&mut self, idf: &[f32]) {
        if self.fact_start.is_empty() {
            self.fact_start.push(0);
            self.word_start.push(0);
            self.covering_start.push(0);
        }
        for a in 0..self.weight.len() {
            let words = &self.words[self.word_start[a] as usize..self.word_start[a + 1] as usize];
            self.weight[a] = words.iter().map(|&t| idf[t as usize]).sum();
        }
        self.fact_start.shrink_to_fit();
        self.word_start.shrink_to_fit();
        self.weight.shrink_to_fit();
        self.words.shrink_to_fit();
        self.covering.shrink_to_fit();
        self.covering_start.shrink_to_fit();
    }
}

/// Per fact, a sorted list of `T`, flat.
#[derive(Debug, Default)]
pub struct PerFact<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> PerFact<T> {
    fn push(&mut self, items: impl IntoIterator<Item = T>) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.items.extend(items);
        self.start.push(self.items.len() as u32);
    }

    pub fn of(&self, doc: usize) -> &[T] {
        match (self.start.get(doc), self.start.get(doc + 1)) {
            (Some(&from), Some(&to)) => &self.items[from as usize..to as usize],
            _ => &[],
        }
    }

    fn shrink(&mut self) {
        self.start.shrink_to_fit();
        self.items.shrink_to_fit();
    }
}

#[derive(Debug)]
pub struct DocIndex {
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
    pub(super) postings: Postings,
    pub idf: Vec<f32>,
    doc_freq: Vec<u32>,
    pub boost: Vec<f32>,
    /// Highest idf any term can have (a term in no fact): the weight of an unknown word.
    pub unknown_idf: f32,
    pub docs: Vec<DocIndex>,
    /// Per fact, its place among the facts in the order of their ids: ties in a ranking go to
    /// the first id, and comparing two places costs less than comparing two ids.
    pub id_order: Vec<u32>,
    pub alternates: Alternates,
    /// Per fact, the terms it is about without necessarily saying them: its parties
    /// ("India", "Masato Otaka") and its year.
    pub parties: PerFact<u32>,
    /// Stems of the words of the people facts name as parties ("masato", "otaka"), authors
    /// of the articles aside: a person a question names is, like a country, one a fact must
    /// name to answer it ("what did Masato Otaka say about cryptocurrency" is not answered by
    /// a fact without him).
    pub person_stems: FxHashSet<String>,
    /// Per event of the knowledge base, each alias as its sorted, deduplicated stems
    /// (compounds included: "e-dialogue" is not "2017 dialogue").
    pub event_aliases: Vec<Vec<Vec<String>>>,
    /// Per fact, the index of its event.
    pub doc_events: Vec<Option<u32>>,
    /// Per fact, the publication years of the articles it cites: "the 2022 op-ed" names them.
    pub cited_years: PerFact<u32>,
    /// Every acronym some fact's quotes spell out, lowercase: the word an expansion question
    /// is about.
    pub acronyms: FxHashSet<String>,
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
    /// Consecutive content terms (no compounds, no concepts).
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
    /// Per alternate, its content terms in order and the concepts covering each.
    alternates: Vec<(Vec<u32>, Vec<Vec<u32>>)>,
    parties: Vec<u32>,
    cited_years: Vec<u32>,
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
    vocabulary: &Vocabulary,
    source_years: &FxHashMap<&str, u16>,
    mut analyzer: Analyzer,
) -> Partial {
    let mut interner = Interner::default();
    let mut surfaces: FxHashSet<String> = FxHashSet::default();
    let mut docs = Vec::with_capacity(facts.len());
    for fact in facts {
        let mut tokens = FactTokens::default();
        let mut keys: Vec<(u32, u8)> = Vec::new();
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
            let joined = &mut tokens.fields[field as usize];
            for token in &analysed.tokens {
                joined.push_str(token);
                joined.push(' ');
            }
            if is_alternate {
                alternates.push((analysed.sequence, analysed.covering));
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
            tokens,
            keys,
            alternates,
            parties,
            cited_years,
            kinds: AnswerKinds::of(fact, glossary, vocabulary),
        });
    }
    Partial {
        analyzer,
        interner,
        surfaces,
        docs,
    }
}

/// Analyses the facts on `analyzers.len()` threads (one if a single analyzer), each
/// analyzer keeping the stems it learnt for the next batch.
fn analyse_all(
    facts: &[Fact],
    synonyms: &SynonymTable,
    glossary: &[(String, String)],
    vocabulary: &Vocabulary,
    source_years: &FxHashMap<&str, u16>,
    analyzers: &mut Vec<Analyzer>,
) -> Vec<Partial> {
    let threads = analyzers.len();
    let mut partials = if threads < 2 || facts.len() < 2 {
        let analyzer = analyzers.pop().unwrap_or_default();
        vec![analyse_facts(
            facts,
            synonyms,
            glossary,
            vocabulary,
            source_years,
            analyzer,
        )]
    } else {
        let chunk = facts.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let workers: Vec<_> = facts
                .chunks(chunk)
                .zip(analyzers.drain(..))
                .map(|(part, analyzer)| {
                    scope.spawn(move || {
                        analyse_facts(part, synonyms, glossary, vocabulary, source_years, analyzer)
                    })
                })
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
    };
    for partial in &mut partials {
        analyzers.push(std::mem::take(&mut partial.analyzer));
    }
    while analyzers.len() < threads {
        analyzers.push(Analyzer::default());
    }
    partials
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
        let mut alternates = Alternates::default();
        let mut parties_of: PerFact<u32> = PerFact::default();
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
        let mut cited_years_of: PerFact<u32> = PerFact::default();
        let threads = if kb.facts.len() < PARALLEL_FROM_FACTS {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, usize::from)
                .min(8)
        };
        let mut analyzers: Vec<Analyzer> = (0..threads).map(|_| Analyzer::default()).collect();
        // Facts are analysed in batches (in parallel for large knowledge bases) while the
        // previous batch goes to tantivy, in fact order: a fact's doc id is its index.
        let batches: Vec<&[Fact]> = kb.facts.chunks(FACTS_PER_BATCH).collect();
        let mut pending: Option<Vec<Partial>> = None;
        for next in 0..=batches.len() {
            let analysed = std::thread::scope(|scope| {
                let analysing = batches.get(next).map(|batch| {
                    let (synonyms, glossary, analyzers) = (&synonyms, &glossary, &mut analyzers);
                    let source_years = &source_years;
                    scope.spawn(move || {
                        analyse_all(
                            batch,
                            synonyms,
                            glossary,
                            &kb.vocabulary,
                            source_years,
                            analyzers,
                        )
                    })
                });
                for partial in pending.take().into_iter().flatten() {
                    let mut global = vec![0u32; partial.interner.names.len()];
                    for (key, &local) in &partial.interner.ids {
                        let id = interner.id(key);
                        global[local as usize] = id;
                        interner.names[id as usize] |= partial.interner.names[local as usize];
                    }
                    doc_freq.resize(interner.names.len(), 0);
                    fields_of.resize(interner.names.len(), 0);
                    let global_of = |ids: &[u32]| -> Vec<u32> {
                        ids.iter().map(|&id| global[id as usize]).collect()
                    };
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
                        alternates.push_fact(doc.alternates.into_iter().map(
                            |(words, covering)| {
                                let covering = covering.iter().map(|c| global_of(c)).collect();
                                (global_of(&words), covering)
                            },
                        ));
                        parties_of.push(global_of(&doc.parties));
                        cited_years_of.push(global_of(&doc.cited_years));
                        docs.push(DocIndex { kinds: doc.kinds });
                    }
                }
                analysing.map(|worker| {
                    worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            });
            pending = analysed;
        }
        for worker in analyzers {
            analyzer.absorb(worker);
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
        let mut words: Vec<String> = surfaces.into_iter().collect();
        words.sort_unstable();
        writer
            .add(FactTokens {
                vocabulary: words.join(" "),
                ..FactTokens::default()
            })
            .expect("an in-RAM tantivy index takes a document");
        let postings = writer
            .finish(kb.facts.len())
            .expect("an in-RAM tantivy segment finishes");

        let docs_count = kb.facts.len();
        let mut by_id: Vec<u32> = (0..docs_count as u32).collect();
        by_id.sort_unstable_by_key(|&d| kb.facts[d as usize].id.as_str());
        let mut id_order = vec![0; docs_count];
        for (place, &doc) in by_id.iter().enumerate() {
            id_order[doc as usize] = place as u32;
        }
        let idf_values: Vec<f32> = doc_freq
            .iter()
            .map(|&df| idf(df as usize, docs_count))
            .collect();
        alternates.finish(&idf_values);
        parties_of.shrink();
        cited_years_of.shrink();
        let mut boost = vec![1.0; interner.names.len()];
        for (key, &id) in &interner.ids {
            if key.chars().any(|c| c.is_ascii_digit()) {
                boost[id as usize] = NUMBER_BOOST;
            } else if interner.names[id as usize] {
                boost[id as usize] = NAME_BOOST;
            }
        }
        // An article's author is left out: "in Daksh Kumar's article" names the source, as
        // "according to the ndm report" does, not someone the answer must name.
        let author_stems: FxHashSet<String> = kb
            .sources
            .iter()
            .filter_map(|s| s.author.as_deref())
            .flat_map(|a| analyzer.terms(a).into_iter().map(|t| t.stem))
            .collect();
        let person_stems: FxHashSet<String> = kb
            .facts
            .iter()
            .flat_map(|f| &f.parties)
            .filter(|p| super::intent::is_person_name(p))
            .flat_map(|p| analyzer.terms(p).into_iter().map(|t| t.stem))
            .filter(|stem| !author_stems.contains(stem))
            .collect();
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
        let acronyms = docs
            .iter()
            .flat_map(|d| d.kinds.expands.iter().map(|(acronym, _)| acronym.clone()))
            .collect();
        // The analysed batches and tantivy's indexing arena are gone: hand their pages back.
        crate::memory::release_freed();
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
            id_order,
            alternates,
            parties: parties_of,
            person_stems,
            cited_years: cited_years_of,
            acronyms,
        }
    }

    /// The index key (stem, compound or concept) of a term id.
    pub fn key(&self, term: u32) -> &str {
        self.keys.get(term)
    }

    /// Calls `found(fact, tf)` for every fact holding `term` (of those `among` reaches), with
    /// its saturated BM25F pseudo term frequency.
    pub fn walk(
        &self,
        term: u32,
        among: Reach,
        scratch: &mut Scratch,
        found: impl FnMut(u32, f32),
    ) {
        let mask = self.fields_of[term as usize];
        if mask != 0 {
            self.postings
                .for_each(self.key(term), mask, among, scratch, found);
        }
    }

    /// Whether fact `doc` holds `term` in any field (a seek in each field's postings).
    pub fn holds(&self, term: u32, doc: usize) -> bool {
        self.holds_in(term, doc, u8::MAX)
    }

    /// Whether fact `doc` says `term` in its own words — title, answer or quotes — rather
    /// than only in the alternate questions and keywords written to find it.
    pub fn states(&self, term: u32, doc: usize) -> bool {
        const OWN_WORDS: u8 = 1 << 0 | 1 << 3 | 1 << 4; // title, answer, quotes
        self.holds_in(term, doc, OWN_WORDS)
    }

    /// Whether fact `doc` holds `term` in one of the fields of `fields` (a bit mask).
    fn holds_in(&self, term: u32, doc: usize, fields: u8) -> bool {
        let mask = self.fields_of[term as usize] & fields;
        mask != 0 && self.postings.contains(self.key(term), mask, doc as u32)
    }

    /// How many facts hold `term`.
    pub fn doc_freq(&self, term: u32) -> usize {
        self.doc_freq[term as usize] as usize
    }

    /// The vocabulary words closest to `word` within its typo allowance
    /// ([`typo::allowed_typos`]), in alphabetical order, with their distance (the same for
    /// all). One edit is searched first: an automaton for two edits costs several times more,
    /// and is built only when no word is one edit away.
    pub fn corrections(&self, word: &str) -> Vec<(String, usize)> {
        let max = typo::allowed_typos(word);
        if max == 0 {
            if !typo::may_be_a_short_slip(word) {
                return Vec::new();
            }
            let mut found: Vec<(String, usize)> = self
                .postings
                .words_near(word, 1)
                .into_iter()
                .filter(|candidate| typo::short_slip(word, candidate))
                .map(|candidate| (candidate, 1))
                .collect();
            found.sort();
            return found;
        }
        for distance in 1..=max {
            let mut found: Vec<(String, usize)> = self
                .postings
                .words_near(word, distance as u8)
                .into_iter()
                .filter_map(|candidate| {
                    let d = strsim::damerau_levenshtein(word, &candidate);
                    (d == distance).then_some((candidate, d))
                })
                .collect();
            if !found.is_empty() {
                found.sort();
                return found;
            }
        }
        Vec::new()
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
