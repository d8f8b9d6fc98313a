//! The editor's workflow (issue 10) through the built binary: `diff`, `draft`, `misses`.

use std::path::Path;
use std::process::{Command, Output};

use cyberbridge::bot::{Bot, BotOptions};
use cyberbridge::config::AdminConfig;
use cyberbridge::knowledge::LoadOptions;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cyberbridge"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run cyberbridge")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn shipped() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml")).unwrap()
}

/// The shipped file with one fact's answer reworded, one fact removed and one added.
fn edited() -> String {
    let mut text = shipped().replacen(
        "India and Japan signed a Memorandum of Cooperation (MoC) in March 2022",
        "India and Japan inked a Memorandum of Cooperation (MoC) in March 2022",
        1,
    );
    text.push_str(
        r#"
[[facts]]
id = "quokka-protocol"
kind = "fact"
title = "The Quokka Protocol was agreed in 2031"
answer = "India and Japan agreed the Quokka Protocol in 2031."
topics = ["dialogues"]
parties = ["India", "Japan"]
date = "2031"
[[facts.citations]]
source = "ndm-cyber-dialogue-2017"
quote = "The Quokka Protocol was agreed."
"#,
    );
    text
}

fn options(path: &Path) -> BotOptions {
    BotOptions {
        knowledge_path: path.to_path_buf(),
        eval: None,
        admin: AdminConfig::default(),
        questions_per_minute: std::num::NonZeroU32::new(10).unwrap(),
        decline_below: cyberbridge::search::score::DEFAULT_DECLINE_BELOW,
        declined_log: None,
        feedback_log: None,
        load: LoadOptions::default(),
        max_removed_share: 1.0,
    }
}

/// Issue 10, point 3: `diff OLD NEW` and the `/reload` that follows report the same changes,
/// because both call `knowledge::diff` (the reload used to compare `Debug` strings).
#[test]
fn diff_and_reload_report_the_same_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.toml"), dir.path().join("new.toml"));
    std::fs::write(&old, shipped()).unwrap();
    std::fs::write(&new, edited()).unwrap();

    let out = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}{}", text(&out.stderr));
    let ids = |sign: char| -> Vec<String> {
        let mut ids: Vec<String> = printed
            .lines()
            .filter_map(|l| l.strip_prefix(sign).and_then(|r| r.strip_prefix(' ')))
            .map(|r| r.split(':').next().unwrap().to_string())
            .collect();
        ids.dedup();
        ids
    };
    assert_eq!(ids('+'), ["quokka-protocol"], "{printed}");
    assert_eq!(ids('~'), ["moc-signed-march-2022"], "{printed}");
    assert!(
        printed.contains("~ moc-signed-march-2022: answer"),
        "{printed}"
    );

    let live = dir.path().join("knowledge.toml");
    std::fs::write(&live, shipped()).unwrap();
    let bot = Bot::new(options(&live)).unwrap();
    std::fs::write(&live, edited()).unwrap();
    let report = bot.reload_now().unwrap();
    assert_eq!(report.diff.added, ids('+'));
    assert_eq!(report.diff.removed, ids('-'));
    assert_eq!(report.diff.changed_ids(), ids('~'));
    let shown = cyberbridge::bot::reload::render_report(&report).plain_text();
    assert!(shown.contains("`quokka-protocol`"), "{shown}");
    assert!(shown.contains("`moc-signed-march-2022: answer`"), "{shown}");
    // And the diff's own text lines are what the reload computed.
    for line in report.diff.lines() {
        assert!(printed.contains(&line), "{line} missing from\n{printed}");
    }
}

/// Issue 10, point 3: a file a reload would refuse makes `diff` exit 1.
#[test]
fn diff_exits_1_when_a_reload_would_refuse_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.toml"), dir.path().join("new.toml"));
    std::fs::write(&old, shipped()).unwrap();
    std::fs::write(
        &new,
        shipped().replacen("kind = \"fact\"", "kind = \"factoid\"", 1),
    )
    .unwrap();
    let out = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("would not load"));
    // Below the floor on a question set.
    std::fs::write(&new, edited()).unwrap();
    let out = run(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--eval",
        "tests/eval/tune.toml",
        "--min-top1",
        "0.999",
    ]);
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("top-1") && printed.contains("below the eval floors"),
        "{printed}"
    );
}
