//! The REST half of the fake: one axum fallback handler that records every request, applies
//! injected faults, and routes by hand.
//!
//! Hand routing (instead of axum route patterns) keeps recording, fault injection and the
//! "unhandled → 404" rule in one place, and lets us answer Discord-style errors for known routes
//! used wrongly (unknown interaction, double acknowledgement, over-long content, wrong
//! application id) — the mistakes a bot actually makes.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use super::payloads::{self, FakeUser, APP_ID, CHANNEL_ID, GUILD_ID, OTHER_CHANNEL_ID};
use super::recorder::{method_matches, normalize_route, route_matches, RecordedRequest};
use super::Inner;

/// A fault to inject into the next matching request(s).
#[derive(Clone, Debug)]
pub struct FailRule {
    pub method: String,
    /// Route pattern, see [`route_matches`].
    pub pattern: String,
    /// How many more matching requests to fail.
    pub remaining: usize,
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

/// What the fake knows about an interaction it injected.
#[derive(Clone, Debug)]
pub struct InteractionInfo {
    pub id: u64,
    pub channel_id: u64,
    /// Callback type of the accepted initial response, once there is one.
    pub acked: Option<u64>,
    /// The original response message (after a type 4/7 callback or an @original edit).
    pub original: Option<Value>,
    /// Request-log length when the interaction was created: its callback comes later, so
    /// waits for it scan from here (not from the start of a log of thousands).
    pub mark: usize,
}

/// Mutable REST-side state.
#[derive(Default)]
pub struct RestState {
    pub fail_rules: Vec<FailRule>,
    /// Global commands, in registration order.
    pub global_commands: Vec<Value>,
    /// Guild commands by guild id.
    pub guild_commands: HashMap<u64, Vec<Value>>,
    /// Injected interactions by token.
    pub interactions: HashMap<String, InteractionInfo>,
    /// Extra DM channels created for users the fake doesn't know (user id → channel id).
    pub extra_dm_channels: HashMap<u64, u64>,
}

impl RestState {
    /// The id a registered command has (guild commands first), if the bot registered it.
    pub fn command_id(&self, name: &str) -> Option<u64> {
        self.guild_commands
            .get(&GUILD_ID)
            .into_iter()
            .flatten()
            .chain(self.global_commands.iter())
            .find(|c| c["name"].as_str() == Some(name))
            .and_then(|c| c["id"].as_str()?.parse().ok())
    }

    fn take_failure(&mut self, method: &str, route: &str) -> Option<FailRule> {
        let pos = self.fail_rules.iter().position(|r| {
            r.remaining > 0 && method_matches(&r.method, method) && route_matches(&r.pattern, route)
        })?;
        let rule = &mut self.fail_rules[pos];
        rule.remaining -= 1;
        let out = rule.clone();
        if rule.remaining == 0 {
            self.fail_rules.remove(pos);
        }
        Some(out)
    }

    fn dm_channel_for(&mut self, user_id: u64, ids: &payloads::SnowflakeGen) -> u64 {
        if let Some(u) = known_user(user_id) {
            return u.dm_channel_id;
        }
        *self
            .extra_dm_channels
            .entry(user_id)
            .or_insert_with(|| ids.next())
    }

    fn is_known_channel(&self, channel_id: u64) -> bool {
        channel_id == CHANNEL_ID
            || channel_id == OTHER_CHANNEL_ID
            || payloads::guild_members()
                .iter()
                .any(|u| u.dm_channel_id == channel_id)
            || self.extra_dm_channels.values().any(|c| *c == channel_id)
    }
}

fn known_user(id: u64) -> Option<FakeUser> {
    payloads::guild_members()
        .into_iter()
        .find(|u| u.id == id && u.dm_channel_id != 0)
}

/// A handler outcome: status + JSON (`Null` → empty body) + whether the route was recognised.
struct Outcome {
    status: u16,
    body: Value,
    handled: bool,
}

impl Outcome {
    fn ok(body: Value) -> Self {
        Self {
            status: 200,
            body,
            handled: true,
        }
    }

