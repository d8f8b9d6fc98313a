//! The command line as a user meets it: the built binary, its output and exit codes.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cyberbridge"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run cyberbridge")
}

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    run_with_stdin_bytes(args, stdin.as_bytes())
}

fn run_with_stdin_bytes(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cyberbridge");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `ask … | head -1` used to print `error: Broken pipe (os error 32)` and exit 2.
#[test]
fn regression_a_closed_stdout_ends_ask_quietly_with_exit_0() {
    let questions = "who led japan's delegation?\nwhen was the moc signed?\n".repeat(200);
    for _ in 0..3 {
        let mut child = bin()
            .args(["ask"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = {
            let questions = questions.clone();
            std::thread::spawn(move || {
                let _ = stdin.write_all(questions.as_bytes());
            })
        };
        // Like `head -1`: read one line, then close the pipe.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(first.starts_with("> who led"), "{first:?}");
        let output = child.wait_with_output().unwrap();
        let _ = writer.join();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(text(&output.stderr), "", "nothing on stderr");
    }
}

/// A decline with no suggestions used to run into the fingerprint line:
/// `…(confidence 0%).knowledge 985979015e3d`.
#[test]
fn regression_a_decline_without_suggestions_ends_its_line() {
    let output = run(&["ask", "zzzz qqqq"]);
    assert_eq!(output.status.code(), Some(0));
    let out = text(&output.stdout);
    assert!(out.contains("(confidence 0%).\nknowledge "), "{out:?}");
}

/// Unknown filter values used to decline silently at 0 %.
#[test]
fn regression_unknown_filter_values_exit_2_listing_the_valid_ones() {
    for (args, listed) in [
        (&["ask", "--topic", "weather", "x"][..], "telecom-5g"),
        (&["ask", "--party", "Narnia", "x"][..], "Japan"),
        (&["ask", "--year", "1999", "x"][..], "2017"),
        (&["ask", "--kind", "factoid", "x"][..], "commitment"),
        (&["facts", "--topic", "weather"][..], "telecom-5g"),
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = text(&output.stderr);
        assert!(err.contains(listed), "{args:?}: {err}");
    }
}

#[test]
fn a_topic_may_be_named_and_topics_and_facts_list_the_knowledge_base() {
    let output = run(&["ask", "--topic", "5G and telecom", "what about 5g?"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!text(&output.stdout).contains("confidence 0%"));

    let topics = text(&run(&["topics"]).stdout);
    assert!(
        topics.contains("telecom-5g") && topics.contains("5G and telecom"),
        "{topics}"
    );
    let all = text(&run(&["facts"]).stdout);
    let telecom = text(&run(&["facts", "--topic", "5G and telecom"]).stdout);
    assert!(all.lines().count() >= 45, "{all}");
    assert!(
        (1..all.lines().count()).contains(&telecom.lines().count()),
        "{telecom}"
    );
    assert!(
        telecom.contains("2022-dialogue-reviewed-cyber-cooperation"),
        "{telecom}"
    );
}

/// A missing knowledge file used to print the OS error twice and no hint; `serve` without
/// config.toml did not say how to make one.
#[test]
fn regression_missing_files_name_the_path_and_suggest_the_fix() {
    let output = run(&["ask", "--knowledge", "nowhere/knowledge.toml", "x"]);
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(err.contains("nowhere/knowledge.toml"), "{err}");
    assert!(err.contains("--knowledge"), "{err}");
    assert_eq!(err.matches("os error").count(), 0, "{err}");

    let dir = tempfile::tempdir().unwrap();
    let output = bin()
        .current_dir(dir.path())
        .args(["serve"])
        .env("DISCORD_TOKEN", "x")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(err.contains("cp config.example.toml config.toml"), "{err}");
}

/// `--help` describes `--knowledge`, lists `--kind`'s values, says what of a question is read;
/// a cut question is warned about.
#[test]
fn regression_help_describes_options_and_a_cut_question_is_warned_about() {
    let help = text(&run(&["ask", "--help"]).stdout);
    for needle in [
        "--knowledge <FILE>",
        "knowledge base to answer from",
        "fact",
        "commitment",
        "first 1000 characters and 16 distinct words",
    ] {
        assert!(help.contains(needle), "no {needle:?} in:\n{help}");
    }
    let output = run(&["ask", "--decline-below", "0.49", "who led japan?"]);
    assert_eq!(output.status.code(), Some(0));
    let long = format!("who led japan? {}", "x".repeat(1_200));
    let output = run(&["ask", &long]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stderr).contains("only the first 1000"),
        "{}",
        text(&output.stderr)
    );
}

/// Line N of JSON Lines out belongs to line N in, blank lines included.
#[test]
fn regression_json_lines_answer_every_line_with_its_question() {
    let input = "who led japan's delegation?\n\nzzzz qqqq\n   \nwhen was the moc signed?\n";
    let output = run_with_stdin(&["ask", "--json"], input);
    assert_eq!(output.status.code(), Some(0));
    let out = text(&output.stdout);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let questions: Vec<&str> = input.lines().collect();
    assert_eq!(lines.len(), questions.len(), "{out}");
    for (line, question) in lines.iter().zip(&questions) {
        assert_eq!(line["question"], *question, "{line}");
    }
    assert_eq!(lines[1]["status"], "empty");
    assert_eq!(lines[3]["status"], "empty");
    assert_eq!(lines[0]["status"], "answered");
    assert_eq!(lines[2]["status"], "no_match");
}

/// One line of invalid UTF-8 on stdin used to abort `ask --json` (exit 2); now it gets its
/// own error object and the next line is answered.
#[test]
fn regression_an_invalid_utf8_line_does_not_end_the_json_stream() {
    let input = b"who led japan's delegation?\n\xff\xfe bad\nwhen was the moc signed?\n";
    let output = run_with_stdin_bytes(&["ask", "--json"], input);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0]["status"], "answered");
    assert_eq!(
        lines[1],
        serde_json::json!({"status": "error", "line": 2, "error": "invalid UTF-8 at byte 1",
                           "question": "\u{FFFD}\u{FFFD} bad"})
    );
    assert_eq!(lines[2]["status"], "answered");
    // Text mode: answers on stdout, the skipped line on stderr, exit 0.
    let output = run_with_stdin_bytes(&["ask"], input);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stderr).contains("line 2: invalid UTF-8"),
        "{}",
        text(&output.stderr)
    );
}

