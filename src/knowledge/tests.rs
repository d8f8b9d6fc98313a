//! Loader tests: one per rule, each asserting the exact line and column reported.

use std::path::Path;

use super::*;

const VALID: &str = r#"[meta]
title = "Test base"
description = "For tests"
updated = "2026-11-22"

[[sources]]
id = "article-one"
title = "Article one"
url = "https://example.org/one"
published = "2022-06"

[[topics]]
id = "dialogues"
name = "Dialogues"
description = "Meetings"

[[synonyms]]
terms = ["moc", "memorandum of cooperation"]

[[facts]]
id = "first-fact"
kind = "fact"
title = "A first fact"
answer = "Something happened."
topics = ["dialogues"]
parties = ["India", "Japan"]
date = "2022-06"
questions = ["what happened?"]
[[facts.citations]]
source = "article-one"
quote = "Something happened in June."

[[facts]]
id = "second-fact"
kind = "commitment"
title = "A promise"
answer = "They promised."
topics = ["dialogues"]
[[facts.citations]]
source = "article-one"
quote = "They promised to meet again."
"#;

/// Parses `text` and returns the problems as `line:column: message` (without the path).
fn problems(text: &str) -> Vec<String> {
    match parse(Path::new("k.toml"), text) {
        Ok(_) => Vec::new(),
        Err(LoadError::Invalid { diagnostics, .. }) => diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect(),
        Err(other) => panic!("unexpected error {other}"),
    }
}

fn assert_single_problem(text: &str, expected: &str) {
    let found = problems(text);
    assert_eq!(found, vec![expected.to_string()], "\nfull list: {found:#?}");
}

#[test]
fn the_valid_fixture_loads_with_all_its_parts() {
    let kb = parse(Path::new("k.toml"), VALID).unwrap();
    assert_eq!(kb.facts.len(), 2);
    assert_eq!(kb.commitments().count(), 1);
    assert_eq!(kb.facts[0].date.unwrap().to_string(), "2022-06");
    assert_eq!(kb.synonyms[0].terms, ["moc", "memorandum of cooperation"]);
    assert_eq!(kb.fingerprint.len(), 12);
}

#[test]
fn fingerprint_changes_with_the_content() {
    let a = parse(Path::new("k.toml"), VALID).unwrap();
    let b = parse(
        Path::new("k.toml"),
        &VALID.replace("They promised.", "They agreed."),
    )
    .unwrap();
    assert_ne!(a.fingerprint, b.fingerprint);
}

#[test]
fn syntax_error_is_located() {
    let text = VALID.replace("kind = \"fact\"", "kind = \"fact");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("22:") && found[0].contains("invalid TOML"),
        "{found:?}"
    );
}

#[test]
fn unknown_key_is_located() {
    let text = VALID.replace(
        "title = \"A promise\"",
        "title = \"A promise\"\nsumary = \"typo\"",
    );
    assert_single_problem(&text, "37:1: unknown key `sumary` in `facts`; expected one of: id, kind, title, answer, topics, parties, date, event, questions, keywords, answers, citations");
}

/// An unknown key used to stop the load before the meaning checks: a bad `kind` and an
/// unknown topic further on only showed once the key was fixed.
#[test]
fn regression_an_unknown_key_does_not_hide_the_other_problems() {
    let text = VALID
        .replace(
            "title = \"A promise\"",
            "title = \"A promise\"\nsumary = \"typo — with a multi-byte dash\"",
        )
        .replace("kind = \"commitment\"", "kind = \"promise\"")
        .replace(
            "topics = [\"dialogues\"]\n[[facts.citations]]\nsource = \"article-one\"\nquote = \"They",
            "topics = [\"dialogs\"]\n[[facts.citations]]\nsource = \"article-one\"\nquote = \"They",
        )
        .replace("url = \"https://example.org/one\"", "url = \"https://example.org/one\"\nauthr = [\n  \"x\",\n]");
    assert_eq!(
        problems(&text),
        [
            "10:1: unknown key `authr` in `sources`; expected one of: id, title, author, publisher, url, published, note, text_file, article",
            "38:8: kind \"promise\" must be \"fact\" or \"commitment\"",
            "40:1: unknown key `sumary` in `facts`; expected one of: id, kind, title, answer, topics, parties, date, event, questions, keywords, answers, citations",
            "42:11: unknown topic \"dialogs\"",
        ]
    );
}

