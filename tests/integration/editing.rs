//! The editor's workflow (docs/editing.md) through the built binary: `diff`, `draft`, `misses`.

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
quote = "The Quokka Protocol was agreed in 2031."
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

/// `diff OLD NEW` and the `/reload` that follows report the same changes, because both call
/// `knowledge::diff` (the reload used to compare `Debug` strings).
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
    let shown = cyberbridge::bot::reload::render_report(&report, cyberbridge::bot::i18n::Lang::En)
        .plain_text();
    assert!(shown.contains("`quokka-protocol`"), "{shown}");
    assert!(shown.contains("`moc-signed-march-2022: answer`"), "{shown}");
    // And the diff's own text lines are what the reload computed.
    for line in report.diff.lines() {
        assert!(printed.contains(&line), "{line} missing from\n{printed}");
    }
}

/// A file a reload would refuse makes `diff` exit 1.
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
    // Below the floor on a question set, and below the old file: a real regression.
    std::fs::write(&new, without_fact("moc-signed-march-2022")).unwrap();
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
        printed.contains("refused: top-1 on tests/eval/tune.toml falls to")
            && printed.contains("below the floor (99.9%) and below"),
        "{printed}"
    );
}

/// The shipped file without the fact `id` (its `[[facts]]` table and citations).
fn without_fact(id: &str) -> String {
    let text = shipped();
    let at = text.find(&format!("id = \"{id}\"")).unwrap();
    let start = text[..at].rfind("[[facts]]").unwrap();
    let end = start + 1 + text[start + 1..].find("\n[[facts]]").unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

/// `diff knowledge.toml knowledge.toml --eval tests/eval/holdout.toml` used to exit 1,
/// "refused": the holdout scores below the default floors, for the running version as much
/// as for the new one. A file is never refused for the running version's own scores.
#[test]
fn regression_an_unchanged_file_is_never_refused_for_its_eval_scores() {
    let out = run(&[
        "diff",
        "knowledge.toml",
        "knowledge.toml",
        "--eval",
        "tests/eval/holdout.toml",
    ]);
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}{}", text(&out.stderr));
    assert!(!printed.contains("refused"), "{printed}");
    assert!(
        printed.ends_with("a reload would accept knowledge.toml\n"),
        "{printed}"
    );
}

/// Without `--eval` or `--config` no eval ran, yet `diff` said "a reload would accept" as if
/// the scores had been compared: it now says what was checked and that no eval gate ran.
#[test]
fn regression_diff_without_an_eval_set_says_no_eval_gate_ran() {
    let out = run(&["diff", "knowledge.toml", "knowledge.toml"]);
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}{}", text(&out.stderr));
    for needle in [
        "checked: knowledge.toml loads and passes every rule of `check`",
        "its quotes were not checked against the article texts",
        "it removes 0 of",
        "no eval gate ran",
        "a reload with no eval gate would accept knowledge.toml",
    ] {
        assert!(printed.contains(needle), "no {needle:?} in:\n{printed}");
    }
    assert!(!printed.contains("\na reload would accept"), "{printed}");
}

/// `diff --help` gave the eval floors as 0.92 and 0.97 while the gate used 0.96 and 0.96:
/// the help is written from the gate's own constants now.
#[test]
fn regression_diff_help_gives_the_floors_the_gate_uses() {
    let help = text(&run(&["diff", "--help"]).stdout);
    for floor in [
        cyberbridge::config::DEFAULT_MIN_TOP1,
        cyberbridge::config::DEFAULT_MIN_DECLINED,
    ] {
        assert!(
            help.contains(&format!("or {floor})")),
            "no default {floor} in:\n{help}"
        );
    }
    assert!(!help.contains("0.92") && !help.contains("0.97"), "{help}");
}

/// The shipped file's header (meta, sources, topics), without its facts, plus `extra`.
fn header_with(extra: &str) -> String {
    let shipped = shipped();
    let head = &shipped[..shipped.find("[[facts]]").unwrap()];
    format!("{head}\n[[sources]]\nid = \"third-dialogue\"\ntitle = \"Third dialogue\"\n{extra}")
}

