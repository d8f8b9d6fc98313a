//! JSON payload builders for the fake Discord.
//!
//! Every builder here produces the shape Discord sends *and* that serenity 0.12.5 deserializes
//! without error. Serenity silently drops a gateway event whose payload fails to deserialize
//! (it only logs a warning), so a missing required field shows up in a test as "the bot never
//! answered". `fake_discord_selftest.rs` therefore deserializes every builder's output with
//! serenity's own model types. Fields serenity requires (non-`Option`, no `#[serde(default)]`)
//! are marked "required" below.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Fixed snowflakes. Distinct values for the application and the bot user on purpose: a bot that
// confuses the two (a common bug) fails against the fake instead of passing by coincidence.
// ---------------------------------------------------------------------------------------------

/// The one guild the fake serves.
pub const GUILD_ID: u64 = 1_100_000_000_000_000_001;
/// A second guild, for sharded tests: with 2 shards it is on shard 0 and [`GUILD_ID`] on
/// shard 1 (`(id >> 22) % 2`). Its events are [`GUILD_ID`]'s payloads with the id swapped
/// ([`in_guild`]).
pub const SECOND_GUILD_ID: u64 = GUILD_ID + (1 << 22);
/// The bot's own user id.
pub const BOT_ID: u64 = 1_100_000_000_000_000_002;
/// The bot's application id (what `/applications/{app}/...` routes use).
pub const APP_ID: u64 = 1_100_000_000_000_000_003;
/// The guild owner (no roles; owner status alone grants everything).
pub const OWNER_ID: u64 = 1_100_000_000_000_000_010;
/// A user holding the "Admin" role (ADMINISTRATOR permission), not the owner.
pub const ADMIN_ID: u64 = 1_100_000_000_000_000_011;
/// A regular user holding only the "Member" role.
pub const MEMBER_ID: u64 = 1_100_000_000_000_000_012;
/// Another bot in the guild (`bot: true`).
pub const OTHER_BOT_ID: u64 = 1_100_000_000_000_000_013;
/// The guild's text channel.
pub const CHANNEL_ID: u64 = 1_100_000_000_000_000_020;
/// A second text channel, for tests that need a "wrong channel".
pub const OTHER_CHANNEL_ID: u64 = 1_100_000_000_000_000_021;
/// `@everyone` role: Discord gives it the guild's id.
pub const EVERYONE_ROLE_ID: u64 = GUILD_ID;
/// The "Admin" role (ADMINISTRATOR).
pub const ADMIN_ROLE_ID: u64 = 1_100_000_000_000_000_030;
/// The "Member" role (basic chat permissions).
pub const MEMBER_ROLE_ID: u64 = 1_100_000_000_000_000_031;
/// DM channel between the bot and the owner.
pub const OWNER_DM_CHANNEL_ID: u64 = 1_100_000_000_000_000_040;
/// DM channel between the bot and the admin.
pub const ADMIN_DM_CHANNEL_ID: u64 = 1_100_000_000_000_000_041;
/// DM channel between the bot and the member.
pub const MEMBER_DM_CHANNEL_ID: u64 = 1_100_000_000_000_000_042;
/// DM channel between the bot and the other bot.
pub const OTHER_BOT_DM_CHANNEL_ID: u64 = 1_100_000_000_000_000_043;
/// A token tests can hand to serenity; the fake accepts any token unless configured otherwise.
pub const FAKE_TOKEN: &str = "fake-bot-token";
/// Name of the guild.
pub const GUILD_NAME: &str = "Fake Guild";

/// Discord's permission bits used below.
pub mod perms {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// Every permission bit Discord currently defines (what an administrator effectively has).
    pub const ALL: u64 = (1 << 51) - 1;
    /// What `@everyone` and the "Member" role grant.
    pub const BASIC: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | ADD_REACTIONS
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_APPLICATION_COMMANDS;
}

