//! `/commitments [party:] [topic:]` — the commitments, optionally filtered.

use super::Call;
use crate::bot::call::{OPT_PARTY, OPT_TOPIC};
use crate::bot::render::list;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    list::commitments_command(
        call.loaded,
        call.text(OPT_PARTY),
        call.text(OPT_TOPIC),
        call.invoker.lang,
    )
}
