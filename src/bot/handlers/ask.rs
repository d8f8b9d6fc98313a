//! `/ask question: [topic:]` — answers a question (or the fact picked from the preview).

use super::Call;
use crate::bot::call::{OPT_QUESTION, OPT_TOPIC};
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    crate::bot::ask::ask(
        call.bot,
        call.loaded,
        call.required(OPT_QUESTION),
        call.text(OPT_TOPIC),
        crate::bot::ask::Asker {
            user_id: call.invoker.user_id,
            channel_id: call.invoker.channel_id,
            lang: call.invoker.lang,
        },
        true,
    )
}