#[test]
fn wrong_type_is_located() {
    let text = VALID.replace("published = \"2022-06\"", "published = 2022");
    assert_single_problem(
        &text,
        "10:13: `sources.published` must be a string; found integer",
    );
}

#[test]
fn missing_key_points_at_its_table() {
    let text = VALID.replace("answer = \"They promised.\"\n", "");
    assert_single_problem(&text, "33:1: missing required key `answer` in `facts`");
}

#[test]
fn duplicate_id_names_the_first_definition() {
    let text = VALID.replace("id = \"second-fact\"", "id = \"first-fact\"");
    assert_single_problem(
        &text,
        "34:6: duplicate fact id \"first-fact\" (first defined on line 21)",
    );
}

#[test]
fn id_must_be_kebab_case() {
    let text = VALID.replace("id = \"second-fact\"", "id = \"Second_Fact\"");
    assert_single_problem(&text, "34:6: fact id \"Second_Fact\" must be kebab-case (lowercase letters, digits and single hyphens)");
}

#[test]
fn unknown_source_and_topic_are_located() {
    let text = VALID
        .replace(
            "topics = [\"dialogues\"]\nparties",
            "topics = [\"dialogs\"]\nparties",
        )
        .replace(
            "source = \"article-one\"\nquote = \"They",
            "source = \"article-two\"\nquote = \"They",
        );
    assert_eq!(
        problems(&text),
        [
            "25:11: unknown topic \"dialogs\"",
            "40:10: unknown source \"article-two\""
        ]
    );
}

#[test]
fn bad_kind_is_located() {
    let text = VALID.replace("kind = \"commitment\"", "kind = \"promise\"");
    assert_single_problem(
        &text,
        "35:8: kind \"promise\" must be \"fact\" or \"commitment\"",
    );
}

#[test]
fn invalid_date_is_located() {
    let text = VALID.replace("date = \"2022-06\"", "date = \"2022-02-30\"");
    assert_single_problem(
        &text,
        "27:8: invalid date \"2022-02-30\": day 30 does not exist in that month",
    );
}

#[test]
fn empty_answer_and_quote_are_rejected() {
    let text = VALID
        .replace("answer = \"They promised.\"", "answer = \"  \"")
        .replace("quote = \"They promised to meet again.\"", "quote = \"\"");
    assert_eq!(
        problems(&text),
        [
            "37:10: answer must not be empty",
            "41:9: quote must not be empty"
        ]
    );
}

#[test]
fn overlong_quote_is_rejected() {
    let long = "x".repeat(MAX_QUOTE_CHARS + 1);
    let text = VALID.replace("They promised to meet again.", &long);
    assert_single_problem(&text, "41:9: quote is 601 characters; the limit is 600");
}

#[test]
fn fact_without_citation_or_topic_is_rejected() {
    let text = VALID
        .replace("topics = [\"dialogues\"]\n[[facts.citations]]\nsource = \"article-one\"\nquote = \"They promised to meet again.\"\n", "topics = []\ncitations = []\n");
    assert_eq!(
        problems(&text),
        [
            "34:6: fact \"second-fact\" must list at least one topic",
            "34:6: fact \"second-fact\" must cite at least one source"
        ]
    );
}

#[test]
fn synonym_group_needs_two_terms_and_terms_belong_to_one_group() {
    let text = VALID.replace(
        "terms = [\"moc\", \"memorandum of cooperation\"]",
        "terms = [\"moc\", \"memorandum of cooperation\"]\n[[synonyms]]\nterms = [\"MoC\"]",
    );
    assert_eq!(
        problems(&text),
        [
            "20:9: a synonym group needs at least two terms",
            "20:10: synonym \"moc\" is already in a group on line 18; merge the two groups"
        ]
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let text = VALID
        .replace("kind = \"commitment\"", "kind = \"promise\"")
        .replace("date = \"2022-06\"", "date = \"June\"")
        .replace("url = \"https://example.org/one\"", "url = \"example.org\"")
        .replace(
            "source = \"article-one\"\nquote = \"They",
            "source = \"nope\"\nquote = \"They",
        );
    assert_eq!(problems(&text).len(), 4, "{:#?}", problems(&text));
}

#[test]
fn quotes_are_checked_against_the_sources_text_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("one.txt"),
        "Intro. Something  happened\nin June. Then \u{201C}they\u{201D} talked.",
    )
    .unwrap();
    let text = VALID.replace(
        "published = \"2022-06\"",
        "published = \"2022-06\"\ntext_file = \"one.txt\"",
    );
    let found = match parse(&dir.path().join("k.toml"), &text) {
        Err(LoadError::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("expected the second quote to be missing, got {other:?}"),
    };
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), (42, 9));
    assert!(
        found[0].message.starts_with("quote not found verbatim in"),
        "{}",
        found[0].message
    );
}

