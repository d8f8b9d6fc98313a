//! `/fact id:` — one fact with every quote.

use super::Call;
use crate::bot::call::OPT_ID;
use crate::bot::render::fact;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    fact::fact_command(call.loaded, call.required(OPT_ID))
}
