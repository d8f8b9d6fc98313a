//! One handler per command (and per answer button: [`why`], [`feedback`]), each a plain function from a [`Call`] to a [`Reply`](super::Reply): the registry
//! ([`super::commands`]) names it, the dispatcher ([`super::Bot::handle`]) runs it after the
//! registry-driven checks (rate limit, admin). [`autocomplete`] serves the options the
//! registry marks with a [`super::commands::Suggest`] source. No Discord type appears here.

pub mod about;
pub mod ask;
pub mod autocomplete;
pub mod commitments;
pub mod fact;
pub mod feedback;
pub mod help;
pub mod reload;
pub mod sources;
pub mod timeline;
pub mod topic;
pub mod topics;
pub mod why;

use super::commands::Invocation;
use super::{Bot, Invoker, Loaded};

/// What a handler gets: the bot, the knowledge-base snapshot taken for this request, the
/// parsed command and who sent it.
pub struct Call<'a> {
    pub bot: &'a Bot,
    pub loaded: &'a Loaded,
    pub invocation: &'a Invocation,
    pub invoker: &'a Invoker,
}

impl Call<'_> {
    /// A string option, trimmed; `None` when absent or blank.
    pub fn text(&self, option: &str) -> Option<&str> {
        self.invocation.text(option)
    }

    /// A required string option (the parser has checked it is there).
    pub fn required(&self, option: &str) -> &str {
        self.text(option).unwrap_or_default()
    }
}