#[test]
fn missing_text_file_is_reported_at_its_key() {
    let text = VALID.replace(
        "published = \"2022-06\"",
        "published = \"2022-06\"\ntext_file = \"gone.txt\"",
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("11:13: cannot read text_file"),
        "{found:?}"
    );
}

#[test]
fn sources_dir_reports_misquotes_with_the_closest_passage() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("article-one.txt"),
        "Something happened in June. They promised to meet again. Next year.",
    )
    .unwrap();
    let text = VALID.replace("Something happened in June.", "Something happened in July.");
    let options = LoadOptions {
        sources_dir: Some(dir.path().to_path_buf()),
        ..LoadOptions::default()
    };
    let Err(LoadError::Invalid { diagnostics, .. }) =
        parse_with(Path::new("k.toml"), &text, &options)
    else {
        panic!("expected a misquote");
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!((diagnostics[0].line, diagnostics[0].column), (31, 9));
    assert!(
        diagnostics[0].message.contains("closest passage"),
        "{}",
        diagnostics[0].message
    );
    assert!(
        diagnostics[0]
            .message
            .contains("Something happened in June."),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn unreadable_file_names_the_path() {
    let err = load(Path::new("/definitely/not/here.toml")).unwrap_err();
    assert!(matches!(err, LoadError::Unreadable { .. }));
    assert!(
        err.to_string().contains("/definitely/not/here.toml"),
        "{err}"
    );
}

/// The problems of `text` checked with the sources folder `dir`.
fn folder_problems(dir: &Path, text: &str) -> Vec<String> {
    let options = LoadOptions {
        sources_dir: Some(dir.to_path_buf()),
        ..LoadOptions::default()
    };
    match parse_with(Path::new("k.toml"), text, &options) {
        Ok(_) => Vec::new(),
        Err(LoadError::Invalid { diagnostics, .. }) => diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect(),
        Err(other) => panic!("unexpected error {other}"),
    }
}

/// `VALID` with a second source, `article-two`, which the commitment cites.
fn two_sources() -> String {
    VALID
        .replace(
            "[[topics]]",
            "[[sources]]\nid = \"article-two\"\ntitle = \"Article two\"\n\n[[topics]]",
        )
        .replace(
            "source = \"article-one\"\nquote = \"They",
            "source = \"article-two\"\nquote = \"They",
        )
}

/// `check --sources` used to accept a quote found in any article of the folder, not the one
/// its source is: a quote cited to the wrong source passed.
#[test]
fn regression_a_quote_must_be_in_its_own_sources_article() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("article-one.txt"),
        "Something happened in June. They promised to meet again.",
    )
    .unwrap();
    std::fs::write(dir.path().join("article-two.txt"), "Nothing was promised.").unwrap();
    let found = folder_problems(dir.path(), &two_sources());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("45:9: quote not found verbatim in")
            && found[0].contains("article-two.txt, the article of source \"article-two\"")
            && found[0].contains("article-one.txt: cite that article's source"),
        "{found:#?}"
    );
    // Each in its own article: accepted.
    std::fs::write(
        dir.path().join("article-two.txt"),
        "They promised to meet again.",
    )
    .unwrap();
    assert_eq!(
        folder_problems(dir.path(), &two_sources()),
        Vec::<String>::new()
    );
}

