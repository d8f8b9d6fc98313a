//! The postings of the facts, held by tantivy: an in-RAM, single-segment index with one field
//! per fact field (title, alternate questions, keywords, answer, quotes) storing term
//! frequencies and field lengths, and a `vocabulary` field whose term dictionary (an FST) holds
//! the surface words typo correction may correct to.
//!
//! Scoring stays the engine's: [`Postings::for_each`] reads a term's postings in every field
//! through tantivy's `InvertedIndexReader` and block postings, and combines them into the
//! BM25F pseudo term frequency ([`score::FIELD_WEIGHTS`], [`score::FIELD_LENGTH_B`], with
//! tantivy's field norms) before saturation — what tantivy's own BM25 cannot do, since it
//! scores each field separately.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::{IndexBuilder, InvertedIndexReader};
use tantivy::postings::{BlockSegmentPostings, Postings as _, SegmentPostings, TermInfo};
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DocSet, Searcher, SingleSegmentIndexWriter, TantivyDocument, Term, TERMINATED};

use super::score::{saturate, FIELD_LENGTH_B, FIELD_WEIGHTS};
use super::tokenizer;

/// The fact fields, in the order of [`FIELD_WEIGHTS`].
pub const FIELDS: usize = FIELD_WEIGHTS.len();
const FIELD_NAMES: [&str; FIELDS] = ["title", "questions", "keywords", "answer", "quotes"];
/// The indexing thread's term table is sized from this; the segment is never split, whatever
/// the budget (one segment keeps doc ids equal to fact indexes).
const WRITER_BUDGET_BYTES: usize = 32_000_000;

/// A fact's analysed fields, ready for tantivy: each field's tokens (stems, compounds and
/// synonym concepts, as the engine's pipeline produced them), and surface words for the
/// vocabulary, each separated by spaces (no token holds one).
#[derive(Default)]
pub struct FactTokens {
    pub fields: [String; FIELDS],
    pub vocabulary: String,
}

/// Adds facts, in order, to the index being built.
pub struct PostingsWriter {
    writer: SingleSegmentIndexWriter<TantivyDocument>,
    fields: [Field; FIELDS],
    vocabulary: Field,
}

/// The tokenizer of the indexed fields: the engine's pipeline already ran, so its tokens only
/// need splitting where it put spaces. (Tantivy's pre-tokenized values would do, but go
/// through JSON inside each document: a third of the build at 100k facts.)
const PRE_ANALYSED: &str = "whitespace";

impl PostingsWriter {
    pub fn new() -> tantivy::Result<Self> {
        let mut schema = Schema::builder();
        // Values arrive analysed by the engine's pipeline ([`PRE_ANALYSED`]); the pipeline is
        // registered too, as [`tokenizer::NAME`], for tantivy's own queries and tools.
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PRE_ANALYSED)
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(true),
        );
        let fields = FIELD_NAMES.map(|name| schema.add_text_field(name, text.clone()));
        let vocabulary = schema.add_text_field(
            "vocabulary",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PRE_ANALYSED)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        );
        let tokenizers = TokenizerManager::default();
        tokenizers.register(tokenizer::NAME, tokenizer::analyzer());
        let writer = IndexBuilder::new()
            .schema(schema.build())
            .tokenizers(tokenizers)
            .single_segment_index_writer(
                tantivy::directory::RamDirectory::create(),
                WRITER_BUDGET_BYTES,
            )?;
        Ok(PostingsWriter {
            writer,
            fields,
            vocabulary,
        })
    }

    /// Adds the next fact (its doc id is the number of facts added before it).
    pub fn add(&mut self, fact: FactTokens) -> tantivy::Result<()> {
        let mut doc = TantivyDocument::default();
        for (field, tokens) in self.fields.iter().zip(fact.fields) {
            if !tokens.is_empty() {
                doc.add_text(*field, tokens);
            }
        }
        if !fact.vocabulary.is_empty() {
            doc.add_text(self.vocabulary, fact.vocabulary);
        }
        self.writer.add_document(doc)
    }

    /// Finishes the segment. `facts`: how many facts were added (later documents, such as
    /// the synonym vocabulary, are not facts and count in no average).
    pub fn finish(self, facts: usize) -> tantivy::Result<Postings> {
        let index = self.writer.finalize()?;
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        Postings::open(searcher, self.fields, self.vocabulary, facts)
    }
}

