//! Browsing: `/topics`, `/topic`, `/commitments`, `/timeline`, `/sources` (paginated with
//! `page:` buttons) and `/help` (generated from the command registry).

use crate::bot::buttons::{self, ListKind};
use crate::bot::call::{mention, name, usage, CommandSpec};
use crate::bot::i18n::{self, Lang};
use crate::bot::limits;
use crate::bot::render::citation::source_link;
use crate::bot::reply::{Button, ButtonStyle, Embed, Reply};
use crate::bot::text::{escape_markdown, user_text};
use crate::bot::{Loaded, COLOUR_INFO};
use crate::knowledge::{Fact, KnowledgeBase};

/// Items per page: short enough to read, and well inside the 4,096-character description.
pub const PAGE_SIZE: usize = 10;

/// The first page of `list` (a new message).
pub fn first_page(loaded: &Loaded, list: ListKind, lang: Lang) -> Reply {
    page(loaded, &list, 0, lang)
}

/// Page `n` (0-based; past the end shows the last page, since a reload may shorten a list).
pub fn page(loaded: &Loaded, list: &ListKind, n: usize, lang: Lang) -> Reply {
    let kb = loaded.kb();
    let (title, intro, items) = match list {
        ListKind::Topics => (
            "Topics".to_string(),
            Some(format!(
                "Use {} to list the facts of one.",
                mention(name::TOPIC)
            )),
            topics(kb),
        ),
        ListKind::Timeline => ("Timeline".to_string(), None, timeline(kb)),
        ListKind::Sources => ("Sources".to_string(), None, sources(kb)),
        ListKind::Topic { id } => match kb.topic(id) {
            Some(topic) => (
                format!("Topic: {}", topic.name),
                Some(escape_markdown(&topic.description)),
                kb.facts
                    .iter()
                    .filter(|f| f.topics.contains(&topic.id))
                    .map(fact_line)
                    .collect(),
            ),
            None => return unknown_topic(kb, id, lang),
        },
        ListKind::Commitments { topic, party } => {
            let mut title = "Commitments".to_string();
            if let Some(p) = party {
                // The party may be what the user typed (when no fact names it): echoed, so
                // escaped like every echo.
                title.push_str(&format!(" involving {}", user_text(p)));
            }
            if let Some(t) = topic.as_deref().and_then(|t| kb.topic(t)) {
                title.push_str(&format!(" on {}", t.name));
            }
            let items = kb
                .commitments()
                .filter(|f| topic.as_ref().is_none_or(|t| f.topics.contains(t)))
                .filter(|f| {
                    party
                        .as_ref()
                        .is_none_or(|p| f.parties.iter().any(|fp| fp.eq_ignore_ascii_case(p)))
                })
                .map(|f| {
                    let mut line = fact_line(f);
                    if !f.parties.is_empty() {
                        line.push_str(&format!(" — {}", escape_markdown(&f.parties.join(", "))));
                    }
                    line
                })
                .collect();
            (title, None, items)
        }
    };
    render_page(kb, list, &title, intro, &items, n, lang)
}

fn render_page(
    kb: &KnowledgeBase,
    list: &ListKind,
    title: &str,
    intro: Option<String>,
    items: &[String],
    n: usize,
    lang: Lang,
) -> Reply {
    let pages = items.len().div_ceil(PAGE_SIZE).max(1);
    let n = n.min(pages - 1);
    let shown = &items[(n * PAGE_SIZE).min(items.len())..((n + 1) * PAGE_SIZE).min(items.len())];
    let mut description = intro.map(|i| format!("{i}\n\n")).unwrap_or_default();
    if items.is_empty() {
        description.push_str("Nothing matches.");
    }
    let budget = limits::EMBED_DESCRIPTION - limits::len(&description);
    description.push_str(&limits::fit_lines(shown, budget));
    let mut footer = format!(
        "{} item{} · knowledge {}",
        items.len(),
        if items.len() == 1 { "" } else { "s" },
        kb.fingerprint
    );
    if pages > 1 {
        footer = format!("Page {} of {pages} · {footer}", n + 1);
    }
    let mut nav = Vec::new();
    if n > 0 {
        nav.push(Button::new(
            buttons::page(list, n - 1),
            i18n::text(lang, "button.previous"),
            ButtonStyle::Secondary,
        ));
    }
    if n + 1 < pages {
        nav.push(Button::new(
            buttons::page(list, n + 1),
            i18n::text(lang, "button.next"),
            ButtonStyle::Secondary,
        ));
    }
    Reply::embed(Embed {
        title: Some(title.to_string()),
        description: Some(description),
        footer: Some(footer),
        colour: Some(COLOUR_INFO),
        ..Embed::default()
    })
    .with_row(nav)
}

fn fact_line(f: &Fact) -> String {
    format!("• **{}** (`{}`)", escape_markdown(&f.title), f.id)
}