#[test]
fn a_sources_article_key_names_its_file_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("001_abc.txt"),
        "Something happened in June. They promised to meet again.",
    )
    .unwrap();
    let text = VALID.replace(
        "published = \"2022-06\"",
        "published = \"2022-06\"\narticle = \"001_abc.txt\"",
    );
    assert_eq!(folder_problems(dir.path(), &text), Vec::<String>::new());
    // Without a folder, the key is not read.
    assert_eq!(problems(&text), Vec::<String>::new());
    let wrong = text.replace("001_abc.txt", "002_def.txt");
    let found = folder_problems(dir.path(), &wrong);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("11:11: article \"002_def.txt\" of source \"article-one\" is not")
            && found[0].ends_with("(it has: 001_abc.txt)"),
        "{found:#?}"
    );
}

#[test]
fn a_source_whose_article_cannot_be_told_is_reported_not_matched_to_any_file() {
    let dir = tempfile::tempdir().unwrap();
    // Every quote is in this file, but nothing says it is article-one's.
    std::fs::write(
        dir.path().join("a.txt"),
        "Something happened in June. They promised to meet again.",
    )
    .unwrap();
    let found = folder_problems(dir.path(), VALID);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("7:6: source \"article-one\": which article of")
            && found[0].contains("no file is named article-one.txt")
            && found[0].ends_with("naming one of: a.txt"),
        "{found:#?}"
    );
    // Two keys naming its text: ambiguous, with or without a folder.
    let both = VALID.replace(
        "published = \"2022-06\"",
        "published = \"2022-06\"\ntext_file = \"a.txt\"\narticle = \"a.txt\"",
    );
    let found = folder_problems(dir.path(), &both);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("12:11:") && p.contains("ambiguous")),
        "{found:#?}"
    );
}

/// The problems of `VALID` with `text_file = name`, the knowledge file in `dir`.
fn text_file_problems(dir: &Path, name: &str) -> Vec<Diagnostic> {
    let text = VALID.replace(
        "published = \"2022-06\"",
        &format!("published = \"2022-06\"\ntext_file = \"{name}\""),
    );
    match parse(&dir.join("k.toml"), &text) {
        Err(LoadError::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("expected {name} to be refused, got {other:?}"),
    }
}

#[test]
fn regression_text_file_naming_the_config_never_shows_its_content() {
    // `text_file = "config.toml"` used to print the bot token as the "closest passage" in
    // `check`, in the `/reload` reply and in the log. A `text_file` must be a `*.txt` file
    // inside the knowledge file's folder or the sources folder, after following symlinks;
    // anything else is refused before it is opened.
    let dir = tempfile::tempdir().unwrap();
    let secret = "token = \"They promised to meet again SECRET-TOKEN-123\"";
    std::fs::write(dir.path().join("config.toml"), secret).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("leak.txt"), secret).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("leak.txt"), dir.path().join("link.txt"))
        .unwrap();
    let mut names = vec![
        "config.toml".to_string(),
        "../leak.txt".to_string(),
        outside.path().join("leak.txt").display().to_string(),
    ];
    if cfg!(unix) {
        names.push("link.txt".into());
    }
    for name in names {
        let found = text_file_problems(dir.path(), &name);
        assert_eq!(found.len(), 1, "{name}: {found:#?}");
        let shown = found[0].to_string();
        assert!(
            shown.contains("refused") || shown.contains("cannot read"),
            "{name}: {shown}"
        );
        assert!(!shown.contains("SECRET"), "{name} leaked: {shown}");
    }
}

#[test]
fn regression_a_closest_passage_is_a_short_excerpt() {
    // The diagnostic may quote an article, but only a short excerpt: never a whole file.
    let dir = tempfile::tempdir().unwrap();
    let long_word = "x".repeat(5_000);
    std::fs::write(
        dir.path().join("one.txt"),
        format!("Something happened {long_word} in June. Then they talked."),
    )
    .unwrap();
    let found = text_file_problems(dir.path(), "one.txt");
    assert!(
        found.iter().any(|d| d.message.contains("closest passage")),
        "{found:#?}"
    );
    for d in &found {
        assert!(d.message.chars().count() < 400, "{}", d.message);
    }
}

