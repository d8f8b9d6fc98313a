//! Making text safe to echo into Discord markdown: escaping, neutralising mentions, and
//! stripping mentions from a question.

/// Zero-width space: placed after `@` so `@everyone` and `<@123>` stay visible but inert.
const ZWSP: char = '\u{200B}';

/// Escapes Discord markdown so `text` shows literally: `*_~`|\[]<` everywhere, and `>`, `#`,
/// `-` where they would start a quote, heading or list.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '>' | '#' | '-' if line_start => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        if c == '\n' {
            line_start = true;
        } else if !c.is_whitespace() {
            line_start = false;
        }
    }
    out
}

/// Makes every mention inert for readers (on top of `allowed_mentions`, which makes them inert
/// for Discord): `@everyone` → `@\u{200B}everyone`, `<@123>` → `<@\u{200B}123>`.
pub fn neutralise_mentions(text: &str) -> String {
    text.replace('@', &format!("@{ZWSP}"))
}

/// Bidirectional controls (embeddings, overrides, isolates, marks): echoed raw, U+202E
/// reverses the rest of the line, so "rdp.exe" can read as "exe.pdr" and a reply can be made
/// to say what it does not.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` without bidirectional controls.
pub fn without_bidi_controls(text: &str) -> String {
    text.chars().filter(|&c| !is_bidi_control(c)).collect()
}

/// User-supplied text, escaped and neutralised (mentions inert, bidirectional controls
/// removed): the only form in which it is echoed.
pub fn user_text(text: &str) -> String {
    neutralise_mentions(&escape_markdown(&without_bidi_controls(text)))
}

/// Text for inside a ``` code block: only a closing fence could break out.
pub fn code_block_text(text: &str) -> String {
    neutralise_mentions(&without_bidi_controls(text).replace("```", "`\u{200B}``"))
}

/// The question without Discord's mention markup: every user, role and channel mention
/// (`<@id>`, `<@!id>`, `<@&id>`, `<#id>`), `@everyone` and `@here` removed, whitespace
/// collapsed. They address people, not the question; left in, an id reads to the search as a
/// number that matches no fact (and outweighs the words that do).
pub fn strip_mentions(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(at) = rest.find(['<', '@']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let skip = mention_len(rest);
        if skip == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        } else {
            out.push(' ');
            rest = &rest[skip..];
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Length in bytes of the mention `text` starts with (0 if none).
fn mention_len(text: &str) -> usize {
    for word in ["@everyone", "@here"] {
        if text.starts_with(word) {
            return word.len();
        }
    }
    let Some(inner) = ["<@!", "<@&", "<@", "<#"]
        .iter()
        .find_map(|open| text.strip_prefix(open).map(|r| (open.len(), r)))
    else {
        return 0;
    };
    let (open, after) = inner;
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && after[digits..].starts_with('>') {
        open + digits + 1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidirectional_controls_are_never_echoed() {
        let hostile = "a\u{202E}fdp.exe\u{2066}b\u{200F}c\u{061C}";
        for shown in [user_text(hostile), code_block_text(hostile)] {
            assert_eq!(shown.chars().filter(|&c| is_bidi_control(c)).count(), 0);
            assert!(shown.contains("fdp.exe"), "{shown}");
        }
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            escape_markdown("**bold** _it_"),
            "\\*\\*bold\\*\\* \\_it\\_"
        );
        assert_eq!(
            escape_markdown("`code` ~~x~~ ||s||"),
            "\\`code\\` \\~\\~x\\~\\~ \\|\\|s\\|\\|"
        );
        assert_eq!(escape_markdown("[a](http://x)"), "\\[a\\](http://x)");
        assert_eq!(
            escape_markdown("> quote\n# head\n- item"),
            "\\> quote\n\\# head\n\\- item"
        );
        assert_eq!(escape_markdown("India-Japan > 2017"), "India-Japan > 2017");
        assert_eq!(escape_markdown("a\\b"), "a\\\\b");
    }

    #[test]
    fn mentions_are_neutralised() {
        let safe = user_text("hi @everyone and @here <@123> <@&456>");
        assert!(!safe.contains("@everyone"));
        assert!(!safe.contains("@here"));
        assert!(!safe.contains("<@123>"));
        assert!(!safe.contains("<@&456>"));
        assert!(safe.contains("everyone"), "still readable: {safe}");
    }

    #[test]
    fn mentions_are_stripped_from_a_question() {
        assert_eq!(strip_mentions("<@42> what is the MoC?"), "what is the MoC?");
        assert_eq!(
            strip_mentions("hey <@!42>  who led  India?"),
            "hey who led India?"
        );
        assert_eq!(
            strip_mentions("<@43> hi <@&44> <#45> @everyone @here there"),
            "hi there"
        );
        assert_eq!(strip_mentions("<@42>"), "");
        // Not mentions: kept as typed.
        assert_eq!(
            strip_mentions("a <@x> b <@> c <# d @ e me@mail.com 5 < 6 <@12"),
            "a <@x> b <@> c <# d @ e me@mail.com 5 < 6 <@12"
        );
        assert_eq!(strip_mentions("日本<@1>インド"), "日本 インド");
    }

    #[test]
    fn code_blocks_cannot_be_closed_early() {
        assert!(!code_block_text("a ``` b").contains("```"));
    }
}
