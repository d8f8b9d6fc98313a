//! The `serve` configuration: a TOML file plus the environment.
//!
//! Sections `[discord]`, `[knowledge]`, `[admin]`, `[limits]`, `[conversation]`, `[logs]`,
//! `[metrics]` and `[interactions]`, one module each (its settings, the section as written,
//! and its checks); this file reads the file and runs the sections' checks in turn. Unknown
//! keys are rejected (a typo must not silently turn a setting off). The key names of `[discord]`,
//! `[knowledge] path`, `[admin]` and `[limits]` are a contract used by test tooling; see
//! `config.example.toml` for every key with a comment.
//!
//! Relative paths resolve against the folder of the config file, so a config works from any
//! working directory. The bot token comes from `DISCORD_TOKEN`, else `[discord] token`; it is
//! kept in a [`Secret`] whose `Debug` and `Display` never show it.

mod admin;
mod conversation;
mod discord;
mod interactions;
mod knowledge;
mod limits;
mod logs;
mod metrics;
mod secret;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use admin::AdminConfig;
pub use conversation::ConversationConfig;
pub use discord::{DiscordConfig, ShardRange, Shards};
pub use interactions::{decode_hex, public_key, InteractionsConfig, DEFAULT_INTERACTIONS_LISTEN};
pub use knowledge::{
    KnowledgeConfig, DEFAULT_MAX_REMOVED_SHARE, DEFAULT_MIN_DECLINED, DEFAULT_MIN_TOP1,
};
pub use limits::{LimitsConfig, DEFAULT_QUESTIONS_PER_MINUTE};
pub use logs::LogsConfig;
pub use metrics::MetricsConfig;
pub use secret::Secret;

/// The environment variable holding the bot token; it wins over `[discord] token`.
pub const TOKEN_ENV: &str = "DISCORD_TOKEN";

/// A validated configuration, paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from (for messages).
    pub path: PathBuf,
    pub discord: DiscordConfig,
    pub knowledge: KnowledgeConfig,
    pub admin: AdminConfig,
    pub limits: LimitsConfig,
    pub conversation: ConversationConfig,
    pub logs: LogsConfig,
    pub metrics: MetricsConfig,
    pub interactions: InteractionsConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// (The I/O error is part of the message rather than a `source`, so that printing the
    /// error chain does not say it twice.)
    #[error("cannot read config file {}: {error}", path.display())]
    Unreadable {
        path: PathBuf,
        error: crate::files::ReadError,
    },
    /// Syntax, unknown key, wrong type: `message` is the TOML parser's, which quotes the line
    /// and names the key.
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{}: `{key}`: {message}", path.display())]
    BadValue {
        path: PathBuf,
        key: &'static str,
        message: String,
    },
    #[error(
        "{}: no bot token: set the environment variable {TOKEN_ENV} (or `token` in [discord])",
        path.display()
    )]
    MissingToken { path: PathBuf },
}

// --- The file as written ------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    discord: discord::RawDiscord,
    #[serde(default)]
    knowledge: knowledge::RawKnowledge,
    #[serde(default)]
    admin: admin::RawAdmin,
    #[serde(default)]
    limits: limits::RawLimits,
    #[serde(default)]
    conversation: conversation::RawConversation,
    #[serde(default)]
    logs: logs::RawLogs,
    #[serde(default)]
    metrics: metrics::RawMetrics,
    #[serde(default)]
    interactions: interactions::RawInteractions,
}

/// A Discord id, written as a string (`"1234"`, as Discord's JSON does, safe from float
/// rounding in other tools) or an integer.
struct Snowflake(u64);

/// What a Discord id must be, said in every error about one.
const SNOWFLAKE_RULE: &str = "a Discord id: a positive whole number, written as a string of \
                              digits, e.g. \"123456789012345678\"";

