//! The command-line adapter: each subcommand turns arguments into core calls and prints.

pub mod ask;
mod check;
pub mod diff;
pub mod draft;
pub mod eval;
pub mod fact;
pub mod filters;
pub mod list;
pub mod misses;
pub mod serve;

pub use check::check;

use std::path::Path;
use std::sync::Arc;

use cyberbridge::knowledge::{self, KnowledgeBase};
use cyberbridge::search::Engine;

/// The default `--knowledge`.
pub const DEFAULT_KNOWLEDGE: &str = "knowledge.toml";

/// A missing knowledge file: which path was tried (absolute, if it was relative) and what to do.
pub fn missing_knowledge(path: &Path) -> anyhow::Error {
    let tried = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    anyhow::anyhow!(
        "no knowledge file at {}\nhint: run from the repository's folder, or pass --knowledge FILE",
        tried.display()
    )
}

/// Loads and validates the knowledge base, or explains why not (each cause once).
pub fn knowledge(path: &Path) -> anyhow::Result<KnowledgeBase> {
    if !path.exists() {
        return Err(missing_knowledge(path));
    }
    // The load error names the file, its I/O cause or every problem.
    knowledge::load(path).map_err(|err| anyhow::anyhow!("{err}"))
}

/// Loads the knowledge base and builds the engine, or explains why not.
pub fn engine(path: &Path, decline_below: Option<f32>) -> anyhow::Result<Engine> {
    let engine = Engine::new(Arc::new(knowledge(path)?));
    Ok(match decline_below {
        Some(threshold) => engine.with_decline_threshold(threshold),
        None => engine,
    })
}

/// Parses a share — a threshold or a floor — as a fraction between 0 and 1 (`0.47`), the same
/// way for every option and as the config file writes it. One reading only: `1` used to mean
/// 100 % while `2` meant 2 %, so anything above 1 (or with a `%`) is refused, saying how to
/// write it.
pub fn parse_fraction(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let hint = |value: &str| {
        let example = value
            .parse::<f64>()
            .ok()
            .filter(|v| *v > 1.0 && *v <= 100.0)
            .map_or_else(
                || "0.47, not 47".to_string(),
                |v| format!("{}, not {value}", v / 100.0),
            );
        format!("write shares as a fraction between 0 and 1: {example}")
    };
    if let Some(number) = trimmed.strip_suffix('%') {
        return Err(format!("{text:?} is a percentage; {}", hint(number.trim())));
    }
    let value: f64 = trimmed
        .parse()
        .map_err(|_| format!("not a number: {text:?} (write a fraction such as 0.47)"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else if value > 1.0 {
        Err(format!("{text:?} is above 1; {}", hint(trimmed)))
    } else {
        Err(format!("{text:?} is below 0; {}", hint("")))
    }
}

/// [`parse_fraction`] for the engine's `f32` threshold.
pub fn parse_threshold(text: &str) -> Result<f32, String> {
    parse_fraction(text).map(|v| v as f32)
}

/// Writes `text` and a newline to standard error, secrets redacted. A closed stderr is not
/// an error worth dying for: `eprintln!` panicked (exit 101) when `check … 2>&1 | head -1`
/// closed the pipe before the report was out.
pub fn to_stderr(text: impl std::fmt::Display) {
    use std::io::Write as _;
    let text = text.to_string();
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        cyberbridge::secrets::redact(&text)
    );
}

/// Whether `err` is, somewhere in its chain, a write to a closed pipe (`ask … | head -1`):
/// the reader has all it wanted, so the program ends quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--decline-below 1` meant 100 % while `2` meant 2 %: shares are fractions in [0, 1]
    /// only, and anything else is refused with how to write it.
    #[test]
    fn regression_thresholds_are_fractions_and_anything_above_1_is_refused() {
        assert_eq!(parse_fraction("0.49"), Ok(0.49));
        assert_eq!(parse_fraction(" 1 "), Ok(1.0));
        assert_eq!(parse_fraction("0"), Ok(0.0));
        let err = parse_fraction("49").unwrap_err();
        assert!(
            err.contains("write shares as a fraction between 0 and 1: 0.49, not 49"),
            "{err}"
        );
        let err = parse_fraction("2").unwrap_err();
        assert!(err.contains("0.02, not 2"), "{err}");
        let err = parse_fraction("49%").unwrap_err();
        assert!(
            err.contains("percentage") && err.contains("0.49, not 49"),
            "{err}"
        );
        assert!(parse_fraction("120").unwrap_err().contains("0.47, not 47"));
        assert!(parse_fraction("-0.1").is_err());
        assert!(parse_fraction("half").is_err());
        assert!((parse_threshold("0.49").unwrap() - 0.49).abs() < 1e-6);
        assert!(parse_threshold("47").is_err());
    }

    /// `ask … | head -1` used to print `error: Broken pipe` and exit 2: a closed pipe is
    /// recognised even under added context, and ends the output quietly.
    #[test]
    fn regression_a_broken_pipe_is_recognised_through_context() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the answer");
        assert!(is_broken_pipe(&err));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }

    /// A missing knowledge file used to print the OS error twice and no hint.
    #[test]
    fn regression_a_missing_knowledge_file_names_the_path_and_suggests_knowledge() {
        let err = knowledge(Path::new("no/such/knowledge.toml")).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("no/such/knowledge.toml"), "{text}");
        assert!(text.contains("--knowledge"), "{text}");
        assert!(!text.contains("os error"), "{text}");
    }
}
