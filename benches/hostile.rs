//! Worst-case input through the whole request path, to show every request's cost is bounded
//! (docs/hostile-input.md): `cargo bench --bench hostile`. Every request goes through
//! `Bot::handle` / `Bot::autocomplete` on the shipped knowledge base — option caps, rate
//! limiters, engine and rendering included — with the longest input Discord (or the bot's own
//! caps) lets through:
//!
//! - `ask/letters-500`: one 500-letter "word" (the probe that cost ~0.5 s, ~4 s at 1,000);
//! - `ask/words-24`: 500 characters of random 24-letter words (the longest words still
//!   looked up for typos, as many as fit: the most typo work a question can cause);
//! - `ask/words-9`: 500 characters of random 9-letter words (two typos allowed each);
//! - `ask/letters-6000`: the longest question option (refused politely: the cost of saying no);
//! - `fact/letters-100`: `/fact id:` at its 100-character cap (not found: suggestions search);
//! - `autocomplete/letters-100`: `/fact id:` autocomplete at the cap;
//! - `autocomplete/letters-6000`: autocomplete over the cap (no suggestions, at once);
//! - `ask/squares-500`, `ask/ligature-500`, `autocomplete/ask-squares-500`: characters that
//!   fold to many letters (㌖ to six, ﷺ to eighteen), the worst inputs a probe found.

use std::hint::black_box;
use std::num::NonZeroU32;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use cyberbridge::bot::{
    AutocompleteRequest, Bot, BotCommand, BotOptions, Input, Invoker, OptionValue, Place, Request,
};
use cyberbridge::config::AdminConfig;

/// Deterministic letters, from the crate's own xorshift generator.
fn letters(n: usize, seed: u64) -> String {
    let mut rng = cyberbridge::synthetic::Rng::new(seed);
    (0..n)
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect()
}

/// Random words of `len` letters separated by spaces, `total` characters in all.
fn words(len: usize, total: usize) -> String {
    let mut out = String::new();
    let mut seed = 7;
    while out.len() + len < total {
        seed += 1;
        out.push_str(&letters(len, seed));
        out.push(' ');
    }
    out.trim_end().to_string()
}

fn bot() -> Bot {
    Bot::new(BotOptions {
        knowledge_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"),
        eval: None,
        admin: AdminConfig {
            user_ids: vec![],
            role_ids: vec![],
        },
        // One benchmark user asks millions of times: the limiter is measured, never refusing.
        questions_per_minute: NonZeroU32::MAX,
        decline_below: cyberbridge::search::score::DEFAULT_DECLINE_BELOW,
        declined_log: None,
        load: Default::default(),
        max_removed_share: cyberbridge::config::DEFAULT_MAX_REMOVED_SHARE,
        feedback_log: None,
    })
    .expect("the shipped knowledge base loads")
}

fn request(name: &str, option: &str, value: &str) -> Request {
    Request {
        input: Input::Command(BotCommand::parse(
            name,
            &[(option.to_string(), OptionValue::String(value.to_string()))],
        )),
        invoker: Invoker {
            user_id: 2,
            role_ids: vec![],
            is_admin_by_permission: false,
            is_guild_owner: false,
            place: Place::Guild(900),
            channel_id: 1,
            lang: cyberbridge::bot::i18n::Lang::En,
            via_shard: None,
        },
    }
}

fn hostile(c: &mut Criterion) {
    let bot = bot();
    let mut group = c.benchmark_group("hostile");
    let asks = [
        ("ask/letters-500", letters(500, 1)),
        ("ask/words-24", words(24, 500)),
        ("ask/words-9", words(9, 500)),
        ("ask/letters-6000", letters(6_000, 2)),
        // Characters that fold to many letters: ㌖ to six, ﷺ to eighteen in four words.
        (
            "ask/squares-500",
            "\u{3316}\u{3316}\u{3316}\u{3316} ".repeat(100),
        ),
        ("ask/ligature-500", "\u{FDFA}".repeat(500)),
    ];
    for (name, question) in &asks {
        let req = request("ask", "question", question);
        group.bench_function(*name, |b| b.iter(|| black_box(bot.handle(&req))));
    }
    let fact = request("fact", "id", &letters(100, 3));
    group.bench_function("fact/letters-100", |b| {
        b.iter(|| black_box(bot.handle(&fact)))
    });
    for (name, typed) in [
        ("autocomplete/letters-100", letters(100, 4)),
        ("autocomplete/letters-6000", letters(6_000, 5)),
    ] {
        let req = AutocompleteRequest {
            user_id: 2,
            command: "fact".into(),
            option: "id".into(),
            typed,
            lang: cyberbridge::bot::i18n::Lang::En,
        };
        group.bench_function(name, |b| b.iter(|| black_box(bot.autocomplete(&req))));
    }
    // `/ask question:` autocomplete runs the engine on what is typed so far.
    let typed = AutocompleteRequest {
        user_id: 2,
        command: "ask".into(),
        option: "question".into(),
        typed: "\u{3316}\u{3316}\u{3316}\u{3316} ".repeat(100),
        lang: cyberbridge::bot::i18n::Lang::En,
    };
    group.bench_function("autocomplete/ask-squares-500", |b| {
        b.iter(|| black_box(bot.autocomplete(&typed)))
    });
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
