//! Self-test of the fake Discord against the *real* serenity 0.12.5 client (not the bot), so
//! bot e2e tests can trust that whatever the fake sends, serenity parses, and whatever serenity
//! sends, the fake understands.

use crate::fake_discord;

use std::time::Duration;

use fake_discord::*;
use serde_json::{json, Value};
use serenity::all::{
    AutocompleteChoice, ChannelId, ClientBuilder, CommandOptionType, Context,
    CreateAutocompleteResponse, CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EventHandler,
    GatewayIntents, Guild, GuildId, Interaction, Message, Ready, ResumedEvent, ShardManager,
    UserId,
};
use serenity::async_trait;
use serenity::model::event::{Event, GatewayEvent};
use std::sync::Arc;
use tokio::sync::mpsc;

const T: Duration = Duration::from_secs(5);

/// A minimal serenity bot: registers `/ping`, answers commands, autocompletes, buttons (via
/// defer + edit), DMs and mentions. Every notable thing it sees goes to `log`.
struct Handler {
    log: mpsc::UnboundedSender<String>,
}

impl Handler {
    fn note(&self, s: impl Into<String>) {
        let _ = self.log.send(s.into());
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.note(format!("ready:{}", ready.user.name));
        let command = CreateCommand::new("ping")
            .description("Replies with pong")
            .add_option(
                CreateCommandOption::new(CommandOptionType::String, "text", "what to echo")
                    .required(false)
                    .set_autocomplete(true),
            );
        match GuildId::new(GUILD_ID)
            .set_commands(&ctx.http, vec![command])
            .await
        {
            Ok(cmds) => self.note(format!("registered:{}", cmds.len())),
            Err(e) => self.note(format!("register error: {e}")),
        }
    }

    async fn guild_create(&self, _ctx: Context, guild: Guild, _is_new: Option<bool>) {
        self.note(format!(
            "guild_create:{}:{}",
            guild.name,
            guild.members.len()
        ));
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        self.note("resumed");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let result = match interaction {
            Interaction::Command(cmd) => {
                let text = cmd
                    .data
                    .options
                    .first()
                    .and_then(|o| o.value.as_str())
                    .unwrap_or("");
                let msg = CreateInteractionResponseMessage::new()
                    .content(format!("pong: {text} from {}", cmd.user.name));
                cmd.create_response(&ctx.http, CreateInteractionResponse::Message(msg))
                    .await
            }
            Interaction::Autocomplete(ac) => {
                let typed = ac
                    .data
                    .autocomplete()
                    .map(|o| o.value.to_string())
                    .unwrap_or_default();
                let choices = vec![AutocompleteChoice::new(format!("{typed}-1"), "one")];
                let resp = CreateAutocompleteResponse::new().set_choices(choices);
                ac.create_response(&ctx.http, CreateInteractionResponse::Autocomplete(resp))
                    .await
            }
            Interaction::Component(c) => {
                let defer = CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(true),
                );
                match c.create_response(&ctx.http, defer).await {
                    Ok(()) => {
                        let edit = EditInteractionResponse::new()
                            .content(format!("pressed {}", c.data.custom_id));
                        c.edit_response(&ctx.http, edit).await.map(|_| ())
                    }
                    Err(e) => Err(e),
                }
            }
            other => {
                self.note(format!("other interaction: {:?}", other.kind()));
                Ok(())
            }
        };
        match result {
            Ok(()) => self.note("interaction ok"),
            Err(e) => self.note(format!("interaction error: {}", describe(&e))),
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot {
            return;
        }
        let result = if msg.guild_id.is_none() {
            msg.channel_id
                .say(&ctx.http, format!("echo: {}", msg.content))
                .await
        } else if msg.mentions.iter().any(|u| u.id == UserId::new(BOT_ID)) {
            msg.reply(&ctx.http, "you rang?").await
        } else {
            return;
        };
        match result {
            Ok(sent) => self.note(format!("sent:{}", sent.id)),
            Err(e) => self.note(format!("message error: {}", describe(&e))),
        }
    }
}