    fn no_content() -> Self {
        Self {
            status: 204,
            body: Value::Null,
            handled: true,
        }
    }

    /// A Discord-style error for a recognised route (`{"message", "code"}`).
    fn error(status: u16, message: &str, code: u64) -> Self {
        Self {
            status,
            body: json!({ "message": message, "code": code }),
            handled: true,
        }
    }

    fn invalid_form(errors: Value) -> Self {
        Self {
            status: 400,
            body: json!({ "message": "Invalid Form Body", "code": 50035, "errors": errors }),
            handled: true,
        }
    }

    fn unhandled() -> Self {
        Self {
            status: 404,
            body: json!({ "message": "404: Not Found", "code": 0 }),
            handled: false,
        }
    }
}

/// The axum fallback: everything that isn't the websocket lands here.
pub async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let method = method.as_str().to_ascii_uppercase();
    let path = uri.path().to_string();
    let route = normalize_route(&path).to_string();
    let body = parse_body(&headers, &bytes);

    let injected = inner.rest.lock().unwrap().take_failure(&method, &route);
    let (outcome, extra_headers, injected_failure) = match injected {
        Some(rule) => (
            Outcome {
                status: rule.status,
                body: rule.body,
                handled: true,
            },
            rule.headers,
            true,
        ),
        None => {
            let segs: Vec<&str> = route.trim_start_matches('/').split('/').collect();
            let outcome = if path.starts_with("/api/") {
                route_request(&inner, &method, &segs, &body)
            } else {
                Outcome::unhandled()
            };
            (outcome, Vec::new(), false)
        }
    };

    let record = RecordedRequest {
        index: 0,
        at: Instant::now(),
        method,
        path,
        route,
        query: uri.query().map(str::to_string),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into(),
                )
            })
            .collect(),
        body,
        status: outcome.status,
        injected_failure,
        response: outcome.body.clone(),
        unhandled: !outcome.handled,
    };
    inner.recorder.push(record);

    let mut builder = Response::builder()
        .status(StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &extra_headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let body = if outcome.body.is_null() || outcome.status == 204 {
        Body::empty()
    } else {
        builder = builder.header("content-type", "application/json");
        Body::from(outcome.body.to_string())
    };
    builder.body(body).expect("valid response")
}

/// Extracts the JSON of a request: plain JSON bodies, or the `payload_json` part of a
/// multipart upload (how serenity sends messages with attachments).
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        if let Some(v) = multipart_payload_json(content_type, bytes) {
            return v;
        }
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

fn multipart_payload_json(content_type: &str, bytes: &[u8]) -> Option<Value> {
    let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"');
    let text = String::from_utf8_lossy(bytes);
    text.split(&format!("--{boundary}")).find_map(|part| {
        let (head, content) = part.split_once("\r\n\r\n")?;
        if !head.contains("name=\"payload_json\"") {
            return None;
        }
        serde_json::from_str(content.trim_end_matches("\r\n")).ok()
    })
}

