//! One fact (`/fact`, `fact:` buttons, a picked `/ask` preview) and `/about`.

use std::time::{Duration, UNIX_EPOCH};

use crate::bot::buttons;
use crate::bot::call::{mention, name};
use crate::bot::limits;
use crate::bot::render::citation::{citation_text, quote_field};
use crate::bot::reply::{Button, ButtonStyle, Embed, Field, Reply};
use crate::bot::text::{escape_markdown, user_text};
use crate::bot::{Loaded, COLOUR_ANSWER, COLOUR_INFO};

/// The fact with every quote and its sources, or a not-found note with suggestions.
pub fn fact_card(loaded: &Loaded, id: &str) -> Reply {
    let kb = loaded.kb();
    let Some(fact) = loaded.engine.find_fact(id) else {
        return Reply::text(format!(
            "There is no fact “{}”. Pick one from the suggestions as you type, or use {}.",
            user_text(&limits::truncate(id, 100)),
            mention(name::ASK)
        ))
        .ephemeral()
        .with_row(
            loaded
                .engine
                .closest_facts(id)
                .iter()
                .filter_map(|id| kb.fact(id))
                .map(|f| Button::new(buttons::fact(&f.id), &f.title, ButtonStyle::Secondary))
                .collect(),
        );
    };
    let count = fact.citations.len();
    let mut fields: Vec<Field> = fact
        .citations
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let source = kb.source(&c.source);
            let body = citation_text(
                &escape_markdown(&c.quote),
                source.map_or(c.source.as_str(), |s| s.title.as_str()),
                source.and_then(|s| s.url.as_deref()),
            );
            quote_field(i, count, body)
        })
        .collect();
    let topics: Vec<String> = fact
        .topics
        .iter()
        .map(|t| kb.topic(t).map_or_else(|| t.clone(), |t| t.name.clone()))
        .collect();
    fields.push(Field::new("Topics", escape_markdown(&topics.join(", "))).inline());
    if !fact.parties.is_empty() {
        fields.push(Field::new("Parties", escape_markdown(&fact.parties.join(", "))).inline());
    }
    let date = fact.date.map(|d| d.to_string());
    let footer =
        super::footer::fact_footer(fact.kind, date.as_deref(), None, &fact.id, &kb.fingerprint);
    Reply::embed(Embed {
        title: Some(fact.title.clone()),
        description: Some(fact.answer.clone()),
        fields,
        footer: Some(footer),
        colour: Some(COLOUR_ANSWER),
        ..Embed::default()
    })
}

/// Fact ids the engine associates with `text`, best first (see
/// [`crate::search::Engine::associated_facts`]).
pub(crate) fn candidates(loaded: &Loaded, text: &str) -> Vec<String> {
    loaded.engine.associated_facts(text)
}

/// `/fact id:` — public when found, like an answer.
pub fn fact_command(loaded: &Loaded, id: &str) -> Reply {
    fact_card(loaded, id)
}