fn topics(kb: &KnowledgeBase) -> Vec<String> {
    kb.topics
        .iter()
        .map(|t| {
            let count = kb.facts.iter().filter(|f| f.topics.contains(&t.id)).count();
            format!(
                "**{}** (`{}`) — {count} fact{}\n{}",
                escape_markdown(&t.name),
                t.id,
                if count == 1 { "" } else { "s" },
                escape_markdown(&limits::truncate(&t.description, 160))
            )
        })
        .collect()
}

/// [`KnowledgeBase::timeline`], one line a fact.
fn timeline(kb: &KnowledgeBase) -> Vec<String> {
    kb.timeline()
        .into_iter()
        .map(|f| {
            let date = f.date.map(|d| d.to_string()).unwrap_or_default();
            format!("`{date}` {} (`{}`)", escape_markdown(&f.title), f.id)
        })
        .collect()
}

fn sources(kb: &KnowledgeBase) -> Vec<String> {
    kb.sources
        .iter()
        .map(|s| {
            let about: Vec<String> = s.byline().iter().map(|a| escape_markdown(a)).collect();
            let count = kb.facts_citing(&s.id);
            format!(
                "**{}**\n{}{}backs {count} fact{}",
                source_link(&s.title, s.url.as_deref()),
                about.join(" · "),
                if about.is_empty() { "" } else { " — " },
                if count == 1 { "" } else { "s" }
            )
        })
        .collect()
}

/// The reply to a topic the knowledge base does not have (see `KnowledgeBase::find_topic`).
pub fn unknown_topic(kb: &KnowledgeBase, typed: &str, lang: Lang) -> Reply {
    let names: Vec<String> = kb.topics.iter().map(|t| format!("`{}`", t.id)).collect();
    Reply::text(i18n::fill(
        lang,
        "error.unknown_topic",
        &[
            ("typed", &user_text(&limits::truncate(typed, 100))),
            ("topics", &names.join(", ")),
        ],
    ))
    .ephemeral()
}

pub fn topic_command(loaded: &Loaded, typed: &str, lang: Lang) -> Reply {
    match loaded.kb().find_topic(typed) {
        Some(topic) => first_page(
            loaded,
            ListKind::Topic {
                id: topic.id.clone(),
            },
            lang,
        ),
        None => unknown_topic(loaded.kb(), typed, lang),
    }
}

pub fn commitments_command(
    loaded: &Loaded,
    party: Option<&str>,
    topic: Option<&str>,
    lang: Lang,
) -> Reply {
    let kb = loaded.kb();
    let topic = match topic {
        Some(typed) => match kb.find_topic(typed) {
            Some(t) => Some(t.id.clone()),
            None => return unknown_topic(kb, typed, lang),
        },
        None => None,
    };
    // Use the knowledge base's spelling of the party (the button id stays short and exact).
    let party = party.map(|p| {
        kb.find_party(p)
            .map_or_else(|| limits::truncate(p.trim(), 40), str::to_string)
    });
    first_page(loaded, ListKind::Commitments { topic, party }, lang)
}

