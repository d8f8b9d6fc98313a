//! # cyberbridge
//!
//! Answers questions about India–Japan cyber cooperation from a curated knowledge base of facts
//! and commitments, each backed by verbatim quotes from the source articles.
//!
//! # Layout
//! - [`knowledge`]: the `knowledge.toml` format, loading and validation (every problem, with
//!   `file:line:column`).
pub mod knowledge;
