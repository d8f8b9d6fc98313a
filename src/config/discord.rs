//! `[discord]`: the bot token, the REST proxy, the development guild and the gateway shards
//! this process runs.

use serde::Deserialize;

use super::{ConfigError, Secret, Snowflake, TOKEN_ENV};

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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiscord {
    pub(super) token: Option<String>,
    pub(super) http_proxy: Option<String>,
    pub(super) dev_guild_id: Option<Snowflake>,
    pub(super) shards: Option<toml::Value>,
}

/// The token: `DISCORD_TOKEN` (`env_token`) wins over `[discord] token`; blank counts as unset.
pub(super) fn token(
    path: &std::path::Path,
    raw: &RawDiscord,
    env_token: Option<String>,
    bad: &impl Fn(&'static str, String) -> ConfigError,
) -> Result<Secret, ConfigError> {
    let token = env_token
        .filter(|t| !t.trim().is_empty())
        .or(raw.token.clone().filter(|t| !t.trim().is_empty()))
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
    Ok(token)
}

/// Checks `http_proxy` is an http:// or https:// URL.
pub(super) fn check_proxy(
    raw: &RawDiscord,
    bad: &impl Fn(&'static str, String) -> ConfigError,
) -> Result<(), ConfigError> {
    if let Some(proxy) = &raw.http_proxy {
        if !(proxy.starts_with("http://") || proxy.starts_with("https://")) {
            return Err(bad(
                "discord.http_proxy",
                format!("\"{proxy}\" is not an http:// or https:// URL"),
            ));
        }
    }
    Ok(())
}

/// The section, once [`token`] and [`check_proxy`] have passed.
pub(super) fn parse(
    raw: RawDiscord,
    token: Secret,
    bad: &impl Fn(&'static str, String) -> ConfigError,
) -> Result<DiscordConfig, ConfigError> {
    Ok(DiscordConfig {
        token,
        http_proxy: raw.http_proxy.map(|p| p.trim_end_matches('/').to_string()),
        dev_guild_id: raw.dev_guild_id.map(|s| s.0),
        shards: Shards::from_raw(raw.shards).map_err(|message| bad("discord.shards", message))?,
    })
}

// --- shards ----------------------------------------------------------------------------------

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
