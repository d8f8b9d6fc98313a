//! `/about` — what is loaded, since when, and how long the bot has run.

use super::Call;
use crate::bot::render::fact;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    fact::about(
        call.loaded,
        call.bot.started.elapsed(),
        call.bot.votes.get(),
        call.invoker.via_shard,
    )
}
