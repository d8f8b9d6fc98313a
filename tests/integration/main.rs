//! Every integration test, in one binary: each `tests/*.rs` file would be a crate of its own,
//! linked against the whole library and serenity with full debug info, and on a 2-core
//! machine the links dominated `cargo test`. The modules below are the old files, unchanged
//! in what they test. `reload_memory.rs` stays a binary of its own because it measures the
//! process's resident memory, which other tests running beside it would disturb.

mod fake_discord;
mod support;

mod cli;
mod deploy;
mod discord_smoke;
mod e2e;
mod editing;
mod engine_props;
mod eval;
mod fake_discord_selftest;
mod hostile_cost;
mod hostile_props;
mod hostile_serve;
mod interactions;
mod knowledge_file;
mod reload_under_load;
mod serve_process;
mod shards;
