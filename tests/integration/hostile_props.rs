//! Hostile input at the bot's edges, as property tests. The engine's own
//! properties are in `engine_props.rs`; these go through the bot and the Discord adapter:
//!
//! - arbitrary Unicode questions (controls, right-to-left and zero-width marks, 100 KB) through
//!   `/ask`, "Why this answer?" and a DM: never a panic, and what would be sent — the JSON of
//!   the serenity builders — is within Discord's limits and pings nobody;
//! - arbitrary interaction payloads (unknown commands, unknown or missing options, wrong types,
//!   huge strings), deserialized by serenity as the gateway would and converted by
//!   `convert::command_request`, the function the event handler calls: a clear reply, never a
//!   panic;
//! - arbitrary bytes as the knowledge file on `/reload`: refused with a readable reply, the
//!   running version kept.
//!
//! Discord's limits are written out here rather than taken from `bot::limits`, so this test is
//! an independent check of them.

use crate::fake_discord;

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cyberbridge::bot::Bot;
use cyberbridge::bot::{
    BotCommand, BotOptions, ButtonAction, Input, Invoker, OptionValue, Place, Reply, Request,
};
use cyberbridge::config::AdminConfig;
use cyberbridge::discord::convert;
use fake_discord::payloads;
use fake_discord::{FakeUser, GUILD_ID, MEMBER_ID, OWNER_ID};
use proptest::prelude::*;
use serde_json::{json, Value};
use serenity::all::{Interaction, Message};

// --- Discord's limits ---------------------------------------------------------------------

/// Discord counts characters; UTF-16 units are never fewer, so this is the strict reading.
fn len(text: &str) -> usize {
    text.encode_utf16().count()
}

fn str_len(v: &Value) -> usize {
    v.as_str().map_or(0, len)
}

/// Checks a message body (interaction response `data`, webhook edit, or channel message) the
/// way Discord would, plus the bot's own promise: no live mention, `allowed_mentions` empty.
fn check_message(body: &Value) -> Result<(), TestCaseError> {
    let context = || {
        let mut s = body.to_string();
        s.truncate(600);
        s
    };
    prop_assert!(str_len(&body["content"]) <= 2_000, "content: {}", context());
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    prop_assert!(embeds.len() <= 10);
    let mut total = 0;
    for e in &embeds {
        prop_assert!(str_len(&e["title"]) <= 256, "title: {}", context());
        prop_assert!(
            str_len(&e["description"]) <= 4_096,
            "description: {}",
            context()
        );
        prop_assert!(
            str_len(&e["footer"]["text"]) <= 2_048,
            "footer: {}",
            context()
        );
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        prop_assert!(fields.len() <= 25, "fields: {}", context());
        for f in &fields {
            prop_assert!(
                (1..=256).contains(&str_len(&f["name"])),
                "field name: {}",
                context()
            );
            prop_assert!(
                (1..=1_024).contains(&str_len(&f["value"])),
                "field value: {}",
                context()
            );
            total += str_len(&f["name"]) + str_len(&f["value"]);
        }
        total += str_len(&e["title"]) + str_len(&e["description"]) + str_len(&e["footer"]["text"]);
    }
    prop_assert!(total <= 6_000, "embeds total {total}: {}", context());
    let rows = body["components"].as_array().cloned().unwrap_or_default();
    prop_assert!(rows.len() <= 5, "rows: {}", context());
    let mut ids = Vec::new();
    for row in &rows {
        let buttons = row["components"].as_array().cloned().unwrap_or_default();
        prop_assert!(
            (1..=5).contains(&buttons.len()),
            "buttons in a row: {}",
            context()
        );
        for b in &buttons {
            prop_assert!(str_len(&b["label"]) <= 80, "label: {}", context());
            let id = b["custom_id"].as_str().unwrap_or_default();
            prop_assert!((1..=100).contains(&len(id)), "custom_id: {}", context());
            ids.push(id.to_string());
        }
    }
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    prop_assert_eq!(unique.len(), ids.len(), "custom_ids unique: {}", context());
    let has_something = str_len(&body["content"]) > 0 || !embeds.is_empty();
    prop_assert!(has_something, "not empty: {}", context());

    let allowed = &body["allowed_mentions"];
    prop_assert_eq!(
        &allowed["parse"],
        &json!([]),
        "allowed_mentions: {}",
        context()
    );
    for key in ["users", "roles"] {
        prop_assert!(allowed[key].as_array().is_none_or(Vec::is_empty));
    }
    let mut text = body["content"].as_str().unwrap_or_default().to_string();
    for e in &embeds {
        text.push_str(&e.to_string());
    }
    prop_assert!(
        !text.contains("@everyone") && !text.contains("@here"),
        "{}",
        context()
    );
    for (at, _) in text.match_indices("<@") {
        let next = text[at + 2..].chars().next();
        prop_assert!(
            !next.is_some_and(|c| c.is_ascii_digit() || c == '&' || c == '!'),
            "live mention: {}",
            context()
        );
    }
    Ok(())
}

