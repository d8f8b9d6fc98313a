//! The `serve` configuration: a TOML file plus the environment.
//!
//! Sections `[discord]`, `[knowledge]`, `[admin]`, `[limits]`, `[conversation]`, `[logs]`,
//! `[metrics]` and `[interactions]`; unknown keys are
//! rejected (a typo must not silently turn a setting off). The key names of `[discord]`,
//! `[knowledge] path`, `[admin]` and `[limits]` are a contract used by test tooling; see
//! `config.example.toml` for every key with a comment.
//!
//! Relative paths resolve against the folder of the config file, so a config works from any
//! working directory. The bot token comes from `DISCORD_TOKEN`, else `[discord] token`; it is
//! kept in a [`Secret`] whose `Debug` and `Display` never show it.

use std::fmt;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The environment variable holding the bot token; it wins over `[discord] token`.
pub const TOKEN_ENV: &str = "DISCORD_TOKEN";

/// Floors the eval gate applies when `[knowledge] eval_path` is set but a floor is not.
pub const DEFAULT_MIN_TOP1: f64 = 0.96;
pub const DEFAULT_MIN_DECLINED: f64 = 0.96;
/// Questions a user may ask per minute when `[limits]` does not say.
pub const DEFAULT_QUESTIONS_PER_MINUTE: u32 = 10;
/// Longest `[conversation] follow_up_minutes`: a day.
const MAX_FOLLOW_UP_MINUTES: u32 = 24 * 60;
/// Share of the facts a reload may remove without `/reload force:true`: a file cut short by a
/// tool still writing it is often valid TOML, and then it looks like a mass deletion.
pub const DEFAULT_MAX_REMOVED_SHARE: f64 = 0.1;

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

#[derive(Debug, Clone)]
pub struct DiscordConfig {
    pub token: Secret,
    /// REST base URL instead of discord.com (a shared rate-limiting proxy, or a fake Discord
    /// in tests). When set, serenity's own rate limiter is disabled: the proxy is the limiter.
    pub http_proxy: Option<String>,
    /// Register commands in this guild (instant) instead of globally (up to an hour).
    pub dev_guild_id: Option<u64>,
    /// Which gateway shards this process runs (`[discord] shards`).
    pub shards: Shards,
}

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

/// Who may run `/reload`: listed users, members holding a listed role, and guild owners.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminConfig {
    pub user_ids: Vec<u64>,
    pub role_ids: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsConfig {
    pub questions_per_minute: NonZeroU32,
}

/// `[conversation]`: how follow-up questions are read (see `search::followup`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationConfig {
    /// How long a channel-and-user context lasts after its answer; zero switches follow-ups
    /// off.
    pub follow_up: std::time::Duration,
    /// Contexts kept at most; past it the oldest is forgotten.
    pub max_contexts: usize,
}

/// Local JSON-lines logs for admins; `None` when switched off with an empty string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsConfig {
    pub declined: Option<PathBuf>,
    pub feedback: Option<PathBuf>,
}

/// `[metrics]`: where to serve `/metrics` and `/healthz`; `None` (the default) serves nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricsConfig {
    pub listen: Option<std::net::SocketAddr>,
}

/// `[interactions]`: the HTTP interactions endpoint (`serve --interactions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionsConfig {
    /// Where `POST /interactions` is served (default [`DEFAULT_INTERACTIONS_LISTEN`]).
    pub listen: std::net::SocketAddr,
    /// The application's public key (Developer Portal → General Information), which signs
    /// every request Discord sends; `None` when not configured (then `--interactions` refuses
    /// to start).
    pub public_key: Option<ed25519_dalek::VerifyingKey>,
}

/// Where the interactions endpoint listens when `[interactions] listen` is not set.
/// Loopback: a reverse proxy in front (or the deploy files' explicit `0.0.0.0`) decides what
/// the outside reaches, so a bare `serve --interactions` exposes nothing by accident.
pub const DEFAULT_INTERACTIONS_LISTEN: &str = "127.0.0.1:8080";

