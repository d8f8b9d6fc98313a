//! `/topic name:` — the facts of one topic.

use super::Call;
use crate::bot::call::OPT_NAME;
use crate::bot::render::list;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    list::topic_command(call.loaded, call.required(OPT_NAME), call.invoker.lang)
}