/// A user the fake can make "act": invoke commands, send messages, press buttons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeUser {
    pub id: u64,
    pub username: String,
    pub global_name: Option<String>,
    pub bot: bool,
    /// Guild role ids (besides the implicit `@everyone`).
    pub roles: Vec<u64>,
    /// The DM channel between this user and the bot.
    pub dm_channel_id: u64,
    /// The client's language, sent as the interaction's `locale` ("en-US" unless set).
    pub locale: String,
}

impl FakeUser {
    /// A custom user (not a guild member unless you add roles; Discord still lets it invoke).
    pub fn new(id: u64, username: &str, dm_channel_id: u64) -> Self {
        Self {
            id,
            username: username.to_string(),
            global_name: Some(username.to_string()),
            bot: false,
            roles: Vec::new(),
            dm_channel_id,
            locale: "en-US".to_string(),
        }
    }

    /// The guild owner (`owner_id` of the guild), no roles.
    pub fn owner() -> Self {
        Self::new(OWNER_ID, "owner", OWNER_DM_CHANNEL_ID)
    }

    /// A user with the "Admin" role (ADMINISTRATOR) and the "Member" role; not the owner.
    pub fn admin() -> Self {
        Self {
            roles: vec![ADMIN_ROLE_ID, MEMBER_ROLE_ID],
            ..Self::new(ADMIN_ID, "admin", ADMIN_DM_CHANNEL_ID)
        }
    }

    /// A regular member with only the "Member" role.
    pub fn member() -> Self {
        Self {
            roles: vec![MEMBER_ROLE_ID],
            ..Self::new(MEMBER_ID, "member", MEMBER_DM_CHANNEL_ID)
        }
    }

    /// Some other bot (`bot: true`); bots should usually ignore it.
    pub fn other_bot() -> Self {
        Self {
            bot: true,
            global_name: None,
            roles: vec![MEMBER_ROLE_ID],
            ..Self::new(OTHER_BOT_ID, "otherbot", OTHER_BOT_DM_CHANNEL_ID)
        }
    }

    /// The bot under test itself (e.g. to inject the bot's own message and check it is ignored).
    pub fn the_bot() -> Self {
        Self {
            bot: true,
            global_name: None,
            ..Self::new(BOT_ID, "cyberbridge", 0)
        }
    }

    /// Builder-style: replace the roles.
    pub fn with_roles(mut self, roles: &[u64]) -> Self {
        self.roles = roles.to_vec();
        self
    }

    /// Builder-style: set the `bot` flag.
    pub fn with_bot_flag(mut self, bot: bool) -> Self {
        self.bot = bot;
        self
    }

    /// `<@id>` mention string.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.id)
    }

    /// Effective guild permissions, computed the way Discord does for interaction payloads
    /// (`member.permissions`): owner or ADMINISTRATOR → everything, else the OR of role bits.
    pub fn guild_permissions(&self) -> u64 {
        if self.id == OWNER_ID {
            return perms::ALL;
        }
        let bits = self
            .roles
            .iter()
            .fold(role_permissions(EVERYONE_ROLE_ID), |acc, r| {
                acc | role_permissions(*r)
            });
        if bits & perms::ADMINISTRATOR != 0 {
            perms::ALL
        } else {
            bits
        }
    }

    /// Discord user object. `username`/`id` are required by serenity; the rest is realism.
    pub fn user_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": null,
            "bot": self.bot,
            "public_flags": 0,
        })
    }

    /// Guild member object *without* `user` (as nested in MESSAGE_CREATE).
    /// Serenity's `PartialMember` requires `roles`.
    pub fn partial_member_json(&self) -> Value {
        json!({
            "roles": self.roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            "nick": null,
            "avatar": null,
            "joined_at": FIXED_JOINED_AT,
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
        })
    }

    /// Full guild member object (GUILD_CREATE, interactions). Serenity's `Member` requires
    /// `user`, `roles`, `deaf`, `mute`, `flags`.
    pub fn member_json(&self, with_permissions: bool) -> Value {
        let mut m = self.partial_member_json();
        m["user"] = self.user_json();
        if with_permissions {
            m["permissions"] = Value::String(self.guild_permissions().to_string());
        }
        m
    }
}

