//! The one registry of slash commands: name, description, options (with where their
//! suggestions come from), the admin flag and the handler are written here once, and read by
//! registration (the Discord adapter), parsing ([`BotCommand::parse`]), dispatch (the
//! handler), the admin check, `/help`, and every mention of a command in text ([`mention`]).
//!
//! Adding a command touches these places, and the tests fail until each is done:
//! - its entry here: a [`CommandSpec`] listed in [`COMMANDS`] (name lowercase ASCII, at most
//!   32 characters; descriptions at most 100; required options before optional ones);
//! - its handler, a module in [`super::handlers`] declared in `handlers/mod.rs`, which names
//!   commands only through [`mention`] or the registry, never as a literal `/name`;
//! - `src/bot/messages.toml`, in both `[ja]` and `[hi]` (never `[en]`: English names and
//!   descriptions are the registry's own): `cmd.NAME`, `cmd.NAME.desc`, and for each option
//!   `opt.NAME.OPTION.desc` and, if no command has that option name yet, `optname.OPTION`.
//!   Localised names follow Discord's rules (lowercase, 1–32 characters) and stay distinct.
//!   Any interface text the handler writes goes there too, as a key in all three tables with
//!   the same `{placeholders}`;
//! - if the command is admin-only: the registration check in `tests/integration/e2e.rs`,
//!   which expects Manage Server on `/reload` alone.

use super::call::name;
use super::handlers;
// The types a registry entry is made of live in `call`, below both the registry and the
// handlers; they are re-exported here for the adapters, which know commands by the registry.
pub use super::call::{
    pick_fact, picked_fact, spec_in, usage, CommandSpec, Handler, Invocation, OptionKind,
    OptionSpec, OptionValue, Suggest, MAX_OPTION_CHARS, MAX_QUESTION_OPTION_CHARS, OPT_FORCE,
    OPT_ID, OPT_NAME, OPT_PARTY, OPT_QUESTION, OPT_TOPIC,
};

const fn string(name: &'static str, description: &'static str, required: bool) -> OptionSpec {
    OptionSpec {
        name,
        description,
        kind: OptionKind::String,
        required,
        autocomplete: None,
        choices: &[],
        max_chars: MAX_OPTION_CHARS,
    }
}

const fn longer(mut spec: OptionSpec, max_chars: usize) -> OptionSpec {
    spec.max_chars = max_chars;
    spec
}

const fn autocompleted(mut spec: OptionSpec, from: Suggest) -> OptionSpec {
    spec.autocomplete = Some(from);
    spec
}

const fn boolean(name: &'static str, description: &'static str) -> OptionSpec {
    OptionSpec {
        kind: OptionKind::Boolean,
        ..string(name, description, false)
    }
}

const fn command(
    name: &'static str,
    description: &'static str,
    options: &'static [OptionSpec],
    handler: Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        description,
        options,
        admin_only: false,
        slow: false,
        handler,
    }
}

pub const ASK: CommandSpec = command(
    name::ASK,
    "Ask a question about India–Japan cyber cooperation; the answer cites its sources",
    &[
        autocompleted(
            longer(
                string(OPT_QUESTION, "Your question, in your own words", true),
                MAX_QUESTION_OPTION_CHARS,
            ),
            Suggest::Answers,
        ),
        autocompleted(
            string(OPT_TOPIC, "Only answer from this topic", false),
            Suggest::Topics,
        ),
    ],
    handlers::ask::run,
);

pub const FACT: CommandSpec = command(
    name::FACT,
    "Show one fact or commitment with its quotes",
    &[autocompleted(
        string(OPT_ID, "Start typing a title or id", true),
        Suggest::Facts,
    )],
    handlers::fact::run,
);

pub const TOPICS: CommandSpec = command(
    name::TOPICS,
    "List the topics the knowledge base covers",
    &[],
    handlers::topics::run,
);

pub const TOPIC: CommandSpec = command(
    name::TOPIC,
    "List the facts of one topic",
    &[autocompleted(
        string(OPT_NAME, "Start typing a topic", true),
        Suggest::Topics,
    )],
    handlers::topic::run,
);

