//! The command-line adapter: each subcommand turns arguments into core calls and prints.

pub mod ask;
mod check;
pub mod eval;
pub mod serve;

pub use check::check;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use cyberbridge::knowledge;
use cyberbridge::search::Engine;

/// Loads the knowledge base and builds the engine, or explains why not.
pub fn engine(path: &Path, decline_below: Option<f32>) -> anyhow::Result<Engine> {
    let kb = knowledge::load(path).with_context(|| format!("loading {}", path.display()))?;
    let engine = Engine::new(Arc::new(kb));
    Ok(match decline_below {
        Some(threshold) => engine.with_decline_threshold(threshold),
        None => engine,
    })
}

/// Parses a confidence threshold: a number between 0 and 1.
pub fn parse_threshold(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!(
            "a threshold is a number between 0 and 1, not {text:?}"
        )),
    }
}