/// Text mode echoes each question before its answer.
#[test]
fn regression_text_mode_echoes_each_question() {
    let output = run_with_stdin(&["ask"], "who led japan's delegation?\nzzzz qqqq\n");
    let out = text(&output.stdout);
    let first = out.find("> who led japan's delegation?").expect(&out);
    let second = out.find("> zzzz qqqq").expect(&out);
    assert!(first < second);
    assert!(out[first..second].contains("Masato Otaka"), "{out}");
}

/// `serve --help` documents RUST_LOG and --log-format; `check` with a missing sources folder
/// says what to do, and without one says what it skipped.
#[test]
fn regression_check_explains_sources_and_serve_help_documents_logging() {
    let help = text(&run(&["serve", "--help"]).stdout);
    assert!(
        help.contains("RUST_LOG") && help.contains("--log-format"),
        "{help}"
    );

    let output = run(&["check", "--sources", "no/such/seeds"]);
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(
        err.contains("no/such/seeds") && err.contains("without --sources"),
        "{err}"
    );

    let output = run(&["check"]);
    assert_eq!(output.status.code(), Some(0));
    let out = text(&output.stdout);
    assert!(
        out.contains("not checked against the article texts"),
        "{out}"
    );
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("knowledge.toml")
        .exists());
}

/// `ask` reading a terminal prints a prompt. The terminal is util-linux `script`'s
/// pseudo-terminal; where `script` is missing the test says it skipped.
#[test]
fn regression_ask_at_a_terminal_prompts() {
    if !cfg!(target_os = "linux") || Command::new("script").arg("--version").output().is_err() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED regression_ask_at_a_terminal_prompts: util-linux `script` is not installed"
        );
        return;
    }
    let command = format!("{} ask", env!("CARGO_BIN_EXE_cyberbridge"));
    let mut child = Command::new("timeout")
        .args(["20", "script", "-qec", &command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"who led japan's delegation?\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let out = text(&output.stdout);
    assert!(out.contains("question> "), "{out:?}");
    assert!(out.contains("Masato Otaka"), "{out:?}");
}

/// `ask --session` reads stdin as one conversation; `--json` gains `read_as` and `carried`,
/// the other fields unchanged.
#[test]
fn ask_session_reads_follow_ups_in_the_context_of_the_last_answer() {
    let input = "who led Japan's delegation at the 2017 dialogue?\nand India's?\n\nwhat did they agree?\nWhen was the Memorandum of Cooperation signed?\n";
    let output = run_with_stdin(&["ask", "--session", "--json"], input);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "one line out per line in");
    assert_eq!(lines[0]["read_as"], serde_json::Value::Null);
    assert_eq!(lines[1]["question"], "and India's?");
    assert_eq!(
        lines[1]["read_as"],
        "who led India's delegation at the 2017 dialogue?"
    );
    assert_eq!(lines[1]["fact_id"], "sanjay-kumar-verma");
    assert!(lines[1]["carried"][0].as_str().unwrap().contains("who"));
    assert_eq!(lines[2]["status"], "empty");
    assert_eq!(
        lines[3]["read_as"],
        "what did India and Japan agree at the 2017 dialogue?"
    );
    assert_eq!(
        lines[4]["read_as"],
        serde_json::Value::Null,
        "a complete question"
    );
    // Without --session every line stands alone.
    let alone = run_with_stdin(&["ask", "--json"], "and India's?\n");
    assert!(!text(&alone.stdout).contains("read_as"));
    // In text mode the line before the answer says how it was read.
    let readable = run_with_stdin(&["ask", "--session"], input);
    assert!(text(&readable.stdout)
        .contains("(read as: who led India's delegation at the 2017 dialogue?; carried over: the question (who)"));
    // A question argument is one question: --session needs stdin.
    assert_eq!(run(&["ask", "--session", "when?"]).status.code(), Some(2));
}