/// The JSON serenity would send for an interaction reply (its response `data`).
fn response_data(reply: &Reply) -> Value {
    serde_json::to_value(convert::response(reply)).unwrap()["data"].clone()
}

// --- The bot --------------------------------------------------------------------------------

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml")
}

fn options(knowledge_path: PathBuf) -> BotOptions {
    BotOptions {
        knowledge_path,
        eval: None,
        admin: AdminConfig {
            user_ids: vec![fake_discord::ADMIN_ID],
            role_ids: vec![],
        },
        // Property tests ask thousands of questions as one user.
        questions_per_minute: NonZeroU32::new(u32::MAX).unwrap(),
        decline_below: cyberbridge::search::score::DEFAULT_DECLINE_BELOW,
        declined_log: None,
        load: Default::default(),
        max_removed_share: cyberbridge::config::DEFAULT_MAX_REMOVED_SHARE,
        feedback_log: None,
    }
}

/// One bot on the shipped knowledge base for the question properties (built once: building
/// the index takes a while in a debug build).
fn bot() -> &'static Bot {
    static BOT: OnceLock<Bot> = OnceLock::new();
    BOT.get_or_init(|| Bot::new(options(shipped())).expect("the shipped knowledge base loads"))
}

fn member() -> Invoker {
    Invoker {
        user_id: MEMBER_ID,
        role_ids: vec![],
        is_admin_by_permission: false,
        is_guild_owner: false,
        place: Place::Guild(GUILD_ID),
        channel_id: 1,
        lang: cyberbridge::bot::i18n::Lang::En,
        via_shard: None,
    }
}

fn ask(question: &str) -> Reply {
    bot().handle(&Request {
        input: Input::Command(BotCommand::parse(
            "ask",
            &[("question".into(), OptionValue::String(question.into()))],
        )),
        invoker: member(),
    })
}

/// Asks `question` by `/ask` (and presses "why" if there is one) and by DM; checks all of it.
fn check_question(question: &str) -> Result<(), TestCaseError> {
    let reply = ask(question);
    check_message(&response_data(&reply))?;
    if let Some(why) = reply.buttons().find(|b| b.custom_id.starts_with("why:")) {
        let explained = bot().handle(&Request {
            input: Input::Button(ButtonAction::parse(&why.custom_id)),
            invoker: member(),
        });
        prop_assert!(explained.ephemeral);
        check_message(&response_data(&explained))?;
    }
    // A DM: the serenity Message as the gateway delivers it, the reply as it would be posted.
    let payload = payloads::dm_message(1_000, &FakeUser::member(), question);
    let msg: Message = serde_json::from_value(payload).expect("serenity reads the DM");
    let incoming = convert::message(&msg, fake_discord::BOT_ID);
    prop_assert_eq!(&incoming.content, &question.to_string());
    let dm_reply = bot()
        .handle_message(&incoming)
        .expect("a person's DM is answered");
    let body = serde_json::to_value(convert::channel_reply(&dm_reply, &msg)).unwrap();
    check_message(&body)?;
    Ok(())
}

// --- Strategies -----------------------------------------------------------------------------

/// Characters that break naive text handling, Discord markup, and letters to form words.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        2 => any::<char>(),
        2 => prop::sample::select(vec![
            '\u{0000}', '\u{0008}', '\u{001B}', '\u{007F}', '\u{0085}', '\u{200B}', '\u{200C}',
            '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202E}', '\u{2066}',
            '\u{2067}', '\u{2069}', '\u{FEFF}', '\u{0301}', '\u{FE0F}', '\u{1F1EE}', '\u{1F1F3}',
            '\u{10FFFF}', 'א', 'ع', '日', '@', '<', '>', '&', '#', '!', ':', '*', '_', '`', '|',
            '~', '[', ']', '(', ')', '\\', '\n', '\r', '\t', '-',
        ]),
        3 => prop::sample::select(vec!['a', 'e', 'i', 'o', 'n', 'r', 's', 't', ' ', ' ', ' ']),
    ]
}

fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..max).prop_map(|c| c.into_iter().collect())
}

/// Words that matter to the bot or to Discord, to mix with noise.
fn loaded_word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "who",
            "led",
            "the",
            "indian",
            "delegation",
            "in",
            "2017",
            "moc",
            "signed",
            "when",
            "japan",
            "5g",
            "cyber",
            "@everyone",
            "@here",
            "<@&1100000000000000030>",
            "<@1100000000000000010>",
            "<@!1>",
            "<#1>",
            "**",
            "```",
            "||",
            "> ",
            "# ",
            "[x](http://e)",
            "\u{202E}",
            "\u{200B}",
            "@\u{200B}everyone",
            "<:emoji:123>",
            "<t:1:R>",
            "\\",
        ])
        .prop_map(str::to_string),
        hostile_text(12),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Up to 600 characters: both sides of the 500-character refusal.
    #[test]
    fn arbitrary_unicode_questions_render_within_limits_and_ping_nobody(q in hostile_text(600)) {
        check_question(&q)?;
    }

    #[test]
    fn questions_mixing_real_words_mentions_and_markdown_render_safely(
        words in prop::collection::vec(loaded_word(), 0..30)
    ) {
        check_question(&words.join(" "))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// 100 KB and more: refused politely, in a reply of ordinary size.
    #[test]
    fn questions_of_100_kb_are_refused_within_limits(
        chunk in hostile_text(40).prop_filter("not blank", |c| !c.trim().is_empty()),
        lead in loaded_word(),
    ) {
        let mut q = lead;
        while q.len() < 100_000 {
            q.push_str(&chunk);
            q.push(' ');
        }
        let reply = ask(&q);
        prop_assert!(reply.ephemeral);
        let data = response_data(&reply);
        check_message(&data)?;
        prop_assert!(str_len(&data["content"]) < 400, "{}", data["content"]);
        check_question(&q)?;
    }
}

// --- Interaction payloads ---------------------------------------------------------------------

/// An option as Discord's JSON could carry it — or not quite.
fn option_json() -> impl Strategy<Value = Value> {
    let name = prop_oneof![
        prop::sample::select(vec!["question", "topic", "id", "name", "party"])
            .prop_map(str::to_string),
        hostile_text(20),
        Just("@everyone `x`".to_string()),
    ];
    let value = prop_oneof![
        hostile_text(80).prop_map(Value::from),
        "\\PC{0,6000}".prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        Just(Value::Null),
        Just(json!({"nested": [1, 2]})),
    ];
    // 3 string, 4 integer, 5 boolean, 10 number, others (1 subcommand, 6 user, 99 unknown).
    let kind = prop::sample::select(vec![3u8, 3, 3, 4, 5, 10, 1, 6, 11, 99]);
    (name, value, kind, any::<bool>(), any::<bool>()).prop_map(
        |(name, value, kind, with_value, focused)| {
            let mut o = json!({ "name": name, "type": kind });
            if with_value {
                o["value"] = value;
            }
            if focused {
                o["focused"] = json!(true);
            }
            o
        },
    )
}

/// Whether `option` is well-formed for Discord in a command (a value of its declared type,
/// not `focused`, which only autocomplete requests carry): serenity must accept these.
fn well_typed(option: &Value) -> bool {
    if option.get("focused").is_some() {
        return false;
    }
    match option["type"].as_u64() {
        Some(3) => option["value"].is_string(),
        Some(4) => option["value"].is_i64(),
        Some(5) => option["value"].is_boolean(),
        _ => false,
    }
}

