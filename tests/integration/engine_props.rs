//! Property tests: whatever arrives as a question, the engine does not panic, stays bounded,
//! and returns well-formed answers.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use cyberbridge::answer::Answer;
use cyberbridge::{knowledge, Engine, Filters};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let kb =
            knowledge::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml")).unwrap();
        Engine::new(Arc::new(kb))
    })
}

fn check(question: &str) {
    let answer = engine().ask(question, &Filters::default());
    assert!(
        (0.0..=1.0).contains(&answer.confidence()),
        "confidence {}",
        answer.confidence()
    );
    if let Answer::Found(found) = &answer {
        for citation in &found.citations {
            let snippet = &citation.snippet;
            for range in &snippet.highlights {
                assert!(range.start < range.end && range.end <= snippet.text.len());
                assert!(
                    snippet.text.is_char_boundary(range.start)
                        && snippet.text.is_char_boundary(range.end)
                );
            }
            // Apart from the marks and "…", the snippet is the quote's own text.
            assert!(citation.quote.contains(snippet.text.trim_matches('…')));
        }
        assert!(found.related.len() <= 3);
    }
}

/// Characters that break naive text handling: controls, bidirectional and zero-width marks,
/// combining accents, emoji, Discord markup.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '\u{0000}', '\u{0007}', '\u{001B}', '\u{200B}', '\u{200D}', '\u{200E}', '\u{202E}',
            '\u{2066}', '\u{FEFF}', '\u{0301}', '\u{FE0F}', '🤔', '@', '<', '>', '*', '_', '`',
            '|', '~', '#', '\n', '$', '-',
        ]),
        prop::sample::select(vec!['a', 'e', 'i', 'o', 'n', 'r', 's', 't', ' ', ' ']),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics(chars in prop::collection::vec(hostile_char(), 0..400)) {
        check(&chars.into_iter().collect::<String>());
    }

    #[test]
    fn real_words_mixed_with_noise_never_panic(words in prop::collection::vec(
        prop::sample::select(vec!["cyber", "dialogue", "india", "japan", "moc", "5g", "2017", "\u{202E}", "@everyone", "<@&1>", "**", "memorandm", "who", "led"]), 0..40)) {
        check(&words.join(" "));
    }
}

#[test]
fn a_100_kb_question_is_answered_from_its_first_part() {
    let huge: String = "zz\u{200B}q ".repeat(25_000) + "who led japan's delegation";
    assert!(huge.len() > 100_000);
    check(&huge);
    let mut leading = String::from("who led japan's delegation in 2017 ");
    leading.push_str(&"\u{202E}x ".repeat(40_000));
    assert!(
        engine()
            .ask(&leading, &Filters::default())
            .fact_id()
            .is_some(),
        "the start of a long question is still read"
    );
}