/// A knowledge file with one fact, quoting `quote` from source `src-a`.
fn one_fact_knowledge(quote: &str) -> String {
    format!(
        r#"[meta]
title = "Test KB"
description = "A small knowledge base for tests."
updated = "2024-01-01"

[[sources]]
id = "src-a"
title = "Article A"
published = "2017"

[[topics]]
id = "dialogues"
name = "Cyber dialogues"
description = "The dialogues."

[[facts]]
id = "a-fact"
kind = "fact"
title = "India and Japan met"
answer = "India and Japan met."
answers = []
topics = ["dialogues"]
parties = ["India", "Japan"]
date = "2017"
[[facts.citations]]
source = "src-a"
quote = "{quote}"
"#
    )
}

#[test]
fn the_token_never_reaches_checks_output_whatever_file_holds_it() {
    // A hard link to the file holding the token passed for an article, and `check` quoted the
    // token in its "closest passage" hints. The value is redacted, whatever the path.
    let token = "MTAxNjQ4.secret-token.Zq9xR2";
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    // Named after the source the quote cites, so it is that source's article.
    std::fs::write(
        articles.join("src-a.txt"),
        format!("India and Japan met in Tokyo {token} and agreed to meet again."),
    )
    .unwrap();
    let knowledge = dir.path().join("knowledge.toml");
    std::fs::write(
        &knowledge,
        one_fact_knowledge("India and Japan met in Osaka and agreed to meet again."),
    )
    .unwrap();
    let output = bin()
        .env("DISCORD_TOKEN", token)
        .args(["check", "--knowledge"])
        .arg(&knowledge)
        .arg("--sources")
        .arg(&articles)
        .output()
        .unwrap();
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(all.contains("closest passage"), "{all}");
    assert!(!all.contains(token), "{all}");
    assert!(all.contains("[redacted]"), "{all}");
}

