//! `/help` — every command of the bot's registry, with its usage.

use super::Call;
use crate::bot::{lists, Reply};

pub fn run(call: &Call<'_>) -> Reply {
    lists::help(call.bot.registry())
}