/// A string that must never be printed (the bot token).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that needs it (the HTTP client).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
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
    discord: RawDiscord,
    #[serde(default)]
    knowledge: RawKnowledge,
    #[serde(default)]
    admin: RawAdmin,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    conversation: RawConversation,
    #[serde(default)]
    logs: RawLogs,
    #[serde(default)]
    metrics: RawMetrics,
    #[serde(default)]
    interactions: RawInteractions,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    token: Option<String>,
    http_proxy: Option<String>,
    dev_guild_id: Option<Snowflake>,
    shards: Option<toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKnowledge {
    path: Option<PathBuf>,
    eval_path: Option<PathBuf>,
    min_top1: Option<f64>,
    min_declined: Option<f64>,
    decline_below: Option<f64>,
    sources: Option<PathBuf>,
    max_removed_share: Option<f64>,
    max_file_bytes: Option<u64>,
    watch: Option<bool>,
    settle_ms: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAdmin {
    #[serde(default)]
    user_ids: Vec<Snowflake>,
    #[serde(default)]
    role_ids: Vec<Snowflake>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    questions_per_minute: Option<NonZeroU32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConversation {
    follow_up_minutes: Option<u32>,
    max_contexts: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLogs {
    declined: Option<PathBuf>,
    feedback: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMetrics {
    listen: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawInteractions {
    listen: Option<String>,
    public_key: Option<String>,
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

        let token = env_token
            .filter(|t| !t.trim().is_empty())
            .or(raw.discord.token.filter(|t| !t.trim().is_empty()))
            .map(|t| Secret::new(t.trim()))
            .ok_or_else(|| ConfigError::MissingToken {
                path: path.to_path_buf(),
            })?;
        // A token is sent as an HTTP header: a newline or other control character inside it
        // made every request fail ("invalid header value") and the client retry forever.
        if let Some(at) = token.expose().chars().position(char::is_control) {
            return Err(bad(
                "discord.token",
                format!(
                    "the token (from {TOKEN_ENV} or the file) has a control character \
                     at position {}; a Discord token is one line of printable characters",
                    at + 1
                ),
            ));
        }
        if let Some(proxy) = &raw.discord.http_proxy {
            if !(proxy.starts_with("http://") || proxy.starts_with("https://")) {
                return Err(bad(
                    "discord.http_proxy",
                    format!("\"{proxy}\" is not an http:// or https:// URL"),
                ));
            }
        }
        let floor = |key: &'static str, value: Option<f64>, default: f64| match value {
            None => Ok(default),
            Some(v) if (0.0..=1.0).contains(&v) => Ok(v),
            Some(v) => Err(bad(key, format!("{v} is not a fraction between 0 and 1"))),
        };
        let listen = match raw.metrics.listen.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(text.parse().map_err(|_| {
                bad(
                    "metrics.listen",
                    format!("\"{text}\" is not an address and port, e.g. \"127.0.0.1:9187\""),
                )
            })?),
        };
        let log_path = |p: Option<PathBuf>, default: &str| match p {
            Some(p) if p.as_os_str().is_empty() => None,
            Some(p) => Some(resolve(p)),
            None => Some(resolve(PathBuf::from(default))),
        };
        Ok(Config {
            path: path.to_path_buf(),
            discord: DiscordConfig {
                token,
                http_proxy: raw
                    .discord
                    .http_proxy
                    .map(|p| p.trim_end_matches('/').to_string()),
                dev_guild_id: raw.discord.dev_guild_id.map(|s| s.0),
                shards: Shards::from_raw(raw.discord.shards)
                    .map_err(|message| bad("discord.shards", message))?,
            },
            knowledge: KnowledgeConfig {
                path: resolve(
                    raw.knowledge
                        .path
                        .unwrap_or_else(|| PathBuf::from("knowledge.toml")),
                ),
                eval_path: raw.knowledge.eval_path.map(resolve),
                min_top1: floor(
                    "knowledge.min_top1",
                    raw.knowledge.min_top1,
                    DEFAULT_MIN_TOP1,
                )?,
                min_declined: floor(
                    "knowledge.min_declined",
                    raw.knowledge.min_declined,
                    DEFAULT_MIN_DECLINED,
                )?,
                decline_below: floor(
                    "knowledge.decline_below",
                    raw.knowledge.decline_below,
                    f64::from(crate::search::score::DEFAULT_DECLINE_BELOW),
                )? as f32,
                sources_dir: raw.knowledge.sources.map(resolve),
                max_removed_share: floor(
                    "knowledge.max_removed_share",
                    raw.knowledge.max_removed_share,
                    DEFAULT_MAX_REMOVED_SHARE,
                )?,
                max_file_bytes: match raw.knowledge.max_file_bytes {
                    None => crate::files::DEFAULT_MAX_FILE_BYTES,
                    Some(0) => {
                        return Err(bad(
                            "knowledge.max_file_bytes",
                            "0 would refuse every file; give a size in bytes".into(),
                        ))
                    }
                    Some(n) => n,
                },
                watch: raw.knowledge.watch.unwrap_or(false),
                settle: match raw.knowledge.settle_ms {
                    None => crate::bot::reload::RELOAD_SETTLE,
                    Some(ms) if ms > MAX_SETTLE_MS => {
                        return Err(bad(
                            "knowledge.settle_ms",
                            format!("{ms} is more than {MAX_SETTLE_MS} ms (a minute)"),
                        ))
                    }
                    Some(ms) => std::time::Duration::from_millis(ms),
                },
            },
            admin: AdminConfig {
                user_ids: raw.admin.user_ids.into_iter().map(|s| s.0).collect(),
                role_ids: raw.admin.role_ids.into_iter().map(|s| s.0).collect(),
            },
            limits: LimitsConfig {
                questions_per_minute: raw.limits.questions_per_minute.unwrap_or(
                    NonZeroU32::new(DEFAULT_QUESTIONS_PER_MINUTE).unwrap_or(NonZeroU32::MIN),
                ),
            },
            conversation: ConversationConfig {
                follow_up: match raw.conversation.follow_up_minutes {
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
                max_contexts: match raw.conversation.max_contexts {
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
            },
            logs: LogsConfig {
                declined: log_path(raw.logs.declined, "data/declined.log"),
                feedback: log_path(raw.logs.feedback, "data/feedback.log"),
            },
            metrics: MetricsConfig { listen },
            interactions: interactions(raw.interactions)
                .map_err(|(key, message)| bad(key, message))?,
        })
    }
}

// --- [discord] shards ----------------------------------------------------------------------

/// `[discord] shards`: which gateway shards this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shards {
    /// `"auto"` (the default): every shard, as many as Discord recommends in `GET /gateway/bot`.
    #[default]
    Auto,
    /// `{ total, first, count }`: shards `first .. first + count` of `total`; other processes
    /// run the rest.
    Range(ShardRange),
}

/// Shards `first .. first + count` of `total` (validated: `count ≥ 1`, `first + count ≤ total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub total: u32,
    pub first: u32,
    pub count: u32,
}

impl ShardRange {
    /// Checks the rules Discord and serenity need; the message names the rule broken.
    pub fn new(total: u32, first: u32, count: u32) -> Result<ShardRange, String> {
        if total == 0 {
            return Err("total = 0: a bot has at least one shard (total ≥ 1)".into());
        }
        if count == 0 {
            return Err("count = 0: a process runs at least one shard (count ≥ 1)".into());
        }
        match first.checked_add(count) {
            Some(end) if end <= total => Ok(ShardRange {
                total,
                first,
                count,
            }),
            _ => Err(format!(
                "first = {first}, count = {count} reaches shard {} but shards are numbered 0 to                  {} of total = {total} (first + count ≤ total)",
                u64::from(first) + u64::from(count) - 1,
                total - 1
            )),
        }
    }

    /// The shard ids this process runs.
    pub fn ids(&self) -> std::ops::Range<u32> {
        self.first..self.first + self.count
    }
}

impl Shards {
    /// Reads the key as written: `"auto"` or a table `{ total, first, count }`. (By hand rather
    /// than an untagged serde enum, whose error for a missing key names no key.)
    fn from_raw(raw: Option<toml::Value>) -> Result<Shards, String> {
        const FORMS: &str =
            "write shards = \"auto\" or shards = { total = 16, first = 0, count = 4 }";
        let table = match raw {
            None => return Ok(Shards::Auto),
            Some(toml::Value::String(word)) if word.trim() == "auto" => return Ok(Shards::Auto),
            Some(toml::Value::Table(table)) => table,
            Some(other) => return Err(format!("{other} is not a shard setting: {FORMS}")),
        };
        if let Some(unknown) = table
            .keys()
            .find(|k| !["total", "first", "count"].contains(&k.as_str()))
        {
            return Err(format!(
                "unknown key `{unknown}`: the keys are total, first and count ({FORMS})"
            ));
        }
        let number = |name: &str| match table.get(name) {
            None => Err(format!("`{name}` is missing: {FORMS}")),
            Some(toml::Value::Integer(n)) => u32::try_from(*n)
                .map_err(|_| format!("{name} = {n} is not a shard number (0 or more)")),
            Some(other) => Err(format!("{name} = {other} is not a whole number")),
        };
        ShardRange::new(number("total")?, number("first")?, number("count")?).map(Shards::Range)
    }
}

// --- [interactions] --------------------------------------------------------------------------

/// Validates `[interactions]`: an address to listen on, and the public key as 64 hex digits
/// that decode to a valid ed25519 point (a mistyped key would otherwise refuse every request,
/// Discord's PING included, with nothing in the log to say why).
fn interactions(raw: RawInteractions) -> Result<InteractionsConfig, (&'static str, String)> {
    let listen_text = raw
        .listen
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_INTERACTIONS_LISTEN);
    let listen = listen_text.parse().map_err(|_| {
        (
            "interactions.listen",
            format!("\"{listen_text}\" is not an address and port, e.g. \"0.0.0.0:8080\""),
        )
    })?;
    let public_key = match raw.public_key.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(public_key(text).map_err(|why| ("interactions.public_key", why))?),
    };
    Ok(InteractionsConfig { listen, public_key })
}