/// `status <code>: <error>` for HTTP errors, so tests can see what serenity surfaced.
fn describe(e: &serenity::Error) -> String {
    match e {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) => {
            format!("status {}: {}", r.status_code.as_u16(), r.error.message)
        }
        other => other.to_string(),
    }
}

/// A running serenity client connected to `fake`, and the handler's log.
struct Bot {
    log: mpsc::UnboundedReceiver<String>,
    /// Lines received but not yet matched by `expect_log` (handlers run concurrently, so log
    /// order isn't event order).
    pending: Vec<String>,
    shards: Arc<ShardManager>,
}

impl Bot {
    async fn start(fake: &FakeDiscord) -> Self {
        let (tx, log) = mpsc::unbounded_channel();
        let intents = GatewayIntents::GUILDS
            | GatewayIntents::GUILD_MESSAGES
            | GatewayIntents::DIRECT_MESSAGES;
        // `new_with_http` is how serenity 0.12.5 takes a custom (proxied) `Http`.
        let mut client = ClientBuilder::new_with_http(fake.serenity_http(FAKE_TOKEN), intents)
            .event_handler(Handler { log: tx })
            .await
            .expect("client builds");
        let shards = Arc::clone(&client.shard_manager);
        tokio::spawn(async move { client.start().await });
        Self {
            log,
            pending: Vec::new(),
            shards,
        }
    }

    /// Waits for a handler log line starting with `prefix` (and consumes it).
    async fn expect_log(&mut self, prefix: &str) -> String {
        if let Some(i) = self.pending.iter().position(|l| l.starts_with(prefix)) {
            return self.pending.remove(i);
        }
        let deadline = tokio::time::Instant::now() + T;
        loop {
            match tokio::time::timeout_at(deadline, self.log.recv()).await {
                Ok(Some(line)) if line.starts_with(prefix) => return line,
                Ok(Some(line)) => self.pending.push(line),
                Ok(None) | Err(_) => {
                    panic!("handler never logged {prefix:?}; got {:?}", self.pending)
                }
            }
        }
    }

    async fn stop(self) {
        self.shards.shutdown_all().await;
    }
}

/// Starts fake + bot and waits until the bot is fully up (READY handled, command registered).
async fn setup() -> (FakeDiscord, Bot) {
    let fake = FakeDiscord::start().await;
    let mut bot = Bot::start(&fake).await;
    fake.wait_ready(T).await;
    bot.expect_log("registered:").await;
    (fake, bot)
}

