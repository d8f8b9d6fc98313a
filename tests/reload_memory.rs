//! Issue 13, point 11: `serve` with 100k facts held 2.3 GB and stayed there after reloading
//! back to the small file. Memory must come back after a reload to a smaller file.
//!
//! Measured from `/proc/self/status` (Linux); elsewhere the test says it is skipped. A test
//! binary runs its tests on threads of one process, so this file holds this one test only.

use std::num::NonZeroU32;
use std::path::Path;

use cyberbridge::bot::{Bot, BotOptions};
use cyberbridge::config::AdminConfig;
use cyberbridge::synthetic;

/// Resident set size in MB, if the platform says.
fn rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|kb| kb / 1024)
}

#[test]
fn regression_memory_comes_back_after_a_reload_to_a_smaller_file() {
    if rss_mb().is_none() || !cfg!(all(target_os = "linux", target_env = "gnu")) {
        eprintln!("SKIPPED: needs /proc/self/status and glibc");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("knowledge.toml");
    let small =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
            .unwrap();
    let big = synthetic::to_toml(&synthetic::knowledge_base(20_000, 42));
    std::fs::write(&path, &small).unwrap();
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
    .unwrap();
    std::fs::write(&path, &big).unwrap();
    drop(big);
    // Warm up the allocator once, so the baseline includes what a reload itself keeps.
    bot.reload_now().unwrap();
    std::fs::write(&path, &small).unwrap();
    bot.reload_now().unwrap();
    let baseline = rss_mb().unwrap();
    std::fs::write(
        &path,
        synthetic::to_toml(&synthetic::knowledge_base(20_000, 42)),
    )
    .unwrap();
    bot.reload_now().unwrap();
    let loaded = rss_mb().unwrap();
    std::fs::write(&path, &small).unwrap();
    bot.reload_now().unwrap();
    let after = rss_mb().unwrap();
    eprintln!("RSS: small {baseline} MB, 20k facts {loaded} MB, small again {after} MB");
    assert!(
        loaded > baseline + 100,
        "the big file should cost memory: {baseline} → {loaded}"
    );
    // Most of what the big version took is returned.
    assert!(
        after < baseline + (loaded - baseline) / 4,
        "small {baseline} MB, 20k facts {loaded} MB, small again {after} MB"
    );
}
