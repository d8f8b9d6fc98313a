//! The peer the engine is measured against: plain tantivy over the same facts.
//!
//! One document per fact with its title, alternate questions, keywords, answer and quotes as
//! separate fields (boosted as the engine weighs them), analysed by tantivy's `en_stem`
//! pipeline; each question word is a term query or, from five letters on, a Levenshtein fuzzy
//! query with the engine's length rule. No synonyms, no re-rank, no decline: what a
//! competent developer gets from tantivy in an afternoon. The accuracy table in
//! docs/performance.md ("The figures") and `benches/search.rs` compare the engine with it in
//! the same process.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, TantivyDocument, Term};

use crate::knowledge::KnowledgeBase;

/// The analyser tantivy registers as `en_stem`: simple tokenizer, long words removed,
/// lowercased, Snowball English stemmer.
const ANALYZER: &str = "en_stem";
/// Field boosts, in the engine's order of field weights (title, questions, keywords, answer,
/// quotes), so that the comparison is about ranking, not about which text is indexed.
const FIELD_BOOSTS: [f32; 5] = [3.0, 2.5, 2.0, 1.5, 1.0];
/// Heap for the single indexing thread; tantivy's minimum is 15 MB.
const WRITER_HEAP_BYTES: usize = 50_000_000;
/// Weight of a fuzzy (typo) match relative to the field's boost.
const FUZZY_BOOST: f32 = 0.5;
/// At most this many question words become queries (the engine reads at most 16 too).
const MAX_QUERY_WORDS: usize = 16;

/// Typos allowed in a word of this many characters: none up to 4, one from 5, two from 9
/// (the length rule the engine's typo correction uses).
fn typo_budget(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

pub struct TantivyPeer {
    reader: IndexReader,
    analyzer: TextAnalyzer,
    id: Field,
    fields: [Field; 5],
}

impl TantivyPeer {
    /// Indexes every fact of `kb` in RAM.
    pub fn new(kb: &KnowledgeBase) -> tantivy::Result<Self> {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING | STORED);
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = ["title", "questions", "keywords", "answer", "quotes"]
            .map(|name| schema.add_text_field(name, text.clone()));
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, WRITER_HEAP_BYTES)?;
        for fact in &kb.facts {
            let mut doc = TantivyDocument::default();
            doc.add_text(id, &fact.id);
            doc.add_text(fields[0], &fact.title);
            for question in &fact.questions {
                doc.add_text(fields[1], question);
            }
            doc.add_text(fields[2], fact.keywords.join(" "));
            doc.add_text(fields[3], &fact.answer);
            for citation in &fact.citations {
                doc.add_text(fields[4], &citation.quote);
            }
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let analyzer = index
            .tokenizers()
            .get(ANALYZER)
            .ok_or_else(|| tantivy::TantivyError::InvalidArgument(ANALYZER.into()))?;
        Ok(TantivyPeer {
            reader: index.reader()?,
            analyzer,
            id,
            fields,
        })
    }

    /// The ids of the `k` best facts for `question`, best first.
    pub fn top(&self, question: &str, k: usize) -> Vec<String> {
        let query = self.query(question);
        let searcher = self.reader.searcher();
        let Ok(hits) = searcher.search(&query, &TopDocs::with_limit(k).order_by_score()) else {
            return Vec::new();
        };
        hits.into_iter()
            .filter_map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                doc.get_first(self.id)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            })
            .collect()
    }

    fn query(&self, question: &str) -> BooleanQuery {
        let mut analyzer = self.analyzer.clone();
        let mut words: Vec<String> = Vec::new();
        let mut stream = analyzer.token_stream(question);
        while let Some(token) = stream.next() {
            if !words.contains(&token.text) {
                words.push(token.text.clone());
            }
            if words.len() >= MAX_QUERY_WORDS {
                break;
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            let budget = typo_budget(word.chars().count());
            for (&field, &boost) in self.fields.iter().zip(&FIELD_BOOSTS) {
                let term = Term::from_field_text(field, word);
                let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(exact), boost)),
                ));
                if budget > 0 {
                    // Fuzzy matches score a constant in tantivy; scaled so that a typo adds
                    // about what one exact BM25 match of an ordinary word would.
                    let fuzzy = FuzzyTermQuery::new(term, budget, true);
                    let weight = boost * FUZZY_BOOST;
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(fuzzy), weight)),
                    ));
                }
            }
        }
        BooleanQuery::new(clauses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_budget_follows_the_engine_length_rule() {
        assert_eq!(typo_budget(4), 0);
        assert_eq!(typo_budget(5), 1);
        assert_eq!(typo_budget(8), 1);
        assert_eq!(typo_budget(9), 2);
    }

    #[test]
    fn ranks_the_fact_that_shares_the_question_words_first() {
        let kb = crate::knowledge::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/knowledge.toml"
        )))
        .unwrap();
        let peer = TantivyPeer::new(&kb).unwrap();
        let top = peer.top("Memorandum of Cooperation signed in March 2022", 3);
        assert_eq!(
            top.first().map(String::as_str),
            Some("moc-signed-march-2022")
        );
        assert!(peer.top("", 3).is_empty());
    }
}
