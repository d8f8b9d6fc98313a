//! The serde model of `knowledge.toml`, as written: strings with their spans, not yet checked
//! for meaning. `validate.rs` turns it into the public [`super::KnowledgeBase`].

use serde::Deserialize;
use toml::Spanned;

pub(crate) type Text = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub meta: RawMeta,
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub topics: Vec<RawTopic>,
    #[serde(default)]
    pub synonyms: Vec<RawSynonyms>,
    #[serde(default)]
    pub events: Vec<RawEvent>,
    /// Additions to the built-in vocabulary of what questions ask (`search::intent`).
    #[serde(default)]
    pub answer_types: Vec<Spanned<crate::search::intent::AnswerType>>,
    #[serde(default)]
    pub details: Vec<crate::search::intent::Detail>,
    pub facts: Vec<Spanned<RawFact>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeta {
    pub title: Text,
    pub description: Text,
    pub updated: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub id: Text,
    pub title: Text,
    pub author: Option<Text>,
    pub publisher: Option<Text>,
    pub url: Option<Text>,
    pub published: Option<Text>,
    pub note: Option<Text>,
    pub text_file: Option<Text>,
    /// The article's file name in the sources folder, when it is not `<id>.txt`.
    pub article: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTopic {
    pub id: Text,
    pub name: Text,
    pub description: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSynonyms {
    pub terms: Spanned<Vec<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub id: Text,
    pub name: Text,
    pub date: Option<Text>,
    pub place: Option<Text>,
    pub aliases: Spanned<Vec<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFact {
    pub id: Text,
    pub kind: Text,
    pub title: Text,
    pub answer: Text,
    pub topics: Vec<Text>,
    #[serde(default)]
    pub parties: Vec<Text>,
    pub date: Option<Text>,
    pub event: Option<Text>,
    #[serde(default)]
    pub questions: Vec<Text>,
    #[serde(default)]
    pub keywords: Vec<Text>,
    pub answers: Option<Spanned<Vec<Text>>>,
    pub citations: Vec<RawCitation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCitation {
    pub source: Text,
    pub quote: Text,
}
