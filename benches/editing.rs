//! The editor's tools on the largest inputs they meet (docs/editing.md, "Cost"):
//! `cargo bench --bench editing`. Each was quadratic once; these show them linear at size.
//!
//! - `check/closest-passage-5MB`: the "closest passage" hint for one 600-character misquote
//!   in a 5 MB article (the seed articles repeated), the article's index built included;
//! - `check/load-5MB-3-misquotes`: `check --sources` (the load `/reload` runs too) of the
//!   shipped knowledge with its three longest quotes misquoted, the sources folder holding the
//!   5 MB article;
//! - `misses/group-36000-*`: grouping 36,000 distinct declined questions (a full 10 MiB log of
//!   them), the step that compared every question with every group: `seed-words`, random
//!   words of the seed articles (a small vocabulary of evenly common words: the hard case for
//!   grouping by shared words); `zipf`, terms drawn log-uniformly from 20,000 (a few common,
//!   most rare, as people write);
//! - `misses/log-36000-lines`: `misses` end to end on a 10 MiB log of 36,000 lines asking
//!   9,000 distinct questions (ranking each distinct question costs the most);
//! - `draft/article-14MB`: `draft` of a 14 MB article (the seed articles repeated), without
//!   a knowledge file.
//!
//! Inputs are built from the seed articles in `tests/fixtures/` with a fixed xorshift seed.

use std::collections::HashSet;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use cyberbridge::editing::{draft, misses};
use cyberbridge::knowledge::{self, closest_passage, LoadOptions};
use cyberbridge::search::normalize::Analyzer;
use cyberbridge::Engine;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seeds() -> Vec<String> {
    ["000_125b051075eac243.txt", "004_3527bf20e9a7bf09.txt"]
        .iter()
        .map(|name| std::fs::read_to_string(root().join("tests/fixtures").join(name)).unwrap())
        .collect()
}

/// The seed articles, one after the other, until the text is at least `bytes` long.
fn article(bytes: usize) -> String {
    let seeds = seeds();
    let mut out = String::with_capacity(bytes + 8192);
    while out.len() < bytes {
        for seed in &seeds {
            out.push_str(seed);
            out.push_str("\n\n");
        }
    }
    out
}

struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `count` distinct questions of 3 to 30 words from the seed articles' vocabulary (and a few
/// out-of-scope words), cut at the log's 200 characters.
fn questions(count: usize) -> Vec<String> {
    let seeds = seeds().join(" ");
    let mut vocabulary: Vec<String> = seeds
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .filter(|w| !w.is_empty() && w.chars().all(char::is_alphabetic))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    vocabulary.extend(
        "weather recipe football cricket movie train flight visa hotel price bitcoin election"
            .split(' ')
            .map(String::from),
    );
    vocabulary.sort();
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let words = 3 + random.below(28);
        let mut question: String = (0..words)
            .map(|_| vocabulary[random.below(vocabulary.len())].as_str())
            .collect::<Vec<_>>()
            .join(" ");
        question.truncate(200);
        if seen.insert(question.clone()) {
            out.push(question);
        }
    }
    out
}

/// `count` term sets of 2 to 13 terms drawn log-uniformly from 20,000 terms (a few common,
/// most rare, as in questions people type).
fn zipf_term_sets(count: usize) -> Vec<HashSet<String>> {
    let mut random = XorShift(99);
    (0..count)
        .map(|_| {
            let terms = 2 + random.below(12);
            (0..terms)
                .map(|_| {
                    let u = (random.below(1_000_000) + 1) as f64 / 1e6;
                    format!("t{}", 20_000f64.powf(u) as usize)
                })
                .collect()
        })
        .collect()
}

