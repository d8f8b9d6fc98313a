//! The engine's text pipeline as a tantivy analyzer, registered on the index's fact fields
//! as [`NAME`]: [`FoldingTokenizer`] (folding, words, numbers and compounds, stop words
//! dropped unless written as acronyms — see [`normalize::tokenize`]) then [`StemFilter`]
//! (ordinal words as numbers, English Snowball stems, numbers and compounds as they are).
//!
//! Indexing hands tantivy the tokens [`normalize::Analyzer`] already produced (space-separated,
//! with the synonym concepts added), so each text is analysed once; this analyzer yields the
//! same stems (a test holds them equal), for anything that queries the index through tantivy.

use std::sync::Arc;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

use super::normalize::{self, is_stop_word};

/// The name the pipeline is registered under.
pub const NAME: &str = "cyberbridge";

/// The whole pipeline.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer)
        .filter(StemFilter::default())
        .build()
}

/// Folded, lowercased words, numbers and compounds (a compound also yields its parts), stop
/// words dropped unless written in capitals. Positions count words, not compounds.
#[derive(Clone, Default)]
pub struct FoldingTokenizer;

/// The tokens of one text.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for FoldingTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut position = 0usize;
        let mut tokens = Vec::new();
        for token in normalize::tokenize(text) {
            let keep = token.acronym || !is_stop_word(&token.text);
            if keep {
                tokens.push(Token {
                    offset_from: token.range.start,
                    offset_to: token.range.end,
                    position,
                    text: token.text,
                    position_length: 1,
                });
            }
            if !token.compound {
                position += 1;
            }
        }
        VecTokenStream { tokens, next: 0 }
    }
}

/// Stems each token as [`normalize::Analyzer::stem`] does.
#[derive(Clone)]
pub struct StemFilter {
    stemmer: Arc<rust_stemmers::Stemmer>,
}

impl Default for StemFilter {
    fn default() -> Self {
        StemFilter {
            stemmer: Arc::new(rust_stemmers::Stemmer::create(
                rust_stemmers::Algorithm::English,
            )),
        }
    }
}

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemTokenizer<T> {
        StemTokenizer {
            inner,
            stemmer: self.stemmer,
        }
    }
}

#[derive(Clone)]
pub struct StemTokenizer<T> {
    inner: T,
    stemmer: Arc<rust_stemmers::Stemmer>,
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemTokenStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
        }
    }
}

pub struct StemTokenStream<'a, S> {
    tail: S,
    stemmer: &'a rust_stemmers::Stemmer,
}

impl<S: TokenStream> TokenStream for StemTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        token.text = normalize::stem_with(self.stemmer, &token.text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(mut tokenizer: impl Tokenizer, text: &str) -> Vec<(String, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn folding_tokenizer_keeps_compounds_and_acronyms_and_drops_stop_words() {
        let tokens = texts(FoldingTokenizer, "What is the IT plan of CERT-In?");
        let words: Vec<&str> = tokens.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(words, ["it", "plan", "cert-in", "cert"]);
        // "cert-in" and "cert" share a position; "plan" is one word after "it".
        assert_eq!(tokens[1].1, tokens[0].1 + 1);
        assert_eq!(tokens[2].1, tokens[3].1);
    }

    #[test]
    fn stem_filter_stems_words_and_leaves_numbers() {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream("Delegations met in 2017");
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        assert_eq!(out[0], "deleg");
        assert_eq!(out.last().map(String::as_str), Some("2017"));
    }

    #[test]
    fn the_tantivy_pipeline_yields_the_engines_stems() {
        let text = "Japan\u{2019}s NISC and India\u{2019}s CERT-In held the second e-dialogue on 5G, R&D and the US$227 market.";
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut ours = Vec::new();
        while stream.advance() {
            ours.push(stream.token().text.clone());
        }
        let engine: Vec<String> = normalize::Analyzer::default()
            .terms(text)
            .into_iter()
            .map(|t| t.stem)
            .collect();
        assert_eq!(ours, engine);
    }
}
