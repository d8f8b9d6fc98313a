//! Button `custom_id` formats, written and parsed in one place. Each is at most 100 characters
//! (a button whose id would be longer is dropped by [`super::limits`]).
//!
//! | custom_id | press does |
//! | --- | --- |
//! | `fact:<fact-id>` | show that fact (ephemeral) |
//! | `why:<fingerprint>:<key>[:<topic>:<question>]` | explain an answer; `key` names a recent question kept in memory; when it fits, the question itself follows, so any process can explain it |
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
    Fact {
        id: String,
    },
    Why {
        fingerprint: String,
        key: u64,
        /// The question (and topic) the answer was for, when the button carries it.
        asked: Option<Asked>,
    },
    Feedback {
        up: bool,
        fact: String,
    },
    Page {
        list: ListKind,
        page: usize,
    },
    Unknown {
        custom_id: String,
    },
}

/// A question as asked: the text and the topic it was limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub topic: Option<String>,
    pub question: String,
}

pub fn fact(id: &str) -> String {
    format!("fact:{id}")
}

/// The "why" button of an answer to `asked`: with the question in it when that fits in
/// [`super::limits::CUSTOM_ID`] characters (so a process that did not answer, or that has
/// restarted since, can still explain it), else only the key of the question kept in memory.
pub fn why(fingerprint: &str, key: u64, asked: &Asked) -> String {
    let short = format!("why:{fingerprint}:{key:x}");
    let topic = asked.topic.as_deref().unwrap_or_default();
    // A topic id with ':' would make the question ambiguous to parse; a control character
    // has no place in an id.
    if topic.contains(':') || asked.question.chars().any(char::is_control) {
        return short;
    }
    let long = format!("{short}:{topic}:{}", asked.question);
    if long.chars().count() <= super::limits::CUSTOM_ID {
        long
    } else {
        short
    }
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
                let mut parts = rest.splitn(4, ':');
                let fingerprint = parts.next()?.to_string();
                let key = u64::from_str_radix(parts.next()?, 16).ok()?;
                let asked = match (parts.next(), parts.next()) {
                    (Some(topic), Some(question)) => Some(Asked {
                        topic: non_empty(topic),
                        question: non_empty(question)?,
                    }),
                    (None, None) => None,
                    _ => return None,
                };
                Some(ButtonAction::Why {
                    fingerprint,
                    key,
                    asked,
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
        for asked in [
            Asked {
                topic: None,
                question: "who led: india or japan?".into(),
            },
            Asked {
                topic: Some("dialogues".into()),
                question: "when?".into(),
            },
        ] {
            assert_eq!(
                ButtonAction::parse(&why("0123456789ab", 255, &asked)),
                ButtonAction::Why {
                    fingerprint: "0123456789ab".into(),
                    key: 255,
                    asked: Some(asked),
                }
            );
        }
        // Too long to carry: the key alone, within the limit.
        let long = Asked {
            topic: None,
            question: "q".repeat(90),
        };
        let id = why("0123456789ab", 255, &long);
        assert!(id.chars().count() <= crate::bot::limits::CUSTOM_ID, "{id}");
        assert_eq!(
            ButtonAction::parse(&id),
            ButtonAction::Why {
                fingerprint: "0123456789ab".into(),
                key: 255,
                asked: None,
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
            "why:abc:1:topic",
            "why:abc:1:topic:",
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
