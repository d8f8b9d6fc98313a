//! One handler per command (and per answer button: [`why`], [`feedback`]), each a plain function from a [`Call`] to a [`Reply`](super::Reply): the registry
//! ([`super::commands`]) names it, the dispatcher ([`super::Bot::handle`]) runs it after the
//! registry-driven checks (rate limit, admin). [`autocomplete`] serves the options the
//! registry marks with a [`super::call::Suggest`] source. No Discord type appears here, and no
//! handler imports the registry: what they share is in [`super::call`].

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

pub use super::call::Call;
