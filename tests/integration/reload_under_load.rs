//! Reload under load: eight askers put questions through the whole path (fake gateway →
//! serenity → bot → callback) while the knowledge file is reloaded 200 times, alternating a
//! good and a broken version. Every answer must be complete and come from one
//! good version (its footer's fingerprint and its "why" button's agree, and are one of the
//! good versions'); a broken version must never be served; the last good version wins.

use crate::fake_discord;
use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;

use cyberbridge::bot::reload::ReloadError;
use cyberbridge::knowledge;
use fake_discord::*;
use support::*;

const RELOADS: usize = 200;
const ASKERS: u64 = 8;

/// The good version of reload `i` (even `i`): the shipped file and the shipped file plus
/// the quokka fact, in turn; odd `i` is broken (a syntax error or an unknown source).
fn version(i: usize, good: &[String; 2], broken: &[String; 2]) -> (&'static str, String) {
    match i % 4 {
        0 => ("good A", good[0].clone()),
        2 => ("good B", good[1].clone()),
        1 => ("broken syntax", broken[0].clone()),
        _ => ("broken reference", broken[1].clone()),
    }
}

/// Questions the askers cycle through: both versions answer the first ones; only B knows
/// the last.
const QUESTIONS: [&str; 4] = [
    KNOWN_QUESTION,
    "When was the Memorandum of Cooperation signed?",
    "Who led Japan's delegation in 2017?",
    NEW_FACT_QUESTION,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_stay_whole_while_the_knowledge_base_is_reloaded_200_times() {
    // Each version is written whole before its reload: the 100 ms settle the other tests
    // keep would only add 20 s of waiting to the 200 reloads.
    let h = Arc::new(
        Harness::start_with(Options {
            settle: Some(std::time::Duration::ZERO),
            ..Options::default()
        })
        .await,
    );
    let good = [shipped_knowledge(), knowledge_with_new_fact()];
    let unknown_source =
        shipped_knowledge() + &NEW_FACT_TOML.replace("ndm-cyber-dialogue-2017", "no-such-source");
    let broken = [broken_knowledge(), unknown_source];
    let fp_a = knowledge::parse(&h.knowledge, &good[0])
        .unwrap()
        .fingerprint;
    let fp_b = knowledge::parse(&h.knowledge, &good[1])
        .unwrap()
        .fingerprint;
    for text in &broken {
        assert!(knowledge::parse(&h.knowledge, text).is_err());
    }
    assert_eq!(h.fingerprint(), fp_a, "starts on the shipped file");

    // The reloader bumps this after each reload and drops it when done. An asker asks once
    // per reload: enough to overlap every one of them, without eight tight loops starving the
    // reloads of the two cores.
    let (reloaded, _) = tokio::sync::watch::channel(0usize);
    let mut askers = Vec::new();
    for n in 0..ASKERS {
        let h = Arc::clone(&h);
        let mut next_reload = reloaded.subscribe();
        let (fp_a, fp_b) = (fp_a.clone(), fp_b.clone());
        askers.push(tokio::spawn(async move {
            let user = FakeUser::new(
                1_200_000_000_000_000_100 + n,
                &format!("asker{n}"),
                1_300_000_000_000_000_100 + n,
            )
            .with_roles(&[MEMBER_ROLE_ID]);
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            let mut i = n as usize;
            loop {
                let question = QUESTIONS[i % QUESTIONS.len()];
                i += 1;
                let reply = h.ask(question, user.clone()).await;
                let what = format!("asker {n}, {question:?}: {}", reply.raw);
                if reply.is_ephemeral() {
                    // Only the quokka question may be declined: by version A, which lacks it.
                    assert_eq!(question, NEW_FACT_QUESTION, "declined: {what}");
                    assert!(reply.text().contains("I don't know"), "{what}");
                    *seen.entry("declined".into()).or_default() += 1;
                } else {
                    let fp = answer_fingerprint(&reply).unwrap_or_else(|| panic!("{what}"));
                    assert!(fp == fp_a || fp == fp_b, "unknown version {fp}: {what}");
                    if question == NEW_FACT_QUESTION {
                        assert_eq!(fp, fp_b, "only B has the quokka fact: {what}");
                    }
                    let embed = &reply.embeds[0];
                    assert!(
                        embed["title"].as_str().is_some_and(|t| !t.is_empty()),
                        "{what}"
                    );
                    assert!(embed["description"].as_str().is_some(), "{what}");
                    let quote = embed["fields"][0]["value"].as_str().unwrap_or_default();
                    assert!(quote.starts_with("> "), "a quote: {what}");
                    let why = reply
                        .custom_ids()
                        .into_iter()
                        .find(|id| id.starts_with("why:"))
                        .unwrap_or_else(|| panic!("a why button: {what}"));
                    assert!(
                        why.starts_with(&format!("why:{fp}:")),
                        "footer and button name the same version: {what}"
                    );
                    *seen.entry(fp).or_default() += 1;
                }
                // After the last reload, one more question asks the final state.
                if next_reload.changed().await.is_err() {
                    let _ = h.ask(QUESTIONS[0], user.clone()).await;
                    return seen;
                }
            }
        }));
    }

    let bot = Arc::clone(&h.bot);
    let path = h.knowledge.clone();
    let reloads = tokio::task::spawn_blocking(move || {
        let reloaded = reloaded;
        let started = std::time::Instant::now();
        let mut failed = 0;
        for i in 0..RELOADS {
            let (name, text) = version(i, &good, &broken);
            std::fs::write(&path, &text).unwrap();
            // The function /reload and SIGHUP run.
            match (bot.reload_now(), name.starts_with("good")) {
                (Ok(report), true) => {
                    assert_eq!(report.after.fingerprint, bot.current().kb().fingerprint);
                }
                (Err(ReloadError::Load(err)), false) => {
                    let first = err.headlines().first().cloned().unwrap_or_default();
                    assert!(first.contains("knowledge.toml:"), "reload {i}: {first}");
                    failed += 1;
                }
                (result, _) => panic!("reload {i} ({name}): {:?}", result.map(|r| r.after)),
            }
            reloaded.send_replace(i + 1);
        }
        eprintln!("{RELOADS} reloads took {:?}", started.elapsed());
        failed
    });
    let failed = reloads.await.expect("the reloads did not panic");
    assert_eq!(failed, RELOADS / 2, "every broken version refused");

    let mut total: BTreeMap<String, usize> = BTreeMap::new();
    for asker in askers {
        for (version, n) in asker.await.expect("no asker saw a bad answer") {
            *total.entry(version).or_default() += n;
        }
    }
    eprintln!("answers by version during {RELOADS} reloads: {total:?}");
    assert!(total.values().sum::<usize>() >= ASKERS as usize * 2);

    // The last good version (reload 198, B) is the one serving, and it answers its new fact.
    assert_eq!(h.fingerprint(), fp_b);
    let last = h.ask(NEW_FACT_QUESTION, FakeUser::member()).await;
    assert!(!last.is_ephemeral(), "{}", last.text());
    assert_eq!(answer_fingerprint(&last), Some(fp_b));

    match Arc::try_unwrap(h) {
        Ok(h) => h.stop().await,
        Err(_) => panic!("an asker still holds the harness"),
    }
}