/// A declined log of `lines` lines asking `distinct` questions, shaped like the bot's.
fn declined_log(lines: usize, distinct: usize) -> String {
    let asked = questions(distinct);
    let mut random = XorShift(7);
    let mut out = String::new();
    for i in 0..lines {
        // Every question at least once, then any of them again.
        let question = if i < distinct {
            &asked[i]
        } else {
            &asked[random.below(distinct)]
        };
        let line = serde_json::json!({
            "question": question,
            "user": format!("{:016x}", random.below(usize::MAX)),
            "topic": null,
            "confidence": 0.1,
            "suggestions": [],
            "fingerprint": "5f2c0e1d",
            "time": "2026-11-20T10:00:00Z",
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// The first `chars` characters of the seed article's longest paragraph, cut at a word, with
/// every seventh word changed: a long quote that is not in the article.
fn misquote(chars: usize) -> String {
    let seeds = seeds();
    let paragraph = seeds[0]
        .split("\n\n")
        .max_by_key(|p| p.len())
        .unwrap()
        .to_string();
    let mut quote = String::new();
    for (i, word) in paragraph.split_whitespace().enumerate() {
        if quote.len() + word.len() + 1 > chars {
            break;
        }
        if !quote.is_empty() {
            quote.push(' ');
        }
        quote.push_str(if i % 7 == 6 { "changed" } else { word });
    }
    quote
}

fn check(c: &mut Criterion) {
    let text = article(5_000_000);
    let quote = misquote(600);
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("closest-passage-5MB", |b| {
        b.iter(|| black_box(closest_passage(black_box(&text), black_box(&quote))))
    });

    // The shipped knowledge with its three longest quotes misquoted (a word inserted), and a
    // sources folder holding the seed articles and the 5 MB article.
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    std::fs::write(sources.join("big.txt"), &text).unwrap();
    for name in ["000_125b051075eac243.txt", "004_3527bf20e9a7bf09.txt"] {
        std::fs::copy(root().join("tests/fixtures").join(name), sources.join(name)).unwrap();
    }
    let mut shipped = std::fs::read_to_string(root().join("knowledge.toml")).unwrap();
    let kb = knowledge::load(&root().join("knowledge.toml")).unwrap();
    let mut quotes: Vec<String> = kb
        .facts
        .iter()
        .flat_map(|f| &f.citations)
        .map(|c| c.quote.clone())
        .collect();
    quotes.sort_by_key(|q| std::cmp::Reverse(q.len()));
    quotes.dedup();
    for quote in quotes.iter().take(3) {
        let written = toml::Value::String(quote.clone()).to_string();
        let changed = toml::Value::String(quote.replacen(' ', " very ", 1)).to_string();
        assert!(shipped.contains(&written), "{written}");
        shipped = shipped.replacen(&written, &changed, 1);
    }
    let path = dir.path().join("knowledge.toml");
    std::fs::write(&path, shipped).unwrap();
    let options = LoadOptions {
        sources_dir: Some(sources),
        ..LoadOptions::default()
    };
    match knowledge::load_with(&path, &options) {
        Err(knowledge::LoadError::Invalid { diagnostics, .. }) => assert_eq!(diagnostics.len(), 3),
        other => panic!("expected three misquotes, got {other:?}"),
    }
    group.bench_function("load-5MB-3-misquotes", |b| {
        b.iter(|| black_box(knowledge::load_with(&path, &options).is_err()))
    });
    group.finish();
}

fn misses_bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("misses");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));

    let analyzer = Analyzer::default();
    let seed_words: Vec<HashSet<String>> = questions(36_000)
        .iter()
        .map(|q| analyzer.terms(q).into_iter().map(|t| t.stem).collect())
        .collect();
    let placed: Vec<(&HashSet<String>, Option<&str>)> =
        seed_words.iter().map(|t| (t, None)).collect();
    group.bench_function("group-36000-seed-words", |b| {
        b.iter(|| black_box(misses::group(black_box(&placed))))
    });
    let zipf = zipf_term_sets(36_000);
    let placed: Vec<(&HashSet<String>, Option<&str>)> = zipf.iter().map(|t| (t, None)).collect();
    group.bench_function("group-36000-zipf", |b| {
        b.iter(|| black_box(misses::group(black_box(&placed))))
    });

    let kb = Arc::new(knowledge::load(&root().join("knowledge.toml")).unwrap());
    let engine = Engine::new(kb);
    let log = declined_log(36_000, 9_000);
    assert!(log.len() > 9 << 20, "{} bytes", log.len());
    group.bench_function("log-36000-lines", |b| {
        b.iter(|| black_box(misses::misses(&engine, black_box(&log), "")))
    });
    group.finish();
}

fn draft_bench(c: &mut Criterion) {
    let text = article(14_000_000);
    let mut group = c.benchmark_group("draft");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("article-14MB", |b| {
        b.iter(|| black_box(draft::draft(black_box(&text), "x", None)))
    });
    group.finish();
}

criterion_group!(benches, check, misses_bench, draft_bench);
criterion_main!(benches);