/// `draft` on a short article yields one candidate per informative sentence, skips the byline
/// and the comment form, and its output passes `check --sources` once the source is declared.
#[test]
fn draft_proposes_verbatim_candidates_that_pass_check_sources() {
    let out = run(&[
        "draft",
        "tests/fixtures/draft_article.txt",
        "--source",
        "third-dialogue",
    ]);
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let candidates = printed.matches("[[facts]]").count();
    assert!(candidates >= 10, "{candidates} candidates:\n{printed}");
    assert!(
        !printed.contains("Leave a Reply") && !printed.contains("Staff Writer"),
        "{printed}"
    );
    assert!(printed.contains("kind = \"commitment\""), "{printed}");
    assert!(printed.contains("date = \"2024-10\""), "{printed}");

    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/draft_article.txt"),
        // Named after the source the drafts cite: its article.
        sources.join("third-dialogue.txt"),
    )
    .unwrap();
    let kb = dir.path().join("knowledge.toml");
    std::fs::write(&kb, header_with(&printed)).unwrap();
    let check = run(&[
        "check",
        "--knowledge",
        kb.to_str().unwrap(),
        "--sources",
        sources.to_str().unwrap(),
    ]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    assert!(text(&check.stdout).contains("each found in its source's article"));
}

/// An article made of the shipped quotes proposes nothing: every sentence is already covered
/// (the real articles are not in the repository; their measured counts are in
/// docs/editing.md).
#[test]
fn draft_against_the_shipped_knowledge_proposes_nothing_already_covered() {
    let kb =
        cyberbridge::knowledge::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
            .unwrap();
    let article: String = kb
        .facts
        .iter()
        .flat_map(|f| &f.citations)
        .map(|c| format!("{}.\n\n", c.quote.trim_end_matches('.')))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article.txt");
    std::fs::write(&path, article).unwrap();
    let out = run(&["draft", path.to_str().unwrap(), "--source", "x"]);
    let printed = text(&out.stdout);
    assert_eq!(printed.matches("[[facts]]").count(), 0, "{printed}");
    assert!(
        text(&out.stderr).contains("already covered"),
        "{}",
        text(&out.stderr)
    );
}