#[test]
fn a_source_id_that_could_break_out_of_drafts_comment_is_refused() {
    let output = run(&[
        "draft",
        "tests/fixtures/draft_article.txt",
        "--source",
        "x\n[[facts]]\nid = \"injected\"",
        "--no-knowledge",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("kebab-case"));
    assert!(!text(&output.stdout).contains("injected"));
}

/// Paths that name no regular file, each with the words the refusal must use: `/dev/zero`
/// (reading it never ends) and, where `mkfifo` is available, a FIFO (reading it blocks until
/// a writer comes). The folder holds the FIFO; keep it alive.
fn not_files() -> (tempfile::TempDir, Vec<(std::path::PathBuf, &'static str)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = vec![(Path::new("/dev/zero").to_path_buf(), "a character device")];
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        paths.push((fifo, "a FIFO"));
    } else {
        eprintln!("SKIPPED the FIFO cases: mkfifo is not available");
    }
    (dir, paths)
}

/// Runs the binary and kills it if it has not finished within `limit`: a read that blocks
/// fails the test instead of hanging it.
fn run_within(command: &mut Command, limit: std::time::Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cyberbridge");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}: {:?}\n{}",
                command.get_args().collect::<Vec<_>>(),
                text(&output.stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Each command, with `{}` where the hostile path goes, is refused within a few seconds
/// (the knowledge base is loaded first in a debug build) with the path and what it is.
fn assert_refused_at_once(commands: &[&[&str]]) {
    let (_dir, paths) = not_files();
    for (path, kind) in &paths {
        let path_text = path.to_str().unwrap();
        for args in commands {
            let args: Vec<&str> = args
                .iter()
                .map(|a| if *a == "{}" { path_text } else { a })
                .collect();
            let output = run_within(
                bin().args(&args).env("DISCORD_TOKEN", "x"),
                std::time::Duration::from_secs(20),
            );
            let err = text(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(path_text), "{args:?}: {err}");
            let refusal = format!("not a regular file ({kind})");
            assert_eq!(err.matches(&refusal).count(), 1, "{args:?}: {err}");
        }
    }
}

/// An eval set swapped for `/dev/zero` grew memory until allocation failed, and a FIFO
/// never returned.
#[test]
fn regression_an_eval_set_that_is_dev_zero_or_a_fifo_is_refused_at_once() {
    assert_refused_at_once(&[
        &["eval", "{}"],
        &["diff", "knowledge.toml", "knowledge.toml", "--eval", "{}"],
    ]);
}

/// `misses --log /dev/zero` reached 22.6 GB in 60 s; a FIFO hung it.
#[test]
fn regression_misses_logs_that_are_dev_zero_or_a_fifo_are_refused_at_once() {
    assert_refused_at_once(&[
        &[
            "misses",
            "--log",
            "{}",
            "--feedback",
            "tests/fixtures/feedback.log",
        ],
        &[
            "misses",
            "--log",
            "tests/fixtures/declined.log",
            "--feedback",
            "{}",
        ],
    ]);
}

/// `draft /dev/zero` reached 8.5 GB in 20 s; a FIFO hung it.
#[test]
fn regression_a_draft_article_that_is_dev_zero_or_a_fifo_is_refused_at_once() {
    assert_refused_at_once(&[&["draft", "{}", "--source", "ndm-cyber-dialogue-2017"]]);
}

/// `serve` refused a config linked to `/dev/zero`, but `diff --config` read it whole.
#[test]
fn regression_a_config_that_is_dev_zero_or_a_fifo_is_refused_at_once() {
    assert_refused_at_once(&[
        &["serve", "--config", "{}"],
        &["diff", "knowledge.toml", "knowledge.toml", "--config", "{}"],
    ]);
}

/// `--decline-below 1` meant 100 % while `2` meant 2 %, and every flag read its value that
/// way: a threshold or floor is a fraction in [0, 1] on every flag, anything above 1 is
/// refused (exit 2) saying to write 0.47, not 47.
#[test]
fn regression_every_threshold_and_floor_flag_takes_a_fraction_and_refuses_percentages() {
    let cases: [&[&str]; 5] = [
        &["ask", "--decline-below", "{}", "who led japan?"],
        &["eval", "tests/eval/tune.toml", "--min-top1", "{}"],
        &["eval", "tests/eval/tune.toml", "--min-declined", "{}"],
        &[
            "diff",
            "knowledge.toml",
            "knowledge.toml",
            "--min-top1",
            "{}",
        ],
        &[
            "diff",
            "knowledge.toml",
            "knowledge.toml",
            "--min-declined",
            "{}",
        ],
    ];
    for case in cases {
        let args: Vec<&str> = case
            .iter()
            .map(|a| if *a == "{}" { "47" } else { a })
            .collect();
        let output = run(&args);
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("0.47, not 47"), "{args:?}: {err}");
    }
    let output = run(&["ask", "--decline-below", "1", "who led japan's delegation?"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stdout).starts_with("I don't know that one"),
        "1 is 100 %: everything declines\n{}",
        text(&output.stdout)
    );
}

/// Declines and "Related:" print fact ids, but nothing showed a fact by id: `fact ID` prints
/// it as `ask` prints an answer, with every citation.
#[test]
fn fact_prints_a_fact_with_its_citations_as_ask_prints_an_answer() {
    let output = run(&["fact", "moc-signed-march-2022"]);
    let out = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        out.starts_with("India and Japan signed a Memorandum of Cooperation in March 2022\n"),
        "{out}"
    );
    assert!(
        out.contains("\n  “") && out.contains("\n  — India and Japan build"),
        "{out}"
    );
    assert!(
        out.contains("Topics: ") && out.contains("Parties: India, Japan"),
        "{out}"
    );
    assert!(
        out.trim_end().ends_with(&format!(
            "moc-signed-march-2022 · fact · 2022-03 · knowledge {}",
            shipped_fingerprint()
        )),
        "{out}"
    );
}

fn shipped_fingerprint() -> String {
    cyberbridge::knowledge::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
        .unwrap()
        .fingerprint
}

#[test]
fn an_unknown_fact_id_exits_2_suggesting_the_closest_ids() {
    let output = run(&["fact", "moc-signed-march-2021"]);
    let err = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no fact with the id or title \"moc-signed-march-2021\"; the closest:\n  moc-signed-march-2022  "),
        "{err}"
    );
    assert!(err.contains("`cyberbridge facts`"), "{err}");
}

