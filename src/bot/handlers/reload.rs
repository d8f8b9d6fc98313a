//! `/reload [force:]` — admins only (the registry says so; the dispatcher checks).

use super::Call;
use crate::bot::call::OPT_FORCE;
use crate::bot::Reply;

pub fn run(call: &Call<'_>) -> Reply {
    crate::bot::reload::reload_command(call.bot, call.invoker, call.invocation.flag(OPT_FORCE))
}