fn parse_id(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// The gateway URL REST hands out: the fake's own, unless the config overrides it.
fn advertised_gateway(inner: &Inner) -> String {
    inner
        .config
        .gateway_url_override
        .clone()
        .unwrap_or_else(|| inner.gateway_url())
}

/// Dispatches a recognised request. `segs` is the route split on `/` (no `/api/v10`).
fn route_request(inner: &Inner, method: &str, segs: &[&str], body: &Value) -> Outcome {
    match (method, segs) {
        ("GET", ["gateway"]) => Outcome::ok(json!({ "url": advertised_gateway(inner) })),
        ("GET", ["gateway", "bot"]) => Outcome::ok(json!({
            "url": advertised_gateway(inner),
            "shards": inner.config.shards,
            "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 14_400_000,
                "max_concurrency": inner.config.max_concurrency
            },
        })),
        ("GET", ["users", "@me"]) => Outcome::ok(payloads::bot_user_json()),
        ("GET", ["oauth2", "applications", "@me"]) => Outcome::ok(payloads::application_info()),
        ("POST", ["users", "@me", "channels"]) => {
            let Some(user_id) = body["recipient_id"]
                .as_str()
                .and_then(parse_id)
                .or_else(|| body["recipient_id"].as_u64())
            else {
                return Outcome::invalid_form(json!({ "recipient_id": "required snowflake" }));
            };
            let channel_id = inner
                .rest
                .lock()
                .unwrap()
                .dm_channel_for(user_id, &inner.ids);
            let user = known_user(user_id).map_or_else(
                || FakeUser::new(user_id, &format!("user{user_id}"), channel_id).user_json(),
                |u| u.user_json(),
            );
            Outcome::ok(payloads::dm_channel_json(channel_id, &user))
        }
        (_, ["applications", app, rest @ ..]) => {
            if parse_id(app) != Some(APP_ID) {
                return Outcome::error(403, "Missing Access", 50001);
            }
            commands(inner, method, rest, body)
        }
        ("POST", ["interactions", id, token, "callback"]) => {
            interaction_callback(inner, id, token, body).unwrap_or_else(|e| e)
        }
        (_, ["webhooks", app, token, rest @ ..]) => {
            if parse_id(app) != Some(APP_ID) {
                return Outcome::error(404, "Unknown Webhook", 10015);
            }
            webhook(inner, method, token, rest, body).unwrap_or_else(|e| e)
        }
        ("POST", ["channels", channel, "messages"]) => {
            let Some(channel_id) =
                parse_id(channel).filter(|c| inner.rest.lock().unwrap().is_known_channel(*c))
            else {
                return Outcome::error(404, "Unknown Channel", 10003);
            };
            if let Err(e) = validate_message(body, true) {
                return e;
            }
            Outcome::ok(payloads::message_from_body(
                inner.ids.next(),
                channel_id,
                body,
                None,
            ))
        }
        ("POST", ["channels", _, "typing"]) => Outcome::no_content(),
        _ => Outcome::unhandled(),
    }
}

/// `/applications/{app}/commands[...]` and `/applications/{app}/guilds/{g}/commands[...]`.
fn commands(inner: &Inner, method: &str, rest: &[&str], body: &Value) -> Outcome {
    let (guild, rest) = match rest {
        ["guilds", g, rest @ ..] => match parse_id(g) {
            Some(g) if g == GUILD_ID => (Some(g), rest),
            _ => return Outcome::error(404, "Unknown Guild", 10004),
        },
        _ => (None, rest),
    };
    let mut state = inner.rest.lock().unwrap();
    // Discord bumps a command's `version` snowflake on every update.
    let version = inner.ids.next();
    let existing_id = |list: &[Value], name: &str| {
        list.iter()
            .find(|c| c["name"].as_str() == Some(name))
            .and_then(|c| c["id"].as_str()?.parse::<u64>().ok())
    };
    let list = match guild {
        Some(g) => state.guild_commands.entry(g).or_default(),
        None => &mut state.global_commands,
    };
    match (method, rest) {
        ("GET", ["commands"]) => Outcome::ok(Value::Array(list.clone())),
        ("PUT", ["commands"]) => {
            let Some(new) = body.as_array() else {
                return Outcome::invalid_form(json!({ "_errors": "expected an array" }));
            };
            if let Some(err) = new.iter().find_map(|c| validate_command(c).err()) {
                return err;
            }
            let registered: Vec<Value> = new
                .iter()
                .map(|c| {
                    let name = c["name"].as_str().unwrap_or_default();
                    let id = existing_id(list, name).unwrap_or_else(|| inner.ids.next());
                    payloads::command_json(c, id, version, guild)
                })
                .collect();
            *list = registered.clone();
            Outcome::ok(Value::Array(registered))
        }
        ("POST", ["commands"]) => {
            if let Err(e) = validate_command(body) {
                return e;
            }
            let name = body["name"].as_str().unwrap_or_default();
            let id = existing_id(list, name).unwrap_or_else(|| inner.ids.next());
            let cmd = payloads::command_json(body, id, version, guild);
            list.retain(|c| c["name"].as_str() != Some(name));
            list.push(cmd.clone());
            Outcome {
                status: 201,
                body: cmd,
                handled: true,
            }
        }
        ("GET", ["commands", id]) => list
            .iter()
            .find(|c| c["id"].as_str() == Some(*id))
            .map_or_else(
                || Outcome::error(404, "Unknown application command", 10063),
                |c| Outcome::ok(c.clone()),
            ),
        ("DELETE", ["commands", id]) => {
            let before = list.len();
            list.retain(|c| c["id"].as_str() != Some(*id));
            if list.len() == before {
                Outcome::error(404, "Unknown application command", 10063)
            } else {
                Outcome::no_content()
            }
        }
        _ => Outcome::unhandled(),
    }
}

