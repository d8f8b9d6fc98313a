//! `/topics` — the topics, paginated.

use super::Call;
use crate::bot::buttons::ListKind;
use crate::bot::{lists, Reply};

pub fn run(call: &Call<'_>) -> Reply {
    lists::first_page(call.loaded, ListKind::Topics)
}
