//! `--topic`, `--kind`, `--party`, `--year`: checked against the knowledge base, so a value it
//! does not hold is an error listing the valid ones rather than a silent decline at 0 %.

use std::collections::BTreeSet;

use cyberbridge::knowledge::{FactKind, KnowledgeBase};
use cyberbridge::search::Filters;

/// The filters as typed.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub topic: Option<String>,
    pub kind: Option<FactKind>,
    pub party: Option<String>,
    pub year: Option<u16>,
}

/// The parties named by any fact, in the knowledge base's spelling, sorted.
pub fn parties(kb: &KnowledgeBase) -> BTreeSet<&str> {
    kb.facts
        .iter()
        .flat_map(|f| f.parties.iter().map(String::as_str))
        .collect()
}

/// The years any fact is dated in, sorted.
pub fn years(kb: &KnowledgeBase) -> BTreeSet<u16> {
    kb.facts
        .iter()
        .filter_map(|f| f.date.map(|d| d.year))
        .collect()
}

fn list<T: ToString>(values: impl IntoIterator<Item = T>) -> String {
    values
        .into_iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves `typed` against `kb`: a topic by id or name, a party case-insensitively, a year
/// some fact is dated in. An unknown value is an error that lists the valid ones.
pub fn resolve(kb: &KnowledgeBase, typed: &Typed) -> Result<Filters, String> {
    let topic = match typed.topic.as_deref() {
        None => None,
        Some(text) => match kb.find_topic(text) {
            Some(topic) => Some(topic.id.clone()),
            None => {
                return Err(format!(
                    "no topic \"{text}\"; topics (id or name): {}",
                    list(kb.topics.iter().map(|t| format!("{} ({})", t.id, t.name)))
                ))
            }
        },
    };
    let party = match typed.party.as_deref() {
        None => None,
        Some(text) => {
            let known = parties(kb);
            match known.iter().find(|p| p.eq_ignore_ascii_case(text.trim())) {
                Some(p) => Some((*p).to_string()),
                None => return Err(format!("no party \"{text}\"; parties: {}", list(known))),
            }
        }
    };
    if let Some(year) = typed.year {
        let known = years(kb);
        if !known.contains(&year) {
            return Err(format!(
                "no fact is dated {year}; years with facts: {}",
                list(known)
            ));
        }
    }
    Ok(Filters {
        topic,
        kind: typed.kind,
        party,
        year: typed.year,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn shipped() -> KnowledgeBase {
        cyberbridge::knowledge::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
            .unwrap()
    }

    /// `--topic weather`, `--party Narnia`, `--year 1999` used to decline at 0 % instead of
    /// saying the value is unknown.
    #[test]
    fn regression_unknown_filter_values_are_errors_listing_the_valid_ones() {
        let kb = shipped();
        let err = resolve(
            &kb,
            &Typed {
                topic: Some("weather".into()),
                ..Typed::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("no topic \"weather\""), "{err}");
        assert!(err.contains(&kb.topics[0].id), "{err}");
        let err = resolve(
            &kb,
            &Typed {
                party: Some("Narnia".into()),
                ..Typed::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("Japan") && err.contains("India"), "{err}");
        let err = resolve(
            &kb,
            &Typed {
                year: Some(1999),
                ..Typed::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("2017"), "{err}");
    }

    #[test]
    fn a_topic_may_be_given_by_id_or_name_and_a_party_in_any_case() {
        let kb = shipped();
        let topic = &kb.topics[0];
        for typed in [
            topic.id.clone(),
            topic.name.clone(),
            topic.name.to_uppercase(),
        ] {
            let filters = resolve(
                &kb,
                &Typed {
                    topic: Some(typed.clone()),
                    ..Typed::default()
                },
            )
            .unwrap();
            assert_eq!(filters.topic.as_deref(), Some(topic.id.as_str()), "{typed}");
        }
        let filters = resolve(
            &kb,
            &Typed {
                party: Some("japan".into()),
                ..Typed::default()
            },
        )
        .unwrap();
        assert_eq!(filters.party.as_deref(), Some("Japan"));
    }
}