/// `/help`, generated from the registry.
pub fn help(registry: &[CommandSpec], lang: Lang) -> Reply {
    let mut lines = vec![i18n::text(lang, "help.intro"), String::new()];
    for c in registry {
        let admins = if c.admin_only {
            format!(" {}", i18n::text(lang, "help.admins"))
        } else {
            String::new()
        };
        lines.push(format!(
            "`{}` — {}{admins}",
            usage(c),
            i18n::command_description(lang, c),
        ));
    }
    lines.push(String::new());
    lines.push(i18n::text(lang, "help.dm"));
    lines.push(i18n::text(lang, "help.language"));
    Reply::embed(Embed {
        title: Some(i18n::text(lang, "help.title")),
        description: Some(lines.join("\n")),
        colour: Some(COLOUR_INFO),
        ..Embed::default()
    })
    .ephemeral()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::testing::*;
    use crate::bot::{Bot, Delivery};

    #[test]
    fn topics_list_every_topic_with_counts() {
        let bot = shipped_bot();
        let reply = command(&bot, "topics", &[], member());
        let text = reply.plain_text();
        let kb = bot.current();
        let shown = kb
            .kb()
            .topics
            .iter()
            .filter(|t| text.contains(&t.id))
            .count();
        assert_eq!(shown, kb.kb().topics.len().min(PAGE_SIZE), "{text}");
        assert!(text.contains(" facts"), "{text}");
    }

    #[test]
    fn long_lists_paginate_with_buttons_that_update_in_place() {
        let bot = shipped_bot();
        let first = command(&bot, "timeline", &[], member());
        let next: Vec<_> = first.buttons().map(|b| b.custom_id.clone()).collect();
        assert_eq!(next, vec!["page:timeline:1"], "{}", first.plain_text());
        assert!(first.embeds[0]
            .footer
            .as_deref()
            .unwrap()
            .starts_with("Page 1 of "));
        let second = press(&bot, "page:timeline:1");
        assert_eq!(second.delivery, Delivery::UpdateMessage);
        assert!(second.buttons().any(|b| b.custom_id == "page:timeline:0"));
        assert_ne!(first.embeds[0].description, second.embeds[0].description);
        // Past the end: the last page, not an error.
        let last = press(&bot, "page:timeline:999");
        assert!(last.buttons().all(|b| b.label.contains("Previous")));
    }

    #[test]
    fn the_timeline_is_in_date_order() {
        let bot = shipped_bot();
        let kb = bot.current();
        let mut dates = Vec::new();
        for n in 0..10 {
            let reply = press(&bot, &format!("page:timeline:{n}"));
            let description = reply.embeds[0].description.clone().unwrap();
            for line in description.lines().filter(|l| l.starts_with('`')) {
                dates.push(line[1..].split('`').next().unwrap().to_string());
            }
            if !reply.buttons().any(|b| b.label.contains("Next")) {
                break;
            }
        }
        let dated = kb.kb().facts.iter().filter(|f| f.date.is_some()).count();
        assert_eq!(dates.len(), dated);
        let parsed: Vec<_> = dates
            .iter()
            .map(|d| crate::knowledge::PartialDate::parse(d).unwrap())
            .collect();
        assert!(parsed.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    }

    #[test]
    fn sources_show_links_and_how_many_facts_each_backs() {
        let bot = shipped_bot();
        let reply = command(&bot, "sources", &[], member());
        let text = reply.plain_text();
        let kb = bot.current();
        for source in &kb.kb().sources {
            let n = kb.kb().facts_citing(&source.id);
            assert!(n > 0);
            assert!(text.contains(&format!("backs {n} facts")), "{text}");
        }
        assert!(text.contains("](http://www.ndmcolumns.com/"), "{text}");
    }

    #[test]
    fn a_topic_by_name_or_id_lists_its_facts() {
        let bot = shipped_bot();
        let by_id = command(&bot, "topic", &[("name", "telecom-5g")], member());
        let by_name = command(&bot, "topic", &[("name", "5g and TELECOM")], member());
        assert_eq!(by_id, by_name);
        assert!(by_id.embeds[0].title.as_deref().unwrap().contains("5G"));
        let unknown = command(&bot, "topic", &[("name", "@everyone cooking")], member());
        assert!(unknown.ephemeral);
        assert!(!unknown.content.unwrap().contains("@everyone"));
    }

    #[test]
    fn regression_an_echoed_party_is_escaped_in_the_title() {
        // `/commitments party:"@everyone [x](http://e.co) ||s||"` used to put the raw text
        // into the embed title: a ping, a link and a spoiler the user typed, shown by the bot.
        let bot = shipped_bot();
        let hostile = "@everyone [x](http://e.co) ||s||";
        let reply = command(&bot, "commitments", &[("party", hostile)], member());
        let title = reply.embeds[0].title.clone().unwrap();
        assert_eq!(
            title,
            format!(
                "Commitments involving {}",
                crate::bot::text::user_text(hostile)
            )
        );
        assert!(
            !title.contains("@everyone") && !title.contains("[x]") && !title.contains("||"),
            "{title}"
        );
    }

    #[test]
    fn commitments_filter_by_party_and_topic() {
        let bot = shipped_bot();
        let all = command(&bot, "commitments", &[], member());
        let japan = command(&bot, "commitments", &[("party", "japan")], member());
        let count = |r: &Reply| {
            r.embeds[0]
                .footer
                .as_deref()
                .unwrap()
                .split(" item")
                .next()
                .unwrap()
                .rsplit(' ')
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        };
        let kb = bot.current();
        assert_eq!(count(&all), kb.kb().commitments().count());
        assert!(count(&japan) <= count(&all));
        assert!(japan.embeds[0].title.as_deref().unwrap().contains("Japan"));
        let none = command(&bot, "commitments", &[("party", "Atlantis")], member());
        assert!(none.embeds[0]
            .description
            .as_deref()
            .unwrap()
            .contains("Nothing matches"));
        let bad_topic = command(&bot, "commitments", &[("topic", "cooking")], member());
        assert!(bad_topic.ephemeral);
    }

    #[test]
    fn help_is_generated_from_the_registry() {
        let text = help(crate::bot::commands::COMMANDS, Lang::En).plain_text();
        for c in crate::bot::commands::COMMANDS {
            assert!(text.contains(&format!("`/{}", c.name)), "{text}");
        }
        assert!(text.contains("/ask question [topic]"));
        assert!(text.contains("(admins)"));
    }

    #[test]
    fn a_bot_on_a_small_kb_lists_without_pages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kb.toml");
        std::fs::write(
            &path,
            small_kb(&fact_toml(
                "a-fact",
                "A fact",
                "An answer.",
                "2017",
                "a quote",
            )),
        )
        .unwrap();
        let bot = Bot::new(options(path)).unwrap();
        let reply = command(&bot, "timeline", &[], member());
        assert!(reply.rows.is_empty());
        assert!(reply.plain_text().contains("`2017` A fact (`a-fact`)"));
    }
}