#[test]
fn regression_invalid_utf8_in_the_knowledge_file_has_a_location() {
    // Invalid UTF-8 used to be reported with no location.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.toml");
    let mut bytes = VALID.as_bytes().to_vec();
    let at = VALID.find("Test base").unwrap();
    bytes[at + 2] = 0xff;
    std::fs::write(&path, bytes).unwrap();
    let err = load(&path).unwrap_err();
    let headlines = err.headlines();
    assert_eq!(headlines.len(), 1, "{headlines:?}");
    let line = VALID[..at].matches('\n').count() + 1;
    let column = VALID[..at].rsplit('\n').next().unwrap().chars().count() + 3;
    assert!(
        headlines[0].ends_with(&format!(
            "k.toml:{line}:{column}: invalid UTF-8 (byte {} of the file)",
            at + 2
        )),
        "{headlines:?}"
    );
}

#[test]
fn regression_thirty_thousand_problems_are_reported_in_linear_time_and_capped() {
    // Each diagnostic used to rescan the file up to its line: 10k errors took 13 s to
    // report, 30k 109 s, 100k did not finish in 600 s.
    const PROBLEMS: usize = 30_000;
    let text = with_bad_dates(PROBLEMS);
    // Small, then large: the time grows about tenfold when linear, a hundredfold when
    // quadratic. CPU time of this thread, so that a loaded machine does not fail it.
    let small = with_bad_dates(PROBLEMS / 10);
    let (_, spent_small) = thread_cpu(|| {
        let err = parse(Path::new("k.toml"), &small).unwrap_err();
        (err.to_string(), err.headlines())
    });
    let ((shown, headlines, err), spent) = thread_cpu(|| {
        let err = parse(Path::new("k.toml"), &text).unwrap_err();
        (err.to_string(), err.headlines(), err)
    });
    let LoadError::Invalid { diagnostics, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(diagnostics.len(), PROBLEMS);
    // The last one is located as exactly as the first.
    let last = diagnostics.last().unwrap();
    assert_eq!(
        last.line,
        text[..text.rfind("2017-13").unwrap()].matches('\n').count() + 1
    );
    assert_eq!(
        shown.matches(": error: ").count(),
        MAX_SHOWN_PROBLEMS,
        "in full"
    );
    assert!(shown.contains(&format!(
        "… and {} more not shown",
        PROBLEMS - MAX_SHOWN_PROBLEMS
    )));
    assert!(shown.ends_with(&format!("k.toml: {PROBLEMS} problems found")));
    assert_eq!(headlines.len(), MAX_SHOWN_PROBLEMS + 1);
    // Quadratic took 109 s for 30k in a release build; linear takes ~1 s in release.
    assert!(
        spent < spent_small * 30,
        "{spent:?} for {PROBLEMS}, {spent_small:?} for a tenth"
    );
}

/// A valid file followed by `problems` facts, each with one bad date.
fn with_bad_dates(problems: usize) -> String {
    let mut text = VALID.to_string();
    for i in 0..problems {
        text.push_str(&format!(
            "\n[[facts]]\nid = \"bad-{i}\"\nkind = \"fact\"\ntitle = \"T\"\nanswer = \"A.\"\n\
             topics = [\"dialogues\"]\ndate = \"2017-13\"\n[[facts.citations]]\n\
             source = \"article-one\"\nquote = \"q\"\n"
        ));
    }
    text
}

/// `work`'s result and the CPU time this thread spent on it.
fn thread_cpu<T>(work: impl FnOnce() -> T) -> (T, std::time::Duration) {
    fn now() -> std::time::Duration {
        let mut spent = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `spent` is a valid timespec for the call to fill.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut spent) } == 0;
        assert!(ok, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
        std::time::Duration::new(spent.tv_sec as u64, spent.tv_nsec as u32)
    }
    let started = now();
    let out = work();
    (out, now() - started)
}

#[cfg(unix)]
#[test]
fn regression_a_sources_folder_link_out_is_refused_unread() {
    // The sources folder too: a symlink out of it could show a secret as a "closest
    // passage", so it is refused unread.
    let sources = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.txt"),
        "SECRET-TOKEN-456 Something",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        sources.path().join("a.txt"),
    )
    .unwrap();
    let options = LoadOptions {
        sources_dir: Some(sources.path().to_path_buf()),
        ..LoadOptions::default()
    };
    let Err(LoadError::Invalid { diagnostics, .. }) =
        parse_with(Path::new("k.toml"), VALID, &options)
    else {
        panic!("expected the link to be refused");
    };
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        shown
            .iter()
            .any(|d| d.contains("outside the sources folder")),
        "{shown:#?}"
    );
    assert!(shown.iter().all(|d| !d.contains("SECRET")), "{shown:#?}");
}

