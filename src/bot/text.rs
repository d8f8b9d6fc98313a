//! Making text safe to echo into Discord markdown: escaping, neutralising mentions, and
//! stripping the bot's own mention from a free-text question.

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

/// User-supplied text, escaped and neutralised: the only form in which it is echoed.
pub fn user_text(text: &str) -> String {
    neutralise_mentions(&escape_markdown(text))
}

/// Text for inside a ``` code block: only a closing fence could break out.
pub fn code_block_text(text: &str) -> String {
    neutralise_mentions(&text.replace("```", "`\u{200B}``"))
}

/// The question in a message that mentions the bot: every `<@id>` / `<@!id>` of the bot
/// removed, whitespace collapsed.
pub fn strip_bot_mention(content: &str, bot_id: u64) -> String {
    let plain = format!("<@{bot_id}>");
    let nick = format!("<@!{bot_id}>");
    let stripped = content.replace(&nick, " ").replace(&plain, " ");
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_bot_mention_is_stripped() {
        assert_eq!(
            strip_bot_mention("<@42> what is the MoC?", 42),
            "what is the MoC?"
        );
        assert_eq!(
            strip_bot_mention("hey <@!42>  who led  India?", 42),
            "hey who led India?"
        );
        assert_eq!(strip_bot_mention("<@43> hi <@42>", 42), "<@43> hi");
        assert_eq!(strip_bot_mention("<@42>", 42), "");
    }

    #[test]
    fn code_blocks_cannot_be_closed_early() {
        assert!(!code_block_text("a ``` b").contains("```"));
    }
}