fn assert_no_unhandled(fake: &FakeDiscord) {
    let unhandled = fake.unhandled_requests();
    assert!(
        unhandled.is_empty(),
        "unhandled requests: {:#?}",
        unhandled
            .iter()
            .map(RecordedRequest::summary)
            .collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------------

/// Every payload builder deserializes into serenity's own model types (serenity silently drops
/// events that don't, so this is what keeps the fake honest).
#[test]
fn payloads_deserialize_into_serenity_models() {
    fn dispatch(t: &str, d: Value) -> Event {
        let frame = json!({ "op": 0, "s": 1, "t": t, "d": d });
        match serde_json::from_value::<GatewayEvent>(frame) {
            Ok(GatewayEvent::Dispatch(_, Event::Unknown(u))) => {
                panic!("{t} parsed as Unknown: {u:?}")
            }
            Ok(GatewayEvent::Dispatch(_, e)) => e,
            Ok(other) => panic!("{t}: not a dispatch: {other:?}"),
            Err(e) => panic!("{t} does not deserialize: {e}"),
        }
    }
    use fake_discord::payloads as p;

    assert!(matches!(
        dispatch("READY", p::ready("s", "ws://x/gateway")),
        Event::Ready(_)
    ));
    match dispatch("GUILD_CREATE", p::guild_create()) {
        Event::GuildCreate(g) => {
            assert_eq!(g.guild.roles.len(), 3);
            assert_eq!(g.guild.members.len(), 5);
            assert_eq!(g.guild.channels.len(), 2);
            assert_eq!(g.guild.owner_id, UserId::new(OWNER_ID));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(dispatch("RESUMED", json!({})), Event::Resumed(_)));

    let in_guild = [true, false];
    for user in [
        FakeUser::admin(),
        FakeUser::member(),
        FakeUser::owner(),
        FakeUser::other_bot(),
    ] {
        for g in in_guild {
            let opts = json!([opt_str("text", "hi"), opt_int("n", 3), opt_bool("b", true)]);
            let (v, _) = p::command_like_interaction(2, 1, 2, "ping", opts, &user, g);
            match dispatch("INTERACTION_CREATE", v) {
                Event::InteractionCreate(e) => {
                    let cmd = e.interaction.command().expect("command interaction");
                    assert_eq!(cmd.user.id, UserId::new(user.id));
                    assert_eq!(cmd.data.options.len(), 3);
                    assert_eq!(cmd.guild_id.is_some(), g);
                    if g {
                        let perms = cmd.member.as_ref().unwrap().permissions.unwrap();
                        assert_eq!(perms.administrator(), user.id != MEMBER_ID && !user.bot);
                    }
                }
                other => panic!("{other:?}"),
            }
            let (v, _) = p::command_like_interaction(
                4,
                1,
                2,
                "ping",
                json!([opt_focused("text", "ab")]),
                &user,
                g,
            );
            match dispatch("INTERACTION_CREATE", v) {
                Event::InteractionCreate(e) => {
                    let ac = e
                        .interaction
                        .autocomplete()
                        .expect("autocomplete interaction");
                    assert_eq!(ac.data.autocomplete().unwrap().value, "ab");
                }
                other => panic!("{other:?}"),
            }
            let (v, _) = p::component_interaction(1, 2, "btn", &user, g);
            match dispatch("INTERACTION_CREATE", v) {
                Event::InteractionCreate(e) => {
                    let c = e
                        .interaction
                        .message_component()
                        .expect("component interaction");
                    assert_eq!(c.data.custom_id, "btn");
                }
                other => panic!("{other:?}"),
            }
        }
        match dispatch("MESSAGE_CREATE", p::dm_message(5, &user, "hello")) {
            Event::MessageCreate(m) => {
                assert!(m.message.guild_id.is_none());
                assert_eq!(m.message.author.bot, user.bot);
            }
            other => panic!("{other:?}"),
        }
        match dispatch("MESSAGE_CREATE", p::guild_message(6, &user, "hello", true)) {
            Event::MessageCreate(m) => {
                assert_eq!(m.message.content, format!("<@{BOT_ID}> hello"));
                assert_eq!(m.message.mentions[0].id, UserId::new(BOT_ID));
                assert!(m.message.member.is_some());
            }
            other => panic!("{other:?}"),
        }
    }

    // REST bodies.
    use serenity::all::{Command, CurrentApplicationInfo, CurrentUser, PrivateChannel};
    serde_json::from_value::<CurrentApplicationInfo>(p::application_info()).unwrap();
    serde_json::from_value::<CurrentUser>(p::bot_user_json()).unwrap();
    serde_json::from_value::<PrivateChannel>(p::dm_channel_json(
        MEMBER_DM_CHANNEL_ID,
        &FakeUser::member().user_json(),
    ))
    .unwrap();
    let body = json!({ "content": "x", "embeds": [{ "title": "t" }],
        "components": [{ "type": 1, "components": [
            { "type": 2, "style": 1, "label": "L", "custom_id": "c" }] }],
        "message_reference": { "message_id": "5" } });
    serde_json::from_value::<Message>(p::message_from_body(9, CHANNEL_ID, &body, None)).unwrap();
    serde_json::from_value::<Message>(p::message_from_body(9, CHANNEL_ID, &body, Some(APP_ID)))
        .unwrap();
    serde_json::from_value::<Command>(p::command_json(
        &json!({ "name": "ping", "description": "d" }),
        1,
        2,
        Some(GUILD_ID),
    ))
    .unwrap();
}

/// (1) The client connects, identifies with our token and intents, gets READY + GUILD_CREATE,
/// and registers its guild command via bulk overwrite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_connects_identifies_and_registers_commands() {
    let fake = FakeDiscord::start().await;
    let mut bot = Bot::start(&fake).await;

    let identify = fake.wait_for_identify(1, T).await;
    assert_eq!(identify["token"], json!(format!("Bot {FAKE_TOKEN}")));
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    assert_eq!(identify["intents"], json!(intents.bits()));
    assert_eq!(identify["shard"], json!([0, 1]));

    fake.wait_ready(T).await;
    bot.expect_log("ready:cyberbridge").await;
    bot.expect_log(&format!("guild_create:{GUILD_NAME}:5"))
        .await;
    assert_eq!(bot.expect_log("registered:").await, "registered:1");

    let put = fake
        .wait_for(
            "PUT",
            &format!("/applications/{APP_ID}/guilds/{GUILD_ID}/commands"),
            T,
        )
        .await;
    assert_eq!(put.status, 200);
    assert_eq!(
        put.authorization(),
        Some(format!("Bot {FAKE_TOKEN}").as_str())
    );
    assert_eq!(put.body[0]["name"], "ping");
    assert_eq!(put.body[0]["options"][0]["name"], "text");
    assert_eq!(fake.registered_command_names(), vec!["ping".to_string()]);

    // What Client::start touches over REST: only GET /gateway.
    let routes: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.route))
        .collect();
    assert_eq!(routes[0], "GET /gateway", "{routes:?}");
    assert_eq!(fake.identifies(), 1);
    assert_no_unhandled(&fake);
    bot.stop().await;
}

