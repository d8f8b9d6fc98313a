//! The serde model of `knowledge.toml`, as written: strings with their spans, not yet checked
//! for meaning. `validate.rs` turns it into the public [`super::KnowledgeBase`].
//!
//! The file is read in parts (`split.rs`), each into a [`RawPart`] whose spans start at the
//! part; [`RawFile::from_parts`] moves them to the file's offsets and joins the parts.

use serde::Deserialize;
use toml::Spanned;

pub(crate) type Text = Spanned<String>;

/// The whole file.
#[derive(Debug)]
pub(crate) struct RawFile {
    pub meta: RawMeta,
    pub sources: Vec<RawSource>,
    pub topics: Vec<RawTopic>,
    pub synonyms: Vec<RawSynonyms>,
    pub events: Vec<RawEvent>,
    /// Additions to the built-in vocabulary of what questions ask (`search::intent`).
    pub answer_types: Vec<Spanned<crate::search::intent::AnswerType>>,
    pub details: Vec<crate::search::intent::Detail>,
    pub facts: Vec<Spanned<RawFact>>,
}

/// One part of the file: each top-level key is in one part only (an array of tables may be
/// spread over several, each adding its elements in turn).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPart {
    meta: Option<RawMeta>,
    sources: Option<Vec<RawSource>>,
    topics: Option<Vec<RawTopic>>,
    synonyms: Option<Vec<RawSynonyms>>,
    events: Option<Vec<RawEvent>>,
    answer_types: Option<Vec<Spanned<crate::search::intent::AnswerType>>>,
    details: Option<Vec<crate::search::intent::Detail>>,
    facts: Option<Vec<Spanned<RawFact>>>,
}

impl RawFile {
    /// The file from its parts in order, each with the offset where it starts; `None` when a
    /// required top-level key is in none of them (the shape check reports it).
    pub fn from_parts(parts: Vec<(RawPart, usize)>) -> Option<RawFile> {
        // Each list sized once: grown by doubling, the 100k facts' list (40 MB) was copied
        // and held twice over.
        fn total<T>(
            parts: &[(RawPart, usize)],
            list: impl Fn(&RawPart) -> &Option<Vec<T>>,
        ) -> Option<Vec<T>> {
            let mut present = false;
            let mut len = 0;
            for (part, _) in parts {
                if let Some(items) = list(part) {
                    present = true;
                    len += items.len();
                }
            }
            present.then(|| Vec::with_capacity(len))
        }
        fn join<T: Shift>(into: &mut Option<Vec<T>>, part: Option<Vec<T>>, offset: usize) {
            if let (Some(into), Some(part)) = (into, part) {
                into.extend(part.into_iter().map(|item| item.shift(offset)));
            }
        }
        let mut meta = None;
        let mut sources = total(&parts, |p| &p.sources);
        let mut topics = total(&parts, |p| &p.topics);
        let mut synonyms = total(&parts, |p| &p.synonyms);
        let mut events = total(&parts, |p| &p.events);
        let mut answer_types = total(&parts, |p| &p.answer_types);
        let mut details = total(&parts, |p| &p.details);
        let mut facts = total(&parts, |p| &p.facts);
        for (part, offset) in parts {
            if let Some(part_meta) = part.meta {
                meta.get_or_insert(part_meta.shift(offset));
            }
            join(&mut sources, part.sources, offset);
            join(&mut topics, part.topics, offset);
            join(&mut synonyms, part.synonyms, offset);
            join(&mut events, part.events, offset);
            join(&mut answer_types, part.answer_types, offset);
            join(&mut details, part.details, offset);
            join(&mut facts, part.facts, offset);
        }
        Some(RawFile {
            meta: meta?,
            sources: sources?,
            topics: topics.unwrap_or_default(),
            synonyms: synonyms.unwrap_or_default(),
            events: events.unwrap_or_default(),
            answer_types: answer_types.unwrap_or_default(),
            details: details.unwrap_or_default(),
            facts: facts?,
        })
    }
}

/// Moving every span of a value by the offset where its part starts in the file.
pub(crate) trait Shift: Sized {
    fn shift(self, by: usize) -> Self;
}

impl<T: Shift> Shift for Spanned<T> {
    fn shift(self, by: usize) -> Self {
        let span = self.span();
        Spanned::new(span.start + by..span.end + by, self.into_inner().shift(by))
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(self, by: usize) -> Self {
        if by == 0 {
            return self;
        }
        self.into_iter().map(|item| item.shift(by)).collect()
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(self, by: usize) -> Self {
        self.map(|value| value.shift(by))
    }
}

/// Values without spans inside.
macro_rules! unspanned {
    ($($ty:ty),*) => {$(
        impl Shift for $ty {
            fn shift(self, _: usize) -> Self {
                self
            }
        }
    )*};
}
unspanned!(
    String,
    crate::search::intent::AnswerType,
    crate::search::intent::Detail
);

/// A struct whose fields are all [`Shift`]: the compiler checks that none is left out.
macro_rules! spanned_fields {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl Shift for $ty {
            fn shift(self, by: usize) -> Self {
                $ty { $($field: self.$field.shift(by)),* }
            }
        }
    };
}
spanned_fields!(RawMeta {
    title,
    description,
    updated
});
spanned_fields!(RawSource {
    id,
    title,
    author,
    publisher,
    url,
    published,
    note,
    text_file,
    article,
});
spanned_fields!(RawTopic {
    id,
    name,
    description
});
spanned_fields!(RawSynonyms { terms });
spanned_fields!(RawEvent {
    id,
    name,
    date,
    place,
    aliases
});
spanned_fields!(RawFact {
    id,
    kind,
    title,
    answer,
    topics,
    parties,
    date,
    event,
    questions,
    keywords,
    answers,
    citations,
});
spanned_fields!(RawCitation { source, quote });

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeta {
    pub title: Text,
    pub description: Text,
    pub updated: Text,
}

#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTopic {
    pub id: Text,
    pub name: Text,
    pub description: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSynonyms {
    pub terms: Spanned<Vec<Text>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub id: Text,
    pub name: Text,
    pub date: Option<Text>,
    pub place: Option<Text>,
    pub aliases: Spanned<Vec<Text>>,
}

#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCitation {
    pub source: Text,
    pub quote: Text,
}
