//! `/about` — what is loaded, since when, and how long the bot has run.

use super::Call;
use crate::bot::{info, Reply};

pub fn run(call: &Call<'_>) -> Reply {
    info::about(
        call.loaded,
        call.bot.started.elapsed(),
        call.bot.votes.get(),
    )
}