/// An ed25519 public key written as 64 hex digits (as the Developer Portal shows it).
pub fn public_key(text: &str) -> Result<ed25519_dalek::VerifyingKey, String> {
    let hint = "expected the application's public key from the Developer Portal (General \
                Information): 64 hex digits";
    let bytes = decode_hex(text).ok_or_else(|| format!("not hex: {hint}"))?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| format!("{} hex digits: {hint}", b.len() * 2))?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| format!("64 hex digits, but not a valid ed25519 public key: {hint}"))
}

/// Hex digits to bytes; `None` for an odd length or a non-hex character.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 == 1 {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTRACT: &str = r#"
[discord]
http_proxy = "http://127.0.0.1:3000"
dev_guild_id = "123456789012345678"
[knowledge]
path = "knowledge.toml"
[admin]
user_ids = ["123456789012345678"]
role_ids = []
[limits]
questions_per_minute = 10
"#;

    fn parse(text: &str, env: Option<&str>) -> Result<Config, ConfigError> {
        Config::parse(
            Path::new("/etc/bot/config.toml"),
            text,
            env.map(str::to_string),
        )
    }

    #[test]
    fn the_contract_keys_parse() {
        let config = parse(CONTRACT, Some("tok")).unwrap();
        assert_eq!(
            config.discord.http_proxy.as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(config.discord.dev_guild_id, Some(123_456_789_012_345_678));
        assert_eq!(config.admin.user_ids, vec![123_456_789_012_345_678]);
        assert!(config.admin.role_ids.is_empty());
        assert_eq!(config.limits.questions_per_minute.get(), 10);
    }

    #[test]
    fn relative_paths_resolve_against_the_config_folder() {
        let config = parse(CONTRACT, Some("tok")).unwrap();
        assert_eq!(config.knowledge.path, Path::new("/etc/bot/knowledge.toml"));
        assert_eq!(
            config.logs.declined.as_deref(),
            Some(Path::new("/etc/bot/data/declined.log"))
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        let err = parse("[limits]\nquestions_per_minit = 3\n", Some("tok")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("questions_per_minit"), "{text}");
        assert!(text.contains("line 2"), "{text}");
        let err = parse("[discrod]\n", Some("tok")).unwrap_err();
        assert!(err.to_string().contains("discrod"), "{err}");
    }

    #[test]
    fn conversation_keys_have_defaults_limits_and_reject_typos() {
        let config = parse("", Some("tok")).unwrap();
        assert_eq!(
            config.conversation.follow_up,
            std::time::Duration::from_secs(600)
        );
        assert_eq!(config.conversation.max_contexts, 10_000);
        let config = parse(
            "[conversation]\nfollow_up_minutes = 0\nmax_contexts = 5\n",
            Some("tok"),
        )
        .unwrap();
        assert_eq!(config.conversation.follow_up, std::time::Duration::ZERO);
        assert_eq!(config.conversation.max_contexts, 5);
        let err = parse("[conversation]\nmax_contexts = 0\n", Some("tok")).unwrap_err();
        assert!(
            err.to_string().contains("conversation.max_contexts"),
            "{err}"
        );
        let err = parse("[conversation]\nfollow_up_minutes = 100000\n", Some("tok")).unwrap_err();
        assert!(err.to_string().contains("more than a day"), "{err}");
        let err = parse("[conversation]\nfollowup_minutes = 5\n", Some("tok")).unwrap_err();
        assert!(err.to_string().contains("followup_minutes"), "{err}");
    }

    #[test]
    fn a_wrong_type_is_an_error_showing_the_key() {
        let err = parse("[limits]\nquestions_per_minute = \"ten\"\n", Some("tok")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("questions_per_minute"), "{text}");
        let err = parse("[limits]\nquestions_per_minute = 0\n", Some("tok")).unwrap_err();
        assert!(err.to_string().contains("questions_per_minute"), "{err}");
        let err = parse("[admin]\nuser_ids = [\"12ab\"]\n", Some("tok")).unwrap_err();
        assert!(err.to_string().contains("invalid Discord id"), "{err}");
    }

    #[test]
    fn the_decline_threshold_defaults_to_the_calibrated_one_and_must_be_a_fraction() {
        let default = parse("", Some("t")).unwrap();
        assert_eq!(
            default.knowledge.decline_below,
            crate::search::score::DEFAULT_DECLINE_BELOW
        );
        let set = parse("[knowledge]\ndecline_below = 0.4\n", Some("t")).unwrap();
        assert!((set.knowledge.decline_below - 0.4).abs() < 1e-6);
        let err = parse("[knowledge]\ndecline_below = 1.5\n", Some("t")).unwrap_err();
        assert!(err.to_string().contains("knowledge.decline_below"), "{err}");
    }

    #[test]
    fn regression_a_token_with_a_newline_is_refused_at_start_up() {
        // Such a token used to let the bot start and then retry forever ("invalid header
        // value").
        let err = parse(CONTRACT, Some("abc\ndef")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("discord.token") && text.contains("position 4"),
            "{text}"
        );
        assert!(!text.contains("abc"), "the token is not shown: {text}");
        let err = parse("[discord]\ntoken = \"a\\tb\"\n", None).unwrap_err();
        assert!(err.to_string().contains("discord.token"), "{err}");
        // Surrounding whitespace (a trailing newline from `echo`) is trimmed, not refused.
        assert_eq!(
            parse(CONTRACT, Some("abc\n"))
                .unwrap()
                .discord
                .token
                .expose(),
            "abc"
        );
    }

    #[test]
    fn regression_a_negative_guild_id_names_the_key_and_the_rule() {
        // The error used to be serde's "data did not match any variant of untagged enum
        // Either", naming neither the key nor what it accepts.
        for value in ["-5", "0", "\"-5\"", "1.5", "true", "[1]", "\"12x\""] {
            let err =
                parse(&format!("[discord]\ndev_guild_id = {value}\n"), Some("t")).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("dev_guild_id"), "{text}");
            assert!(text.contains("positive whole number"), "{text}");
            assert!(!text.contains("untagged"), "{text}");
        }
    }

    #[test]
    fn knowledge_safety_keys_have_defaults_and_rules() {
        let default = parse("", Some("t")).unwrap();
        assert_eq!(default.knowledge.sources_dir, None);
        assert_eq!(
            default.knowledge.max_removed_share,
            DEFAULT_MAX_REMOVED_SHARE
        );
        let set = parse(
            "[knowledge]\nsources = \"articles\"\nmax_removed_share = 0.5\nmax_file_bytes = 1000\n",
            Some("t"),
        )
        .unwrap();
        assert_eq!(
            set.knowledge.sources_dir.as_deref(),
            Some(Path::new("/etc/bot/articles"))
        );
        assert_eq!(set.knowledge.max_file_bytes, 1000);
        let err = parse("[knowledge]\nmax_removed_share = 2\n", Some("t")).unwrap_err();
        assert!(
            err.to_string().contains("knowledge.max_removed_share"),
            "{err}"
        );
        let err = parse("[knowledge]\nmax_file_bytes = 0\n", Some("t")).unwrap_err();
        assert!(
            err.to_string().contains("knowledge.max_file_bytes"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn regression_a_config_linked_to_dev_zero_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let err = Config::load(&path).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn ids_may_be_integers_too() {
        let config = parse("[admin]\nuser_ids = [42]\nrole_ids = [\"7\"]\n", Some("t")).unwrap();
        assert_eq!(config.admin.user_ids, vec![42]);
        assert_eq!(config.admin.role_ids, vec![7]);
    }

    #[test]
    fn the_environment_token_wins_over_the_file() {
        let text = "[discord]\ntoken = \"from-file\"\n";
        assert_eq!(
            parse(text, Some("from-env"))
                .unwrap()
                .discord
                .token
                .expose(),
            "from-env"
        );
        assert_eq!(
            parse(text, None).unwrap().discord.token.expose(),
            "from-file"
        );
        // An empty variable does not count as set.
        assert_eq!(
            parse(text, Some("")).unwrap().discord.token.expose(),
            "from-file"
        );
    }

    #[test]
    fn a_missing_token_is_an_error_naming_the_variable() {
        let err = parse(CONTRACT, None).unwrap_err();
        assert!(matches!(err, ConfigError::MissingToken { .. }));
        assert!(err.to_string().contains(TOKEN_ENV), "{err}");
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let config = parse(CONTRACT, Some("super-secret-token")).unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("super-secret-token"), "{debug}");
        assert!(debug.contains("redacted"));
    }

    #[test]
    fn a_proxy_must_be_an_http_url_and_floors_fractions() {
        let err = parse("[discord]\nhttp_proxy = \"127.0.0.1:3000\"\n", Some("t")).unwrap_err();
        assert!(err.to_string().contains("discord.http_proxy"), "{err}");
        let err = parse("[knowledge]\nmin_top1 = 95\n", Some("t")).unwrap_err();
        assert!(err.to_string().contains("knowledge.min_top1"), "{err}");
    }

    #[test]
    fn an_empty_log_path_switches_the_log_off() {
        let config = parse("[logs]\ndeclined = \"\"\n", Some("t")).unwrap();
        assert_eq!(config.logs.declined, None);
        assert!(config.logs.feedback.is_some());
    }

    #[test]
    fn metrics_are_off_by_default_and_listen_is_an_address() {
        assert_eq!(parse("", Some("t")).unwrap().metrics.listen, None);
        let on = parse("[metrics]\nlisten = \"127.0.0.1:9187\"\n", Some("t")).unwrap();
        assert_eq!(on.metrics.listen, Some("127.0.0.1:9187".parse().unwrap()));
        let err = parse("[metrics]\nlisten = \"localhost\"\n", Some("t")).unwrap_err();
        assert!(err.to_string().contains("metrics.listen"), "{err}");
    }

    /// A valid key: the public half of a fixed test seed, as the Developer Portal shows it.
    fn test_public_key_hex() -> String {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        key.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn interactions_default_to_port_8080_on_loopback_without_a_key() {
        let config = parse("", Some("t")).unwrap();
        assert_eq!(
            config.interactions.listen,
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(config.interactions.public_key, None);
        let hex = test_public_key_hex();
        let set = parse(
            &format!("[interactions]\nlisten = \"127.0.0.1:9000\"\npublic_key = \"{hex}\"\n"),
            Some("t"),
        )
        .unwrap();
        assert_eq!(set.interactions.listen, "127.0.0.1:9000".parse().unwrap());
        assert_eq!(
            set.interactions.public_key,
            Some(ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key())
        );
        // Upper-case hex is the same key.
        let upper = parse(
            &format!("[interactions]\npublic_key = \"{}\"\n", hex.to_uppercase()),
            Some("t"),
        )
        .unwrap();
        assert_eq!(upper.interactions.public_key, set.interactions.public_key);
    }

    #[test]
    fn a_bad_public_key_is_refused_at_load_with_what_is_wrong() {
        let hex = test_public_key_hex();
        let cases = [
            (hex[..62].to_string(), "62 hex digits"),
            (format!("{}zz", &hex[..62]), "not hex"),
            (format!("{hex}00"), "66 hex digits"),
            // y = 2 (little-endian) is not the y of any point on the curve.
            (
                format!("02{}", "0".repeat(62)),
                "not a valid ed25519 public key",
            ),
        ];
        for (key, why) in cases {
            let err = parse(
                &format!("[interactions]\npublic_key = \"{key}\"\n"),
                Some("t"),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("interactions.public_key"), "{err}");
            assert!(err.contains(why), "{key}: {err}");
        }
        let err = parse("[interactions]\nlisten = \"8080\"\n", Some("t")).unwrap_err();
        assert!(err.to_string().contains("interactions.listen"), "{err}");
    }

    /// A relative `eval_path` that did not exist used to switch the gate off
    /// without a word.
    #[test]
    fn regression_a_missing_eval_path_is_a_configuration_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let config = Config::parse(
            &path,
            "[knowledge]\neval_path = \"nowhere/questions.toml\"\n",
            Some("t".into()),
        )
        .unwrap();
        let err = config.check_files().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("knowledge.eval_path"), "{text}");
        assert!(text.contains("nowhere/questions.toml"), "{text}");
        std::fs::create_dir(dir.path().join("nowhere")).unwrap();
        std::fs::write(dir.path().join("nowhere/questions.toml"), "").unwrap();
        assert!(config.check_files().is_ok());
    }

    /// An `eval_path` that was a FIFO was reported as not existing.
    #[cfg(unix)]
    #[test]
    fn regression_an_eval_path_that_is_a_fifo_is_named_a_fifo_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let config = Config::parse(
            &path,
            "[knowledge]\neval_path = \"questions.toml\"\n",
            Some("t".into()),
        )
        .unwrap();
        if !crate::files::mkfifo(&dir.path().join("questions.toml")) {
            eprintln!("SKIPPED: mkfifo is not available");
            return;
        }
        let text = config.check_files().unwrap_err().to_string();
        assert!(text.contains("knowledge.eval_path"), "{text}");
        assert!(text.contains("not a regular file (a FIFO)"), "{text}");
        assert!(!text.contains("does not exist"), "{text}");
    }

    #[test]
    fn shards_default_to_auto_and_take_a_range() {
        assert_eq!(parse("", Some("t")).unwrap().discord.shards, Shards::Auto);
        let auto = parse("[discord]\nshards = \"auto\"\n", Some("t")).unwrap();
        assert_eq!(auto.discord.shards, Shards::Auto);
        let range = parse(
            "[discord]\nshards = { total = 16, first = 4, count = 4 }\n",
            Some("t"),
        )
        .unwrap();
        let Shards::Range(range) = range.discord.shards else {
            panic!("not a range: {:?}", range.discord.shards)
        };
        assert_eq!(range.ids(), 4..8);
        assert_eq!(range.total, 16);
    }

    #[test]
    fn a_bad_shard_range_names_the_key_and_the_rule() {
        for (value, rule) in [
            ("{ total = 0, first = 0, count = 1 }", "total ≥ 1"),
            ("{ total = 4, first = 0, count = 0 }", "count ≥ 1"),
            (
                "{ total = 4, first = 3, count = 2 }",
                "first + count ≤ total",
            ),
            ("{ total = 4, first = -1, count = 2 }", "first = -1"),
            ("{ total = 4, count = 2 }", "`first` is missing"),
            (
                "{ total = 4, first = 0, count = 2, start = 1 }",
                "unknown key `start`",
            ),
            ("\"all\"", "\"auto\""),
            ("4", "not a shard setting"),
        ] {
            let err = parse(&format!("[discord]\nshards = {value}\n"), Some("t")).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("discord.shards"), "{value}: {text}");
            assert!(text.contains(rule), "{value}: {text}");
        }
        // The largest shard numbers do not overflow.
        let err = ShardRange::new(u32::MAX, u32::MAX, 2).unwrap_err();
        assert!(err.contains("first + count ≤ total"), "{err}");
    }

    #[test]
    fn watching_the_knowledge_file_is_off_by_default() {
        assert!(!parse("", Some("t")).unwrap().knowledge.watch);
        assert!(
            parse("[knowledge]\nwatch = true\n", Some("t"))
                .unwrap()
                .knowledge
                .watch
        );
        let err = parse("[knowledge]\nwatch = \"yes\"\n", Some("t")).unwrap_err();
        assert!(err.to_string().contains("watch"), "{err}");
    }

    #[test]
    fn the_example_config_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let config = Config::parse(&path, &text, Some("t".into())).unwrap();
        assert!(
            config.knowledge.path.exists(),
            "{:?}",
            config.knowledge.path
        );
    }
}
