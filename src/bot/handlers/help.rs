//! `/help` — every command of the bot's registry, with its usage.

use super::Call;
use crate::bot::render::list;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    list::help(call.bot.registry(), call.invoker.lang)
}