/// What a segment holds for one field.
struct FieldPostings {
    inverted: Arc<InvertedIndexReader>,
    norms: FieldNormReader,
    /// The field's weight over its BM25 length normalisation, by tantivy field-norm id.
    weight_by_norm: [f32; 256],
}

impl FieldPostings {
    /// Where the field's postings of `key` are, if the field holds it.
    fn term_info(&self, key: &str) -> Option<TermInfo> {
        self.inverted.terms().get(key).ok().flatten()
    }

    /// Adds one posting (a fact and its term frequency in this field) to the term's BM25F
    /// pseudo term frequency: straight to `found` if the term is in one field only, else to
    /// `scratch`.
    #[inline(always)]
    fn add(
        &self,
        doc: u32,
        freq: u32,
        single: bool,
        scratch: &mut Scratch,
        found: &mut impl FnMut(u32, f32),
    ) {
        let tf = freq as f32 * self.weight_by_norm[self.norms.fieldnorm_id(doc) as usize];
        if single {
            found(doc, saturate(tf));
        } else {
            let d = doc as usize;
            if scratch.tf[d] == 0.0 {
                scratch.touched.push(doc);
            }
            scratch.tf[d] += tf;
        }
    }
}

/// The facts' postings in tantivy, read back for the engine's own BM25F.
pub struct Postings {
    /// Keeps the segment's data alive.
    _searcher: Searcher,
    fields: Vec<FieldPostings>,
    vocabulary: Option<(Field, Arc<InvertedIndexReader>)>,
}

impl Postings {
    fn open(
        searcher: Searcher,
        fields: [Field; FIELDS],
        vocabulary: Field,
        facts: usize,
    ) -> tantivy::Result<Self> {
        let Some(segment) = searcher.segment_readers().first() else {
            return Ok(Postings {
                _searcher: searcher,
                fields: Vec::new(),
                vocabulary: None,
            });
        };
        let mut per_field = Vec::with_capacity(FIELDS);
        for (f, &field) in fields.iter().enumerate() {
            let inverted = segment.inverted_index(field)?;
            let average = (inverted.total_num_tokens() as f32 / facts.max(1) as f32).max(1.0);
            let mut weight_by_norm = [0f32; 256];
            for (id, slot) in weight_by_norm.iter_mut().enumerate() {
                let length = FieldNormReader::id_to_fieldnorm(id as u8) as f32;
                let norm = 1.0 - FIELD_LENGTH_B + FIELD_LENGTH_B * length / average;
                *slot = FIELD_WEIGHTS[f] / norm;
            }
            per_field.push(FieldPostings {
                inverted,
                norms: segment.get_fieldnorms_reader(field)?,
                weight_by_norm,
            });
        }
        let vocabulary_index = segment.inverted_index(vocabulary)?;
        Ok(Postings {
            fields: per_field,
            vocabulary: Some((vocabulary, vocabulary_index)),
            _searcher: searcher,
        })
    }

    /// Which fields hold `key`, as a bit mask (bit `f` for field `f`).
    pub fn fields_holding(&self, key: &str) -> u8 {
        let mut mask = 0u8;
        for (f, field) in self.fields.iter().enumerate() {
            if field.term_info(key).is_some() {
                mask |= 1 << f;
            }
        }
        mask
    }

