//! Memory across reloads: `cargo run --release --example reload_memory`.
//! Serves the shipped knowledge base, reloads to a synthetic one of 100k facts, then back, and
//! prints the resident set size (and its peak) after each step, from `/proc/self/status`.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use cyberbridge::bot::{Bot, BotOptions};
use cyberbridge::config::AdminConfig;
use cyberbridge::synthetic;

/// (VmRSS, VmHWM) in MB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn report(step: &str) {
    let (rss, peak) = memory();
    println!("{step:<40} RSS {rss:>5} MB   peak {peak:>5} MB");
}

fn main() {
    let facts: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("reload-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let small =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
            .expect("the shipped knowledge base");
    let big = synthetic::to_toml(&synthetic::knowledge_base(facts, 42));
    let path: PathBuf = dir.join("knowledge.toml");
    std::fs::write(&path, &small).expect("write");
    report("start");
    let bot = Bot::new(BotOptions {
        knowledge_path: path.clone(),
        eval: None,
        admin: AdminConfig::default(),
        questions_per_minute: NonZeroU32::MIN,
        decline_below: cyberbridge::search::score::DEFAULT_DECLINE_BELOW,
        declined_log: None,
        feedback_log: None,
        load: Default::default(),
        max_removed_share: 1.0,
    })
    .expect("loads");
    report("shipped file loaded");
    std::fs::write(&path, &big).expect("write");
    drop(big);
    println!(
        "({facts} facts: {} MB on disk)",
        std::fs::metadata(&path).map_or(0, |m| m.len() >> 20)
    );
    // What made the big file is freed and handed back, and the peak starts again from here:
    // what follows is what `serve` does, from the memory it serves the shipped file with.
    cyberbridge::memory::release_freed();
    let peak_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    report(if peak_reset {
        "before the reload (peak reset)"
    } else {
        "before the reload (peak NOT reset)"
    });
    bot.reload_now().expect("reload to the big file");
    report(&format!("reloaded to {facts} facts"));
    std::fs::write(&path, &small).expect("write");
    bot.reload_now().expect("reload back");
    report("reloaded back to the shipped file");
    let _ = std::fs::remove_dir_all(&dir);
}
