//! `/timeline` — dated facts and commitments, oldest first.

use super::Call;
use crate::bot::buttons::ListKind;
use crate::bot::render::list;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    list::first_page(call.loaded, ListKind::Timeline, call.invoker.lang)
}