    /// Calls `found(doc, tf)` for every fact holding `key` in a field of `mask` — or only
    /// for those of `among` (sorted) — with the saturated BM25F pseudo term frequency of
    /// `key` in it. `scratch` must hold one zero per fact, and is left so.
    pub fn for_each(
        &self,
        key: &str,
        mask: u8,
        among: Reach,
        scratch: &mut Scratch,
        mut found: impl FnMut(u32, f32),
    ) {
        let single = mask.count_ones() == 1;
        for (f, field) in self.fields.iter().enumerate() {
            if mask & (1 << f) == 0 {
                continue;
            }
            match among {
                Reach::All => {
                    let Some(mut block) = self.block(field, key) else {
                        continue;
                    };
                    loop {
                        let docs = block.docs();
                        if docs.is_empty() {
                            break;
                        }
                        for (&doc, &freq) in docs.iter().zip(block.freqs()) {
                            field.add(doc, freq, single, scratch, &mut found);
                        }
                        block.advance();
                    }
                }
                Reach::Among(docs) => {
                    let Some(mut postings) =
                        self.postings(field, key, IndexRecordOption::WithFreqs)
                    else {
                        continue;
                    };
                    for &doc in docs {
                        // `seek` may only move forward.
                        if postings.doc() < doc && postings.seek(doc) == TERMINATED {
                            break;
                        }
                        if postings.doc() == doc {
                            field.add(doc, postings.term_freq(), single, scratch, &mut found);
                        }
                    }
                }
            }
        }
        if !single {
            for &doc in &scratch.touched {
                let d = doc as usize;
                found(doc, saturate(scratch.tf[d]));
                scratch.tf[d] = 0.0;
            }
            scratch.touched.clear();
        }
    }

    /// Whether fact `doc` holds `key` in a field of `mask`.
    pub fn contains(&self, key: &str, mask: u8, doc: u32) -> bool {
        self.fields.iter().enumerate().any(|(f, field)| {
            mask & (1 << f) != 0
                && self
                    .postings(field, key, IndexRecordOption::Basic)
                    .is_some_and(|mut postings| {
                        // `seek` may only move forward.
                        postings.doc() == doc || (postings.doc() < doc && postings.seek(doc) == doc)
                    })
        })
    }

    fn postings(
        &self,
        field: &FieldPostings,
        key: &str,
        record: IndexRecordOption,
    ) -> Option<SegmentPostings> {
        let info = field.term_info(key)?;
        field
            .inverted
            .read_postings_from_terminfo(&info, record)
            .ok()
    }

    fn block(&self, field: &FieldPostings, key: &str) -> Option<BlockSegmentPostings> {
        let info = field.term_info(key)?;
        field
            .inverted
            .read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)
            .ok()
    }

    /// Vocabulary words within `distance` edits of `word` (a transposition counts one), found
    /// by running a Levenshtein automaton over the vocabulary's term dictionary.
    pub fn words_near(&self, word: &str, distance: u8) -> Vec<String> {
        let Some((field, inverted)) = &self.vocabulary else {
            return Vec::new();
        };
        let query = FuzzyTermQuery::new(Term::from_field_text(*field, word), distance, true);
        let Ok(automaton) = query.automaton() else {
            return Vec::new();
        };
        let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key()) {
                found.push(key.to_string());
            }
        }
        found
    }
}

