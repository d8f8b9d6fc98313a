//! What replacing one knowledge base with another changes: facts added, removed and changed,
//! the changed ones field by field. `/reload` reports it after a swap and `diff OLD NEW` before
//! one; both render it with [`Diff::lines`], so an editor sees the same words in both places.

use std::collections::BTreeMap;

use super::{Citation, Fact, KnowledgeBase};

/// One field of a fact that differs, with both values rendered for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// A fact kept under the same id whose content differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactChange {
    pub id: String,
    pub fields: Vec<FieldChange>,
}

/// Fact ids added, removed and changed (same id, different content), each sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<FactChange>,
}

/// Values longer than this are shortened in [`Diff::lines`]: a changed answer is shown as its
/// start, enough to recognise, not in full (the file itself has it).
const MAX_VALUE_CHARS: usize = 80;

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Whether the diff removes more than `max_share` of the `before` facts: the removal
    /// guard of `/reload` (and of `diff`), which a file cut short by a tool still writing it
    /// trips.
    pub fn removes_too_many(&self, before: usize, max_share: f64) -> bool {
        self.removed.len() as f64 > max_share * before as f64
    }

    /// The ids of the changed facts.
    pub fn changed_ids(&self) -> Vec<&str> {
        self.changed.iter().map(|c| c.id.as_str()).collect()
    }

    /// One line per changed fact: `id: field, field`.
    pub fn changed_summaries(&self) -> Vec<String> {
        self.changed
            .iter()
            .map(|c| {
                let fields: Vec<&str> = c.fields.iter().map(|f| f.field).collect();
                format!("{}: {}", c.id, fields.join(", "))
            })
            .collect()
    }

    /// The whole diff as text lines: `+ id`, `- id`, `~ id: field` and, under each changed
    /// field, its value before and after. `diff` prints these; `/reload` shows the same
    /// lines in its embed (shortened to fit).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.is_empty() {
            lines.push("no fact changed".to_string());
            return lines;
        }
        lines.extend(self.added.iter().map(|id| format!("+ {id}")));
        lines.extend(self.removed.iter().map(|id| format!("- {id}")));
        for change in &self.changed {
            for field in &change.fields {
                lines.push(format!("~ {}: {}", change.id, field.field));
                lines.push(format!("    was: {}", shorten(&field.before)));
                lines.push(format!("    now: {}", shorten(&field.after)));
            }
        }
        lines
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_VALUE_CHARS - 1).collect();
    format!("{cut}…")
}

/// Compares the facts of `old` and `new` by id.
pub fn diff(old: &KnowledgeBase, new: &KnowledgeBase) -> Diff {
    // Borrowed: a copy of every fact of both versions was the largest thing a reload
    // allocated after the parse (and a second of its time at 100k facts).
    fn index(kb: &KnowledgeBase) -> BTreeMap<&str, &Fact> {
        kb.facts.iter().map(|f| (f.id.as_str(), f)).collect()
    }
    let (before, after) = (index(old), index(new));
    let mut d = Diff::default();
    for (&id, &fact) in &after {
        match before.get(id) {
            None => d.added.push(id.to_string()),
            Some(old_fact) => {
                let fields = fact_changes(old_fact, fact);
                if !fields.is_empty() {
                    d.changed.push(FactChange {
                        id: id.to_string(),
                        fields,
                    });
                }
            }
        }
    }
    d.removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .map(|id| id.to_string())
        .collect();
    d
}

fn list(values: &[String]) -> String {
    format!("[{}]", values.join(", "))
}

fn citations(values: &[Citation]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|c| format!("{}: \"{}\"", c.source, c.quote))
        .collect();
    parts.join("; ")
}

fn option<T: ToString>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "—".to_string(), ToString::to_string)
}

/// Every field of [`Fact`] that differs, in the order the format documents them.
pub fn fact_changes(old: &Fact, new: &Fact) -> Vec<FieldChange> {
    // Exhaustive on purpose: a field added to `Fact` fails to compile here until it is diffed.
    let Fact {
        id: _,
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
        citations: cites,
    } = new;
    let pairs: [(&'static str, String, String); 11] = [
        ("kind", old.kind.to_string(), kind.to_string()),
        ("title", old.title.clone(), title.clone()),
        ("answer", old.answer.clone(), answer.clone()),
        ("topics", list(&old.topics), list(topics)),
        ("parties", list(&old.parties), list(parties)),
        ("date", option(&old.date), option(date)),
        ("event", option(&old.event), option(event)),
        ("questions", list(&old.questions), list(questions)),
        ("keywords", list(&old.keywords), list(keywords)),
        (
            "answers",
            list(old.answers.as_deref().unwrap_or_default()),
            list(answers.as_deref().unwrap_or_default()),
        ),
        ("citations", citations(&old.citations), citations(cites)),
    ];
    pairs
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .map(|(field, before, after)| FieldChange {
            field,
            before,
            after,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::FactKind;

    fn fact(id: &str, answer: &str) -> Fact {
        Fact {
            id: id.into(),
            kind: FactKind::Fact,
            title: "T".into(),
            answer: answer.into(),
            topics: vec![],
            parties: vec!["India".into()],
            date: None,
            event: None,
            questions: vec![],
            keywords: vec![],
            answers: None,
            citations: vec![Citation {
                source: "s".into(),
                quote: "q".into(),
            }],
        }
    }

    #[test]
    fn a_changed_fact_names_each_changed_field_and_nothing_else() {
        let old = fact("a", "Old answer.");
        let mut new = fact("a", "New answer.");
        new.parties.push("Japan".into());
        let fields = fact_changes(&old, &new);
        let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["answer", "parties"]);
        assert_eq!(fields[1].before, "[India]");
        assert_eq!(fields[1].after, "[India, Japan]");
        assert!(fact_changes(&old, &old.clone()).is_empty());
    }

    #[test]
    fn lines_show_before_and_after_and_shorten_long_values() {
        let d = Diff {
            added: vec!["n".into()],
            removed: vec!["r".into()],
            changed: vec![FactChange {
                id: "c".into(),
                fields: vec![FieldChange {
                    field: "answer",
                    before: "x".repeat(200),
                    after: "y".into(),
                }],
            }],
        };
        let lines = d.lines();
        assert_eq!(lines[0], "+ n");
        assert_eq!(lines[1], "- r");
        assert_eq!(lines[2], "~ c: answer");
        assert!(lines[3].ends_with('…') && lines[3].chars().count() < 100);
        assert_eq!(lines[4], "    now: y");
        assert_eq!(d.changed_summaries(), ["c: answer"]);
        assert_eq!(Diff::default().lines(), ["no fact changed"]);
        assert!(d.removes_too_many(5, 0.1));
        assert!(!d.removes_too_many(10, 0.1));
    }
}
