//! The structural schema of `knowledge.toml`, checked on the parsed document before serde sees it.
//!
//! serde stops at the first unknown key or wrong type. Someone editing the file wants every
//! such mistake at once, each with its line and column, so the shape is checked here against
//! a declarative table over `toml_edit`'s span-preserving document. The serde model in `raw.rs`
//! still rejects unknown fields; so that an unknown key does not hide the problems the meaning
//! checks would find, [`Report::without_unknown_keys`] gives the text with each unknown
//! `key = value` blanked out, every other byte where it was, for those checks to read.

use std::ops::Range;

use toml_edit::{ImDocument, Item, Value};

/// What a key may hold.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    Bool,
    Text,
    TextList,
    Table(&'static [Field]),
    TableList(&'static [Field]),
}

#[derive(Clone, Copy)]
pub(crate) struct Field {
    name: &'static str,
    shape: Shape,
    required: bool,
}

const fn required(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: true,
    }
}
const fn optional(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
    }
}

const META: &[Field] = &[
    required("title", Shape::Text),
    required("description", Shape::Text),
    required("updated", Shape::Text),
];
const SOURCE: &[Field] = &[
    required("id", Shape::Text),
    required("title", Shape::Text),
    optional("author", Shape::Text),
    optional("publisher", Shape::Text),
    optional("url", Shape::Text),
    optional("published", Shape::Text),
    optional("note", Shape::Text),
    optional("text_file", Shape::Text),
    optional("article", Shape::Text),
];
const TOPIC: &[Field] = &[
    required("id", Shape::Text),
    required("name", Shape::Text),
    required("description", Shape::Text),
];
const SYNONYMS: &[Field] = &[required("terms", Shape::TextList)];
const EVENT: &[Field] = &[
    required("id", Shape::Text),
    required("name", Shape::Text),
    optional("date", Shape::Text),
    optional("place", Shape::Text),
    required("aliases", Shape::TextList),
];
const CITATION: &[Field] = &[
    required("source", Shape::Text),
    required("quote", Shape::Text),
];
const FACT: &[Field] = &[
    required("id", Shape::Text),
    required("kind", Shape::Text),
    required("title", Shape::Text),
    required("answer", Shape::Text),
    required("topics", Shape::TextList),
    optional("parties", Shape::TextList),
    optional("date", Shape::Text),
    optional("event", Shape::Text),
    optional("questions", Shape::TextList),
    optional("keywords", Shape::TextList),
    optional("answers", Shape::TextList),
    required("citations", Shape::TableList(CITATION)),
];
const ANSWER_TYPE: &[Field] = &[
    required("name", Shape::Text),
    optional("says", Shape::Text),
    optional("asks", Shape::TextList),
    optional("asks_which", Shape::TextList),
    optional("unless", Shape::TextList),
    optional("states", Shape::TextList),
    optional("detect", Shape::Text),
    optional("quotes_only", Shape::Bool),
];
const DETAIL: &[Field] = &[
    required("name", Shape::Text),
    required("words", Shape::TextList),
];
/// The whole file.
pub(crate) const FILE: &[Field] = &[
    required("meta", Shape::Table(META)),
    required("sources", Shape::TableList(SOURCE)),
    optional("topics", Shape::TableList(TOPIC)),
    optional("synonyms", Shape::TableList(SYNONYMS)),
    optional("events", Shape::TableList(EVENT)),
    optional("answer_types", Shape::TableList(ANSWER_TYPE)),
    optional("details", Shape::TableList(DETAIL)),
    required("facts", Shape::TableList(FACT)),
];

/// A structural problem: where, and what.
pub(crate) type Problem = (Range<usize>, String);

/// What the shape pass found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    pub problems: Vec<Problem>,
    /// The byte range of each unknown `key = value` (key to end of value); an unknown
    /// `[table]` has none, and then [`Report::without_unknown_keys`] is `None`.
    unknown: Vec<Range<usize>>,
    /// Whether every unknown key has its range in `unknown`.
    all_unknown_located: bool,
}

impl Report {
    /// `text` with every unknown `key = value` replaced by spaces (line breaks kept), so that
    /// the serde model can read the rest and every span still points into `text`; `None`
    /// when an unknown key could not be located (a whole unknown table).
    pub fn without_unknown_keys(&self, text: &str) -> Option<String> {
        if !self.all_unknown_located {
            return None;
        }
        let mut bytes = text.as_bytes().to_vec();
        for range in &self.unknown {
            for byte in bytes.get_mut(range.clone())? {
                // Every byte of a multi-byte character becomes a space: the length, and so
                // every offset after it, stays the same, and the text stays UTF-8.
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b' ';
                }
            }
        }
        String::from_utf8(bytes).ok()
    }
}