/// Permission bits for each of the fake guild's roles.
pub fn role_permissions(role_id: u64) -> u64 {
    match role_id {
        EVERYONE_ROLE_ID => perms::BASIC,
        ADMIN_ROLE_ID => perms::ADMINISTRATOR | perms::MANAGE_GUILD | perms::BASIC,
        MEMBER_ROLE_ID => perms::BASIC,
        _ => 0,
    }
}

/// The bot user as `GET /users/@me` returns it (`FakeUser::the_bot` plus account fields).
pub fn bot_user_json() -> Value {
    let mut u = FakeUser::the_bot().user_json();
    // `GET /users/@me` returns these for a bot account.
    u["verified"] = json!(true);
    u["mfa_enabled"] = json!(false);
    u["flags"] = json!(0);
    u
}

const FIXED_JOINED_AT: &str = "2024-01-01T00:00:00.000000+00:00";

/// Discord's epoch (2015-01-01) in ms, used to make realistic, time-ordered snowflakes.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Generates unique, time-ordered snowflakes (so `id.created_at()` in the bot is sensible).
#[derive(Debug, Default)]
pub struct SnowflakeGen {
    counter: AtomicU64,
}

impl SnowflakeGen {
    pub fn next(&self) -> u64 {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        ((ms - DISCORD_EPOCH_MS) << 22) | (n & 0x3F_FFFF)
    }
}

/// Current time as RFC 3339 with microseconds (`2024-05-01T12:00:00.123456+00:00`), the format
/// Discord uses and serenity's `Timestamp` parses. Hand-rolled to avoid a date dependency.
pub fn now_rfc3339() -> String {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        d.subsec_micros()
    )
}

// ---------------------------------------------------------------------------------------------
// Gateway payloads
// ---------------------------------------------------------------------------------------------

/// READY `d`. Serenity requires `v`, `user`, `guilds`, `session_id`, `resume_gateway_url`,
/// `application` (`id` + `flags`). Serenity takes the application id for its `Http` from here.
pub fn ready(session_id: &str, resume_gateway_url: &str) -> Value {
    ready_for_shard(session_id, resume_gateway_url, [0, 1], &[GUILD_ID])
}

/// READY for shard `[id, total]`, listing `guilds` (the shard's own) as unavailable.
pub fn ready_for_shard(
    session_id: &str,
    resume_gateway_url: &str,
    shard: [u32; 2],
    guilds: &[u64],
) -> Value {
    let guilds: Vec<Value> = guilds
        .iter()
        .map(|g| json!({ "id": g.to_string(), "unavailable": true }))
        .collect();
    json!({
        "v": 10,
        "user": bot_user_json(),
        "guilds": guilds,
        "session_id": session_id,
        "resume_gateway_url": resume_gateway_url,
        "shard": shard,
        "application": { "id": APP_ID.to_string(), "flags": 0 },
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
    })
}

/// `payload` (built for [`GUILD_ID`]) moved to `guild`: every string equal to [`GUILD_ID`] —
/// the guild's id wherever it appears, and its `@everyone` role, which shares the id — becomes
/// `guild`'s.
pub fn in_guild(payload: Value, guild: u64) -> Value {
    fn walk(v: &mut Value, from: &str, to: &str) {
        match v {
            Value::String(s) if s == from => *s = to.to_string(),
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, from, to)),
            Value::Object(map) => map.values_mut().for_each(|i| walk(i, from, to)),
            _ => {}
        }
    }
    let mut payload = payload;
    walk(&mut payload, &GUILD_ID.to_string(), &guild.to_string());
    payload
}

fn role_json(id: u64, name: &str, position: u16, color: u32, hoist: bool) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        // required by serenity: color, colors (RoleColours), hoist, managed, permissions,
        // position
        "color": color,
        "colors": { "primary_color": color, "secondary_color": null, "tertiary_color": null },
        "hoist": hoist,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": role_permissions(id).to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

/// A guild text channel object. Serenity's `GuildChannel` requires `id`, `type`, `name`.
pub fn text_channel_json(id: u64, name: &str, position: u16) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": GUILD_ID.to_string(),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "parent_id": null,
        "flags": 0,
    })
}

