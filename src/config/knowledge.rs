//! `[knowledge]`: the knowledge file, the reload gate (eval set and floors), the decline
//! threshold, the sources folder, and how a reload reads the file.

use std::path::PathBuf;

use serde::Deserialize;

use super::ConfigError;

/// Floors the eval gate applies when `[knowledge] eval_path` is set but a floor is not.
pub const DEFAULT_MIN_TOP1: f64 = 0.96;
pub const DEFAULT_MIN_DECLINED: f64 = 0.96;
/// Share of the facts a reload may remove without `/reload force:true`: a file cut short by a
/// tool still writing it is often valid TOML, and then it looks like a mass deletion.
pub const DEFAULT_MAX_REMOVED_SHARE: f64 = 0.1;

#[derive(Debug, Clone)]
pub struct KnowledgeConfig {
    pub path: PathBuf,
    /// Question set run before a reload is accepted (skipped when the file is absent).
    pub eval_path: Option<PathBuf>,
    pub min_top1: f64,
    pub min_declined: f64,
    /// Confidence below which the engine declines (default: the calibrated value).
    pub decline_below: f32,
    /// Folder of article texts (`*.txt`): when set, every load (start, `/reload`, SIGHUP)
    /// checks that each quote appears in one of them, like `check --sources`.
    pub sources_dir: Option<PathBuf>,
    /// See [`DEFAULT_MAX_REMOVED_SHARE`].
    pub max_removed_share: f64,
    /// Largest knowledge file or article read, in bytes.
    pub max_file_bytes: u64,
    /// Watch the file and reload it when it changes (`[knowledge] watch`), so that every
    /// process serving it follows one `mv` (see `ops::watch`).
    pub watch: bool,
    /// How long the file must stay unchanged before a reload reads it (`[knowledge]
    /// settle_ms`, default [`crate::bot::reload::RELOAD_SETTLE`]): the same rule for `/reload`,
    /// SIGHUP and the watch.
    pub settle: std::time::Duration,
}

/// Longest `[knowledge] settle_ms`: a reload that waits longer is no longer a reload.
const MAX_SETTLE_MS: u64 = 60_000;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKnowledge {
    pub(super) path: Option<PathBuf>,
    pub(super) eval_path: Option<PathBuf>,
    pub(super) min_top1: Option<f64>,
    pub(super) min_declined: Option<f64>,
    pub(super) decline_below: Option<f64>,
    pub(super) sources: Option<PathBuf>,
    pub(super) max_removed_share: Option<f64>,
    pub(super) max_file_bytes: Option<u64>,
    pub(super) watch: Option<bool>,
    pub(super) settle_ms: Option<u64>,
}

pub(super) fn parse(
    raw: RawKnowledge,
    bad: &impl Fn(&'static str, String) -> ConfigError,
    resolve: &impl Fn(PathBuf) -> PathBuf,
) -> Result<KnowledgeConfig, ConfigError> {
    let floor = |key: &'static str, value: Option<f64>, default: f64| match value {
        None => Ok(default),
        Some(v) if (0.0..=1.0).contains(&v) => Ok(v),
        Some(v) => Err(bad(key, format!("{v} is not a fraction between 0 and 1"))),
    };
    Ok(KnowledgeConfig {
        path: resolve(raw.path.unwrap_or_else(|| PathBuf::from("knowledge.toml"))),
        eval_path: raw.eval_path.map(resolve),
        min_top1: floor("knowledge.min_top1", raw.min_top1, DEFAULT_MIN_TOP1)?,
        min_declined: floor(
            "knowledge.min_declined",
            raw.min_declined,
            DEFAULT_MIN_DECLINED,
        )?,
        decline_below: floor(
            "knowledge.decline_below",
            raw.decline_below,
            f64::from(crate::search::score::DEFAULT_DECLINE_BELOW),
        )? as f32,
        sources_dir: raw.sources.map(resolve),
        max_removed_share: floor(
            "knowledge.max_removed_share",
            raw.max_removed_share,
            DEFAULT_MAX_REMOVED_SHARE,
        )?,
        max_file_bytes: match raw.max_file_bytes {
            None => crate::files::DEFAULT_MAX_FILE_BYTES,
            Some(0) => {
                return Err(bad(
                    "knowledge.max_file_bytes",
                    "0 would refuse every file; give a size in bytes".into(),
                ))
            }
            Some(n) => n,
        },
        watch: raw.watch.unwrap_or(false),
        settle: match raw.settle_ms {
            None => crate::bot::reload::RELOAD_SETTLE,
            Some(ms) if ms > MAX_SETTLE_MS => {
                return Err(bad(
                    "knowledge.settle_ms",
                    format!("{ms} is more than {MAX_SETTLE_MS} ms (a minute)"),
                ))
            }
            Some(ms) => std::time::Duration::from_millis(ms),
        },
    })
}
