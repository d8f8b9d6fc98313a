//! `[conversation]`: how long a follow-up question is read in the context of the last answer,
//! and how many contexts are kept.

use serde::Deserialize;

use super::ConfigError;

/// Longest `[conversation] follow_up_minutes`: a day.
const MAX_FOLLOW_UP_MINUTES: u32 = 24 * 60;

/// `[conversation]`: how follow-up questions are read (see `search::followup`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationConfig {
    /// How long a channel-and-user context lasts after its answer; zero switches follow-ups
    /// off.
    pub follow_up: std::time::Duration,
    /// Contexts kept at most; past it the oldest is forgotten.
    pub max_contexts: usize,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConversation {
    pub(super) follow_up_minutes: Option<u32>,
    pub(super) max_contexts: Option<u32>,
}

pub(super) fn parse(
    raw: RawConversation,
    bad: &impl Fn(&'static str, String) -> ConfigError,
) -> Result<ConversationConfig, ConfigError> {
    Ok(ConversationConfig {
        follow_up: match raw.follow_up_minutes {
            None => crate::search::followup::DEFAULT_CONTEXT_TTL,
            Some(m) if m <= MAX_FOLLOW_UP_MINUTES => {
                std::time::Duration::from_secs(u64::from(m) * 60)
            }
            Some(m) => {
                return Err(bad(
                    "conversation.follow_up_minutes",
                    format!(
                        "{m} minutes is more than a day ({MAX_FOLLOW_UP_MINUTES}); \
                         follow-ups are for one conversation"
                    ),
                ))
            }
        },
        max_contexts: match raw.max_contexts {
            None => crate::search::followup::DEFAULT_MAX_CONTEXTS,
            Some(0) => {
                return Err(bad(
                    "conversation.max_contexts",
                    "0 would keep no context; set follow_up_minutes = 0 to switch \
                     follow-ups off"
                        .into(),
                ))
            }
            Some(n) => n as usize,
        },
    })
}