/// The shipped knowledge base, for the lookup rules below.
fn shipped() -> KnowledgeBase {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml")).unwrap()
}

#[test]
fn a_topic_is_found_by_id_or_name_in_any_case_or_by_a_unique_prefix() {
    let kb = shipped();
    let id = |typed: &str| kb.find_topic(typed).map(|t| t.id.as_str());
    assert_eq!(id("telecom-5g"), Some("telecom-5g"));
    assert_eq!(id(" TELECOM-5G "), Some("telecom-5g"));
    let name = kb.topic("telecom-5g").unwrap().name.to_uppercase();
    assert_eq!(id(&name), Some("telecom-5g"));
    assert_eq!(
        id("tele"),
        Some("telecom-5g"),
        "a prefix only one topic has"
    );
    assert_eq!(
        id("d"),
        None,
        "a prefix several topics share is not guessed"
    );
    assert_eq!(id("cooking"), None);
    assert_eq!(id("  "), None);
}

#[test]
fn a_party_is_matched_in_any_case_and_spelt_as_the_knowledge_base_does() {
    let kb = shipped();
    assert_eq!(kb.find_party(" jAPAN "), Some("Japan"));
    assert_eq!(kb.find_party("Atlantis"), None);
}

#[test]
fn facts_and_commitments_are_counted_apart() {
    let kb = shipped();
    assert!(kb.commitment_count() > 0);
    assert_eq!(kb.fact_count() + kb.commitment_count(), kb.facts.len());
    let source = &kb.sources[0].id;
    assert!(kb.facts_citing(source) > 0 && kb.facts_citing("no-such-source") == 0);
}

#[test]
fn an_answer_that_says_more_than_its_sources_is_located() {
    // "Tokyo" and "2031" are in neither the quote nor the source's metadata; "June" (the
    // quote) and "2022" (the source's published date) are, and are not reported.
    let text = VALID.replace(
        "answer = \"Something happened.\"",
        "answer = \"Something happened in June 2022 and again in Tokyo in 2031.\"",
    );
    assert_eq!(
        problems(&text),
        [
            "24:56: the answer says \"Tokyo\", which none of its quotes nor its source's title, author, date or note says: an answer may only say what its sources say",
            "24:65: the answer says \"2031\", which none of its quotes nor its source's title, author, date or note says: an answer may only say what its sources say",
        ]
    );
}

#[test]
fn what_a_fact_answers_is_declared_from_the_vocabulary_the_file_extends() {
    let text = VALID
        .replace(
            "[[facts]]\nid = \"first-fact\"",
            "[[answer_types]]\nname = \"price\"\nasks = [\"price of\"]\nstates = [\"costs\"]\n\n\
             [[details]]\nname = \"colour\"\nwords = [\"colour\", \"color\"]\n\n\
             [[facts]]\nid = \"first-fact\"\nanswers = [\"price\", \"when\"]",
        )
        .replace(
            "answer = \"They promised.\"",
            "answer = \"They promised.\"\nanswers = [\"weather\"]",
        );
    assert_eq!(
        problems(&text),
        ["48:12: unknown answer type \"weather\"; expected one of: expansion, quantity, count, day, when, why, how-to, who, where, price"]
    );
    let kb = parse(
        Path::new("k.toml"),
        &text.replace("answers = [\"weather\"]", ""),
    )
    .unwrap();
    assert_eq!(
        kb.fact("first-fact").unwrap().answers.as_deref(),
        Some(&["price".to_string(), "when".to_string()][..])
    );
    assert!(kb.vocabulary.details.iter().any(|d| d.name == "colour"));
}

#[test]
fn an_answer_type_with_an_unknown_rule_or_no_question_is_located() {
    let text = VALID.replace(
        "[[facts]]\nid = \"first-fact\"",
        "[[answer_types]]\nname = \"price\"\ndetect = \"money\"\n\n[[facts]]\nid = \"first-fact\"",
    );
    assert_eq!(
        problems(&text),
        [
            "20:1: answer type \"price\": unknown detect rule \"money\"; expected one of: actor, count, day, expansion, quantity, year",
            "20:1: answer type \"price\" is new but no question asks for it: give it `asks` or `asks_which`",
        ]
    );
}
