//! Smoke test of the whole `serve` path: `discord::run` with the real serenity client against
//! the fake Discord on loopback. (The full end-to-end suite is separate.)

use crate::fake_discord;
use crate::support;

use std::time::Duration;

use cyberbridge::discord;
use fake_discord::*;
use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const T: Duration = Duration::from_secs(10);

/// The bot started the way `serve` starts it — `discord::run` with a loaded configuration —
/// against `fake`, answering from a copy of the shipped knowledge base.
struct Served {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Served {
    async fn start(fake: &FakeDiscord) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("knowledge.toml"),
            support::shipped_knowledge(),
        )
        .unwrap();
        let config = support::test_config(fake, dir.path(), 100);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(discord::run(config, async {
            let _ = stopped.await;
        }));
        fake.wait_ready(T).await;
        Served {
            stop,
            task,
            _dir: dir,
        }
    }

    /// Shuts the bot down and checks it stopped without an error.
    async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(T, self.task)
            .await
            .expect("the bot stops on shutdown")
            .unwrap()
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_gets_a_cited_embed_that_mentions_nobody_and_a_dm_gets_a_reply() {
    let fake = FakeDiscord::start().await;
    let bot = Served::start(&fake).await;
    let registered = fake.wait_for_command_registered("reload", T).await;
    assert_eq!(registered["default_member_permissions"], "32");
    let names = fake.registered_command_names();
    for name in [
        "ask",
        "fact",
        "topics",
        "topic",
        "commitments",
        "timeline",
        "sources",
        "about",
        "help",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
    }

    let ask = fake
        .send_command(
            "ask",
            json!([opt_str(
                "question",
                "When was the Memorandum of Cooperation signed?"
            )]),
            FakeUser::member(),
            true,
        )
        .await;
    let reply = fake.interaction_reply(&ask, T).await;
    assert!(!reply.is_ephemeral());
    assert_eq!(reply.embeds.len(), 1, "{:?}", reply.raw);
    let text = reply.text();
    assert!(text.contains("> "), "a quoted citation: {text}");
    assert!(text.contains("**"), "matched words in bold: {text}");
    assert!(text.contains("confidence"), "{text}");
    assert_eq!(
        reply.allowed_mentions.as_ref().map(|m| &m["parse"]),
        Some(&json!([])),
        "{:?}",
        reply.raw
    );
    assert!(reply.custom_ids().iter().any(|id| id.starts_with("why:")));

    let dm = fake
        .send_dm(FakeUser::member(), "who led the Indian delegation in 2017?")
        .await;
    let sent = fake.message_reply(&dm, T).await;
    assert_eq!(sent.body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(
        sent.body["message_reference"]["message_id"],
        json!(dm.id.to_string())
    );

    assert!(
        fake.unhandled_requests().is_empty(),
        "{:?}",
        fake.unhandled_requests()
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_callback_is_retried_and_answered_once() {
    let fake = FakeDiscord::start().await;
    let bot = Served::start(&fake).await;
    fake.wait_for_command_registered("ask", T).await;
    fake.fail_next_rate_limited("POST", "/interactions/*/*/callback", 0.3);
    let ask = fake
        .send_command("about", json!([]), FakeUser::member(), true)
        .await;
    let reply = fake.interaction_reply(&ask, T).await;
    assert!(reply.text().contains("Fingerprint"), "{}", reply.text());
    let attempts = fake.interaction_callback_attempts(&ask);
    assert_eq!(attempts.len(), 2, "one 429, one success");
    assert_eq!(attempts.iter().filter(|a| a.is_success()).count(), 1);
    bot.stop().await;
}