/// Paraphrased declined questions are grouped, groups ranked by how often they were asked,
/// the covered ones get the right fact and a `questions` line, the others none; 👎 are summed
/// per fact.
#[test]
fn misses_groups_paraphrases_and_proposes_the_right_fact() {
    let out = run(&[
        "misses",
        "--log",
        "tests/fixtures/declined.log",
        "--feedback",
        "tests/fixtures/feedback.log",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = found["groups"].as_array().unwrap();
    let summary: Vec<(u64, Vec<String>, Option<String>)> = groups
        .iter()
        .map(|g| {
            let questions = g["questions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q.as_str().unwrap().to_string())
                .collect();
            (
                g["asked"].as_u64().unwrap(),
                questions,
                g["proposed"].as_str().map(str::to_string),
            )
        })
        .collect();
    let expected: Vec<(u64, Vec<String>, Option<String>)> = vec![
        (
            3,
            vec![
                "when did india and japan sign the moc?".into(),
                "date of the india japan memorandum".into(),
            ],
            Some("moc-signed-march-2022".into()),
        ),
        (
            3,
            vec![
                "what is the weather in tokyo?".into(),
                "what is the weather like in tokyo".into(),
                "tokyo weather today".into(),
            ],
            None,
        ),
        (
            2,
            vec![
                "who headed japan's team in 2017?".into(),
                "who was the head of the japanese delegation?".into(),
            ],
            Some("masato-otaka-cyber-ambassador".into()),
        ),
        (1, vec!["recipe for chicken biryani".into()], None),
    ];
    assert_eq!(summary, expected, "{found:#}");
    let line = groups[0]["questions_line"].as_str().unwrap();
    assert!(
        line.starts_with("questions = [")
            && line.ends_with("\"date of the india japan memorandum\"]"),
        "{line}"
    );
    assert_eq!(found["feedback"][0]["fact"], "nasscom-it-revenue");
    assert_eq!(found["feedback"][0]["down"], 2);
    assert_eq!(found["skipped_lines"], 1);

    // The text form says so when no fact covers a group.
    let out = run(&["misses", "--log", "tests/fixtures/declined.log"]);
    let printed = text(&out.stdout);
    assert!(
        printed.contains("no fact covers this — consider a new entry"),
        "{printed}"
    );
    assert!(
        printed.contains("add to fact \"moc-signed-march-2022\""),
        "{printed}"
    );
}

/// `diff --config` reads the bot's `[knowledge]` gate (no token needed): with `sources` set, a
/// file whose quotes are not in the article texts is refused, as `/reload` refuses it.
#[test]
fn diff_with_the_serve_config_applies_its_sources_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.toml"), dir.path().join("new.toml"));
    std::fs::write(&old, shipped()).unwrap();
    std::fs::write(&new, edited()).unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    // The articles the shipped sources name, quoting nothing of the file.
    for name in ["000_125b051075eac243.txt", "004_3527bf20e9a7bf09.txt"] {
        std::fs::write(
            articles.join(name),
            "An article that quotes nothing of the file.",
        )
        .unwrap();
    }
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[knowledge]\npath = \"old.toml\"\nsources = \"articles\"\n",
    )
    .unwrap();
    let out = run(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{printed}{}", text(&out.stderr));
    assert!(printed.contains("would not load"), "{printed}");
    assert!(printed.contains("quote not found verbatim"), "{printed}");
}

/// Words a title may not end on: a cut there leaves a phrase half said ("… of the Ministry
/// of"). Articles, prepositions and conjunctions, written out here rather than taken from the
/// code under test.
const DANGLING: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "into",
    "as",
    "about",
    "between",
    "under",
    "over",
    "through",
    "during",
    "including",
    "such",
    "via",
    "per",
    "and",
    "or",
    "but",
    "nor",
    "that",
    "which",
    "who",
    "whose",
    "while",
    "than",
    "its",
    "their",
];

/// Lowercase words of `text` with its typographic marks folded (letters, digits and `-$'%`
/// kept together).
fn words_of(text: &str) -> Vec<String> {
    cyberbridge::knowledge::normalize_for_quote(text)
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || "-$'%".contains(c)))
        .map(|w| w.trim_matches(['-', '\'']).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Why a drafted question is not one a person would ask about `sentence`, if it is not.
///
/// A sane question:
/// 1. has the shape of one: a question word, then a verb ("who led", "when was", "how much
///    is"), and one question mark at the end;
/// 2. asks about the sentence: every word of it is a word of the sentence (a verb may be
///    another form of the sentence's: "rank" for "ranked"), or of the question's frame (the
///    question words, auxiliaries, "led", "part of", "take place");
/// 3. names its subject: some run of its words is a phrase of the sentence, two words or
///    more, or one the sentence capitalises (a name);
/// 4. asks for what the sentence says: "when" needs a month or year in it, "how much" an
///    amount, "who" a leader or members, "where" a place or a ranking;
/// 5. is none of the nonsense shapes drafts used to make: "what about …", a bare list of
///    words, a question ending on an article, preposition or conjunction, a word twice in a
///    row.
fn question_problem(question: &str, sentence: &str) -> Option<String> {
    const OPENINGS: &[&str] = &["who", "what", "when", "where", "which", "how"];
    const SECOND: &[&str] = &[
        "is", "was", "are", "were", "did", "does", "do", "will", "has", "have", "led", "much",
        "many",
    ];
    const FRAME: &[&str] = &[
        "who", "what", "when", "where", "which", "how", "much", "many", "is", "was", "are", "were",
        "did", "does", "do", "will", "has", "have", "the", "led", "part", "of", "take", "place",
        "to", "in",
    ];
    let Some(body) = question.strip_suffix('?') else {
        return Some("no question mark at the end".into());
    };
    if body.contains('?') || body.trim().is_empty() {
        return Some("not one question".into());
    }
    let asked = words_of(body);
    let said = words_of(sentence);
    if !OPENINGS.contains(&asked[0].as_str())
        || !asked.get(1).is_some_and(|w| SECOND.contains(&w.as_str()))
    {
        return Some("does not open with a question word and a verb".into());
    }
    if body.starts_with("what about") {
        return Some("\"what about …\"".into());
    }
    if asked.last().is_some_and(|w| DANGLING.contains(&w.as_str())) {
        return Some("ends on a function word".into());
    }
    if asked.windows(2).any(|w| w[0] == w[1]) {
        return Some("a word twice in a row".into());
    }
    let in_sentence = |w: &str| {
        said.iter().any(|s| {
            s == w
                || (w.len() >= 4
                    && (s.starts_with(w) || w.starts_with(s.as_str()))
                    && s.len().abs_diff(w.len()) <= 3)
        })
    };
    if let Some(w) = asked
        .iter()
        .find(|w| !FRAME.contains(&w.as_str()) && !in_sentence(w))
    {
        return Some(format!("\"{w}\" is not in the sentence"));
    }
    // The longest run of the question's words that is a phrase of the sentence.
    let mut subject: &[String] = &[];
    for start in 0..asked.len() {
        for end in start + 1..=asked.len() {
            let run = &asked[start..end];
            if run.len() > subject.len() && said.windows(run.len()).any(|w| w == run) {
                subject = run;
            }
        }
    }
    let content = subject
        .iter()
        .any(|w| !FRAME.contains(&w.as_str()) && !DANGLING.contains(&w.as_str()));
    let named = subject.len() == 1
        && cyberbridge::knowledge::normalize_for_quote(sentence)
            .split_whitespace()
            .skip(1)
            .any(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
                    == subject[0]
                    && w.trim_start_matches(|c: char| !c.is_alphanumeric())
                        .starts_with(char::is_uppercase)
            });
    if !content || !(subject.len() >= 2 || named) {
        return Some("names no subject of the sentence".into());
    }
    let has = |list: &[&str]| said.iter().any(|w| list.contains(&w.as_str()));
    let wanted = match asked[0].as_str() {
        "when" => said.iter().any(|w| {
            cyberbridge::knowledge::MONTHS.contains(&w.as_str())
                || (w.len() == 4
                    && w.chars().all(|c| c.is_ascii_digit())
                    && (w.starts_with("19") || w.starts_with("20")))
        }),
        "how" => {
            said.iter().any(|w| w.starts_with('$') || w.ends_with('%'))
                || has(&["million", "billion", "trillion", "crore", "lakh"])
        }
        "who" => has(&["led", "headed", "leadership", "included", "comprised"]),
        "where" => has(&["ranked", "placed", "place", "in", "at"]),
        _ => true,
    };
    (!wanted).then(|| format!("\"{}\" asks for what the sentence does not say", asked[0]))
}