/// (2) An injected slash command gets a type-4 callback with the expected content; the
/// command id is the one the bot registered; autocomplete and deferred button replies resolve.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactions_get_replies() {
    let (fake, bot) = setup().await;

    let h = fake
        .send_command(
            "ping",
            json!([opt_str("text", "hello")]),
            FakeUser::member(),
            true,
        )
        .await;
    let reply = fake.interaction_reply(&h, T).await;
    assert_eq!(reply.callback_type, callback::CHANNEL_MESSAGE_WITH_SOURCE);
    assert_eq!(reply.content.as_deref(), Some("pong: hello from member"));
    assert!(!reply.is_ephemeral());
    let registered_id = fake.registered_commands(Some(GUILD_ID))[0]["id"].clone();
    let sent = fake
        .dispatched()
        .into_iter()
        .rev()
        .find(|(_, t, _)| t == "INTERACTION_CREATE");
    assert_eq!(sent.unwrap().2["data"]["id"], registered_id);

    // DM invocation.
    let h = fake
        .send_command("ping", json!([]), FakeUser::admin(), false)
        .await;
    assert_eq!(
        fake.interaction_reply(&h, T).await.text(),
        "pong:  from admin"
    );

    // Autocomplete → type 8 with choices.
    let h = fake
        .send_autocomplete(
            "ping",
            json!([opt_focused("text", "ab")]),
            FakeUser::member(),
            true,
        )
        .await;
    let reply = fake.interaction_reply(&h, T).await;
    assert_eq!(reply.callback_type, callback::AUTOCOMPLETE_RESULT);
    assert_eq!(reply.choice_names(), vec!["ab-1".to_string()]);

    // Button → deferred (ephemeral) then PATCH @original.
    let h = fake.send_component("btn-1", FakeUser::member(), true).await;
    let reply = fake.interaction_reply(&h, T).await;
    assert_eq!(
        reply.callback_type,
        callback::DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    );
    assert!(reply.deferred);
    assert!(reply.is_ephemeral());
    assert_eq!(reply.content.as_deref(), Some("pressed btn-1"));
    assert_eq!(reply.edit.as_ref().unwrap().method, "PATCH");

    assert_no_unhandled(&fake);
    bot.stop().await;
}

