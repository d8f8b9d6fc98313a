//! The knowledge base: its file format, loading, and validation.
//!
//! Loading runs in three passes, each reporting every problem it finds before giving up:
//! 1. TOML syntax (the parser stops at the first syntax error: nothing after it can be trusted);
//! 2. shape: unknown keys, wrong types, missing keys ([`shape`]); the meaning checks still run
//!    past unknown keys;
//! 3. meaning: unique ids, known references, dates, quote length, quotes found in the article
//!    text ([`validate`]).
//!
//! The first two run together, a part of the file at a time ([`split`], [`syntax`]): each part
//! is parsed once, checked for shape and read into the serde model from the same syntax tree,
//! which is dropped before the next part. No tree of the whole file is built.
//!
//! A loaded [`KnowledgeBase`] is immutable; share it as `Arc<KnowledgeBase>`.

mod date;
mod diagnostic;
pub mod diff;
pub(crate) mod quote_text;
mod raw;
mod shape;
mod split;
mod syntax;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

pub use date::{PartialDate, MONTHS};
pub use diagnostic::Diagnostic;
pub use quote_text::{closest_passage, normalize_for_quote, PassageIndex};
pub use validate::is_kebab_case;
// How the knowledge file and its articles are read: `crate::files`, every file's reader.
pub use crate::files::{FileKind, ReadError, ReadLimits};

/// Longest quote accepted: a citation backs one claim, it does not reproduce the article.
pub const MAX_QUOTE_CHARS: usize = 600;

#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub meta: Meta,
    pub sources: Vec<Source>,
    pub topics: Vec<Topic>,
    pub synonyms: Vec<SynonymGroup>,
    pub events: Vec<Event>,
    pub facts: Vec<Fact>,
    /// What questions ask of facts and how facts show they give it: the built-in table
    /// extended by the file's own `[[answer_types]]` and `[[details]]`.
    pub vocabulary: crate::search::intent::Vocabulary,
    /// First 12 hex digits of the SHA-256 of the file: names the version an answer came from.
    pub fingerprint: String,
    pub path: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub updated: PartialDate,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<PartialDate>,
    pub note: Option<String>,
}

impl Source {
    /// What is known of who wrote it and when — author, publisher, published date, those
    /// given — as `/sources` and `cyberbridge sources` show it.
    pub fn byline(&self) -> Vec<String> {
        let mut about: Vec<String> = Vec::new();
        about.extend(self.author.iter().cloned());
        about.extend(self.publisher.iter().cloned());
        about.extend(self.published.map(|d| d.to_string()));
        about
    }
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A meeting or signing that several facts describe. Naming it in a question narrows the
/// answer to its facts ("who led India's side at the second dialogue?") without counting as
/// evidence for the fact that merely says it took place.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    /// How people name it ("second cyber dialogue", "2017 dialogue"), lowercase.
    pub aliases: Vec<String>,
}

/// Terms the search treats as one, e.g. `["moc", "memorandum of cooperation"]`.
#[derive(Debug, Clone)]
pub struct SynonymGroup {
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    Fact,
    Commitment,
}

impl FactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Fact => "fact",
            FactKind::Commitment => "commitment",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "fact" => Some(FactKind::Fact),
            "commitment" => Some(FactKind::Commitment),
            _ => None,
        }
    }
}

impl fmt::Display for FactKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Fact {
    pub id: String,
    pub kind: FactKind,
    pub title: String,
    pub answer: String,
    pub topics: Vec<String>,
    pub parties: Vec<String>,
    pub date: Option<PartialDate>,
    /// Id of the [`Event`] the fact is part of (checked at load).
    pub event: Option<String>,
    pub questions: Vec<String>,
    pub keywords: Vec<String>,
    /// The answer types the fact gives ("when", "who", ...; see
    /// `search::intent::Vocabulary`), as declared; `None` reads them from its words.
    pub answers: Option<Vec<String>>,
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone)]
pub struct Citation {
    /// Id of a [`Source`] of the same knowledge base (checked at load).
    pub source: String,
    pub quote: String,
}

