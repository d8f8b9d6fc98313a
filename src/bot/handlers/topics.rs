//! `/topics` — the topics, paginated.

use super::Call;
use crate::bot::buttons::ListKind;
use crate::bot::render::list;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    list::first_page(call.loaded, ListKind::Topics, call.invoker.lang)
}