/// `draft` on the two seed articles (copied into tests/fixtures/ from the source folder):
/// every quote is the article's own text byte for byte (its curly quotes and en dashes
/// included), no title ends on a function word, and every drafted question passes
/// [`question_problem`]. Some questions must be drafted, or the last check says nothing.
#[test]
fn drafts_of_the_seed_articles_quote_verbatim_and_ask_only_sane_questions() {
    let mut drafted_questions = 0;
    for name in ["000_125b051075eac243.txt", "004_3527bf20e9a7bf09.txt"] {
        let path = format!("tests/fixtures/{name}");
        let article =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
        let out = run(&["draft", &path, "--source", "seed", "--no-knowledge"]);
        let printed = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let parsed: toml::Value = toml::from_str(&printed).unwrap();
        let facts = parsed["facts"].as_array().unwrap();
        assert!(facts.len() >= 5, "{name}: {printed}");
        let mut problems = Vec::new();
        for fact in facts {
            let quote = fact["citations"][0]["quote"].as_str().unwrap();
            if !article.contains(quote) {
                problems.push(format!("quote not byte for byte in the article: {quote:?}"));
            }
            let title = fact["title"].as_str().unwrap();
            let last = words_of(title).pop().unwrap_or_default();
            if DANGLING.contains(&last.as_str()) {
                problems.push(format!("title ends on \"{last}\": {title:?}"));
            }
            for question in fact["questions"].as_array().unwrap() {
                let question = question.as_str().unwrap();
                drafted_questions += 1;
                if let Some(why) = question_problem(question, quote) {
                    problems.push(format!("{question:?} ({why}) for {quote:?}"));
                }
            }
        }
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        // The seed articles' curly quotes and dashes are in the quotes, not straightened.
        assert!(
            printed.contains('\u{2019}') || printed.contains('\u{201C}'),
            "{printed}"
        );
    }
    assert!(
        drafted_questions >= 8,
        "{drafted_questions} questions drafted"
    );
}

/// The sanity check itself refuses the shapes drafts used to make.
#[test]
fn the_question_check_refuses_the_old_nonsense() {
    let sentence = "In October 2024, India and Japan held their Third Cyber Dialogue in Tokyo \
                    on the 10th.";
    assert!(question_problem(
        "how much is third japan-india cyber dialogue in tokyo?",
        sentence
    )
    .is_some());
    assert!(question_problem(
        "what about countries reaffirmed current international?",
        sentence
    )
    .is_some());
    assert!(question_problem("india japan third cyber dialogue", sentence).is_some());
    assert!(question_problem("who led the joint secretary of the?", sentence).is_some());
    assert!(question_problem("when was the third cyber dialogue held?", sentence).is_none());
}
