//! `check`: validate a knowledge file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cyberbridge::knowledge::{self, LoadError, LoadOptions};

pub fn check(path: &Path, sources_dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let options = LoadOptions {
        sources_dir,
        ..LoadOptions::default()
    };
    match knowledge::load_with(path, &options) {
        Ok(kb) => {
            let commitments = kb.commitments().count();
            println!("{}: ok", path.display());
            println!("  facts        {}", kb.facts.len() - commitments);
            println!("  commitments  {commitments}");
            println!("  sources      {}", kb.sources.len());
            println!("  topics       {}", kb.topics.len());
            println!("  synonyms     {} groups", kb.synonyms.len());
            let quotes: usize = kb.facts.iter().map(|f| f.citations.len()).sum();
            println!(
                "  quotes       {quotes}{}",
                if options.sources_dir.is_some() {
                    " (all found in the source texts)"
                } else {
                    ""
                }
            );
            println!("  fingerprint  {}", kb.fingerprint);
            let engine = cyberbridge::Engine::new(std::sync::Arc::new(kb));
            for (used, shadowed) in engine.shadowed_synonyms() {
                println!(
                    "warning: synonym \"{shadowed}\" reads the same as \"{used}\" of another group once \
                     stemmed, so only \"{used}\"'s group applies; move one of them"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err @ LoadError::Invalid { .. }) => {
            eprintln!("{err}");
            Ok(ExitCode::from(1))
        }
        Err(err) => {
            eprintln!("error: {err}");
            Ok(ExitCode::from(1))
        }
    }
}
