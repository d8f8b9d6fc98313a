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

impl Diagnostic {
    /// Locates `span` (byte offsets into `text`) and attaches `message`.
    pub fn at(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = clamp_to_char_boundary(text, span.start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        Diagnostic {
            path: path.to_path_buf(),
            line: text[..start].matches('\n').count() + 1,
            column: text[line_start..start].chars().count() + 1,
            message: message.into(),
            source_line: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
        }
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
    fn span_past_the_end_points_at_the_last_line() {
        let d = Diagnostic::at(Path::new("k.toml"), "a = 1\n", 99..100, "eof");
        assert_eq!(d.line, 2);
    }
}