impl<'de> Deserialize<'de> for Snowflake {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: for a float, a boolean or an array the
        // enum's error was "data did not match any variant of untagged enum Either", which
        // names neither what is wrong nor what is accepted.
        struct Id;
        impl serde::de::Visitor<'_> for Id {
            type Value = Snowflake;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(SNOWFLAKE_RULE)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Snowflake, E> {
                u64::try_from(n)
                    .ok()
                    .filter(|&n| n > 0)
                    .map(Snowflake)
                    .ok_or_else(|| {
                        E::custom(format!("invalid Discord id {n}: expected {SNOWFLAKE_RULE}"))
                    })
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Snowflake, E> {
                self.visit_i64(i64::try_from(n).unwrap_or(-1))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Snowflake, E> {
                s.trim()
                    .parse()
                    .ok()
                    .filter(|&n: &u64| n > 0)
                    .map(Snowflake)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "invalid Discord id \"{s}\": expected {SNOWFLAKE_RULE}"
                        ))
                    })
            }
        }
        d.deserialize_any(Id)
    }
}

impl Config {
    /// Reads `path` and the environment (`DISCORD_TOKEN`).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = Config::read_text(path)?;
        let env_token = std::env::var(TOKEN_ENV).ok();
        let config = Config::parse(path, &text, env_token)?;
        config.check_files()?;
        Ok(config)
    }

    /// The text of the config file at `path`: a regular file of at most
    /// [`crate::files::MAX_CONFIG_BYTES`], read in bounded time, like every file.
    pub fn read_text(path: &Path) -> Result<String, ConfigError> {
        use crate::files::{read_text, FileKind, ReadLimits};
        read_text(path, &ReadLimits::of(FileKind::Config)).map_err(|error| {
            ConfigError::Unreadable {
                path: path.to_path_buf(),
                error,
            }
        })
    }

    /// What [`Config::parse`] cannot see: files the configuration names must exist. A
    /// configured eval set that is missing would silently switch the reload gate off.
    pub fn check_files(&self) -> Result<(), ConfigError> {
        if let Some(eval) = &self.knowledge.eval_path {
            let message = match crate::files::check_regular(eval) {
                Ok(()) => None,
                Err(err) if err.is_not_found() => Some(format!(
                    "{} does not exist (relative paths are relative to the config file's \
                     folder); fix the path, or remove the key to reload without the eval gate",
                    eval.display()
                )),
                // A FIFO or a device exists: saying it does not would send the reader
                // looking for a typo.
                Err(err) => Some(format!(
                    "{}: {err}; the eval set must be a regular file",
                    eval.display()
                )),
            };
            if let Some(message) = message {
                return Err(ConfigError::BadValue {
                    path: self.path.clone(),
                    key: "knowledge.eval_path",
                    message,
                });
            }
        }
        Ok(())
    }

    /// Validates `text` as the config file at `path`, with `env_token` standing for the
    /// environment (so tests need not touch the process environment).
    pub fn parse(
        path: &Path,
        text: &str,
        env_token: Option<String>,
    ) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|err| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: err.to_string().trim_end().to_string(),
        })?;
        let bad = |key: &'static str, message: String| ConfigError::BadValue {
            path: path.to_path_buf(),
            key,
            message,
        };
        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };

        // Each section checks its own keys; the order is the order problems are reported in.
        let token = discord::token(path, &raw.discord, env_token, &bad)?;
        discord::check_proxy(&raw.discord, &bad)?;
        let metrics = metrics::parse(raw.metrics, &bad)?;
        let discord = discord::parse(raw.discord, token, &bad)?;
        let knowledge = knowledge::parse(raw.knowledge, &bad, &resolve)?;
        let admin = admin::parse(raw.admin);
        let limits = limits::parse(raw.limits);
        let conversation = conversation::parse(raw.conversation, &bad)?;
        let logs = logs::parse(raw.logs, &resolve);
        let interactions =
            interactions::parse(raw.interactions).map_err(|(key, message)| bad(key, message))?;
        Ok(Config {
            path: path.to_path_buf(),
            discord,
            knowledge,
            admin,
            limits,
            conversation,
            logs,
            metrics,
            interactions,
        })
    }
}

#[cfg(test)]
mod tests;