/// (3) A DM gets an answer via POST /channels/{dm}/messages; a guild @mention gets a reply
/// (with message_reference); another bot's DM is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_get_replies() {
    let (fake, mut bot) = setup().await;

    let dm = fake.send_dm(FakeUser::member(), "hi there").await;
    let reply = fake.message_reply(&dm, T).await;
    assert_eq!(
        reply.route,
        format!("/channels/{MEMBER_DM_CHANNEL_ID}/messages")
    );
    assert_eq!(reply.body["content"], "echo: hi there");
    bot.expect_log("sent:").await; // serenity parsed the fake's message response

    let m = fake
        .send_guild_message(FakeUser::admin(), "status?", true)
        .await;
    let reply = fake.message_reply(&m, T).await;
    assert_eq!(reply.route, format!("/channels/{CHANNEL_ID}/messages"));
    assert_eq!(reply.body["content"], "you rang?");
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        json!(m.id.to_string())
    );

    let mark = fake.mark();
    fake.send_dm(FakeUser::other_bot(), "beep").await;
    fake.assert_no_request_since(mark, "POST", "/channels", Duration::from_millis(300))
        .await;

    assert_no_unhandled(&fake);
    bot.stop().await;
}

/// (4) After RECONNECT, a dropped TCP connection, a 4000 close and a resumable INVALID_SESSION,
/// serenity RESUMEs (never re-identifies) and still answers interactions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_resumes_after_disruptions() {
    let (fake, mut bot) = setup().await;
    let session = fake.session_id().unwrap();

    fake.send_reconnect().await;
    let resume = fake.wait_for_resume(T).await;
    assert_eq!(resume["session_id"], json!(session));
    assert!(resume["seq"].as_u64().unwrap() >= 2, "{resume}");
    bot.expect_log("resumed").await;
    let h = fake
        .send_command(
            "ping",
            json!([opt_str("text", "a")]),
            FakeUser::member(),
            true,
        )
        .await;
    assert_eq!(
        fake.interaction_reply(&h, T).await.content.as_deref(),
        Some("pong: a from member")
    );

    fake.drop_connection().await;
    fake.wait_for_resume(T).await;
    let h = fake
        .send_command(
            "ping",
            json!([opt_str("text", "b")]),
            FakeUser::member(),
            true,
        )
        .await;
    assert_eq!(
        fake.interaction_reply(&h, T).await.content.as_deref(),
        Some("pong: b from member")
    );

    fake.close_connection(4000).await;
    fake.wait_for_resume(T).await;
    fake.send_invalid_session(true).await;
    fake.wait_for_resume(T).await;
    let h = fake
        .send_command(
            "ping",
            json!([opt_str("text", "c")]),
            FakeUser::member(),
            true,
        )
        .await;
    assert_eq!(
        fake.interaction_reply(&h, T).await.content.as_deref(),
        Some("pong: c from member")
    );

    assert_eq!(
        fake.identifies(),
        1,
        "serenity should resume, not re-identify"
    );
    assert_eq!(fake.resumes(), 4);
    assert_eq!(fake.connections(), 5);
    assert_no_unhandled(&fake);
    bot.stop().await;
}

/// A non-resumable INVALID_SESSION makes serenity re-IDENTIFY (through its shard queue, which
/// waits up to 5 s after the previous shard start).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_reidentifies_after_non_resumable_invalid_session() {
    let (fake, mut bot) = setup().await;
    fake.send_invalid_session(false).await;
    fake.wait_for_identify(2, Duration::from_secs(10)).await;
    fake.wait_ready(T).await;
    bot.expect_log("ready:").await;
    let h = fake
        .send_command(
            "ping",
            json!([opt_str("text", "x")]),
            FakeUser::member(),
            true,
        )
        .await;
    assert_eq!(
        fake.interaction_reply(&h, T).await.content.as_deref(),
        Some("pong: x from member")
    );
    bot.stop().await;
}