/// `/about`: what is loaded, since when, and how long the bot has run.
pub fn about(
    loaded: &Loaded,
    uptime: Duration,
    votes: (u64, u64),
    shard: Option<crate::bot::GatewayShard>,
) -> Reply {
    let kb = loaded.kb();
    let commitments = kb.commitment_count();
    let loaded_unix = loaded
        .loaded_at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let quotes: usize = kb.facts.iter().map(|f| f.citations.len()).sum();
    let mut fields = vec![
        Field::new("Facts", kb.fact_count().to_string()).inline(),
        Field::new("Commitments", commitments.to_string()).inline(),
        Field::new("Quotes", quotes.to_string()).inline(),
        Field::new("Sources", kb.sources.len().to_string()).inline(),
        Field::new("Topics", kb.topics.len().to_string()).inline(),
        Field::new("Knowledge updated", kb.meta.updated.to_string()).inline(),
        Field::new("Fingerprint", format!("`{}`", kb.fingerprint)).inline(),
        Field::new(
            "Loaded at",
            format!(
                "{} (<t:{loaded_unix}:R>)",
                humantime::format_rfc3339_seconds(loaded.loaded_at)
            ),
        )
        .inline(),
        Field::new(
            "Uptime",
            humantime::format_duration(Duration::from_secs(uptime.as_secs())).to_string(),
        )
        .inline(),
        Field::new(
            "Version",
            format!("cyberbridge {}", env!("CARGO_PKG_VERSION")),
        )
        .inline(),
        Field::new(
            "Feedback since start",
            format!("👍 {} · 👎 {}", votes.0, votes.1),
        )
        .inline(),
    ];
    if let Some(shard) = shard {
        fields.push(
            Field::new(
                "Answered by",
                format!("shard {} of {}", shard.id, shard.total),
            )
            .inline(),
        );
    }
    Reply::embed(Embed {
        title: Some(kb.meta.title.clone()),
        description: Some(kb.meta.description.clone()),
        fields,
        // A footer shows no markdown and no mentions: the bare name.
        footer: Some(format!(
            "Answers quote their sources; see /{}.",
            name::SOURCES
        )),
        colour: Some(COLOUR_INFO),
        ..Embed::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::handlers::autocomplete::{keep_typing, PREVIEW_CHOICES};
    use crate::bot::reply::Choice;
    use crate::bot::testing::*;
    use crate::bot::{AutocompleteRequest, Bot};

    fn complete(bot: &crate::bot::Bot, command: &str, option: &str, typed: &str) -> Vec<Choice> {
        bot.autocomplete(&AutocompleteRequest {
            user_id: MEMBER,
            command: command.into(),
            option: option.into(),
            typed: typed.into(),
            lang: crate::bot::i18n::Lang::En,
        })
    }

    /// Partial questions as typed, and the fact the preview must show first.
    const PARTIAL_QUESTIONS: &[(&str, &str)] = &[
        (
            "who headed japan's 2017 del",
            "masato-otaka-cyber-ambassador",
        ),
        (
            "who led india at the 2022 e-dia",
            "india-2022-delegation-leader",
        ),
        ("indian delegation 2017", "india-2017-delegation-members"),
        ("gii rank", "india-46th-gii-2021"),
        ("what was the gii ranking based", "india-46th-gii-2021"),
    ];

    #[test]
    fn ask_preview_shows_the_right_fact_first_for_partial_questions() {
        let bot = shipped_bot();
        for (typed, want) in PARTIAL_QUESTIONS {
            let choices = complete(&bot, "ask", "question", typed);
            assert!(
                !choices.is_empty() && choices.len() <= PREVIEW_CHOICES,
                "{typed:?}: {choices:?}"
            );
            assert_eq!(
                crate::bot::commands::picked_fact(&choices[0].value),
                Some(*want),
                "{typed:?}: {choices:?}"
            );
            let title = bot.current().kb().fact(want).unwrap().title.clone();
            for c in &choices {
                assert!(c.name.chars().count() <= limits::CHOICE_NAME, "{}", c.name);
                assert!(
                    c.value.chars().count() <= limits::CHOICE_VALUE,
                    "{}",
                    c.value
                );
                // "<headline> · NN%"
                let (_, pct) = c.name.rsplit_once(" · ").unwrap();
                assert!(pct.ends_with('%'), "{}", c.name);
                assert!(pct.trim_end_matches('%').parse::<u8>().unwrap() <= 100);
            }
            // The headline, cut with an ellipsis when the title is long.
            let (headline, _) = choices[0].name.rsplit_once(" · ").unwrap();
            assert!(
                title.starts_with(headline.trim_end_matches('…')),
                "{choices:?}"
            );
        }
    }

    #[test]
    fn ask_preview_below_the_decline_threshold_only_says_keep_typing() {
        let bot = shipped_bot();
        for typed in ["qwzx", "wh", "what is the weather in paris"] {
            let choices = complete(&bot, "ask", "question", typed);
            assert_eq!(
                choices,
                vec![Choice {
                    name: keep_typing(crate::bot::i18n::Lang::En),
                    value: typed.into()
                }],
                "{typed:?}"
            );
        }
        // Nothing typed yet, or more than a question may hold: nothing at all.
        assert!(complete(&bot, "ask", "question", "  ").is_empty());
        assert!(complete(&bot, "ask", "question", &"india ".repeat(100)).is_empty());
    }

    #[test]
    fn picking_a_preview_answers_that_fact_and_free_text_still_works() {
        let bot = shipped_bot();
        let choices = complete(&bot, "ask", "question", PARTIAL_QUESTIONS[0].0);
        let picked = command(&bot, "ask", &[("question", &choices[0].value)], member());
        let fact = bot
            .current()
            .kb()
            .fact(PARTIAL_QUESTIONS[0].1)
            .unwrap()
            .clone();
        assert!(!picked.ephemeral, "answered publicly like an answer");
        assert_eq!(picked.embeds[0].title.as_deref(), Some(fact.title.as_str()));
        // The id is checked: a fact gone since the preview is asked as text, not trusted.
        let gone = command(
            &bot,
            "ask",
            &[("question", &crate::bot::commands::pick_fact("no-such-fact"))],
            member(),
        );
        assert!(
            gone.ephemeral,
            "declined, shown to the asker only: {gone:?}"
        );
        // Free text (or the "keep typing" value) is a question as before.
        let free = command(
            &bot,
            "ask",
            &[("question", "Who headed Japan's 2017 delegation?")],
            member(),
        );
        assert_eq!(free.embeds[0].title.as_deref(), Some(fact.title.as_str()));
    }

    #[test]
    fn fact_autocomplete_shows_headlines_within_limits() {
        let bot = shipped_bot();
        let all = complete(&bot, "fact", "id", "");
        assert_eq!(all.len(), 25, "capped at 25");
        for c in &all {
            assert!(c.name.chars().count() <= 100 && c.value.chars().count() <= 100);
            assert!(
                bot.current().kb().fact(&c.value).is_some(),
                "value is an id"
            );
        }
        let moc = complete(&bot, "fact", "id", "memorandum");
        assert!(!moc.is_empty());
        assert!(moc[0].name.to_lowercase().contains("memorandum"), "{moc:?}");
        // Every fact whose id starts so comes first; what the engine relates to them follows.
        let by_id = complete(&bot, "fact", "id", "moc-");
        let current = bot.current();
        let moc_ids = current
            .kb()
            .facts
            .iter()
            .filter(|f| f.id.starts_with("moc-"))
            .count();
        assert!(moc_ids >= 2);
        assert!(
            by_id[..moc_ids].iter().all(|c| c.value.starts_with("moc-")),
            "{by_id:?}"
        );
    }

    #[test]
    fn regression_autocomplete_of_1000_letters_and_floods_are_bounded() {
        // 1,000 random letters in `/fact id:` autocomplete used to reach the engine with no
        // cap, as often as the client sent them: now too long a value suggests nothing, and
        // autocomplete requests count against the user's quota.
        let mut opts = options(shipped_path());
        opts.questions_per_minute = std::num::NonZeroU32::new(1).unwrap();
        let bot = Bot::new(opts).unwrap();
        assert!(complete(&bot, "fact", "id", &"q".repeat(1_000)).is_empty());
        let quota = crate::bot::AUTOCOMPLETES_PER_QUESTION as usize;
        for _ in 0..quota {
            assert!(!complete(&bot, "fact", "id", "moc").is_empty());
        }
        assert!(complete(&bot, "fact", "id", "moc").is_empty(), "over quota");
    }

    #[test]
    fn topic_and_party_autocomplete() {
        let bot = shipped_bot();
        let topics = complete(&bot, "ask", "topic", "5g");
        assert_eq!(topics[0].value, "telecom-5g");
        assert_eq!(
            complete(&bot, "topic", "name", "").len(),
            bot.current().kb().topics.len().min(25)
        );
        let parties = complete(&bot, "commitments", "party", "jap");
        assert!(parties.iter().any(|c| c.value == "Japan"), "{parties:?}");
        assert!(
            complete(&bot, "reload", "force", "x").is_empty(),
            "not autocompleted"
        );
        assert!(complete(&bot, "nope", "id", "x").is_empty());
    }

    #[test]
    fn a_fact_card_has_every_quote_and_its_sources() {
        let bot = shipped_bot();
        let kb = bot.current();
        let fact = kb
            .kb()
            .facts
            .iter()
            .find(|f| f.citations.len() > 1)
            .unwrap();
        let reply = command(&bot, "fact", &[("id", &fact.id)], member());
        assert!(!reply.ephemeral);
        let quotes = reply.embeds[0]
            .fields
            .iter()
            .filter(|f| f.name.starts_with("Quote"))
            .count();
        assert_eq!(quotes, fact.citations.len());
        assert!(reply.embeds[0]
            .footer
            .as_deref()
            .unwrap()
            .contains(&fact.id));
    }

    #[test]
    fn an_unknown_fact_is_ephemeral_with_suggestions() {
        let bot = shipped_bot();
        let reply = command(
            &bot,
            "fact",
            &[("id", "memorandum of cooperation signing")],
            member(),
        );
        assert!(reply.ephemeral);
        assert!(reply.buttons().all(|b| b.custom_id.starts_with("fact:")));
        assert!(reply.buttons().count() > 0);
        let pressed = press(&bot, &reply.buttons().next().unwrap().custom_id);
        assert!(pressed.ephemeral && !pressed.embeds.is_empty());
    }

    #[test]
    fn about_has_counts_fingerprint_version_and_uptime() {
        let bot = shipped_bot();
        let reply = command(&bot, "about", &[], member());
        let text = reply.plain_text();
        let kb = bot.current();
        for needle in [
            "[Facts]",
            "[Commitments]",
            "[Sources]",
            "[Topics]",
            "[Loaded at]",
            "[Uptime]",
            "[Version]",
            env!("CARGO_PKG_VERSION"),
            kb.kb().fingerprint.as_str(),
            kb.kb().meta.title.as_str(),
        ] {
            assert!(text.contains(needle), "missing {needle}: {text}");
        }
        assert!(text.contains(&kb.kb().commitments().count().to_string()));
        assert!(!text.contains("[Answered by]"), "no shard, no line: {text}");
    }

    #[test]
    fn about_names_the_shard_that_answered() {
        let bot = shipped_bot();
        let via = crate::bot::Invoker {
            via_shard: Some(crate::bot::GatewayShard { id: 3, total: 16 }),
            ..member()
        };
        let text = command(&bot, "about", &[], via).plain_text();
        assert!(text.contains("[Answered by]\nshard 3 of 16"), "{text}");
    }
}