/// Checks the document against [`FILE`], returning every problem found.
#[cfg(test)]
pub(crate) fn check(doc: &ImDocument<&str>) -> Report {
    let mut report = check_part(doc);
    let root = doc.as_table();
    report.missing_root_keys(|key| root.contains_key(key));
    report
}

/// Checks one part of the file (`split.rs`) against [`FILE`], all but whether the top-level
/// keys that are required are there: each is in one part only
/// ([`Report::missing_root_keys`] checks them over all the parts).
pub(crate) fn check_part(doc: &ImDocument<&str>) -> Report {
    let mut report = Report {
        all_unknown_located: true,
        ..Report::default()
    };
    let root = doc.as_table();
    check_entries(
        root.iter()
            .map(|(k, v)| (k, root.key(k).and_then(|k| k.span()), v)),
        0..0,
        "",
        FILE,
        &mut report,
    );
    report
}

/// Whether top-level `key` may be split over several parts of the file: an array of tables
/// the schema expects, each part adding its elements in turn. Any other key defined in two
/// parts means the file must be parsed whole.
pub(crate) fn may_span_parts(key: &str) -> bool {
    FILE.iter()
        .any(|f| f.name == key && matches!(f.shape, Shape::TableList(_)))
}

impl Report {
    /// Reports each required top-level key for which `present` is false, at the start of the
    /// file.
    pub fn missing_root_keys(&mut self, present: impl Fn(&str) -> bool) {
        let seen: Vec<&str> = FILE
            .iter()
            .map(|f| f.name)
            .filter(|name| present(name))
            .collect();
        check_required(FILE, &seen, 0..0, "", self);
    }

    /// Adds `part`'s findings, its spans moved by `offset` (where the part starts in the
    /// file).
    pub fn absorb(&mut self, part: Report, offset: usize) {
        let moved = |span: Range<usize>| span.start + offset..span.end + offset;
        self.problems.extend(
            part.problems
                .into_iter()
                .map(|(span, message)| (moved(span), message)),
        );
        self.unknown.extend(part.unknown.into_iter().map(moved));
        self.all_unknown_located &= part.all_unknown_located;
    }

    /// An empty report, to [`Report::absorb`] parts into.
    pub fn empty() -> Self {
        Report {
            all_unknown_located: true,
            ..Report::default()
        }
    }
}

fn check_table<'a>(
    entries: impl Iterator<Item = (&'a str, Option<Range<usize>>, &'a Item)>,
    table_span: Range<usize>,
    context: &str,
    fields: &[Field],
    report: &mut Report,
) {
    let seen = check_entries(entries, table_span.clone(), context, fields, report);
    check_required(fields, &seen, table_span, context, report);
}

/// Checks each entry against `fields`; returns the known keys seen.
fn check_entries<'a>(
    entries: impl Iterator<Item = (&'a str, Option<Range<usize>>, &'a Item)>,
    table_span: Range<usize>,
    context: &str,
    fields: &[Field],
    report: &mut Report,
) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for (key, key_span, item) in entries {
        let span = key_span
            .clone()
            .or_else(|| item.span())
            .unwrap_or(table_span.clone());
        let Some(field) = fields.iter().find(|f| f.name == key) else {
            let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
            match (&key_span, item) {
                (Some(key_span), Item::Value(value)) => match value.span() {
                    Some(value_span) => report.unknown.push(key_span.start..value_span.end),
                    None => report.all_unknown_located = false,
                },
                _ => report.all_unknown_located = false,
            }
            report.problems.push((
                span,
                format!(
                    "unknown key `{key}`{}; expected one of: {}",
                    in_context(context),
                    known.join(", ")
                ),
            ));
            continue;
        };
        seen.push(key);
        let path = if context.is_empty() {
            key.to_string()
        } else {
            format!("{context}.{key}")
        };
        check_item(item, span, &path, field.shape, report);
    }
    seen
}

fn check_required(
    fields: &[Field],
    seen: &[&str],
    table_span: Range<usize>,
    context: &str,
    report: &mut Report,
) {
    for field in fields
        .iter()
        .filter(|f| f.required && !seen.contains(&f.name))
    {
        report.problems.push((
            table_span.clone(),
            format!(
                "missing required key `{}`{}",
                field.name,
                in_context(context)
            ),
        ));
    }
}