/// Heartbeats are acknowledged, so serenity keeps the session (no reconnect).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_are_acked() {
    let fake = FakeDiscord::start_with(FakeConfig {
        heartbeat_interval_ms: 150,
        ..FakeConfig::default()
    })
    .await;
    let bot = Bot::start(&fake).await;
    fake.wait_ready(T).await;
    fake.wait_for_heartbeats(3, T).await;
    assert_eq!(fake.connections(), 1);
    assert_eq!(fake.identifies(), 1);
    assert!(fake.gateway_frames().iter().any(|f| f.op == 1));
    bot.stop().await;
}

/// (5) An injected 429 on the callback is recorded as a failed attempt with Discord's body and
/// headers; with the ratelimiter disabled serenity doesn't retry, the handler sees the error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_rate_limit_is_recorded() {
    let (fake, mut bot) = setup().await;
    fake.fail_next_rate_limited("POST", "/interactions/*/*/callback", 0.3);

    let h = fake
        .send_command("ping", json!([]), FakeUser::member(), true)
        .await;
    // Serenity 0.12.5 can't decode Discord's 429 body (its error type requires `code`), so the
    // handler gets status 429 with a placeholder message; with the ratelimiter disabled there
    // is no retry.
    let line = bot.expect_log("interaction error").await;
    assert!(line.starts_with("interaction error: status 429"), "{line}");

    let attempts = fake.interaction_callback_attempts(&h);
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].status, 429);
    assert!(attempts[0].injected_failure);
    assert!(!attempts[0].is_success());
    assert_eq!(attempts[0].response["retry_after"], json!(0.3));
    assert_eq!(
        attempts[0].body["type"], 4,
        "the attempted body is still recorded"
    );
    assert_eq!(fake.count_success("POST", "/interactions"), 0);

    // The rule is used up: the next interaction succeeds. A 502 on messages likewise.
    let h = fake
        .send_command("ping", json!([]), FakeUser::member(), true)
        .await;
    assert_eq!(fake.interaction_reply(&h, T).await.callback_type, 4);
    fake.fail_next_status("POST", "/channels/{id}/messages", 1, 502);
    let dm = fake.send_dm(FakeUser::member(), "x").await;
    let line = bot.expect_log("message error").await;
    assert!(line.starts_with("message error: status 502"), "{line}");
    assert_eq!(fake.requests_matching("POST", "/channels")[0].status, 502);
    let _ = dm;
    bot.stop().await;
}

