//! The "Why this answer?" button.

use crate::bot::i18n::{self, Lang};
use crate::bot::limits;
use crate::bot::render::answer::explain;
use crate::bot::text::user_text;
use crate::bot::{Bot, Loaded, Reply};
use crate::search::Filters;

/// "Why this answer?": the explanation, re-derived from the remembered question on the
/// same knowledge-base version (or a note that it changed). The question comes from memory
/// or, in a process that did not answer it, from the button itself.
pub fn run(
    bot: &Bot,
    loaded: &Loaded,
    fingerprint: &str,
    key: u64,
    asked: Option<&crate::bot::buttons::Asked>,
    lang: Lang,
) -> Reply {
    let now = &loaded.kb().fingerprint;
    if now != fingerprint {
        return Reply::text(i18n::fill(
            lang,
            "why.reloaded",
            &[
                ("then", &user_text(&limits::truncate(fingerprint, 20))),
                ("now", now),
            ],
        ))
        .ephemeral();
    }
    let Some(recent) = bot.recall(key, asked) else {
        return Reply::text(i18n::text(lang, "why.too_old")).ephemeral();
    };
    let filters = Filters {
        topic: recent.topic.clone(),
        ..Filters::default()
    };
    let answer = loaded.engine.ask(&recent.question, &filters);
    Reply::embed(explain(
        &answer,
        &recent.question,
        loaded.engine.decline_threshold(),
    ))
    .ephemeral()
}