/// The members of the fake guild.
pub fn guild_members() -> Vec<FakeUser> {
    vec![
        FakeUser::owner(),
        FakeUser::admin(),
        FakeUser::member(),
        FakeUser::other_bot(),
        FakeUser::the_bot().with_roles(&[MEMBER_ROLE_ID]),
    ]
}

/// GUILD_CREATE `d`: a full guild. Serenity's `Guild` has many required fields (all the enum
/// levels, `roles`, `emojis`, `features`, `stickers`, `premium_progress_bar_enabled`,
/// `preferred_locale`, `system_channel_flags`, plus the GUILD_CREATE extras `joined_at`, `large`,
/// `member_count`, `voice_states`, `members`, `channels`, `threads`, `presences`,
/// `stage_instances`, `guild_scheduled_events`).
pub fn guild_create() -> Value {
    let members = guild_members();
    let guild = json!({
        "id": GUILD_ID.to_string(),
        "name": GUILD_NAME,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": OWNER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [
            role_json(EVERYONE_ROLE_ID, "@everyone", 0, 0, false),
            role_json(MEMBER_ROLE_ID, "Member", 1, 0x3498db, false),
            role_json(ADMIN_ROLE_ID, "Admin", 2, 0xe74c3c, true),
        ],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": CHANNEL_ID.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
    });
    // Split in two: one `json!` this size exceeds the default macro recursion limit.
    let extras = json!({
        "joined_at": FIXED_JOINED_AT,
        "large": false,
        "unavailable": false,
        "member_count": members.len(),
        "voice_states": [],
        "members": members.iter().map(|m| m.member_json(false)).collect::<Vec<_>>(),
        "channels": [
            text_channel_json(CHANNEL_ID, "general", 0),
            text_channel_json(OTHER_CHANNEL_ID, "random", 1),
        ],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": true,
    });
    let mut guild = guild;
    guild
        .as_object_mut()
        .unwrap()
        .extend(extras.as_object().unwrap().clone());
    guild
}

/// A message object. Serenity's `Message` requires `id`, `channel_id`, `author`, `content`,
/// `timestamp`, `tts`, `mention_everyone`, `mentions`, `mention_roles`, `attachments`, `embeds`,
/// `pinned`, `type`.
pub fn message_json(id: u64, channel_id: u64, author: &Value, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": content,
        "timestamp": now_rfc3339(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
    })
}

/// MESSAGE_CREATE `d` for a DM from `author` to the bot (no `guild_id`, no `member`).
pub fn dm_message(id: u64, author: &FakeUser, content: &str) -> Value {
    message_json(id, author.dm_channel_id, &author.user_json(), content)
}

/// MESSAGE_CREATE `d` for a message in the guild's text channel. With `mentions_bot`, the
/// content is prefixed `<@BOT_ID> ` and the bot appears in `mentions` (as Discord does).
pub fn guild_message(id: u64, author: &FakeUser, content: &str, mentions_bot: bool) -> Value {
    let content = if mentions_bot {
        format!("<@{BOT_ID}> {content}")
    } else {
        content.to_string()
    };
    let mut m = message_json(id, CHANNEL_ID, &author.user_json(), &content);
    m["guild_id"] = json!(GUILD_ID.to_string());
    m["member"] = author.partial_member_json();
    if mentions_bot {
        let mut bot = FakeUser::the_bot().user_json();
        bot["member"] = FakeUser::the_bot()
            .with_roles(&[MEMBER_ROLE_ID])
            .partial_member_json();
        m["mentions"] = json!([bot]);
    }
    m
}

/// Identifies one injected interaction, to find the bot's reply to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InteractionHandle {
    pub id: u64,
    pub token: String,
    /// Interaction type: 2 command, 3 component, 4 autocomplete.
    pub kind: u8,
}

impl InteractionHandle {
    /// Route of the initial response callback (`/interactions/{id}/{token}/callback`).
    pub fn callback_route(&self) -> String {
        format!("/interactions/{}/{}/callback", self.id, self.token)
    }

