//! `/timeline` — dated facts and commitments, oldest first.

use super::Call;
use crate::bot::buttons::ListKind;
use crate::bot::{lists, Reply};

pub fn run(call: &Call<'_>) -> Reply {
    lists::first_page(call.loaded, ListKind::Timeline)
}
