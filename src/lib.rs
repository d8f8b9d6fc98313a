//! # cyberbridge
//!
//! Answers questions about India–Japan cyber cooperation from a curated knowledge base of facts
//! and commitments, each backed by verbatim quotes from the source articles.
//!
//! # Layout
//! A pure core that knows nothing of Discord, and thin adapters that translate:
//! - [`knowledge`]: the `knowledge.toml` format, loading and validation (every problem, with
//!   `file:line:column`); [`knowledge::diff`], what replacing one file with another changes
//!   (shared by `/reload` and the `diff` command).
//! - [`editing`]: the editor's tools — `draft` (candidate facts from an article, verbatim
//!   quotes) and `misses` (declined questions grouped, with the fact to extend).
//! - [`search`]: the retrieval engine (text pipeline, index, scoring, snippets) — [`Engine`];
//!   [`search::followup`] reads a follow-up fragment in the context of the last answer;
//!   [`search::lookup`] finds a fact by id or title, or the closest (`/fact`, `fact`).
//! - [`answer`]: what a question gets back, independent of how it is shown.
//! - [`eval`]: accuracy and decline rates on a question set (also gates reloads).
//! - [`peer`]: plain tantivy (BM25 + fuzzy) over the same facts, the engine's yardstick.
//! - [`synthetic`]: generated knowledge bases of any size, for benchmarks.
//! - [`config`]: the `serve` configuration file (unknown keys rejected) and the token.
//! - [`bot`]: the bot's handlers — typed request in, typed reply out, no Discord types; the
//!   live knowledge base behind an atomic swap; reload; Discord's size limits; interface text
//!   in English, Japanese and Hindi ([`bot::i18n`]); follow-up context per channel and user.
//! - [`discord`]: the serenity adapter — events to requests, replies to builders, retries;
//!   reaching Discord with backoff and a bounded shutdown; which shards a process runs.
//! - [`ops`]: gateway state, Prometheus metrics, `/metrics` and `/healthz`; the knowledge
//!   file watch that keeps several processes on one file.
//! - [`interactions`]: the HTTP interactions endpoint (`serve --interactions`) — signed
//!   requests in, the same handlers and renderers as the gateway, no gateway connection.
//! - [`files`]: the one reader of every file (regular files only, a size cap per kind, bounded
//!   time, never blocking) and the non-blocking open of a log to append to.
//! - [`memory`]: the allocator (mimalloc), and freed heap memory handed back to the system
//!   (after a build or a reload).
pub mod answer;
pub mod bot;
pub mod config;
pub mod discord;
pub mod editing;
pub mod eval;
pub mod files;
pub mod interactions;
pub mod knowledge;
pub mod memory;
pub mod ops;
pub mod peer;
pub mod search;
pub mod secrets;
pub mod synthetic;

pub use answer::Answer;
pub use search::{Engine, Filters};