    /// Route of the original response message (`/webhooks/{app}/{token}/messages/@original`).
    pub fn original_route(&self) -> String {
        format!("/webhooks/{APP_ID}/{}/messages/@original", self.token)
    }

    /// Route of follow-up messages (`/webhooks/{app}/{token}`).
    pub fn webhook_route(&self) -> String {
        format!("/webhooks/{APP_ID}/{}", self.token)
    }
}

/// Where an interaction happens and who triggers it.
fn interaction_base(kind: u8, id: u64, token: &str, invoker: &FakeUser, in_guild: bool) -> Value {
    let mut v = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "token": token,
        // required by serenity: version, locale, entitlements, attachment_size_limit
        "version": 1,
        "locale": invoker.locale,
        "entitlements": [],
        "attachment_size_limit": 26_214_400,
        "app_permissions": perms::ALL.to_string(),
    });
    if in_guild {
        v["guild_id"] = json!(GUILD_ID.to_string());
        v["guild_locale"] = json!("en-US");
        v["channel_id"] = json!(CHANNEL_ID.to_string());
        v["channel"] = json!({
            "id": CHANNEL_ID.to_string(), "type": 0, "name": "general",
            "guild_id": GUILD_ID.to_string(), "permissions": invoker.guild_permissions().to_string(),
        });
        // In guilds Discord sends `member` (with computed `permissions`) instead of `user`.
        v["member"] = invoker.member_json(true);
        v["authorizing_integration_owners"] = json!({ "0": GUILD_ID.to_string() });
        v["context"] = json!(0);
    } else {
        v["channel_id"] = json!(invoker.dm_channel_id.to_string());
        v["channel"] = json!({
            "id": invoker.dm_channel_id.to_string(), "type": 1,
            "recipients": [invoker.user_json()],
        });
        v["user"] = invoker.user_json();
        v["authorizing_integration_owners"] = json!({ "0": GUILD_ID.to_string() });
        v["context"] = json!(1);
    }
    v
}

/// APPLICATION_COMMAND (type 2) or APPLICATION_COMMAND_AUTOCOMPLETE (type 4) interaction.
/// `options` is Discord's `data.options` array (see [`opt_str`], [`opt_int`], [`opt_focused`]).
pub fn command_like_interaction(
    kind: u8,
    id: u64,
    command_id: u64,
    name: &str,
    options: Value,
    invoker: &FakeUser,
    in_guild: bool,
) -> (Value, InteractionHandle) {
    let token = interaction_token(id);
    let mut v = interaction_base(kind, id, &token, invoker, in_guild);
    let options = if options.is_null() {
        json!([])
    } else {
        options
    };
    v["data"] = json!({
        "id": command_id.to_string(),
        "name": name,
        "type": 1,
        "options": options,
    });
    if in_guild {
        v["data"]["guild_id"] = json!(GUILD_ID.to_string());
    }
    (v, InteractionHandle { id, token, kind })
}

/// MESSAGE_COMPONENT (type 3) interaction: a button press on a message the bot sent.
pub fn component_interaction(
    id: u64,
    message_id: u64,
    custom_id: &str,
    invoker: &FakeUser,
    in_guild: bool,
) -> (Value, InteractionHandle) {
    let token = interaction_token(id);
    let mut v = interaction_base(3, id, &token, invoker, in_guild);
    v["data"] = json!({ "custom_id": custom_id, "component_type": 2 });
    let channel_id = if in_guild {
        CHANNEL_ID
    } else {
        invoker.dm_channel_id
    };
    let mut message = message_json(message_id, channel_id, &bot_user_json(), "");
    message["application_id"] = json!(APP_ID.to_string());
    message["components"] = json!([{
        "type": 1,
        "components": [{ "type": 2, "style": 1, "label": "Button", "custom_id": custom_id }],
    }]);
    v["message"] = message;
    (v, InteractionHandle { id, token, kind: 3 })
}

fn interaction_token(id: u64) -> String {
    format!("fake-interaction-token-{id}")
}

