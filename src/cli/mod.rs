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
pub fn engine(path: &Path) -> anyhow::Result<Engine> {
    let kb = knowledge::load(path).with_context(|| format!("loading {}", path.display()))?;
    Ok(Engine::new(Arc::new(kb)))
}
