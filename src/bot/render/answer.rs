//! The answer embed, the decline with suggestions, and "Why this answer?".

use super::citation::{citation_text, quote_field};
use super::percent;
use crate::answer::{Answer, CitedQuote, DeclineReason, Found, NoMatch, NotStated};
use crate::bot::buttons;
use crate::bot::call::{mention, name};
use crate::bot::i18n::{self, Lang};
use crate::bot::limits;
use crate::bot::reply::{Button, ButtonStyle, Embed, Field, Reply};
use crate::bot::text::{escape_markdown, user_text};
use crate::bot::COLOUR_ANSWER;
use crate::search::followup::{Carried, FollowUp};

/// One embed field per citation: the quote with the matched words in bold, and its source.
fn citation_fields(citations: &[CitedQuote]) -> Vec<Field> {
    let count = citations.len();
    citations
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let quote = c.snippet.render("**", "**", escape_markdown);
            quote_field(
                i,
                count,
                citation_text(&quote, &c.source_title, c.url.as_deref()),
            )
        })
        .collect()
}

/// The answer embed with its buttons; `why` is the "Why this answer?" button's `custom_id`.
pub fn render_found(found: &Found, why: &str, lang: Lang) -> Reply {
    let fact = &found.fact;
    let fields = citation_fields(&found.citations);
    let footer = super::footer::fact_footer(
        fact.kind,
        fact.date.as_deref(),
        Some(found.confidence),
        &fact.id,
        &found.fingerprint,
    );
    // "What does X stand for": the expansion first, then the fact it was cited from.
    let description = match &found.expansion {
        Some(e) => format!(
            "**{}** stands for **{}**.\n\n{}",
            user_text(&e.acronym),
            escape_markdown(&e.expansion),
            fact.answer
        ),
        None => fact.answer.clone(),
    };
    let embed = Embed {
        title: Some(fact.title.clone()),
        description: Some(description),
        fields,
        footer: Some(footer),
        colour: Some(COLOUR_ANSWER),
        ..Embed::default()
    };
    let mut reply = Reply::embed(embed);
    if let Some(other) = &found.ambiguous_with {
        reply.content = Some(i18n::text(lang, "ask.ambiguous"));
        reply = reply.with_row(vec![
            Button::new(buttons::fact(&fact.id), &fact.title, ButtonStyle::Primary),
            Button::new(buttons::fact(&other.id), &other.title, ButtonStyle::Primary),
        ]);
    }
    reply = reply.with_row(
        found
            .related
            .iter()
            .take(3)
            .map(|r| Button::new(buttons::fact(&r.id), &r.title, ButtonStyle::Secondary))
            .collect(),
    );
    reply.with_row(vec![
        Button::new(why, i18n::text(lang, "button.why"), ButtonStyle::Secondary),
        Button::new(
            buttons::feedback(true, &fact.id),
            "👍",
            ButtonStyle::Secondary,
        ),
        Button::new(
            buttons::feedback(false, &fact.id),
            "👎",
            ButtonStyle::Secondary,
        ),
    ])
}

/// `reply` to a follow-up, opening with how it was read: "*Read as:* who led India's
/// delegation at the 2017 dialogue (carried over: …)". Unchanged for other questions.
pub fn read_as(mut reply: Reply, follow_up: Option<&FollowUp>, lang: Lang) -> Reply {
    let Some(follow_up) = follow_up else {
        return reply;
    };
    let carried: Vec<String> = follow_up
        .carried
        .iter()
        .map(|c| match c {
            Carried::Event(name) => i18n::fill(lang, "carried.event", &[("name", name)]),
            Carried::Parties(names) => {
                i18n::fill(lang, "carried.parties", &[("names", &names.join(", "))])
            }
            Carried::AnswerType(kind) => i18n::fill(lang, "carried.question", &[("kind", kind)]),
        })
        .collect();
    let note = i18n::fill(
        lang,
        "ask.read_as",
        &[
            ("question", &user_text(&follow_up.read_as)),
            ("carried", &user_text(&carried.join(", "))),
        ],
    );
    reply.content = Some(match reply.content.take() {
        Some(content) => format!("{note}\n{content}"),
        None => note,
    });
    reply
}

