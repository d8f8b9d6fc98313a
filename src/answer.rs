//! What the engine returns: a found fact with its citations, or a declined question with
//! suggestions — plus why, for a "Why this answer?" button. Owned data, so an answer outlives
//! the knowledge base version that produced it (a reload may swap it meanwhile).

use std::ops::Range;

use serde::Serialize;

use crate::knowledge::FactKind;

#[derive(Debug, Clone)]
pub enum Answer {
    Found(Found),
    NoMatch(NoMatch),
}

impl Answer {
    pub fn confidence(&self) -> f32 {
        match self {
            Answer::Found(found) => found.confidence,
            Answer::NoMatch(no) => no.confidence,
        }
    }

    pub fn explanation(&self) -> &Explanation {
        match self {
            Answer::Found(found) => &found.explanation,
            Answer::NoMatch(no) => &no.explanation,
        }
    }

    /// Id of the best fact, if one was good enough.
    pub fn fact_id(&self) -> Option<&str> {
        match self {
            Answer::Found(found) => Some(&found.fact.id),
            Answer::NoMatch(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Found {
    pub fact: FactCard,
    pub citations: Vec<CitedQuote>,
    /// In [0, 1].
    pub confidence: f32,
    /// A second fact scoring almost as well: the question may mean either.
    pub ambiguous_with: Option<FactSummary>,
    /// Up to three other facts worth a look.
    pub related: Vec<FactSummary>,
    /// For "what does X stand for": the acronym as asked and its expansion as the cited
    /// text writes it.
    pub expansion: Option<Box<Expansion>>,
    pub explanation: Explanation,
    /// Fingerprint of the knowledge base that answered.
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expansion {
    pub acronym: String,
    pub expansion: String,
}

#[derive(Debug, Clone)]
pub struct NoMatch {
    /// The best candidate's confidence: how close the question came.
    pub confidence: f32,
    /// Why the question was declined.
    pub reason: DeclineReason,
    /// Up to three "did you mean" facts.
    pub suggestions: Vec<FactSummary>,
    /// With [`DeclineReason::NotStated`]: the closest fact, cited, and what it does not say.
    pub not_stated: Option<Box<NotStated>>,
    pub explanation: Explanation,
    pub fingerprint: String,
}

/// Why a question was declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// No fact came close enough: the confidence is below the threshold.
    TooFar,
    /// Two facts fit equally well on the one word the question shares with them.
    Tied,
    /// The question's one known word is not in the fact's own words (title, answer, quotes),
    /// only in the phrasings written to find it: one word is not enough to answer on.
    OneWord,
    /// The closest fact is about what was asked but does not state the asked detail (a date,
    /// a place, a reason, a thing no fact mentions): the reply says what the articles do
    /// say, and that they do not say this. Never an answer.
    NotStated,
}

/// What the articles say about a question's subject when they do not state what it asks.
#[derive(Debug, Clone)]
pub struct NotStated {
    pub missing: Missing,
    /// The closest fact: what the articles do say.
    pub fact: FactCard,
    pub citations: Vec<CitedQuote>,
}

/// The detail the articles do not state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "text")]
pub enum Missing {
    /// An attribute of the subject, as a question word names it: "when", "why", "which
    /// state", "how many".
    Detail(String),
    /// A word of the question that no fact contains ("ransomware"), as typed.
    Word(String),
}

impl Missing {
    /// "when", "which state", or the word in quotes: for "The articles don't say …".
    pub fn phrase(&self) -> String {
        match self {
            Missing::Detail(detail) => detail.clone(),
            Missing::Word(word) => format!("anything about “{word}”"),
        }
    }
}

/// The fact itself, as shown to a reader.
#[derive(Debug, Clone, Serialize)]
pub struct FactCard {
    pub id: String,
    pub kind: FactKind,
    pub title: String,
    pub answer: String,
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactSummary {
    #[serde(rename = "fact_id")]
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct CitedQuote {
    pub source_id: String,
    pub source_title: String,
    pub url: Option<String>,
    /// The quote exactly as in the knowledge base.
    pub quote: String,
    /// The quote with the matched words marked, cropped around them if long.
    pub snippet: Snippet,
}

/// A piece of quote text with byte ranges to emphasise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Sorted, non-overlapping byte ranges of `text`.
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// The text with each highlight wrapped in `open`..`close`, and the plain text between
    /// passed through `escape` (a front end's own escaping, e.g. Markdown).
    pub fn render(&self, open: &str, close: &str, escape: impl Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.text.len() + self.highlights.len() * 8);
        let mut at = 0;
        for range in &self.highlights {
            out.push_str(&escape(&self.text[at..range.start]));
            out.push_str(open);
            out.push_str(&escape(&self.text[range.clone()]));
            out.push_str(close);
            at = range.end;
        }
        out.push_str(&escape(&self.text[at..]));
        out
    }
}

/// How a question was matched: enough for a person to see why this answer came up.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Explanation {
    /// Query words that matched the answer, as typed.
    pub matched_terms: Vec<String>,
    /// Query words that matched nothing in the answer.
    pub unmatched_terms: Vec<String>,
    /// `(typed, corrected)` pairs.
    pub corrections: Vec<(String, String)>,
    /// Synonym groups used, each as its terms joined with " = ".
    pub synonyms: Vec<String>,
    /// Named signal scores of the best candidate, each in [0, 1].
    pub signals: Vec<(String, f32)>,
}