/// Minimal checks Discord applies to command registration (name shape, description length).
fn validate_command(c: &Value) -> Result<(), Outcome> {
    let name = c["name"].as_str().unwrap_or_default();
    let kind = c["type"].as_u64().unwrap_or(1);
    let name_ok = !name.is_empty()
        && name.chars().count() <= 32
        && (kind != 1
            || name
                .chars()
                .all(|ch| ch.is_lowercase() || ch.is_ascii_digit() || "-_".contains(ch)));
    if !name_ok {
        return Err(Outcome::invalid_form(
            json!({ "name": format!("invalid command name {name:?}") }),
        ));
    }
    let desc = c["description"].as_str().unwrap_or_default();
    if kind == 1 && (desc.is_empty() || desc.chars().count() > 100) {
        return Err(Outcome::invalid_form(
            json!({ "description": "must be between 1 and 100 characters" }),
        ));
    }
    validate_localizations(c)?;
    for option in c["options"].as_array().into_iter().flatten() {
        validate_localizations(option)?;
    }
    Ok(())
}

/// Discord's locales (the ones a `*_localizations` map may name).
const LOCALES: &[&str] = &[
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

/// Discord's pattern for a localised command or option name. Compiled once per test binary:
/// a Unicode class this size took about a tenth of the CPU time of the e2e, cli and reload
/// tests (perf) when it was compiled for every command of every registration.
static LOCALIZED_NAME: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").unwrap());

/// Discord's rules for `name_localizations` and `description_localizations` of a command or
/// an option: known locales; names lowercase and matching Discord's pattern; descriptions 1–100
/// characters.
fn validate_localizations(c: &Value) -> Result<(), Outcome> {
    let pattern = &*LOCALIZED_NAME;
    let bad = |what: String| Err(Outcome::invalid_form(json!({ "localizations": what })));
    for (key, check_name) in [
        ("name_localizations", true),
        ("description_localizations", false),
    ] {
        let Some(map) = c.get(key).filter(|m| !m.is_null()) else {
            continue;
        };
        let Some(map) = map.as_object() else {
            return bad(format!("{key} is not an object"));
        };
        for (locale, value) in map {
            if !LOCALES.contains(&locale.as_str()) {
                return bad(format!("{key}: unknown locale {locale:?}"));
            }
            let text = value.as_str().unwrap_or_default();
            let ok = if check_name {
                pattern.is_match(text) && text.to_lowercase() == text
            } else {
                (1..=100).contains(&text.chars().count())
            };
            if !ok {
                return bad(format!("{key}.{locale}: invalid value {text:?}"));
            }
        }
    }
    Ok(())
}

/// `POST /interactions/{id}/{token}/callback`: 204 once per interaction, Discord's errors for
/// unknown or already-acknowledged interactions.
fn interaction_callback(
    inner: &Inner,
    id: &str,
    token: &str,
    body: &Value,
) -> Result<Outcome, Outcome> {
    let mut state = inner.rest.lock().unwrap();
    let Some(info) = state
        .interactions
        .get_mut(token)
        .filter(|i| Some(i.id) == parse_id(id))
    else {
        return Err(Outcome::error(404, "Unknown interaction", 10062));
    };
    if info.acked.is_some() {
        return Err(Outcome::error(
            400,
            "Interaction has already been acknowledged.",
            40060,
        ));
    }
    let kind = body["type"].as_u64().unwrap_or(0);
    let data = &body["data"];
    match kind {
        1 | 5 | 6 => {}
        4 | 7 => validate_message(data, true)?,
        8 => validate_choices(data)?,
        9 => {
            if data["custom_id"].as_str().is_none() || data["title"].as_str().is_none() {
                return Err(Outcome::invalid_form(
                    json!({ "data": "modal needs custom_id and title" }),
                ));
            }
        }
        _ => {
            return Err(Outcome::invalid_form(
                json!({ "type": format!("invalid callback type {kind}") }),
            ))
        }
    }
    info.acked = Some(kind);
    if kind == 4 || kind == 7 {
        info.original = Some(payloads::message_from_body(
            inner.ids.next(),
            info.channel_id,
            data,
            Some(APP_ID),
        ));
    }
    Ok(Outcome::no_content())
}

/// `/webhooks/{app}/{token}[/messages/{id}]`: follow-ups and original-response edits.
fn webhook(
    inner: &Inner,
    method: &str,
    token: &str,
    rest: &[&str],
    body: &Value,
) -> Result<Outcome, Outcome> {
    let mut state = inner.rest.lock().unwrap();
    let Some(info) = state.interactions.get_mut(token) else {
        return Err(Outcome::error(404, "Unknown Webhook", 10015));
    };
    let channel_id = info.channel_id;
    match (method, rest) {
        ("POST", []) => {
            if info.acked.is_none() {
                return Err(Outcome::error(404, "Unknown Webhook", 10015));
            }
            validate_message(body, true)?;
            Ok(Outcome::ok(payloads::message_from_body(
                inner.ids.next(),
                channel_id,
                body,
                Some(APP_ID),
            )))
        }
        ("PATCH", ["messages", "@original"]) => {
            if info.acked.is_none() {
                return Err(Outcome::error(404, "Unknown Message", 10008));
            }
            validate_message(body, false)?;
            let id = info
                .original
                .as_ref()
                .and_then(|m| m["id"].as_str()?.parse().ok())
                .unwrap_or_else(|| inner.ids.next());
            let msg = merged_message(info.original.as_ref(), id, channel_id, body);
            info.original = Some(msg.clone());
            Ok(Outcome::ok(msg))
        }
        ("GET", ["messages", "@original"]) => match &info.original {
            Some(m) => Ok(Outcome::ok(m.clone())),
            None => Err(Outcome::error(404, "Unknown Message", 10008)),
        },
        ("PATCH", ["messages", id]) => {
            validate_message(body, false)?;
            let Some(id) = parse_id(id) else {
                return Err(Outcome::error(404, "Unknown Message", 10008));
            };
            Ok(Outcome::ok(payloads::message_from_body(
                id,
                channel_id,
                body,
                Some(APP_ID),
            )))
        }
        ("DELETE", ["messages", "@original"]) => {
            if info.original.take().is_none() && info.acked.is_none() {
                return Err(Outcome::error(404, "Unknown Message", 10008));
            }
            Ok(Outcome::no_content())
        }
        ("DELETE", ["messages", _]) => Ok(Outcome::no_content()),
        _ => Ok(Outcome::unhandled()),
    }
}

/// An edit keeps the fields it doesn't mention (Discord edit semantics).
fn merged_message(previous: Option<&Value>, id: u64, channel_id: u64, edit: &Value) -> Value {
    let mut merged = previous.map_or_else(|| json!({}), |p| {
        json!({ "content": p["content"], "embeds": p["embeds"], "components": p["components"] })
    });
    if let Some(obj) = edit.as_object() {
        for (k, v) in obj {
            merged[k] = v.clone();
        }
    }
    let mut msg = payloads::message_from_body(id, channel_id, &merged, Some(APP_ID));
    msg["edited_timestamp"] = json!(payloads::now_rfc3339());
    msg
}

/// Discord's message limits: ≤2000 chars content, ≤10 embeds, embed title ≤256,
/// description ≤4096, ≤25 fields (name ≤256, value ≤1024), footer ≤2048, total ≤6000;
/// creating a message with nothing in it is refused.
fn validate_message(body: &Value, creating: bool) -> Result<(), Outcome> {
    let content = body["content"].as_str().unwrap_or_default();
    if content.chars().count() > 2000 {
        return Err(Outcome::invalid_form(json!({ "content": {
            "_errors": [{ "code": "BASE_TYPE_MAX_LENGTH",
                          "message": "Must be 2000 or fewer in length." }] } })));
    }
    let embeds = body["embeds"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if embeds.len() > 10 {
        return Err(Outcome::invalid_form(
            json!({ "embeds": "at most 10 embeds" }),
        ));
    }
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let fields = e["fields"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let checks = [
            ("title", len(&e["title"]), 256),
            ("description", len(&e["description"]), 4096),
            ("footer.text", len(&e["footer"]["text"]), 2048),
            ("author.name", len(&e["author"]["name"]), 256),
            ("fields", fields.len(), 25),
        ];
        for (what, n, max) in checks {
            if n > max {
                return Err(Outcome::invalid_form(
                    json!({ "embeds": { i.to_string(): format!("{what} longer than {max}") } }),
                ));
            }
        }
        for f in fields {
            if len(&f["name"]) > 256 || len(&f["value"]) > 1024 {
                return Err(Outcome::invalid_form(
                    json!({ "embeds": { i.to_string(): "field name >256 or value >1024" } }),
                ));
            }
            total += len(&f["name"]) + len(&f["value"]);
        }
        total += len(&e["title"])
            + len(&e["description"])
            + len(&e["footer"]["text"])
            + len(&e["author"]["name"]);
    }
    if total > 6000 {
        return Err(Outcome::invalid_form(
            json!({ "embeds": "embeds exceed 6000 characters" }),
        ));
    }
    let has_components = body["components"].as_array().is_some_and(|c| !c.is_empty());
    let has_attachments = body["attachments"]
        .as_array()
        .is_some_and(|c| !c.is_empty());
    if creating
        && content.is_empty()
        && embeds.is_empty()
        && !has_components
        && !has_attachments
        && body["poll"].is_null()
        && body["sticker_ids"].is_null()
    {
        return Err(Outcome::error(400, "Cannot send an empty message", 50006));
    }
    Ok(())
}

/// Autocomplete results: ≤25 choices, names 1..=100 chars, string values ≤100 chars.
fn validate_choices(data: &Value) -> Result<(), Outcome> {
    let choices = data["choices"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if choices.len() > 25 {
        return Err(Outcome::invalid_form(
            json!({ "data": { "choices": "at most 25 choices" } }),
        ));
    }
    for c in choices {
        let name = c["name"].as_str().map_or(0, |s| s.chars().count());
        let value_ok = c["value"].as_str().is_none_or(|s| s.chars().count() <= 100);
        if !(1..=100).contains(&name) || !value_ok {
            return Err(Outcome::invalid_form(
                json!({ "data": { "choices": "choice name/value must be 1-100 characters" } }),
            ));
        }
    }
    Ok(())
}
