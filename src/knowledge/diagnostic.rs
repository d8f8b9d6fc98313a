//! Compiler-style problem reports: `path:line:column: message`, the offending line, a caret.
//!
//! Every check in the loader produces a [`Diagnostic`] from a byte span of the file, so that a
//! person editing `knowledge.toml` can jump straight to the mistake.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem in a knowledge file, located to the character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes) so carets line up under UTF-8 text.
    pub column: usize,
    pub message: String,
    /// The full text of the offending line, shown under the message.
    pub source_line: String,
}

/// Finds lines and columns in one text without rescanning it: the line starts are indexed
/// once, so each diagnostic costs the length of its own line, not of the file before it
/// (100k problems were quadratic: 13 s for 10k, unfinished after 600 s for 100k).
pub struct Locator<'a> {
    path: &'a Path,
    text: &'a str,
    /// Byte offset where each line starts (the first is 0); indexed at the first problem (a
    /// file without one never needs it: 12 MB for a file of 100k facts).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl<'a> Locator<'a> {
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        Locator {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line of byte offset `at`.
    pub fn line(&self, at: usize) -> usize {
        let at = clamp_to_char_boundary(self.text, at);
        self.line_starts().partition_point(|&start| start <= at)
    }

    /// Locates `span` (byte offsets into the text) and attaches `message`.
    pub fn at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let text = self.text;
        let start = clamp_to_char_boundary(text, span.start);
        let line = self.line(start);
        let line_start = self.line_starts()[line - 1];
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        Diagnostic {
            path: self.path.to_path_buf(),
            line,
            column: text[line_start..start].chars().count() + 1,
            message: message.into(),
            source_line: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
        }
    }
}

impl Diagnostic {
    /// Locates `span` (byte offsets into `text`) and attaches `message`. For one diagnostic;
    /// many in one text go through a [`Locator`].
    pub fn at(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        Locator::new(path, text).at(span, message)
    }

    /// The one-line form, `path:line:column: message`, used where space is short (Discord).
    pub fn headline(&self) -> String {
        format!(
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gutter = self.line.to_string().len();
        writeln!(f, "{}: error: {}", self.location(), self.message)?;
        writeln!(f, "{:gutter$} |", "")?;
        writeln!(f, "{} | {}", self.line, self.source_line)?;
        write!(
            f,
            "{:gutter$} | {}^",
            "",
            " ".repeat(self.column.saturating_sub(1))
        )
    }
}

impl Diagnostic {
    fn location(&self) -> String {
        format!("{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

fn clamp_to_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_character_column() {
        let text = "a = 1\nnamé = \"x\"\n";
        let span = text.find("\"x\"").unwrap()..text.len();
        let d = Diagnostic::at(Path::new("k.toml"), text, span, "bad");
        assert_eq!((d.line, d.column), (2, 8));
        assert_eq!(d.source_line, "namé = \"x\"");
        assert_eq!(d.headline(), "k.toml:2:8: bad");
    }

    #[test]
    fn renders_caret_under_the_column() {
        let d = Diagnostic::at(Path::new("k.toml"), "key = oops", 6..10, "bad value");
        let shown = d.to_string();
        assert!(shown.starts_with("k.toml:1:7: error: bad value"), "{shown}");
        assert!(shown.ends_with("  |       ^"), "{shown:?}");
    }

    #[test]
    fn the_locator_agrees_with_a_rescan_everywhere() {
        let text = "a = 1\r\nnamé = \"x\"\n\n[t]\nk = \"日本\"";
        let locator = Locator::new(Path::new("k.toml"), text);
        for at in 0..=text.len() + 2 {
            let clamped = clamp_to_char_boundary(text, at);
            let line = text[..clamped].matches('\n').count() + 1;
            let d = locator.at(at..at, "m");
            assert_eq!(d.line, line, "offset {at}");
            let line_start = text[..clamped].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(
                d.column,
                text[line_start..clamped].chars().count() + 1,
                "offset {at}"
            );
        }
    }

    #[test]
    fn span_past_the_end_points_at_the_last_line() {
        let d = Diagnostic::at(Path::new("k.toml"), "a = 1\n", 99..100, "eof");
        assert_eq!(d.line, 2);
    }
}
