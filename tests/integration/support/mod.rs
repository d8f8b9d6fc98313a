//! Shared by the end-to-end tests: a fake Discord on loopback plus the real bot
//! (`discord::run_with`, the serenity client and all) serving a temporary copy of the shipped
//! knowledge base, so a test can edit or break the file and `/reload` it.
//!
//! Include with `mod fake_discord; mod support;` (this module uses `crate::fake_discord`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cyberbridge::bot::Bot;
use cyberbridge::config::Config;
use cyberbridge::discord;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::fake_discord::{opt_str, FakeConfig, FakeDiscord, FakeUser, Reply};
use crate::fake_discord::{ADMIN_ID, FAKE_TOKEN, GUILD_ID};

/// Generous timeout for any one wait: a 2-core CI machine running other test binaries at the
/// same time can be slow, and a passing test never waits this long.
pub const T: Duration = Duration::from_secs(20);

/// The shipped knowledge base.
pub fn shipped_knowledge_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml")
}

pub fn shipped_knowledge() -> String {
    std::fs::read_to_string(shipped_knowledge_path()).expect("read knowledge.toml")
}

/// A fact the shipped knowledge base does not have, about nothing it covers (so the question
/// for it is declined before it is added, and answered after).
pub const NEW_FACT_ID: &str = "quokka-protocol";
pub const NEW_FACT_QUESTION: &str = "When was the Quokka Protocol on zebra telemetry agreed?";
pub const NEW_FACT_TOML: &str = r#"
[[facts]]
id = "quokka-protocol"
kind = "fact"
title = "The Quokka Protocol on zebra telemetry was agreed in 2031"
answer = "India and Japan agreed the Quokka Protocol on zebra telemetry in 2031."
topics = ["dialogues"]
parties = ["India", "Japan"]
date = "2031"
questions = ["what is the quokka protocol?", "when was the quokka protocol agreed?"]
keywords = ["quokka", "zebra", "telemetry"]
[[facts.citations]]
source = "ndm-cyber-dialogue-2017"
quote = "The Quokka Protocol on zebra telemetry was agreed in 2031."
"#;

/// The shipped knowledge base plus [`NEW_FACT_TOML`].
pub fn knowledge_with_new_fact() -> String {
    shipped_knowledge() + NEW_FACT_TOML
}

/// A question the shipped knowledge base answers, and the fact it answers with.
pub const KNOWN_QUESTION: &str = "Who led the Indian delegation in 2017?";
pub const KNOWN_FACT_ID: &str = "sanjay-kumar-verma";

/// The shipped knowledge base with a TOML syntax error on line 3 (an unclosed string).
pub fn broken_knowledge() -> String {
    let mut lines: Vec<String> = shipped_knowledge().lines().map(str::to_string).collect();
    lines.insert(2, "broken = \"no closing quote".to_string());
    lines.join("\n")
}

/// The bot's configuration in `dir` (which holds `knowledge.toml`): REST through the fake,
/// commands in its guild, the fake's admin user in `[admin]`, logs off, no eval gate.
pub fn test_config(fake: &FakeDiscord, dir: &Path, questions_per_minute: u32) -> Config {
    let text = format!(
        r#"
[discord]
http_proxy = "{proxy}"
dev_guild_id = "{GUILD_ID}"
[knowledge]
path = "knowledge.toml"
# Tests write whole files at once: a short settle keeps their reloads quick.
settle_ms = 100
[admin]
user_ids = ["{ADMIN_ID}"]
[limits]
questions_per_minute = {questions_per_minute}
[logs]
declined = ""
feedback = ""
"#,
        proxy = fake.http_url(),
    );
    Config::parse(&dir.join("config.toml"), &text, Some(FAKE_TOKEN.into()))
        .expect("valid test config")
}

/// Knobs for [`Harness::start_with`].
#[derive(Clone, Debug)]
pub struct Options {
    pub questions_per_minute: u32,
    pub fake: FakeConfig,
    /// The reload settle, instead of the config's 100 ms (for tests whose files are written
    /// whole before each reload, where waiting proves nothing).
    pub settle: Option<std::time::Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            // Tests ask many questions as one user; the per-user limit has its own unit tests.
            questions_per_minute: 10_000,
            fake: FakeConfig::default(),
            settle: None,
        }
    }
}