/// (6) Unknown routes get Discord's 404 body and are listed as unhandled; the REST routes the
/// fake does serve produce bodies serenity's `Http` parses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_routes_and_unknown_routes() {
    let fake = FakeDiscord::start().await;
    let http = fake.serenity_http(FAKE_TOKEN);

    let err = http
        .get_channel(ChannelId::new(CHANNEL_ID))
        .await
        .unwrap_err();
    match &err {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(resp)) => {
            assert_eq!(resp.status_code.as_u16(), 404);
            assert_eq!(resp.error.message, "404: Not Found");
        }
        other => panic!("{other:?}"),
    }
    let unhandled = fake.unhandled_requests();
    assert_eq!(unhandled.len(), 1);
    assert_eq!(unhandled[0].method, "GET");
    assert_eq!(unhandled[0].path, format!("/api/v10/channels/{CHANNEL_ID}"));

    assert_eq!(
        http.get_current_user().await.unwrap().id,
        UserId::new(BOT_ID)
    );
    let app = http.get_current_application_info().await.unwrap();
    assert_eq!(app.id.get(), APP_ID);
    let gw = http.get_bot_gateway().await.unwrap();
    assert_eq!((gw.url, gw.shards), (fake.gateway_url(), 1));
    let dm = UserId::new(MEMBER_ID)
        .create_dm_channel(&http)
        .await
        .unwrap();
    assert_eq!(dm.id.get(), MEMBER_DM_CHANNEL_ID);
    let msg = ChannelId::new(CHANNEL_ID)
        .send_message(&http, CreateMessage::new().content("hello"))
        .await
        .unwrap();
    assert_eq!(
        (msg.author.id.get(), msg.content.as_str()),
        (BOT_ID, "hello")
    );
    // Discord-style validation of known routes.
    // (serenity's builders check lengths client-side; raw `Http` calls don't.)
    let too_long = json!({ "content": "x".repeat(2001) });
    let err = http
        .send_message(ChannelId::new(CHANNEL_ID), vec![], &too_long)
        .await
        .unwrap_err();
    assert_eq!(describe(&err), "status 400: Invalid Form Body");
    // Global command routes (application id comes from READY normally; set it here).
    http.set_application_id(serenity::all::ApplicationId::new(APP_ID));
    let cmds = serenity::all::Command::set_global_commands(
        &http,
        vec![CreateCommand::new("about").description("About the bot")],
    )
    .await
    .unwrap();
    assert_eq!(cmds[0].name, "about");
    assert_eq!(http.get_global_commands().await.unwrap().len(), 1);

    // Interaction callbacks: once per interaction, Discord's errors otherwise.
    let (_, h) = fake.command_interaction("ping", json!([]), FakeUser::member(), true);
    let id = serenity::all::InteractionId::new(h.id);
    let response = json!({ "type": 4, "data": { "content": "first", "flags": 64 } });
    http.create_interaction_response(id, &h.token, &response, vec![])
        .await
        .unwrap();
    let err = http
        .create_interaction_response(id, &h.token, &response, vec![])
        .await
        .unwrap_err();
    assert_eq!(
        describe(&err),
        "status 400: Interaction has already been acknowledged."
    );
    let err = http
        .create_interaction_response(id, "bogus", &response, vec![])
        .await
        .unwrap_err();
    assert_eq!(describe(&err), "status 404: Unknown interaction");
    let reply = fake.interaction_reply(&h, T).await;
    assert!(reply.is_ephemeral());
    assert_eq!(reply.text(), "first");
    let original = http
        .get_original_interaction_response(&h.token)
        .await
        .unwrap();
    assert_eq!(original.content, "first");

    assert_eq!(fake.unhandled_requests().len(), 1);
    assert!(fake
        .requests()
        .iter()
        .all(|r| r.authorization() == Some("Bot fake-bot-token")));
}

/// Timeouts panic with a message naming what was awaited and what the bot did.
#[tokio::test]
#[should_panic(expected = "timed out after 50ms waiting for GET /never")]
async fn waits_time_out_with_diagnostics() {
    let fake = FakeDiscord::start().await;
    fake.wait_for("GET", "/never", Duration::from_millis(50))
        .await;
}

/// The fake applies Discord's rules to command localisations, so a registration that passes
/// here would pass on Discord: known locales, lowercase names matching Discord's pattern,
/// descriptions of 1–100 characters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_refuses_localisations_discord_would_refuse() {
    use serenity::all::{ApplicationId, CreateCommand, GuildId};
    let fake = FakeDiscord::start().await;
    let http = fake.serenity_http(FAKE_TOKEN);
    http.set_application_id(ApplicationId::new(APP_ID));
    let guild = GuildId::new(GUILD_ID);
    let base = || CreateCommand::new("ask").description("Ask a question");
    let good = base()
        .name_localized("ja", "質問")
        .name_localized("hi", "पूछें")
        .description_localized("ja", "質問します");
    let accepted = guild.set_commands(&http, vec![good]).await;
    assert!(accepted.is_ok(), "{accepted:?}");
    let bad = [
        base().name_localized("ja", "Ask"),
        base().name_localized("ja", "two words"),
        base().name_localized("xx", "ask"),
        base().name_localized("hi", "क".repeat(33)),
        base().description_localized("ja", ""),
    ];
    for command in bad {
        let refused = guild.set_commands(&http, vec![command]).await;
        assert!(refused.is_err(), "accepted: {refused:?}");
    }
    assert_eq!(fake.registered_command_names(), vec!["ask".to_string()]);
}