impl Postings {
    /// Vocabulary words that begin with `prefix`, at most `limit` of them, in byte order.
    pub fn words_starting(&self, prefix: &str, limit: usize) -> Vec<String> {
        let Some((_, inverted)) = &self.vocabulary else {
            return Vec::new();
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        while found.len() < limit && stream.advance() {
            if !stream.key().starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(key) = std::str::from_utf8(stream.key()) {
                found.push(key.to_string());
            }
        }
        found
    }
}

/// Which facts a postings walk reports.
#[derive(Clone, Copy)]
pub enum Reach<'a> {
    All,
    /// Only these (sorted): a seek per fact in each field instead of a read of every block.
    Among(&'a [u32]),
}

/// Per-fact accumulators for [`Postings::for_each`], reused across terms.
pub struct Scratch {
    tf: Vec<f32>,
    touched: Vec<u32>,
}

impl Scratch {
    pub fn new(facts: usize) -> Self {
        Scratch {
            tf: vec![0.0; facts],
            touched: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(title: &[&str], quotes: &[&str]) -> FactTokens {
        let mut tokens = FactTokens::default();
        tokens.fields[0] = title.join(" ");
        tokens.fields[4] = quotes.join(" ");
        tokens.vocabulary = format!("{} {}", title.join(" "), quotes.join(" "));
        tokens
    }

    fn postings() -> Postings {
        let mut writer = PostingsWriter::new().unwrap();
        writer
            .add(fact(&["japan", "dialogu"], &["japan", "japan"]))
            .unwrap();
        writer
            .add(fact(&["india"], &["delegation", "dialogu"]))
            .unwrap();
        writer.finish(2).unwrap()
    }

    fn collect(postings: &Postings, key: &str, mask: u8) -> Vec<(u32, f32)> {
        let mut scratch = Scratch::new(2);
        let mut found = Vec::new();
        postings.for_each(key, mask, Reach::All, &mut scratch, |doc, tf| {
            found.push((doc, tf))
        });
        found.sort_by_key(|p| p.0);
        found
    }

    #[test]
    fn combines_the_fields_into_one_bm25f_term_frequency() {
        let postings = postings();
        // "japan": once in fact 0's title (2 tokens, average 1.5), twice in its quotes (2
        // tokens, average 2).
        let norm = |len: f32, avg: f32| 1.0 - FIELD_LENGTH_B + FIELD_LENGTH_B * len / avg;
        let tf = FIELD_WEIGHTS[0] / norm(2.0, 1.5) + 2.0 * FIELD_WEIGHTS[4] / norm(2.0, 2.0);
        let found = collect(&postings, "japan", 0b1_0001);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 0);
        assert!((found[0].1 - saturate(tf)).abs() < 1e-5, "{found:?}");
        // A mask without the quotes field counts the title only.
        let title_only = collect(&postings, "japan", 0b1);
        assert!((title_only[0].1 - saturate(FIELD_WEIGHTS[0] / norm(2.0, 1.5))).abs() < 1e-5);
        assert_eq!(collect(&postings, "dialogu", 0b1_0001).len(), 2);
        assert!(collect(&postings, "korea", 0b1_1111).is_empty());
    }

    #[test]
    fn a_walk_among_some_facts_reports_for_them_what_a_full_walk_does() {
        let postings = postings();
        let among = |key: &str, mask: u8, docs: &[u32]| {
            let mut scratch = Scratch::new(2);
            let mut found = Vec::new();
            postings.for_each(key, mask, Reach::Among(docs), &mut scratch, |doc, tf| {
                found.push((doc, tf))
            });
            found.sort_by_key(|p| p.0);
            found
        };
        let all = collect(&postings, "dialogu", 0b1_0001);
        assert_eq!(all.len(), 2);
        assert_eq!(among("dialogu", 0b1_0001, &[0, 1]), all);
        assert_eq!(among("dialogu", 0b1_0001, &[1]), [all[1]]);
        assert!(among("dialogu", 0b1_0001, &[]).is_empty());
        // Fact 1 lacks "japan": a seek past it finds nothing.
        assert_eq!(
            among("japan", 0b1_0001, &[0, 1]),
            collect(&postings, "japan", 0b1_0001)
        );
        assert!(among("japan", 0b1_0001, &[1]).is_empty());
    }

    #[test]
    fn finds_which_fields_and_facts_hold_a_term() {
        let postings = postings();
        assert_eq!(postings.fields_holding("japan"), 0b1_0001);
        assert_eq!(postings.fields_holding("delegation"), 0b1_0000);
        assert!(postings.contains("delegation", 0b1_0000, 1));
        assert!(!postings.contains("delegation", 0b1_0000, 0));
        assert!(
            !postings.contains("india", 0b1_0000, 1),
            "not in the fields asked"
        );
    }

    #[test]
    fn words_near_runs_a_levenshtein_automaton_over_the_vocabulary() {
        let postings = postings();
        assert_eq!(postings.words_near("delegaton", 1), ["delegation"]);
        assert_eq!(
            postings.words_near("deelgation", 1),
            ["delegation"],
            "a transposition"
        );
        assert_eq!(postings.words_near("dlegaton", 2), ["delegation"]);
        assert!(postings.words_near("dlegaton", 1).is_empty());
    }
}