/// A fake Discord and the bot connected to it.
pub struct Harness {
    pub fake: FakeDiscord,
    /// The bot the adapter serves (to look at the live knowledge base, or reload directly).
    pub bot: Arc<Bot>,
    /// The bot's knowledge file: a copy of the shipped one, free to edit.
    pub knowledge: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    // Last, so it is removed after the bot is gone.
    _dir: tempfile::TempDir,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    /// Starts the fake, writes a config (REST through the fake, commands in its guild, the
    /// fake's admin user in `[admin]`, logs off, no eval gate) and a knowledge copy to a
    /// temporary folder, starts the bot, and waits until it is connected and has registered
    /// its commands.
    pub async fn start_with(options: Options) -> Self {
        let fake = FakeDiscord::start_with(options.fake.clone()).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let knowledge = dir.path().join("knowledge.toml");
        std::fs::write(&knowledge, shipped_knowledge()).expect("copy knowledge.toml");
        let mut config = test_config(&fake, dir.path(), options.questions_per_minute);
        if let Some(settle) = options.settle {
            config.knowledge.settle = settle;
        }
        let bot = Arc::new(Bot::from_config(&config).expect("the shipped knowledge base loads"));
        let (stop, stopped) = oneshot::channel::<()>();
        let discord_config = config.discord.clone();
        let serving = Arc::clone(&bot);
        let task = tokio::spawn(async move {
            discord::run_with(serving, &discord_config, async {
                let _ = stopped.await;
            })
            .await
        });
        fake.wait_ready(T).await;
        // Commands are registered in one bulk overwrite: one there means all are.
        fake.wait_for_command_registered("reload", T).await;
        Harness {
            fake,
            bot,
            knowledge,
            stop: Some(stop),
            task: Some(task),
            _dir: dir,
        }
    }

    /// Fingerprint of the knowledge base the bot serves now.
    pub fn fingerprint(&self) -> String {
        self.bot.current().kb().fingerprint.clone()
    }

    /// Replaces the bot's knowledge file (the bot only sees it on `/reload`).
    pub fn write_knowledge(&self, text: &str) {
        std::fs::write(&self.knowledge, text).expect("write the knowledge copy");
    }

    /// `/ask question` in the guild; the reply.
    pub async fn ask(&self, question: &str, user: FakeUser) -> Reply {
        let handle = self
            .fake
            .send_command("ask", json!([opt_str("question", question)]), user, true)
            .await;
        self.fake.interaction_reply(&handle, T).await
    }

    /// `/name` without options in the guild; the reply.
    pub async fn command(&self, name: &str, options: Value, user: FakeUser) -> Reply {
        let handle = self.fake.send_command(name, options, user, true).await;
        self.fake.interaction_reply(&handle, T).await
    }

    /// Shuts the bot down and checks it stopped cleanly, without an error.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(T, task)
                .await
                .expect("the bot stops on shutdown")
                .expect("the bot task did not panic")
                .expect("the bot stopped without an error");
        }
    }
}

/// The `knowledge <fingerprint>` an answer embed's footer names.
pub fn answer_fingerprint(reply: &Reply) -> Option<String> {
    let footer = reply.embeds.first()?["footer"]["text"].as_str()?;
    let (_, after) = footer.rsplit_once("knowledge ")?;
    Some(after.trim().to_string())
}

/// Allowed mentions that ping nobody: `parse: []`, no users, no roles.
pub fn assert_mentions_nobody(allowed: Option<&Value>, context: &Value) {
    let allowed = allowed.unwrap_or_else(|| panic!("no allowed_mentions in {context}"));
    assert_eq!(allowed["parse"], json!([]), "{context}");
    for key in ["users", "roles"] {
        assert!(
            allowed[key].as_array().is_none_or(Vec::is_empty),
            "allowed_mentions.{key} should be empty: {allowed}"
        );
    }
}

/// No mention that Discord would render as one: `@everyone`, `@here`, `<@id>`, `<@!id>`,
/// `<@&id>` (the bot neutralises them with a zero-width space after the `@`).
pub fn assert_no_live_mention(text: &str) {
    for needle in ["@everyone", "@here"] {
        assert!(
            !text.contains(needle),
            "live mention {needle:?} in the reply:\n{text}"
        );
    }
    for (at, _) in text.match_indices("<@") {
        let next = text[at + 2..].chars().next();
        assert!(
            !next.is_some_and(|c| c.is_ascii_digit() || c == '&' || c == '!'),
            "live mention at byte {at} in the reply:\n{text}"
        );
    }
}