fn owners() -> HashMap<u64, u64> {
    HashMap::from([(GUILD_ID, OWNER_ID)])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_option_values_get_a_clear_reply_never_a_panic(
        name in prop_oneof![
            3 => prop::sample::select(vec!["ask", "fact", "topic", "topics", "commitments",
                "timeline", "sources", "about", "help", "reload"]).prop_map(str::to_string),
            1 => hostile_text(40),
            1 => "[a-z]{1,6000}",
        ],
        options in prop::collection::vec(option_json(), 0..4),
        in_guild in any::<bool>(),
    ) {
        let all_well_typed = options.iter().all(well_typed);
        let (payload, _) = payloads::command_like_interaction(
            2, 1_000_000, 2_000_000, &name, Value::Array(options), &FakeUser::member(), in_guild,
        );
        let interaction = match serde_json::from_value::<Interaction>(payload) {
            Ok(interaction) => interaction,
            Err(err) => {
                // Serenity drops such an event before the bot sees it (it logs a warning):
                // only payloads Discord would never send may get here.
                prop_assert!(!all_well_typed, "serenity refused a well-formed payload: {err}");
                return Ok(());
            }
        };
        let Interaction::Command(cmd) = interaction else {
            return Err(TestCaseError::fail("type 2 is a command"));
        };
        let request = convert::command_request(&cmd, &owners());
        let reply = bot().handle(&request);
        check_message(&response_data(&reply))?;
        if let Input::Command(BotCommand::Unknown { .. } | BotCommand::Invalid { .. }) = &request.input {
            prop_assert!(reply.ephemeral, "an error is for the asker only");
            let text = reply.content.clone().unwrap_or_default();
            prop_assert!(text.contains("/help"), "points to /help: {text}");
            prop_assert!(
                text.contains("don't know the command") || text.contains("could not read"),
                "says what is wrong: {text}"
            );
        }
        if let Input::Command(BotCommand::Run(call)) = &request.input {
            if call.spec.admin_only {
                prop_assert!(reply.ephemeral, "a member's /reload is refused privately");
            }
        }
    }
}

// --- The knowledge file on /reload ----------------------------------------------------------

/// A bot whose knowledge file is a temporary copy the reload property overwrites. Behind a
/// mutex: one reload at a time, and the file belongs to the case that wrote it.
fn reload_bot() -> &'static Mutex<(Bot, tempfile::TempDir)> {
    static BOT: OnceLock<Mutex<(Bot, tempfile::TempDir)>> = OnceLock::new();
    BOT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("knowledge.toml");
        std::fs::copy(shipped(), &path).unwrap();
        let bot = Bot::new(options(path)).unwrap();
        Mutex::new((bot, dir))
    })
}

/// Arbitrary bytes, or the shipped file with a few bytes overwritten (which gets further into
/// validation than noise does).
fn knowledge_bytes() -> impl Strategy<Value = Vec<u8>> {
    let shipped = std::fs::read(shipped()).unwrap();
    let n = shipped.len();
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..4_096),
        prop::collection::vec((0..n, any::<u8>()), 1..4).prop_map(move |edits| {
            let mut bytes = shipped.clone();
            for (at, b) in edits {
                bytes[at] = b;
            }
            bytes
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_the_knowledge_file_never_panic_reload(bytes in knowledge_bytes()) {
        let guard = reload_bot().lock().unwrap_or_else(|p| p.into_inner());
        let (bot, dir) = &*guard;
        let path = dir.path().join("knowledge.toml");
        let before = bot.current().kb().fingerprint.clone();
        std::fs::write(&path, &bytes).unwrap();
        let admin = Invoker { user_id: fake_discord::ADMIN_ID, ..member() };
        let reply = bot.handle(&Request {
            input: Input::Command(BotCommand::parse("reload", &[])),
            invoker: admin,
        });
        prop_assert!(reply.ephemeral);
        check_message(&response_data(&reply))?;
        let title = reply.embeds.first().and_then(|e| e.title.clone()).unwrap_or_default();
        let now = bot.current().kb().fingerprint.clone();
        if title == "Reload failed" {
            prop_assert_eq!(&now, &before, "a refused file is not served");
        } else {
            // A few flipped bytes in a comment or a quote can still be a valid file.
            prop_assert_eq!(title, "Knowledge base reloaded");
            let text = String::from_utf8(bytes).expect("a valid file is UTF-8");
            let expected = cyberbridge::knowledge::parse(&path, &text).unwrap().fingerprint;
            prop_assert_eq!(now, expected);
        }
        // Back to the shipped file for the next case.
        std::fs::copy(shipped(), &path).unwrap();
        if bot.current().kb().fingerprint != before {
            bot.reload_now().unwrap();
        }
    }
}
