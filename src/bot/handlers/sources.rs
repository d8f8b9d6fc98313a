//! `/sources` — the articles the answers quote.

use super::Call;
use crate::bot::buttons::ListKind;
use crate::bot::render::list;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    list::first_page(call.loaded, ListKind::Sources, call.invoker.lang)
}
