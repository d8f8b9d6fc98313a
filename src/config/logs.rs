//! `[logs]`: the admins' local JSON-lines logs of declined questions and feedback.

use std::path::PathBuf;

use serde::Deserialize;

/// Local JSON-lines logs for admins; `None` when switched off with an empty string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsConfig {
    pub declined: Option<PathBuf>,
    pub feedback: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLogs {
    pub(super) declined: Option<PathBuf>,
    pub(super) feedback: Option<PathBuf>,
}

pub(super) fn parse(raw: RawLogs, resolve: &impl Fn(PathBuf) -> PathBuf) -> LogsConfig {
    let log_path = |p: Option<PathBuf>, default: &str| match p {
        Some(p) if p.as_os_str().is_empty() => None,
        Some(p) => Some(resolve(p)),
        None => Some(resolve(PathBuf::from(default))),
    };
    LogsConfig {
        declined: log_path(raw.declined, "data/declined.log"),
        feedback: log_path(raw.feedback, "data/feedback.log"),
    }
}
