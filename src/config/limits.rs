//! `[limits]`: how many questions a user may ask per minute.

use std::num::NonZeroU32;

use serde::Deserialize;

/// Questions a user may ask per minute when `[limits]` does not say.
pub const DEFAULT_QUESTIONS_PER_MINUTE: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsConfig {
    pub questions_per_minute: NonZeroU32,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLimits {
    pub(super) questions_per_minute: Option<NonZeroU32>,
}

pub(super) fn parse(raw: RawLimits) -> LimitsConfig {
    LimitsConfig {
        questions_per_minute: raw
            .questions_per_minute
            .unwrap_or(NonZeroU32::new(DEFAULT_QUESTIONS_PER_MINUTE).unwrap_or(NonZeroU32::MIN)),
    }
}
