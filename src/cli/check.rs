//! `check`: validate a knowledge file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cyberbridge::knowledge::{self, LoadError, LoadOptions};

pub fn check(
    path: &Path,
    sources_dir: Option<PathBuf>,
    list_answers: bool,
) -> anyhow::Result<ExitCode> {
    if !path.exists() {
        return Err(super::missing_knowledge(path));
    }
    if let Some(dir) = &sources_dir {
        if !dir.is_dir() {
            anyhow::bail!(
                "no folder of article texts at {}\nhint: the articles are not part of the \
                 repository (see the README, \"The knowledge base\"); without --sources, check \
                 validates everything except that each quote appears verbatim in its article",
                dir.display()
            );
        }
    }
    let options = LoadOptions {
        sources_dir,
        ..LoadOptions::default()
    };
    let mut out = cyberbridge::secrets::Redacting(std::io::stdout().lock());
    match knowledge::load_with(path, &options) {
        Ok(kb) => {
            let commitments = kb.commitments().count();
            writeln!(out, "{}: ok", path.display())?;
            writeln!(out, "  facts        {}", kb.facts.len() - commitments)?;
            writeln!(out, "  commitments  {commitments}")?;
            writeln!(out, "  sources      {}", kb.sources.len())?;
            writeln!(out, "  topics       {}", kb.topics.len())?;
            writeln!(out, "  synonyms     {} groups", kb.synonyms.len())?;
            let quotes: usize = kb.facts.iter().map(|f| f.citations.len()).sum();
            writeln!(
                out,
                "  quotes       {quotes}{}",
                if options.sources_dir.is_some() {
                    " (each found in its source's article)"
                } else {
                    " (not checked against the article texts: pass --sources DIR)"
                }
            )?;
            writeln!(out, "  fingerprint  {}", kb.fingerprint)?;
            let vocabulary = &kb.vocabulary;
            let declared = kb.facts.iter().filter(|f| f.answers.is_some()).count();
            writeln!(
                out,
                "  answers      {declared} facts declare what they answer, {} are read from their words{}",
                kb.facts.len() - declared,
                if list_answers || declared == kb.facts.len() {
                    ""
                } else {
                    " (list them with --answers)"
                }
            )?;
            if list_answers {
                for fact in &kb.facts {
                    let inferred =
                        cyberbridge::search::intent::inferred_answer_types(fact, vocabulary);
                    match &fact.answers {
                        Some(declared) if *declared != inferred => writeln!(
                            out,
                            "    {:<44} {:<24} declared (its words show [{}])",
                            fact.id,
                            format!("[{}]", declared.join(", ")),
                            inferred.join(", ")
                        )?,
                        Some(declared) => writeln!(
                            out,
                            "    {:<44} {:<24} declared",
                            fact.id,
                            format!("[{}]", declared.join(", "))
                        )?,
                        None => writeln!(
                            out,
                            "    {:<44} {:<24} read from its words",
                            fact.id,
                            format!("[{}]", inferred.join(", "))
                        )?,
                    }
                }
            }
            let engine = cyberbridge::Engine::new(std::sync::Arc::new(kb));
            for (used, shadowed) in engine.shadowed_synonyms() {
                writeln!(
                    out,
                    "warning: synonym \"{shadowed}\" reads the same as \"{used}\" of another group once \
                     stemmed, so only \"{used}\"'s group applies; move one of them"
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err @ LoadError::Invalid { .. }) => {
            super::to_stderr(&err);
            Ok(ExitCode::from(1))
        }
        Err(err) => {
            super::to_stderr(format_args!("error: {err}"));
            Ok(ExitCode::from(1))
        }
    }
}
