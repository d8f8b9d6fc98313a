//! The 👍/👎 buttons under an answer.

use serde_json::json;

use crate::bot::i18n;
use crate::bot::logs;
use crate::bot::{Bot, Invoker, Loaded, Reply};

/// A 👍/👎 on an answer: counted for `/about` and logged for the maintainers.
pub fn run(bot: &Bot, loaded: &Loaded, up: bool, fact: &str, who: &Invoker) -> Reply {
    bot.votes.add(up);
    tracing::info!(fact, vote = if up { "up" } else { "down" }, "feedback");
    bot.feedback_log.append(json!({
        "vote": if up { "up" } else { "down" },
        "fact": fact,
        "user": logs::hash_user(who.user_id),
        "fingerprint": loaded.kb().fingerprint,
    }));
    Reply::text(i18n::text(
        who.lang,
        if up { "feedback.up" } else { "feedback.down" },
    ))
    .ephemeral()
}