/// The bot's first page of `list` as its ids, in order.
fn bot_list_ids(list: cyberbridge::bot::buttons::ListKind) -> Vec<String> {
    let kb =
        cyberbridge::knowledge::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
            .unwrap();
    let loaded = cyberbridge::bot::Loaded::new(kb, 0.47);
    let reply =
        cyberbridge::bot::render::list::first_page(&loaded, list, cyberbridge::bot::i18n::Lang::En);
    reply
        .embeds
        .iter()
        .flat_map(|e| e.description.as_deref().unwrap_or_default().lines())
        .filter_map(|line| {
            line.rsplit_once("(`")
                .map(|(_, id)| id.trim_end_matches("`)").to_string())
        })
        .collect()
}

/// `timeline` and `sources` list what Discord's `/timeline` and `/sources` show, in the same
/// order, from the same core calls.
#[test]
fn timeline_and_sources_list_what_discords_timeline_and_sources_show() {
    let output = run(&["timeline"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    let ids: Vec<String> = out
        .lines()
        .map(|l| {
            l.rsplit_once(" (")
                .unwrap()
                .1
                .trim_end_matches(')')
                .to_string()
        })
        .collect();
    let shown = bot_list_ids(cyberbridge::bot::buttons::ListKind::Timeline);
    assert!(shown.len() >= 5, "{shown:?}");
    assert_eq!(ids[..shown.len()], shown[..], "{out}");
    assert!(out.lines().next().unwrap().starts_with("2017"), "{out}");

    let output = run(&["sources"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    for needle in [
        "India and Japan build an enterprising cyber future\n  Daksh Kumar · 2022 — backs ",
        "Japan and India Reaffirm Promise to Protect Cyberspace <http://www.ndmcolumns.com/",
    ] {
        assert!(out.contains(needle), "no {needle:?} in:\n{out}");
    }
}

/// A Japanese or Hindi question got a bare 0 % decline on the command line, while the bot
/// says, in that language, that it answers in English only.
#[test]
fn regression_a_japanese_or_hindi_question_gets_the_bots_english_only_reply() {
    use cyberbridge::bot::i18n::{fill, Lang};
    for (lang, question) in [
        (Lang::Ja, "日本の代表団を率いたのは誰ですか"),
        (Lang::Hi, "भारत के प्रतिनिधिमंडल का नेतृत्व किसने किया"),
    ] {
        let expected = fill(
            lang,
            "ask.other_script",
            &[("topics", &"`cyberbridge topics`")],
        );
        let output = run(&["ask", question]);
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(text(&output.stdout), format!("{expected}\n"));
        let output = run(&["ask", "--json", question]);
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(value["status"], "no_match");
        assert_eq!(value["reason"], "not_english");
        assert_eq!(value["language"], lang.code());
        assert_eq!(value["message"], expected.as_str());
        assert_eq!(value["question"], question);
    }
}

/// `misses` with no log file said "No declined questions", as if the bot had declined none:
/// it now says the log does not exist, and where it looked.
#[test]
fn regression_misses_without_a_log_says_there_is_no_log_at_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let output = bin()
        .current_dir(dir.path())
        .args(["misses", "--knowledge"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
        .output()
        .unwrap();
    let out = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let log = std::path::absolute(dir.path().join("data/declined.log")).unwrap();
    assert!(
        out.contains(&format!("no declined-questions log at {}", log.display())),
        "{out}"
    );
    assert!(out.contains("no feedback log at "), "{out}");
    assert!(!out.contains("No declined questions"), "{out}");
}