impl KnowledgeBase {
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.id == id)
    }

    pub fn commitments(&self) -> impl Iterator<Item = &Fact> {
        self.facts.iter().filter(|f| f.kind == FactKind::Commitment)
    }

    /// Facts that are not commitments (`/about`, reload summaries and `check` count these as
    /// "facts", and commitments apart).
    pub fn fact_count(&self) -> usize {
        self.facts.len() - self.commitment_count()
    }

    pub fn commitment_count(&self) -> usize {
        self.commitments().count()
    }

    /// The dated facts and commitments, oldest first (a year-only date sorts before the
    /// months of that year), ties by id: `/timeline` and `cyberbridge timeline`.
    pub fn timeline(&self) -> Vec<&Fact> {
        let mut dated: Vec<&Fact> = self.facts.iter().filter(|f| f.date.is_some()).collect();
        dated.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        dated
    }

    /// How many facts (of either kind) cite source `source_id`.
    pub fn facts_citing(&self, source_id: &str) -> usize {
        self.facts
            .iter()
            .filter(|f| f.citations.iter().any(|c| c.source == source_id))
            .count()
    }

    /// The one rule for a topic typed by a user: its id or name (case-insensitive), else a
    /// prefix of either that only one topic has. `None` when unknown or ambiguous: callers
    /// report it rather than guess.
    pub fn find_topic(&self, typed: &str) -> Option<&Topic> {
        let typed = typed.trim().to_lowercase();
        if typed.is_empty() {
            return None;
        }
        self.topics
            .iter()
            .find(|t| t.id.to_lowercase() == typed || t.name.to_lowercase() == typed)
            .or_else(|| {
                let mut prefixed = self.topics.iter().filter(|t| {
                    t.id.to_lowercase().starts_with(&typed)
                        || t.name.to_lowercase().starts_with(&typed)
                });
                match (prefixed.next(), prefixed.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            })
    }

    /// A party as the knowledge base spells it, matched case-insensitively.
    pub fn find_party(&self, typed: &str) -> Option<&str> {
        let typed = typed.trim();
        self.facts
            .iter()
            .flat_map(|f| &f.parties)
            .find(|p| p.eq_ignore_ascii_case(typed))
            .map(String::as_str)
    }
}

/// Extra checks a caller can ask for, and how files are read.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Every quote must appear in one of the `*.txt` files of this folder (`check --sources`,
    /// `[knowledge] sources`).
    pub sources_dir: Option<PathBuf>,
    /// Size cap, timeout and settle for the knowledge file and every article read.
    pub read: ReadLimits,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read knowledge file {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: ReadError,
    },
    #[error("{}", render_problems(path, diagnostics))]
    Invalid {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
}

impl LoadError {
    /// The problems, one per line, `path:line:column: message` (empty for an unreadable file).
    pub fn headlines(&self) -> Vec<String> {
        match self {
            LoadError::Unreadable { .. } => vec![self.to_string()],
            LoadError::Invalid { diagnostics, .. } => {
                let mut lines: Vec<String> = diagnostics
                    .iter()
                    .take(MAX_SHOWN_PROBLEMS)
                    .map(Diagnostic::headline)
                    .collect();
                if diagnostics.len() > MAX_SHOWN_PROBLEMS {
                    lines.push(format!(
                        "… and {} more problems not shown ({} in all)",
                        diagnostics.len() - MAX_SHOWN_PROBLEMS,
                        diagnostics.len()
                    ));
                }
                lines
            }
        }
    }
}

/// Problems shown in full in a load error; the rest are counted. A file with 100k mistakes
/// is one mistake repeated: the first ones say what it is.
pub const MAX_SHOWN_PROBLEMS: usize = 50;

fn render_problems(path: &Path, diagnostics: &[Diagnostic]) -> String {
    let mut out: Vec<String> = diagnostics
        .iter()
        .take(MAX_SHOWN_PROBLEMS)
        .map(ToString::to_string)
        .collect();
    if diagnostics.len() > MAX_SHOWN_PROBLEMS {
        out.push(format!(
            "… and {} more not shown",
            diagnostics.len() - MAX_SHOWN_PROBLEMS
        ));
    }
    out.push(format!(
        "{}: {} problem{} found",
        path.display(),
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    ));
    out.join("\n\n")
}

