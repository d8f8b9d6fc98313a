//! The editor's tools: drafting `[[facts]]` from an article ([`draft`], with the questions
//! of [`questions`]) and reading what users asked that the bot could not answer ([`misses`]). Pure functions over
//! texts and a knowledge base; the command line (`src/cli/`) reads the files and prints.
//! What a reload changes lives with the knowledge base: [`crate::knowledge::diff`].

pub mod draft;
pub mod misses;
pub mod questions;