/// A string option (`type` 3).
pub fn opt_str(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

/// An integer option (`type` 4).
pub fn opt_int(name: &str, value: i64) -> Value {
    json!({ "name": name, "type": 4, "value": value })
}

/// A boolean option (`type` 5).
pub fn opt_bool(name: &str, value: bool) -> Value {
    json!({ "name": name, "type": 5, "value": value })
}

/// The focused string option of an autocomplete interaction (what the user is typing).
pub fn opt_focused(name: &str, partial: &str) -> Value {
    json!({ "name": name, "type": 3, "value": partial, "focused": true })
}

// ---------------------------------------------------------------------------------------------
// REST response bodies
// ---------------------------------------------------------------------------------------------

/// `GET /oauth2/applications/@me`. Serenity's `CurrentApplicationInfo` requires `id`, `name`,
/// `description`, `bot_public`, `bot_require_code_grant`, `verify_key`.
pub fn application_info() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": "cyberbridge",
        "icon": null,
        "description": "fake application",
        "summary": "",
        "type": null,
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "owner": FakeUser::owner().user_json(),
        "team": null,
        "flags": 0,
        "bot": FakeUser::the_bot().user_json(),
        "rpc_origins": [],
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "approximate_guild_count": 1,
    })
}

/// A registered application command, echoing what the bot sent plus Discord-assigned fields.
/// Serenity's `Command` requires `id`, `type`, `application_id`, `name`, `description`,
/// `version`.
pub fn command_json(body: &Value, id: u64, version: u64, guild_id: Option<u64>) -> Value {
    let mut c = if body.is_object() {
        body.clone()
    } else {
        json!({})
    };
    c["id"] = json!(id.to_string());
    c["application_id"] = json!(APP_ID.to_string());
    c["version"] = json!(version.to_string());
    if c.get("type").is_none_or(Value::is_null) {
        c["type"] = json!(1);
    }
    if c.get("description").is_none_or(Value::is_null) {
        c["description"] = json!("");
    }
    if let Some(g) = guild_id {
        c["guild_id"] = json!(g.to_string());
    }
    if c.get("default_member_permissions").is_none() {
        c["default_member_permissions"] = Value::Null;
    }
    c
}

/// A DM channel object (`POST /users/@me/channels`). Serenity's `PrivateChannel` requires `id`,
/// `type`, and `recipients` with exactly one user.
pub fn dm_channel_json(channel_id: u64, recipient: &Value) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 1,
        "last_message_id": null,
        "recipients": [recipient],
        "flags": 0,
    })
}

/// The message Discord would create from a bot's message body (`POST /channels/{id}/messages`,
/// webhook executes and edits): echoes `content`, `embeds`, `components`, `flags`,
/// `message_reference`, authored by the bot.
pub fn message_from_body(
    id: u64,
    channel_id: u64,
    body: &Value,
    webhook_app: Option<u64>,
) -> Value {
    let content = body.get("content").and_then(Value::as_str).unwrap_or("");
    let mut m = message_json(id, channel_id, &bot_user_json(), content);
    for key in ["embeds", "components"] {
        if let Some(v) = body.get(key).filter(|v| v.is_array()) {
            m[key] = v.clone();
        }
    }
    if let Some(flags) = body.get("flags").filter(|v| v.is_u64()) {
        m["flags"] = flags.clone();
    }
    if let Some(reference) = body.get("message_reference").filter(|v| v.is_object()) {
        let mut r = reference.clone();
        if r.get("channel_id").is_none() {
            r["channel_id"] = json!(channel_id.to_string());
        }
        m["message_reference"] = r;
        m["type"] = json!(19); // REPLY
    }
    if channel_id == CHANNEL_ID || channel_id == OTHER_CHANNEL_ID {
        m["guild_id"] = json!(GUILD_ID.to_string());
    }
    if let Some(app) = webhook_app {
        m["webhook_id"] = json!(app.to_string());
        m["application_id"] = json!(app.to_string());
        m["type"] = json!(20); // CHAT_INPUT_COMMAND
    }
    m
}