pub const COMMITMENTS: CommandSpec = command(
    name::COMMITMENTS,
    "List the commitments made, optionally by party or topic",
    &[
        autocompleted(
            string(OPT_PARTY, "Only commitments involving this party", false),
            Suggest::Parties,
        ),
        autocompleted(
            string(OPT_TOPIC, "Only commitments of this topic", false),
            Suggest::Topics,
        ),
    ],
    handlers::commitments::run,
);

pub const TIMELINE: CommandSpec = command(
    name::TIMELINE,
    "Dated facts and commitments, oldest first",
    &[],
    handlers::timeline::run,
);

pub const SOURCES: CommandSpec = command(
    name::SOURCES,
    "The articles the answers quote, with links",
    &[],
    handlers::sources::run,
);

pub const ABOUT: CommandSpec = command(
    name::ABOUT,
    "What this bot knows, which version is loaded, and since when",
    &[],
    handlers::about::run,
);

pub const HELP: CommandSpec = command(name::HELP, "How to use this bot", &[], handlers::help::run);

pub const RELOAD: CommandSpec = CommandSpec {
    admin_only: true,
    slow: true,
    ..command(
        name::RELOAD,
        "Admins: re-read and validate the knowledge file, then switch to it",
        &[boolean(
            OPT_FORCE,
            "Accept a file that removes many facts at once",
        )],
        handlers::reload::run,
    )
};

/// Every command, in the order `/help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    ASK,
    FACT,
    TOPICS,
    TOPIC,
    COMMITMENTS,
    TIMELINE,
    SOURCES,
    ABOUT,
    HELP,
    RELOAD,
];

/// The registry entry for a command name.
pub fn spec(name: &str) -> Option<&'static CommandSpec> {
    spec_in(COMMANDS, name)
}

/// How user-facing text names a registry entry: "`/name`" (see [`super::call::mention`], which
/// code below the registry uses with a [`name`] constant). Once registration has told the bot
/// the command ids, [`CommandIds::link`] makes each a clickable `</name:id>`.
pub fn mention(command: &CommandSpec) -> String {
    super::call::mention(command.name)
}

/// Command ids as Discord assigned them at registration (empty until then, and in tests that
/// do not register).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandIds {
    ids: Vec<(&'static str, u64)>,
}

impl CommandIds {
    /// The ids of the commands of ours among `registered` (`(name, id)` as Discord returns them).
    pub fn new(registered: impl IntoIterator<Item = (String, u64)>) -> Self {
        let mut ids = Vec::new();
        for (name, id) in registered {
            if let Some(spec) = spec(&name) {
                ids.push((spec.name, id));
            }
        }
        CommandIds { ids }
    }

