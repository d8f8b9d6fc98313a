//! Hostile input and faults against the real `serve` path: the serenity client and the bot,
//! talking to the fake Discord on loopback. One test per probe (docs/hostile-input.md, "Probes
//! and results") that needs Discord to show.

use crate::fake_discord;
use crate::support;

use std::time::{Duration, Instant};

use fake_discord::*;
use serde_json::json;
use support::*;

/// Discord's deadline for the first response to an interaction.
const CALLBACK_DEADLINE: Duration = Duration::from_secs(3);

fn random_letters(n: usize, seed: u64) -> String {
    let mut rng = cyberbridge::synthetic::Rng::new(seed);
    (0..n)
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect()
}

fn user(i: u64) -> FakeUser {
    FakeUser::new(
        1_200_000_000_000_000_000 + i,
        &format!("user{i}"),
        1_300_000_000_000_000_000 + i,
    )
    .with_roles(&[MEMBER_ROLE_ID])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_long_letter_runs_and_fact_floods_do_not_stall_the_bot() {
    // Before every request's cost was bounded, 16 questions of 500 random letters at once
    // made 9 interactions miss the 3 s deadline; 6 `/fact id:` of 1,000 letters from one
    // user answered none, and another user's `/ask` went unanswered.
    let h = Harness::start_with(Options {
        questions_per_minute: 10,
        ..Options::default()
    })
    .await;
    let mut sent = Vec::new();
    for i in 0..16u64 {
        let q = random_letters(500, i + 1);
        sent.push(h.fake.command_interaction(
            "ask",
            json!([opt_str("question", &q)]),
            user(i),
            true,
        ));
    }
    let flooder = user(100);
    for i in 0..6u64 {
        let id = random_letters(1_000, 100 + i);
        sent.push(h.fake.command_interaction(
            "fact",
            json!([opt_str("id", &id)]),
            flooder.clone(),
            true,
        ));
        sent.push(h.fake.autocomplete_interaction(
            "fact",
            json!([opt_focused("id", &id)]),
            flooder.clone(),
            true,
        ));
    }
    let (bystander_payload, bystander) = h.fake.command_interaction(
        "ask",
        json!([opt_str("question", KNOWN_QUESTION)]),
        user(200),
        true,
    );
    sent.push((bystander_payload, bystander.clone()));
    let started = Instant::now();
    for (payload, _) in &sent {
        h.fake.dispatch("INTERACTION_CREATE", payload.clone()).await;
    }
    let replies = futures_util::future::join_all(
        sent.iter()
            .map(|(_, handle)| h.fake.interaction_reply(handle, T)),
    )
    .await;
    let slowest = replies
        .iter()
        .map(|r| r.callback.at.saturating_duration_since(started))
        .max()
        .unwrap_or_default();
    eprintln!(
        "{} interactions, slowest first response {slowest:?}",
        sent.len()
    );
    assert!(
        slowest < CALLBACK_DEADLINE,
        "slowest first response after {slowest:?}"
    );
    let answer = replies.last().expect("the bystander's reply");
    assert!(
        answer.text().contains("Verma"),
        "the other user's question is answered: {}",
        answer.text()
    );
    for (reply, (_, handle)) in replies.iter().zip(&sent) {
        assert_eq!(
            h.fake.interaction_callback_attempts(handle).len(),
            1,
            "answered once: {}",
            reply.text()
        );
    }
    h.stop().await;
}

/// The shipped file cut just before its `n`-th `[[facts]]` table: valid TOML, fewer facts.
fn cut_before_fact(n: usize) -> String {
    let full = shipped_knowledge();
    let at = full
        .match_indices("\n[[facts]]")
        .nth(n)
        .map(|(i, _)| i + 1)
        .expect("the shipped file has that many facts");
    full[..at].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_reload_of_a_file_cut_at_a_table_boundary_is_refused_unless_forced() {
    // A half-written file that is valid TOML used to go live (35 facts removed): the removal
    // guard refuses it unless `force` is given.
    let h = Harness::start().await;
    let before = h.fingerprint();
    let facts = h.bot.current().kb().facts.len();
    h.write_knowledge(&cut_before_fact(20));
    let reply = h.command("reload", json!([]), FakeUser::admin()).await;
    let text = reply.text();
    assert!(
        text.contains("too many facts removed") && text.contains("force:true"),
        "{text}"
    );
    assert_eq!(
        h.fingerprint(),
        before,
        "the old knowledge base still serves"
    );
    assert_eq!(h.bot.current().kb().facts.len(), facts);
    let forced = h
        .command(
            "reload",
            json!([opt_bool("force", true)]),
            FakeUser::admin(),
        )
        .await;
    assert!(
        forced.text().contains("Knowledge base reloaded"),
        "{}",
        forced.text()
    );
    assert_eq!(h.bot.current().kb().facts.len(), 20);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_an_echoed_commitments_party_is_escaped_in_the_embed_title() {
    // The party the user typed used to appear raw in the embed title: `@everyone`, a link
    // and a spoiler, shown by the bot.
    let h = Harness::start().await;
    // U+202E reversed the rest of the title ("exe.pdr" reads "rdp.exe").
    let hostile = "@everyone [x](http://e.co) ||s|| \u{202E}exe.pdr";
    let reply = h
        .command(
            "commitments",
            json!([opt_str("party", hostile)]),
            FakeUser::member(),
        )
        .await;
    let title = reply.embeds[0]["title"].as_str().unwrap_or_default();
    assert!(title.starts_with("Commitments involving"), "{title}");
    for raw in ["@everyone", "[x]", "||s||", "\u{202E}"] {
        assert!(!title.contains(raw), "{raw} in {title}");
    }
    assert_no_live_mention(&reply.text());
    assert_mentions_nobody(reply.allowed_mentions.as_ref(), &reply.raw);
    h.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_reload_of_a_fifo_or_dev_zero_is_refused_at_once() {
    // A FIFO used to hang `/reload` forever, and a link to /dev/zero grew memory until
    // allocation failed.
    let h = Harness::start().await;
    let before = h.fingerprint();
    std::fs::remove_file(&h.knowledge).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &h.knowledge).unwrap();
    let started = Instant::now();
    let reply = h.command("reload", json!([]), FakeUser::admin()).await;
    assert!(
        reply.text().contains("not a regular file"),
        "{}",
        reply.text()
    );
    std::fs::remove_file(&h.knowledge).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&h.knowledge)
        .status();
    if made.is_ok_and(|s| s.success()) {
        let reply = h.command("reload", json!([]), FakeUser::admin()).await;
        assert!(reply.text().contains("a FIFO"), "{}", reply.text());
    } else {
        eprintln!("SKIPPED the FIFO half: mkfifo is not available");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(h.fingerprint(), before);
    let answer = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert!(answer.text().contains("Verma"), "{}", answer.text());
    h.stop().await;
}

/// SIGTERM used to be ignored while a reload ran (the runtime waited for it).
/// The real binary, serving the fake Discord, gets SIGHUP with a large file in place, then
/// SIGTERM: it exits within 5 s.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_sigterm_ends_serve_within_5_s_even_mid_reload() {
    use std::process::{Command, Stdio};
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let knowledge = dir.path().join("knowledge.toml");
    std::fs::write(&knowledge, shipped_knowledge()).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[discord]\nhttp_proxy = \"{}\"\ndev_guild_id = \"{GUILD_ID}\"\n[knowledge]\n\
             path = \"knowledge.toml\"\n[logs]\ndeclined = \"\"\nfeedback = \"\"\n",
            fake.http_url()
        ),
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cyberbridge"))
        .args(["serve", "--config"])
        .arg(&config)
        .env("DISCORD_TOKEN", FAKE_TOKEN)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start serve");
    fake.wait_ready(T).await;
    fake.wait_for_command_registered("reload", T).await;
    // Large enough that parsing and indexing it takes seconds (in any build).
    let big = cyberbridge::synthetic::to_toml(&cyberbridge::synthetic::knowledge_base(100_000, 1));
    std::fs::write(&knowledge, big).unwrap();
    let signal = |name: &str| {
        Command::new("kill")
            .args([name, &child.id().to_string()])
            .status()
            .expect("kill")
    };
    signal("-HUP");
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let started = Instant::now();
    signal("-TERM");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(10) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let spent = started.elapsed();
    if status.is_none() {
        let _ = child.kill();
    }
    let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default();
    assert!(
        status.is_some() && spent < Duration::from_secs(5),
        "exit after {spent:?} ({status:?}); log:\n{log}"
    );
    eprintln!("serve exited {spent:?} after SIGTERM");
    assert!(
        !log.contains("knowledge base reloaded") && !log.contains("SIGHUP reload refused"),
        "the reload was meant to be running at SIGTERM; log:\n{log}"
    );
}

/// A small knowledge file whose one fact quotes `quote` from `article-a`.
fn one_fact_kb(quote: &str) -> String {
    format!(
        r#"[meta]
title = "Test"
description = "Test"
updated = "2024"

[[sources]]
id = "article-a"
title = "Article A"

[[topics]]
id = "dialogues"
name = "Dialogues"
description = "Dialogues"

[[facts]]
id = "alpha"
kind = "fact"
title = "Alpha happened"
answer = "Alpha happened."
topics = ["dialogues"]
questions = ["when did alpha happen?"]
[[facts.citations]]
source = "article-a"
quote = "{quote}"
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_reload_in_serve_verifies_quotes_against_the_sources_folder() {
    // `/reload` used to accept a quote that is not in its article.
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    std::fs::write(
        // Named after the source the quote cites: its article.
        dir.path().join("articles/article-a.txt"),
        "Intro. Alpha happened in the spring. The end.",
    )
    .unwrap();
    let knowledge = dir.path().join("knowledge.toml");
    std::fs::write(&knowledge, one_fact_kb("Alpha happened in the spring.")).unwrap();
    let text = format!(
        "[discord]\nhttp_proxy = \"{}\"\ndev_guild_id = \"{GUILD_ID}\"\n[knowledge]\n\
         path = \"knowledge.toml\"\nsources = \"articles\"\n[admin]\nuser_ids = [\"{ADMIN_ID}\"]\n\
         [logs]\ndeclined = \"\"\nfeedback = \"\"\n",
        fake.http_url()
    );
    let config = cyberbridge::config::Config::parse(
        &dir.path().join("config.toml"),
        &text,
        Some(FAKE_TOKEN.into()),
    )
    .unwrap();
    let bot = std::sync::Arc::new(cyberbridge::bot::Bot::from_config(&config).unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = std::sync::Arc::clone(&bot);
    let discord = config.discord.clone();
    let task = tokio::spawn(async move {
        cyberbridge::discord::run_with(serving, &discord, async {
            let _ = stopped.await;
        })
        .await
    });
    fake.wait_ready(T).await;
    fake.wait_for_command_registered("reload", T).await;
    let before = bot.current().kb().fingerprint.clone();

    std::fs::write(&knowledge, one_fact_kb("Alpha happened in the autumn.")).unwrap();
    let handle = fake
        .send_command("reload", json!([]), FakeUser::admin(), true)
        .await;
    let reply = fake.interaction_reply(&handle, T).await;
    let text = reply.text();
    assert!(
        text.contains("Reload failed") && text.contains("quote not found verbatim"),
        "{text}"
    );
    assert_eq!(bot.current().kb().fingerprint, before, "old version kept");
    // SIGHUP runs the same reload.
    assert!(bot.reload_now().is_err());

    std::fs::write(&knowledge, one_fact_kb("Alpha happened in the spring. ")).unwrap();
    let handle = fake
        .send_command("reload", json!([]), FakeUser::admin(), true)
        .await;
    let reply = fake.interaction_reply(&handle, T).await;
    assert!(
        reply.text().contains("Knowledge base reloaded"),
        "{}",
        reply.text()
    );
    let _ = stop.send(());
    tokio::time::timeout(T, task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

/// Fills every place of the bot's work queue for `hold`, as a burst of expensive requests
/// would; returns once they are all taken.
async fn occupy_the_work_queue(h: &Harness, hold: Duration) -> Vec<tokio::task::JoinHandle<()>> {
    let holders: Vec<_> = (0..h.bot.work().at_once())
        .map(|_| {
            let bot = h.bot.clone();
            tokio::spawn(async move {
                bot.work().run(move || std::thread::sleep(hold)).await;
            })
        })
        .collect();
    // Each holder takes its place at once; give the blocking threads a moment to start.
    tokio::time::sleep(Duration::from_millis(100)).await;
    holders
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_still_waiting_for_its_turn_is_deferred_in_time_and_then_answered() {
    // The bot used to decide whether to defer only once the work was done, so a reply that
    // waited behind others past ~2.7 s could no longer be acknowledged and was lost.
    let h = Harness::start().await;
    let holders = occupy_the_work_queue(&h, Duration::from_millis(3_500)).await;
    let started = Instant::now();
    let reply = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    let acknowledged = reply.callback.at.duration_since(started);
    assert!(
        acknowledged < CALLBACK_DEADLINE,
        "acknowledged after {acknowledged:?}"
    );
    assert_eq!(
        reply.callback_type, 5,
        "a deferral: {:?}",
        reply.callback.body
    );
    assert!(reply.deferred, "the answer came as an edit");
    assert!(
        reply.raw.to_string().contains("Sanjay Kumar Verma"),
        "{}",
        reply.raw
    );
    for holder in holders {
        holder.await.unwrap();
    }
    // With the queue free again, the answer is the response itself.
    let direct = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert_eq!(direct.callback_type, 4);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_autocomplete_whose_turn_does_not_come_in_time_gets_no_suggestions_in_time() {
    let h = Harness::start().await;
    let holders = occupy_the_work_queue(&h, Duration::from_millis(3_500)).await;
    let started = Instant::now();
    let handle = h
        .fake
        .send_autocomplete(
            "ask",
            json!([opt_focused("question", "who led the indian delegation")]),
            FakeUser::member(),
            true,
        )
        .await;
    let reply = h.fake.interaction_reply(&handle, T).await;
    let answered = reply.callback.at.duration_since(started);
    assert!(answered < CALLBACK_DEADLINE, "answered after {answered:?}");
    assert_eq!(reply.callback_type, 8);
    assert!(reply.choices.is_empty(), "{:?}", reply.choices);
    for holder in holders {
        holder.await.unwrap();
    }
    h.stop().await;
}