/// "Not stated": a labelled reply saying what the articles do not state, with the closest
/// fact and its citations under it, in the info colour (never the answer colour), so it
/// cannot be read as an answer.
fn render_not_stated(not: &NotStated, no: &NoMatch, lang: Lang) -> Reply {
    let fact = &not.fact;
    let fields = citation_fields(&not.citations);
    let footer = super::footer::fact_footer(
        fact.kind,
        fact.date.as_deref(),
        None,
        &fact.id,
        &no.fingerprint,
    );
    let content = i18n::fill(
        lang,
        "ask.not_stated",
        &[("missing", &user_text(&not.missing.phrase()))],
    );
    let mut reply = Reply::embed(Embed {
        title: Some(fact.title.clone()),
        description: Some(fact.answer.clone()),
        fields,
        footer: Some(footer),
        colour: Some(crate::bot::COLOUR_INFO),
        ..Embed::default()
    });
    reply.content = Some(content);
    reply
}

/// An honest "I don't know", with "did you mean" buttons and a pointer to `/topics`.
pub fn render_no_match(no: &NoMatch, lang: Lang) -> Reply {
    if let Some(not) = &no.not_stated {
        return render_not_stated(not, no, lang);
    }
    let mut content = if no.reason == DeclineReason::Tied {
        i18n::text(lang, "ask.tied")
    } else if no.reason == DeclineReason::OneWord {
        i18n::text(lang, "ask.one_word")
    } else {
        i18n::fill(
            lang,
            "ask.no_match",
            &[("percent", &percent(no.confidence))],
        )
    };
    if !no.suggestions.is_empty() {
        content.push(' ');
        content.push_str(&i18n::text(lang, "ask.did_you_mean"));
    }
    content.push(' ');
    content.push_str(&i18n::fill(
        lang,
        "ask.browse",
        &[("topics", &mention(name::TOPICS))],
    ));
    Reply::text(content).with_row(
        no.suggestions
            .iter()
            .map(|s| Button::new(buttons::fact(&s.id), &s.title, ButtonStyle::Secondary))
            .collect(),
    )
}

/// The "Why this answer?" embed: matched terms, corrections, synonyms and signal scores.
pub fn explain(answer: &Answer, question: &str, threshold: f32) -> Embed {
    let why = answer.explanation();
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items
                .iter()
                .map(|s| user_text(s))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let decision = match answer {
        Answer::Found(found) => format!(
            "Answered with **{}** (`{}`): confidence {} ≥ threshold {}.",
            escape_markdown(&found.fact.title),
            found.fact.id,
            percent(found.confidence),
            percent(threshold)
        ),
        Answer::NoMatch(no) if no.reason == DeclineReason::NotStated => format!(
            "Not stated: the closest fact does not say {} (confidence {}).",
            no.not_stated
                .as_ref()
                .map_or_else(|| "that".to_string(), |n| user_text(&n.missing.phrase())),
            percent(no.confidence)
        ),
        Answer::NoMatch(no) => format!(
            "Declined: confidence {} < threshold {}.",
            percent(no.confidence),
            percent(threshold)
        ),
    };
    let corrections: Vec<String> = why
        .corrections
        .iter()
        .map(|(typed, fixed)| format!("{} → {}", user_text(typed), escape_markdown(fixed)))
        .collect();
    let signals = why
        .signals
        .iter()
        .map(|(name, value)| format!("{name} {value:.2}"))
        .collect::<Vec<_>>()
        .join(" · ");
    Embed {
        title: Some("Why this answer?".into()),
        description: Some(format!(
            "**Question:** {}\n{decision}",
            user_text(&limits::truncate(question, 500))
        )),
        fields: vec![
            Field::new("Matched words", list(&why.matched_terms)),
            Field::new("Not matched", list(&why.unmatched_terms)),
            Field::new(
                "Typo corrections",
                if corrections.is_empty() {
                    "—".into()
                } else {
                    corrections.join(", ")
                },
            ),
            Field::new(
                "Synonyms used",
                if why.synonyms.is_empty() {
                    "—".into()
                } else {
                    escape_markdown(&why.synonyms.join("; "))
                },
            ),
            Field::new(
                "Signals (0–1)",
                if signals.is_empty() {
                    "—".into()
                } else {
                    signals
                },
            ),
        ],
        footer: Some(format!("knowledge {}", fingerprint_of(answer))),
        colour: Some(crate::bot::COLOUR_INFO),
        ..Embed::default()
    }
}

fn fingerprint_of(answer: &Answer) -> &str {
    match answer {
        Answer::Found(f) => &f.fingerprint,
        Answer::NoMatch(n) => &n.fingerprint,
    }
}