    /// `text` with every [`mention`] of a command whose id is known as Discord's clickable
    /// `</name:id>`; the others stay "`/name`".
    pub fn link(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, id) in &self.ids {
            let plain = format!("`/{name}`");
            if out.contains(&plain) {
                out = out.replace(&plain, &format!("</{name}:{id}>"));
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A command invocation, parsed and checked against the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotCommand {
    /// Ours, with options as the registry says: run by its handler.
    Run(Invocation),
    /// Not ours (e.g. a command removed since registration).
    Unknown { name: String },
    /// Ours, but the options are not what the registry says.
    Invalid { name: String, problem: String },
}

impl BotCommand {
    /// Parses `name` with `options` (`(name, value)` pairs) against the registry.
    pub fn parse(name: &str, options: &[(String, OptionValue)]) -> BotCommand {
        BotCommand::parse_in(COMMANDS, name, options)
    }

    /// Parses against `registry` (the shipped [`COMMANDS`], or a test's own).
    pub fn parse_in(
        registry: &'static [CommandSpec],
        name: &str,
        options: &[(String, OptionValue)],
    ) -> BotCommand {
        let Some(spec) = spec_in(registry, name) else {
            return BotCommand::Unknown {
                name: name.to_string(),
            };
        };
        let invalid = |problem: String| BotCommand::Invalid {
            name: name.to_string(),
            problem,
        };
        for (option, value) in options {
            let Some(wanted) = spec.options.iter().find(|o| o.name == option) else {
                // The name comes from the payload: keep it to what an option name may hold.
                let shown: String = option
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                    .take(32)
                    .collect();
                return invalid(format!("unknown option `{shown}`"));
            };
            let fits = matches!(
                (wanted.kind, value),
                (OptionKind::String, OptionValue::String(_))
                    | (OptionKind::Integer, OptionValue::Integer(_))
                    | (OptionKind::Boolean, OptionValue::Boolean(_))
            );
            if !fits {
                return invalid(format!("option `{option}` has the wrong type"));
            }
            if let OptionValue::String(text) = value {
                // Counting stops at the cap: the cost is bounded whatever arrives.
                if text.chars().nth(wanted.max_chars).is_some() {
                    return invalid(format!(
                        "option `{option}` is longer than {} characters",
                        wanted.max_chars
                    ));
                }
            }
        }
        let invocation = Invocation {
            spec,
            options: options.to_vec(),
        };
        for required in spec.options.iter().filter(|o| o.required) {
            if required.kind == OptionKind::String && invocation.text(required.name).is_none() {
                return invalid(format!("option `{}` is required", required.name));
            }
        }
        BotCommand::Run(invocation)
    }

    /// The registry entry, for commands of ours.
    pub fn spec(&self) -> Option<&'static CommandSpec> {
        match self {
            BotCommand::Run(invocation) => Some(invocation.spec),
            BotCommand::Unknown { .. } | BotCommand::Invalid { .. } => None,
        }
    }

    /// Whether the adapter should defer before running it.
    pub fn is_slow(&self) -> bool {
        self.spec().is_some_and(|s| s.slow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str, value: &str) -> (String, OptionValue) {
        (name.to_string(), OptionValue::String(value.to_string()))
    }

    #[test]
    fn names_are_unique_and_valid_for_discord() {
        let mut names: Vec<_> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
        for c in COMMANDS {
            assert!(c.name.len() <= 32 && c.name.chars().all(|ch| ch.is_ascii_lowercase()));
            assert!(!c.description.is_empty() && c.description.chars().count() <= 100);
            for o in c.options {
                assert!(o.description.chars().count() <= 100, "{}", o.name);
            }
            // Discord requires required options before optional ones.
            let first_optional = c.options.iter().position(|o| !o.required);
            if let Some(i) = first_optional {
                assert!(c.options[i..].iter().all(|o| !o.required), "{}", c.name);
            }
        }
    }

    fn run(command: BotCommand) -> Invocation {
        match command {
            BotCommand::Run(invocation) => invocation,
            other => panic!("not run: {other:?}"),
        }
    }

    #[test]
    fn commands_parse_with_their_options() {
        let ask = run(BotCommand::parse(
            "ask",
            &[s("question", " who led India? "), s("topic", "")],
        ));
        assert_eq!(ask.spec.name, ASK.name);
        assert_eq!(ask.text(OPT_QUESTION), Some("who led India?"));
        assert_eq!(ask.text(OPT_TOPIC), None, "blank is absent");
        let commitments = run(BotCommand::parse("commitments", &[s("party", "Japan")]));
        assert_eq!(commitments.text(OPT_PARTY), Some("Japan"));
        assert_eq!(commitments.text(OPT_TOPIC), None);
        assert!(!run(BotCommand::parse("reload", &[])).flag(OPT_FORCE));
        let forced = BotCommand::parse("reload", &[("force".into(), OptionValue::Boolean(true))]);
        assert!(forced.is_slow());
        assert!(run(forced).flag(OPT_FORCE));
    }

    #[test]
    fn an_unknown_name_is_a_variant_not_a_crash() {
        assert_eq!(
            BotCommand::parse("nope", &[]),
            BotCommand::Unknown {
                name: "nope".into()
            }
        );
    }

    #[test]
    fn bad_options_are_invalid_with_a_reason() {
        let missing = BotCommand::parse("ask", &[]);
        assert!(
            matches!(&missing, BotCommand::Invalid { problem, .. } if problem.contains("question")),
            "{missing:?}"
        );
        let wrong = BotCommand::parse("fact", &[("id".into(), OptionValue::Integer(3))]);
        assert!(matches!(wrong, BotCommand::Invalid { .. }));
        let extra = BotCommand::parse("topics", &[s("@everyone `x`", "y")]);
        assert_eq!(
            extra,
            BotCommand::Invalid {
                name: "topics".into(),
                problem: "unknown option `everyonex`".into()
            }
        );
    }

    #[test]
    fn regression_fact_id_of_1000_letters_is_refused_at_the_door() {
        // An unbounded `/fact id:` carried 1,000 random letters into the engine; the cap
        // refuses it before any lookup.
        let long = "q".repeat(1_000);
        let fact = BotCommand::parse("fact", &[s("id", &long)]);
        assert!(
            matches!(&fact, BotCommand::Invalid { problem, .. } if problem.contains("longer than 100")),
            "{fact:?}"
        );
        let at_cap = "q".repeat(MAX_OPTION_CHARS);
        assert!(matches!(
            BotCommand::parse("fact", &[s("id", &at_cap)]),
            BotCommand::Run(_)
        ));
        // Every string option of every command has a cap no larger than Discord's own.
        for c in COMMANDS {
            for o in c.options.iter().filter(|o| o.kind == OptionKind::String) {
                assert!(o.max_chars <= MAX_QUESTION_OPTION_CHARS, "{}", o.name);
                let over = "x".repeat(o.max_chars + 1);
                assert!(
                    matches!(
                        BotCommand::parse(c.name, &[s(o.name, &over)]),
                        BotCommand::Invalid { .. }
                    ),
                    "/{} {}",
                    c.name,
                    o.name
                );
            }
        }
    }

    #[test]
    fn mentions_come_from_the_registry_and_become_clickable_once_ids_are_known() {
        assert_eq!(mention(&TOPICS), "`/topics`");
        let ids = CommandIds::new([("topics".to_string(), 42), ("gone".to_string(), 7)]);
        assert_eq!(
            ids.link("see `/topics` or `/help`, not /topics"),
            "see </topics:42> or `/help`, not /topics"
        );
        assert_eq!(ids.ids.len(), 1, "names not in the registry are ignored");
    }

    /// Every registry name, as user text would write it.
    fn written_names(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for c in COMMANDS {
            let needle = format!("/{}", c.name);
            for (at, _) in source.match_indices(&needle) {
                let before = source[..at].chars().next_back();
                let after = source[at + needle.len()..].chars().next();
                let word_before = before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '/');
                let word_after = after.is_some_and(|a| a.is_ascii_alphanumeric() || a == '-');
                if !word_before && !word_after {
                    found.push(needle.clone());
                }
            }
        }
        found
    }

    #[test]
    fn the_registry_is_the_only_place_a_command_name_is_written() {
        // User-facing text names commands through `mention`/`name`, so renaming a
        // command is one registry edit. Scans the code (not comments, not tests) of every
        // module that writes text for users.
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs = vec![src.join("bot"), src.join("discord")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "toml") {
                    files.push(path);
                }
            }
        }
        assert!(
            files.iter().any(|f| f.ends_with("messages.toml")),
            "the message catalogue is scanned too"
        );
        assert!(
            files.len() > 20,
            "the scan sees the handlers and renderers too"
        );
        let mut offenders = Vec::new();
        for path in files {
            let file = path.strip_prefix(&src).unwrap().display().to_string();
            if file.ends_with("commands.rs") || file.ends_with("samples.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                if line.trim_start().starts_with("//") || line.trim_start().starts_with('#') {
                    continue;
                }
                for name in written_names(line) {
                    offenders.push(format!("src/{file}:{}: {name}", n + 1));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "command names outside the registry:\n{}",
            offenders.join("\n")
        );
        assert_eq!(
            written_names("run `/reload` or /topics."),
            ["/topics", "/reload"]
        );
        assert!(written_names("https://example.com/topics-x /helpful").is_empty());
    }

    #[test]
    fn usage_marks_optional_options() {
        assert_eq!(usage(spec("ask").unwrap()), "/ask question [topic]");
    }
}
