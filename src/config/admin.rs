//! `[admin]`: who may run `/reload`.

use serde::Deserialize;

use super::Snowflake;

/// Who may run `/reload`: listed users, members holding a listed role, and guild owners.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminConfig {
    pub user_ids: Vec<u64>,
    pub role_ids: Vec<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdmin {
    #[serde(default)]
    pub(super) user_ids: Vec<Snowflake>,
    #[serde(default)]
    pub(super) role_ids: Vec<Snowflake>,
}

pub(super) fn parse(raw: RawAdmin) -> AdminConfig {
    AdminConfig {
        user_ids: raw.user_ids.into_iter().map(|s| s.0).collect(),
        role_ids: raw.role_ids.into_iter().map(|s| s.0).collect(),
    }
}
