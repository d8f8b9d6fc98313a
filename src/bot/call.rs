//! What a handler takes and returns, and the vocabulary it names commands and options by: the
//! layer below both the registry ([`super::commands`]) and the handlers ([`super::handlers`]).
//! The registry builds its entries from these types and points each at a handler; a handler
//! reads its [`Call`] and names other commands through [`mention`] and the constants in
//! [`name`], so no handler imports the registry.

use super::reply::Reply;
use super::{Bot, Invoker, Loaded};

/// What an option holds: text, a whole number or a flag; the adapter maps this to Discord's
/// types. The shipped commands use strings and one boolean (`/reload force`), no integer yet.
/// Only string options carry a length cap ([`OptionSpec::max_chars`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    String,
    Integer,
    Boolean,
}

#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: OptionKind,
    pub required: bool,
    /// Discord asks the bot for suggestions while the user types; what they are drawn from.
    pub autocomplete: Option<Suggest>,
    /// Fixed choices `(shown, value)`; empty for free input.
    pub choices: &'static [(&'static str, &'static str)],
    /// Longest value accepted (characters): registered as Discord's `max_length`, and checked
    /// again on arrival (and on autocomplete input), so no request carries more text than
    /// this into the bot.
    pub max_chars: usize,
}

/// Where an autocompleted option's suggestions come from: chosen with the option in the
/// registry, not by matching option names in the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    /// Facts by id or title (value: the fact id).
    Facts,
    /// Topics by id or name (value: the topic id).
    Topics,
    /// Parties of commitments.
    Parties,
    /// The engine's best answers to the partial question, with their confidence (value: a
    /// [`picked_fact`] value, or the typed text).
    Answers,
}

/// Runs a parsed command: a plain function of the request, no Discord types.
pub type Handler = fn(&Call<'_>) -> Reply;

/// One command: the registry ([`super::commands::COMMANDS`]) holds one per slash command.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub options: &'static [OptionSpec],
    /// Registered with `default_member_permissions` = Manage Server, and checked again by the
    /// bot against `[admin]`.
    pub admin_only: bool,
    /// May take longer than Discord's 3 s to answer: the adapter defers first.
    pub slow: bool,
    pub handler: Handler,
}

/// The entry for `name` in `registry` (the shipped [`super::commands::COMMANDS`], or a test's
/// own).
pub fn spec_in(registry: &'static [CommandSpec], name: &str) -> Option<&'static CommandSpec> {
    registry.iter().find(|c| c.name == name)
}

/// `/name option [optional]` as `/help` shows it.
pub fn usage(spec: &CommandSpec) -> String {
    let mut out = format!("/{}", spec.name);
    for o in spec.options {
        if o.required {
            out.push_str(&format!(" {}", o.name));
        } else {
            out.push_str(&format!(" [{}]", o.name));
        }
    }
    out
}

/// Command names, written once: the registry's entries take their names from here, and text
/// that points the user at a command names it through [`mention`].
pub mod name {
    pub const ASK: &str = "ask";
    pub const FACT: &str = "fact";
    pub const TOPICS: &str = "topics";
    pub const TOPIC: &str = "topic";
    pub const COMMITMENTS: &str = "commitments";
    pub const TIMELINE: &str = "timeline";
    pub const SOURCES: &str = "sources";
    pub const ABOUT: &str = "about";
    pub const HELP: &str = "help";
    pub const RELOAD: &str = "reload";
}

/// How user-facing text names a command: "`/name`", with `command` one of the [`name`]
/// constants. Once registration has told the bot the command ids,
/// [`super::commands::CommandIds::link`] makes each a clickable `</name:id>`.
pub fn mention(command: &str) -> String {
    format!("`/{command}`")
}

pub const OPT_QUESTION: &str = "question";
pub const OPT_TOPIC: &str = "topic";
pub const OPT_ID: &str = "id";
pub const OPT_NAME: &str = "name";
pub const OPT_PARTY: &str = "party";
pub const OPT_FORCE: &str = "force";

/// Marks an `/ask question:` value that names a fact picked from the preview. A private-use
/// character, so no typed question starts with it by accident; the id after it is checked
/// against the knowledge base.
const PICKED_FACT: &str = "\u{E000}fact:";

/// The option value of a preview choice for fact `id`.
pub fn pick_fact(id: &str) -> String {
    format!("{PICKED_FACT}{id}")
}

/// The fact id a question value names, if it came from a preview choice.
pub fn picked_fact(value: &str) -> Option<&str> {
    value.trim().strip_prefix(PICKED_FACT)
}

/// Longest id, topic or party: Discord's limit on a choice value, so every value the bot
/// suggests fits, and a longer one names nothing.
pub const MAX_OPTION_CHARS: usize = 100;
/// Longest question option: Discord's own limit on a string option. Questions over
/// [`super::MAX_QUESTION_CHARS`] get a polite refusal that says how long they were.
pub const MAX_QUESTION_OPTION_CHARS: usize = 6_000;

/// An option value as it arrives.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    String(String),
    Integer(i64),
    Boolean(bool),
    /// Anything else (user, channel, number, ...): no command of ours takes it.
    Other(String),
}

/// A checked command: its registry entry and the options given.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub spec: &'static CommandSpec,
    pub options: Vec<(String, OptionValue)>,
}

impl PartialEq for Invocation {
    fn eq(&self, other: &Self) -> bool {
        self.spec.name == other.spec.name && self.options == other.options
    }
}

impl Eq for Invocation {}

impl Invocation {
    /// A string option, trimmed; `None` when absent or blank.
    pub fn text(&self, option: &str) -> Option<&str> {
        self.options.iter().find_map(|(n, v)| match v {
            OptionValue::String(s) if n == option && !s.trim().is_empty() => Some(s.trim()),
            _ => None,
        })
    }

    /// A boolean option; absent is false.
    pub fn flag(&self, option: &str) -> bool {
        self.options
            .iter()
            .any(|(n, v)| n == option && *v == OptionValue::Boolean(true))
    }
}

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
