//! Discord's size limits, applied in one place to every reply before it leaves the bot.
//!
//! Lengths are measured in UTF-16 code units, which is never less than the number of
//! characters: whichever way Discord counts, a fitted reply is within the limit. Cuts fall on
//! `char` boundaries and end with "…". Buttons are never cut: a shortened `custom_id` would
//! mean something else, so a button whose id is too long is dropped instead.

use std::collections::HashSet;

use super::reply::{Choice, Embed, Reply};

pub const CONTENT: usize = 2_000;
pub const EMBEDS: usize = 10;
pub const EMBED_TITLE: usize = 256;
pub const EMBED_DESCRIPTION: usize = 4_096;
pub const FIELD_NAME: usize = 256;
pub const FIELD_VALUE: usize = 1_024;
pub const FOOTER: usize = 2_048;
pub const FIELDS: usize = 25;
/// Title, description, field names and values and footers of all embeds of one message.
pub const EMBED_TOTAL: usize = 6_000;
pub const BUTTONS_PER_ROW: usize = 5;
pub const ROWS: usize = 5;
pub const BUTTON_LABEL: usize = 80;
pub const CUSTOM_ID: usize = 100;
pub const CHOICES: usize = 25;
pub const CHOICE_NAME: usize = 100;
pub const CHOICE_VALUE: usize = 100;

const ELLIPSIS: char = '…';
/// Discord rejects empty field names and values; this shows as nothing.
const BLANK: &str = "\u{200B}";

