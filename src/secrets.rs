//! Secret values (the bot token) the process must never write out, and the one function every
//! sink passes its text through.
//!
//! A check that looked at paths could not catch a secret arriving by another path: a hard link
//! to the file holding the token passed for an article, and the token was then quoted by
//! `check`, by the `/reload` reply in Discord and in the log. So the value itself is looked
//! for, wherever the text comes from: log lines, replies, JSON logs and CLI reports.

use std::borrow::Cow;
use std::io::Write;
use std::sync::RwLock;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Shorter values are not secrets worth the name, and redacting them would mangle text.
const SHORTEST_SECRET: usize = 8;

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// From now on, `secret` (surrounding whitespace ignored) is replaced by [`REDACTED`] in
/// everything [`redact`] sees.
pub fn register(secret: &str) {
    let secret = secret.trim();
    if secret.chars().count() < SHORTEST_SECRET {
        return;
    }
    let mut secrets = SECRETS.write().unwrap_or_else(|p| p.into_inner());
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_string());
    }
}

/// `text` with every registered secret replaced by [`REDACTED`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let secrets = SECRETS.read().unwrap_or_else(|p| p.into_inner());
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter() {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
        }
    }
    out
}

/// Redacts `text` in place (for the fields of a reply).
pub fn redact_in_place(text: &mut String) {
    if let Cow::Owned(clean) = redact(text) {
        *text = clean;
    }
}

/// A writer that redacts what passes through it. A log line is formatted whole and written in
/// one call, so a secret is never split across two writes.
pub struct Redacting<W>(pub W);

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => {
                self.0.write_all(redact(text).as_bytes())?;
                Ok(buf.len())
            }
            Err(_) => self.0.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Standard error, redacted: the log's writer.
pub fn stderr() -> Redacting<std::io::Stderr> {
    Redacting(std::io::stderr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registered_secret_is_redacted_wherever_it_appears() {
        register("  tok.EN-0123456789\t");
        assert_eq!(
            redact("a tok.EN-0123456789 b tok.EN-0123456789"),
            format!("a {REDACTED} b {REDACTED}")
        );
        let mut field = "x:tok.EN-0123456789".to_string();
        redact_in_place(&mut field);
        assert_eq!(field, format!("x:{REDACTED}"));
        let mut out = Redacting(Vec::new());
        out.write_all(b"line tok.EN-0123456789\n").unwrap();
        assert_eq!(out.0, format!("line {REDACTED}\n").into_bytes());
        assert!(matches!(redact("nothing secret"), Cow::Borrowed(_)));
    }

    #[test]
    fn short_values_are_not_taken_for_secrets() {
        register("abc");
        assert_eq!(redact("abc abc"), "abc abc");
    }
}
