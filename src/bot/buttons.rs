//! Button `custom_id` formats, written and parsed in one place. Each is at most 100 characters
//! (a button whose id would be longer is dropped by [`super::limits`]).
//!
//! | custom_id | press does |
//! | --- | --- |
//! | `fact:<fact-id>` | show that fact (ephemeral) |
//! | `why:<fingerprint>:<key>` | explain an answer; `key` names a recent question kept in memory |
//! | `fb:up:<fact-id>` / `fb:down:<fact-id>` | count feedback, say thanks (ephemeral) |
//! | `page:<list>:<n>[:<args>]` | show page `n` (0-based) of a list, in place |
//!
//! Lists: `topics`, `timeline`, `sources`, `help`, `topic:<n>:<topic-id>`,
//! `commitments:<n>:<topic-id or empty>:<party or empty>`.

/// A list that paginates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKind {
    Topics,
    Timeline,
    Sources,
    Topic {
        id: String,
    },
    Commitments {
        topic: Option<String>,
        party: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonAction {
    Fact { id: String },
    Why { fingerprint: String, key: u64 },
    Feedback { up: bool, fact: String },
    Page { list: ListKind, page: usize },
    Unknown { custom_id: String },
}

pub fn fact(id: &str) -> String {
    format!("fact:{id}")
}

pub fn why(fingerprint: &str, key: u64) -> String {
    format!("why:{fingerprint}:{key:x}")
}

pub fn feedback(up: bool, fact: &str) -> String {
    format!("fb:{}:{fact}", if up { "up" } else { "down" })
}

pub fn page(list: &ListKind, page: usize) -> String {
    match list {
        ListKind::Topics => format!("page:topics:{page}"),
        ListKind::Timeline => format!("page:timeline:{page}"),
        ListKind::Sources => format!("page:sources:{page}"),
        ListKind::Topic { id } => format!("page:topic:{page}:{id}"),
        ListKind::Commitments { topic, party } => format!(
            "page:commitments:{page}:{}:{}",
            topic.as_deref().unwrap_or(""),
            party.as_deref().unwrap_or("")
        ),
    }
}

impl ButtonAction {
    pub fn parse(custom_id: &str) -> ButtonAction {
        Self::try_parse(custom_id).unwrap_or_else(|| ButtonAction::Unknown {
            custom_id: custom_id.to_string(),
        })
    }

    fn try_parse(custom_id: &str) -> Option<ButtonAction> {
        let (kind, rest) = custom_id.split_once(':')?;
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        match kind {
            "fact" => Some(ButtonAction::Fact {
                id: non_empty(rest)?,
            }),
            "why" => {
                let (fingerprint, key) = rest.split_once(':')?;
                Some(ButtonAction::Why {
                    fingerprint: fingerprint.to_string(),
                    key: u64::from_str_radix(key, 16).ok()?,
                })
            }
            "fb" => {
                let (vote, fact) = rest.split_once(':')?;
                let up = match vote {
                    "up" => true,
                    "down" => false,
                    _ => return None,
                };
                Some(ButtonAction::Feedback {
                    up,
                    fact: non_empty(fact)?,
                })
            }
            "page" => {
                let mut parts = rest.splitn(4, ':');
                let list = parts.next()?;
                let page: usize = parts.next()?.parse().ok()?;
                let list = match list {
                    "topics" => ListKind::Topics,
                    "timeline" => ListKind::Timeline,
                    "sources" => ListKind::Sources,
                    "topic" => ListKind::Topic {
                        id: non_empty(parts.next()?)?,
                    },
                    "commitments" => {
                        let topic = non_empty(parts.next()?);
                        let party = parts.next().and_then(non_empty);
                        ListKind::Commitments { topic, party }
                    }
                    _ => return None,
                };
                Some(ButtonAction::Page { list, page })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_round_trips() {
        let lists = [
            ListKind::Topics,
            ListKind::Timeline,
            ListKind::Sources,
            ListKind::Topic {
                id: "telecom-5g".into(),
            },
            ListKind::Commitments {
                topic: None,
                party: Some("Kochhar & Co.: x".into()),
            },
            ListKind::Commitments {
                topic: Some("dialogues".into()),
                party: None,
            },
        ];
        for list in lists {
            let id = page(&list, 3);
            assert_eq!(
                ButtonAction::parse(&id),
                ButtonAction::Page { list, page: 3 },
                "{id}"
            );
        }
        assert_eq!(
            ButtonAction::parse(&fact("moc-2022")),
            ButtonAction::Fact {
                id: "moc-2022".into()
            }
        );
        assert_eq!(
            ButtonAction::parse(&why("0123456789ab", 255)),
            ButtonAction::Why {
                fingerprint: "0123456789ab".into(),
                key: 255
            }
        );
        assert_eq!(
            ButtonAction::parse(&feedback(false, "x")),
            ButtonAction::Feedback {
                up: false,
                fact: "x".into()
            }
        );
    }

    #[test]
    fn garbage_is_unknown() {
        for id in [
            "",
            "fact:",
            "why:abc",
            "why:abc:zz",
            "fb:sideways:x",
            "page:nope:1",
            "page:topics:x",
            "hello",
        ] {
            assert!(
                matches!(ButtonAction::parse(id), ButtonAction::Unknown { .. }),
                "{id}"
            );
        }
    }
}