/// Reads and validates the knowledge file at `path`.
pub fn load(path: &Path) -> Result<KnowledgeBase, LoadError> {
    load_with(path, &LoadOptions::default())
}

pub fn load_with(path: &Path, options: &LoadOptions) -> Result<KnowledgeBase, LoadError> {
    let text = match crate::files::read_text(path, &options.read) {
        Ok(text) => text,
        Err(ReadError::Utf8 {
            line,
            column,
            offset,
            text,
        }) => {
            return Err(LoadError::Invalid {
                path: path.to_path_buf(),
                diagnostics: vec![Diagnostic {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: format!("invalid UTF-8 (byte {offset} of the file)"),
                    source_line: text,
                }],
            })
        }
        Err(source) => {
            return Err(LoadError::Unreadable {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let kb = parse_with(path, &text, options);
    drop(text);
    // What the parse freed (the syntax trees, the raw model, the file's text) goes back to
    // the system before the knowledge base is copied and the caller builds the index.
    crate::memory::release_freed();
    Ok(compacted(kb?))
}

/// `kb` copied into memory of its own. Its strings were moved, not copied, out of the raw
/// model, which the parser's threads made among other short-lived things: kept there, the
/// pages around them could not be handed back (100k facts: served from 280 MB without this
/// copy, 264 MB with it). Copying once the text and the raw model are gone costs less at the
/// peak than copying each string while they are still there (462 MB then, 340 MB now).
fn compacted(kb: KnowledgeBase) -> KnowledgeBase {
    let compact = kb.clone();
    drop(kb);
    crate::memory::release_freed();
    compact
}

/// Validates `text` as if it were the file at `path` (which locates `text_file`s and names the
/// file in messages).
pub fn parse(path: &Path, text: &str) -> Result<KnowledgeBase, LoadError> {
    parse_with(path, text, &LoadOptions::default())
}

pub fn parse_with(
    path: &Path,
    text: &str,
    options: &LoadOptions,
) -> Result<KnowledgeBase, LoadError> {
    let invalid = |diagnostics| LoadError::Invalid {
        path: path.to_path_buf(),
        diagnostics,
    };
    let parsed = match syntax::parse(text, syntax::PART_BYTES) {
        Ok(parsed) => parsed,
        Err((span, message)) => {
            return Err(invalid(vec![Diagnostic::at(
                path,
                text,
                span,
                format!("invalid TOML: {message}"),
            )]));
        }
    };
    tracing::debug!(
        parts = parsed.stats.parts,
        largest_part = parsed.stats.largest_part,
        bytes_parsed = parsed.stats.bytes_parsed,
        "knowledge file parsed"
    );
    if !parsed.shape.problems.is_empty() {
        let syntax::Parsed { shape, raw, .. } = parsed;
        drop(raw);
        let locator = diagnostic::Locator::new(path, text);
        let mut diagnostics: Vec<Diagnostic> = shape
            .problems
            .iter()
            .map(|(span, message)| locator.at(span.clone(), message.clone()))
            .collect();
        // Every problem in one run: an unknown key must not hide a bad `kind` or an unknown
        // topic further on. The meaning checks read the file with the unknown keys blanked
        // out (same offsets, so their locations hold); a wrong type or a missing key leaves
        // nothing for them to read, and its shape problem says so already.
        if let Some(readable) = shape.without_unknown_keys(text) {
            if let Ok(syntax::Parsed { raw: Ok(raw), .. }) =
                syntax::parse(&readable, syntax::PART_BYTES)
            {
                if let Err(more) = validate::validate(raw, path, text, options, fingerprint(text)) {
                    diagnostics.extend(more);
                }
            }
        }
        diagnostics.sort_by_key(|d| (d.line, d.column));
        return Err(invalid(diagnostics));
    }
    let raw = parsed.raw.map_err(|problem| {
        let (span, message) = problem.unwrap_or((0..0, "the file could not be read".into()));
        invalid(vec![Diagnostic::at(path, text, span, message)])
    })?;
    let fingerprint = fingerprint(text);
    validate::validate(raw, path, text, options, fingerprint).map_err(invalid)
}

fn fingerprint(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