fn in_context(context: &str) -> String {
    if context.is_empty() {
        String::new()
    } else {
        format!(" in `{context}`")
    }
}

fn check_item(item: &Item, key_span: Range<usize>, path: &str, shape: Shape, report: &mut Report) {
    let span = item.span().unwrap_or(key_span.clone());
    match (shape, item) {
        (Shape::Text, Item::Value(Value::String(_))) => {}
        (Shape::Bool, Item::Value(Value::Boolean(_))) => {}
        (Shape::TextList, Item::Value(Value::Array(array))) => {
            for value in array.iter() {
                if !matches!(value, Value::String(_)) {
                    report.problems.push((
                        value.span().unwrap_or(span.clone()),
                        format!(
                            "`{path}` must be a list of strings; found {}",
                            value.type_name()
                        ),
                    ));
                }
            }
        }
        (Shape::Table(fields), Item::Table(table)) => {
            let table_span = table.span().unwrap_or(key_span);
            check_table(
                table
                    .iter()
                    .map(|(k, v)| (k, table.key(k).and_then(|k| k.span()), v)),
                table_span,
                path,
                fields,
                report,
            );
        }
        (Shape::TableList(fields), Item::ArrayOfTables(tables)) => {
            for table in tables.iter() {
                let table_span = table.span().unwrap_or(key_span.clone());
                check_table(
                    table
                        .iter()
                        .map(|(k, v)| (k, table.key(k).and_then(|k| k.span()), v)),
                    table_span,
                    path,
                    fields,
                    report,
                );
            }
        }
        (Shape::TableList(fields), Item::Value(Value::Array(array))) => {
            for value in array.iter() {
                let value_span = value.span().unwrap_or(span.clone());
                match value {
                    Value::InlineTable(table) => check_table(
                        table
                            .iter()
                            .filter_map(|(k, _)| table.get_key_value(k))
                            .map(|(key, item)| (key.get(), key.span(), item)),
                        value_span,
                        path,
                        fields,
                        report,
                    ),
                    other => report.problems.push((
                        value_span,
                        format!(
                            "`{path}` must be a list of tables; found {}",
                            other.type_name()
                        ),
                    )),
                }
            }
        }
        (expected, found) => report.problems.push((
            span,
            format!(
                "`{path}` must be {}; found {}",
                describe(expected),
                found.type_name()
            ),
        )),
    }
}

fn describe(shape: Shape) -> &'static str {
    match shape {
        Shape::Bool => "true or false",
        Shape::Text => "a string",
        Shape::TextList => "a list of strings",
        Shape::Table(_) => "a table",
        Shape::TableList(_) => "an array of tables ([[...]])",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let doc = ImDocument::parse(text).expect("valid TOML");
        check(&doc)
            .problems
            .into_iter()
            .map(|(span, msg)| format!("{}: {msg}", &text[span]))
            .collect()
    }

    const MINIMAL: &str = r#"
[meta]
title = "t"
description = "d"
updated = "2026"
[[sources]]
id = "s"
title = "S"
[[facts]]
id = "f"
kind = "fact"
title = "T"
answer = "A"
topics = []
[[facts.citations]]
source = "s"
quote = "q"
"#;

    #[test]
    fn a_complete_minimal_file_has_no_problems() {
        assert_eq!(problems(MINIMAL), Vec::<String>::new());
    }

    #[test]
    fn reports_every_unknown_key_wrong_type_and_missing_key_at_once() {
        let text = MINIMAL
            .replace("updated = \"2026\"", "updated = 2026\ncolour = \"red\"")
            .replace("kind = \"fact\"", "kind = \"fact\"\nsummary = \"x\"")
            .replace("topics = []", "topics = [1]")
            .replace("id = \"s\"\n", "");
        let found = problems(&text);
        for expected in [
            "2026: `meta.updated` must be a string",
            "colour: unknown key `colour` in `meta`",
            "summary: unknown key `summary` in `facts`",
            "1: `facts.topics` must be a list of strings",
            "missing required key `id` in `sources`",
        ] {
            assert!(
                found.iter().any(|p| p.contains(expected)),
                "{expected:?} not in {found:?}"
            );
        }
        assert_eq!(found.len(), 5, "{found:?}");
    }
}