/// Length as Discord may count it (UTF-16 code units).
pub fn len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text` if it fits in `max`, else its longest prefix that fits with a trailing "…".
pub fn truncate(text: &str, max: usize) -> String {
    if len(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let budget = max - ELLIPSIS.len_utf16();
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if used + c.len_utf16() > budget {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
    }
    let mut out = text[..end].trim_end().to_string();
    out.push(ELLIPSIS);
    out
}

/// Joins `lines` with newlines, keeping as many whole lines as fit in `max` and ending with
/// "… and N more" when some are left out (a single overlong line is cut).
pub fn fit_lines(lines: &[String], max: usize) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let rest = lines.len() - i;
        let more = if rest > 1 {
            format!("\n… and {} more", rest - 1)
        } else {
            String::new()
        };
        let sep = if out.is_empty() { "" } else { "\n" };
        if len(&out) + len(sep) + len(line) + len(&more) <= max {
            out.push_str(sep);
            out.push_str(line);
            continue;
        }
        let tail = format!("\n… and {rest} more");
        if out.is_empty() {
            let room = max.saturating_sub(len(&more));
            out = truncate(line, room);
            if rest > 1 {
                out.push_str(&more);
            }
        } else if len(&out) + len(&tail) <= max {
            out.push_str(&tail);
        }
        return out;
    }
    out
}

fn fit_in_place(text: &mut String, max: usize) {
    if len(text) > max {
        *text = truncate(text, max);
    }
}

fn fit_option(text: &mut Option<String>, max: usize) {
    if let Some(t) = text {
        fit_in_place(t, max);
        if t.trim().is_empty() {
            *text = None;
        }
    }
}

fn embed_size(e: &Embed) -> usize {
    e.title.as_deref().map_or(0, len)
        + e.description.as_deref().map_or(0, len)
        + e.footer.as_deref().map_or(0, len)
        + e.fields
            .iter()
            .map(|f| len(&f.name) + len(&f.value))
            .sum::<usize>()
}

/// Fits one embed into its own limits and into `budget` characters in total.
fn fit_embed(e: &mut Embed, budget: usize) {
    fit_option(&mut e.title, EMBED_TITLE);
    fit_option(&mut e.description, EMBED_DESCRIPTION);
    fit_option(&mut e.footer, FOOTER);
    e.fields.truncate(FIELDS);
    for f in &mut e.fields {
        fit_in_place(&mut f.name, FIELD_NAME);
        fit_in_place(&mut f.value, FIELD_VALUE);
        if f.name.trim().is_empty() {
            f.name = BLANK.into();
        }
        if f.value.trim().is_empty() {
            f.value = BLANK.into();
        }
    }
    // Over budget: drop fields from the end, then shorten the description, then the footer.
    while embed_size(e) > budget && !e.fields.is_empty() {
        e.fields.pop();
    }
    if embed_size(e) > budget {
        let other = embed_size(e) - e.description.as_deref().map_or(0, len);
        if let Some(d) = &mut e.description {
            *d = truncate(d, budget.saturating_sub(other));
        }
        fit_option(&mut e.description, EMBED_DESCRIPTION);
    }
    if embed_size(e) > budget {
        e.footer = None;
    }
    if embed_size(e) > budget {
        if let Some(t) = &mut e.title {
            *t = truncate(t, budget);
        }
    }
}

/// Makes `reply` acceptable to Discord: every length, count and the 6,000 total.
pub fn fit_reply(reply: &mut Reply) {
    fit_option(&mut reply.content, CONTENT);
    reply.embeds.truncate(EMBEDS);
    let mut budget = EMBED_TOTAL;
    for e in &mut reply.embeds {
        fit_embed(e, budget);
        budget -= embed_size(e).min(budget);
    }
    // Buttons: drop unusable ones, keep ids unique, re-flow into rows of at most 5.
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for row in std::mem::take(&mut reply.rows) {
        let mut kept: Vec<_> = row
            .into_iter()
            .filter(|b| {
                !b.custom_id.is_empty()
                    && len(&b.custom_id) <= CUSTOM_ID
                    && seen.insert(b.custom_id.clone())
            })
            .collect();
        for b in &mut kept {
            fit_in_place(&mut b.label, BUTTON_LABEL);
            if b.label.trim().is_empty() {
                b.label = "…".into();
            }
        }
        while !kept.is_empty() {
            let rest = kept.split_off(kept.len().min(BUTTONS_PER_ROW));
            rows.push(kept);
            kept = rest;
        }
    }
    rows.truncate(ROWS);
    reply.rows = rows;
    if reply.content.is_none() && reply.embeds.is_empty() {
        reply.content = Some(BLANK.into());
    }
}

/// At most 25 choices, names and values within 100; a choice whose value would need cutting
/// is dropped (a cut value would name nothing).
pub fn fit_choices(choices: &mut Vec<Choice>) {
    choices.retain(|c| !c.value.is_empty() && len(&c.value) <= CHOICE_VALUE);
    choices.truncate(CHOICES);
    for c in choices {
        fit_in_place(&mut c.name, CHOICE_NAME);
        if c.name.trim().is_empty() {
            c.name = c.value.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::reply::{Button, ButtonStyle, Field};

    #[test]
    fn short_text_is_untouched() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("", 0), "");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_within_the_limit() {
        let cut = truncate("hello world", 8);
        assert_eq!(cut, "hello w…");
        assert!(len(&cut) <= 8);
        assert_eq!(truncate("abcdef", 1), "…");
    }

    #[test]
    fn cuts_fall_on_char_boundaries() {
        // Multi-byte and astral characters (an emoji is 2 UTF-16 units).
        let text = "日本とインドのサイバー協力 🇯🇵🇮🇳 and more";
        for max in 0..len(text) + 2 {
            let cut = truncate(text, max);
            assert!(len(&cut) <= max, "max {max}: {cut:?}");
        }
        assert_eq!(truncate("😀😀😀", 4), "😀…");
    }

    #[test]
    fn fit_lines_keeps_whole_lines_and_counts_the_rest() {
        let lines: Vec<String> = (1..=10).map(|i| format!("line number {i}")).collect();
        let out = fit_lines(&lines, 60);
        assert!(len(&out) <= 60, "{out}");
        assert!(out.starts_with("line number 1\n"));
        assert!(out.contains("more"), "{out}");
        assert_eq!(fit_lines(&lines[..2], 100), "line number 1\nline number 2");
        let long = vec!["x".repeat(500), "y".into()];
        let out = fit_lines(&long, 100);
        assert!(len(&out) <= 100, "{out}");
    }

    #[test]
    fn a_reply_is_fitted_to_every_limit() {
        let huge = "é".repeat(10_000);
        let mut reply = Reply {
            content: Some(huge.clone()),
            embeds: vec![
                Embed {
                    title: Some(huge.clone()),
                    description: Some(huge.clone()),
                    fields: (0..40).map(|_| Field::new(&huge, &huge)).collect(),
                    footer: Some(huge.clone()),
                    ..Embed::default()
                };
                12
            ],
            rows: vec![(0..13)
                .map(|i| Button::new(format!("b{i}"), &huge, ButtonStyle::Primary))
                .chain([
                    Button::new("x".repeat(101), "too long id", ButtonStyle::Primary),
                    Button::new("b1", "duplicate", ButtonStyle::Primary),
                ])
                .collect()],
            ..Reply::default()
        };
        fit_reply(&mut reply);
        assert_eq!(len(reply.content.as_deref().unwrap()), CONTENT);
        assert!(reply.embeds.len() <= EMBEDS);
        let total: usize = reply.embeds.iter().map(embed_size).sum();
        assert!(total <= EMBED_TOTAL, "{total}");
        for e in &reply.embeds {
            assert!(e.title.as_deref().map_or(0, len) <= EMBED_TITLE);
            assert!(e.description.as_deref().map_or(0, len) <= EMBED_DESCRIPTION);
            assert!(e.fields.len() <= FIELDS);
            for f in &e.fields {
                assert!(len(&f.name) <= FIELD_NAME && len(&f.value) <= FIELD_VALUE);
            }
        }
        assert_eq!(reply.rows.len(), 3, "13 buttons → 5 + 5 + 3");
        assert!(reply.rows.iter().all(|r| r.len() <= BUTTONS_PER_ROW));
        assert!(reply.buttons().all(|b| len(&b.label) <= BUTTON_LABEL));
        assert!(reply.buttons().all(|b| len(&b.custom_id) <= CUSTOM_ID));
        assert_eq!(reply.buttons().filter(|b| b.custom_id == "b1").count(), 1);
    }

    #[test]
    fn at_most_five_rows() {
        let mut reply = Reply {
            rows: (0..8)
                .map(|r| vec![Button::new(format!("r{r}"), "x", ButtonStyle::Primary)])
                .collect(),
            ..Reply::default()
        };
        fit_reply(&mut reply);
        assert_eq!(reply.rows.len(), ROWS);
    }

    #[test]
    fn empty_parts_become_valid() {
        let mut reply = Reply {
            embeds: vec![Embed {
                fields: vec![Field::new("", "")],
                description: Some(String::new()),
                ..Embed::default()
            }],
            ..Reply::default()
        };
        fit_reply(&mut reply);
        assert_eq!(reply.embeds[0].description, None);
        assert!(!reply.embeds[0].fields[0].name.is_empty());
        let mut empty = Reply::default();
        fit_reply(&mut empty);
        assert!(empty.content.is_some(), "a message needs some content");
    }

    #[test]
    fn choices_are_capped_and_names_shortened() {
        let mut choices: Vec<Choice> = (0..40)
            .map(|i| Choice {
                name: format!("{i} {}", "long name ".repeat(20)),
                value: format!("v{i}"),
            })
            .collect();
        choices.push(Choice {
            name: "bad".into(),
            value: "v".repeat(101),
        });
        fit_choices(&mut choices);
        assert_eq!(choices.len(), CHOICES);
        assert!(choices.iter().all(|c| len(&c.name) <= CHOICE_NAME));
    }
}
