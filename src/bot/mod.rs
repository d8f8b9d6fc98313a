//! The bot's behaviour, independent of Discord: plain functions from a typed [`Request`] to a
//! typed [`Reply`]. No serenity type appears below this module; `src/discord/` converts both
//! ways and does the I/O.
//!
//! State: the live knowledge base sits behind an atomic pointer ([`ArcSwap<Loaded>`]). A
//! question takes one snapshot (`load_full`) and uses it throughout, so it never mixes two
//! versions; a reload builds and checks the new version completely, then swaps.
//!
//! - [`commands`]: the registry of slash commands (registration, parsing, dispatch, the admin
//!   check, `/help` and command mentions in text).
//! - [`handlers`]: one handler per command, named by the registry.
//! - [`call`]: what a handler takes ([`call::Call`]) and the names it mentions commands and
//!   options by; below both the registry and the handlers, so neither imports the other's
//!   callers (the registry imports the handlers, never the reverse).
//! - [`render`]: replies from typed results — answers and declines, the fact card and
//!   `/about`, the paginated lists and `/help`, citations, the confidence rounding.
//! - [`buttons`]: `custom_id` formats.
//! - [`ask`]: questions (slash, free text, a picked preview), "why", feedback.
//! - [`reload`]: who is an admin, rebuild + eval gate + swap, and the diff.
//! - [`limits`]: Discord's size limits, applied to every reply.
//! - [`text`]: escaping user text, stripping mentions.
//! - [`i18n`]: the interface language of a request and the message catalogue
//!   (`messages.toml`: English, Japanese, Hindi; answers and quotes stay English).

pub mod ask;
pub mod buttons;
pub mod call;
pub mod commands;
pub mod handlers;
pub mod i18n;
pub mod limits;
pub mod logs;
pub mod reload;
pub mod render;
pub mod reply;
#[cfg(test)]
mod samples;
pub mod text;
pub mod work;

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use arc_swap::ArcSwap;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::{AdminConfig, Config};
use crate::eval::{EvalError, EvalSet};
use crate::knowledge::{self, KnowledgeBase, LoadError, LoadOptions, ReadLimits};
use crate::search::followup::{Contexts, DEFAULT_CONTEXT_TTL, DEFAULT_MAX_CONTEXTS};
use crate::search::Engine;

pub use buttons::ButtonAction;
pub use commands::{BotCommand, OptionValue};
pub use reply::{Button, ButtonStyle, Choice, Delivery, Embed, Field, Reply};

/// Embed colour of answers (a calm blue).
pub const COLOUR_ANSWER: u32 = 0x2b6cb0;
/// Embed colour of lists and information.
pub const COLOUR_INFO: u32 = 0x4a5568;
/// Embed colour of errors and refusals.
pub const COLOUR_ERROR: u32 = 0xc53030;
/// Questions longer than this get a polite refusal (the engine reads at most 1,000 anyway).
pub const MAX_QUESTION_CHARS: usize = 500;
/// Recent questions kept for "Why this answer?" (a button names one by key).
pub const RECENT_QUESTIONS: usize = 1_024;
/// Requests of any kind (commands, buttons) a user may make per question allowed
/// (`questions_per_minute`): browsing pages and cards is cheaper and more frequent than asking,
/// but not unlimited.
pub const REQUESTS_PER_QUESTION: u32 = 6;
/// Autocomplete requests per question allowed: Discord sends one per pause in typing.
pub const AUTOCOMPLETES_PER_QUESTION: u32 = 30;
/// Past this many tracked users, a limiter forgets the ones whose quota is full again.
const LIMITER_USERS: usize = 10_000;

/// One complete, checked version of the knowledge base, ready to answer.
pub struct Loaded {
    /// Holds the `Arc<KnowledgeBase>` it indexes.
    pub engine: Engine,
    pub loaded_at: SystemTime,
    /// The eval gate's last measure of this version, and the questions it was measured on.
    /// A version never changes, so its scores change only with the questions: the gate
    /// measures a running version again only when the eval set is not the one remembered.
    /// A std mutex, held to read or replace it, never while measuring.
    gate_report: Mutex<Option<(EvalSet, Arc<crate::eval::EvalReport>)>>,
}

impl Loaded {
    pub fn new(kb: KnowledgeBase, decline_below: f32) -> Self {
        Loaded {
            engine: Engine::new(Arc::new(kb)).with_decline_threshold(decline_below),
            loaded_at: SystemTime::now(),
            gate_report: Mutex::new(None),
        }
    }

    pub fn kb(&self) -> &KnowledgeBase {
        self.engine.knowledge()
    }

    /// This version's eval report on `set`: the one remembered if it was measured on the same
    /// questions, else measured now (counted in `measured`) and remembered.
    pub(crate) fn gate_report(
        &self,
        set: &EvalSet,
        measured: &std::sync::atomic::AtomicUsize,
    ) -> Arc<crate::eval::EvalReport> {
        let remembered = self.gate_report.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((questions, report)) = remembered.as_ref() {
            if questions == set {
                return report.clone();
            }
        }
        drop(remembered);
        let report = Arc::new(crate::eval::run(&self.engine, set));
        measured.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        *self.gate_report.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((set.clone(), report.clone()));
        report
    }
}

/// Where a request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Guild(u64),
    Dm,
}

/// Who asks, with what they need for permission checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoker {
    pub user_id: u64,
    /// Guild roles of the member (empty in DMs).
    pub role_ids: Vec<u64>,
    /// Manage Server or Administrator in the member's permissions. Informational: it is what
    /// lets Discord show `/reload`, but the bot requires `[admin]` or ownership (see
    /// [`Bot::may_reload`]).
    pub is_admin_by_permission: bool,
    pub is_guild_owner: bool,
    pub place: Place,
    /// The channel (a DM channel in DMs): follow-up context is kept per channel and user.
    pub channel_id: u64,
    /// The interface language, from the interaction's `locale`.
    pub lang: i18n::Lang,
    /// The gateway shard that delivered the request (`None`: not over the gateway, or a test).
    /// `/about` names it, so an operator running several processes sees which one answered.
    pub via_shard: Option<GatewayShard>,
}

/// Shard `id` of `total` (see `discord::shards`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayShard {
    pub id: u32,
    pub total: u32,
}

/// What the request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Command(BotCommand),
    Button(ButtonAction),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub input: Input,
    pub invoker: Invoker,
}

/// A message in a channel the bot can read (DM or guild).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingMessage {
    pub content: String,
    pub author_id: u64,
    pub author_is_bot: bool,
    pub place: Place,
    /// The channel it was sent in (follow-up context is kept per channel and user).
    pub channel_id: u64,
    /// The bot is among the message's user mentions.
    pub mentions_bot: bool,
    pub bot_id: u64,
}

/// Autocomplete: the command, the option being typed and what is typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutocompleteRequest {
    /// Who is typing (autocomplete is rate-limited per user like everything else).
    pub user_id: u64,
    pub command: String,
    pub option: String,
    pub typed: String,
    /// The interface language (for the "keep typing" hint), from the interaction's `locale`.
    pub lang: i18n::Lang,
}

/// The reload gate: a question set and its floors.
#[derive(Debug, Clone)]
pub struct EvalGate {
    pub path: PathBuf,
    pub min_top1: f64,
    pub min_declined: f64,
}

/// Everything the bot needs besides Discord (built from [`Config`], or by hand in tests).
#[derive(Debug, Clone)]
pub struct BotOptions {
    pub knowledge_path: PathBuf,
    pub eval: Option<EvalGate>,
    pub admin: AdminConfig,
    pub questions_per_minute: NonZeroU32,
    /// The engine's decline threshold (see `search::score::DEFAULT_DECLINE_BELOW`).
    pub decline_below: f32,
    pub declined_log: Option<PathBuf>,
    pub feedback_log: Option<PathBuf>,
    /// How the knowledge file and articles are read and checked (sources folder, size cap).
    pub load: LoadOptions,
    /// Share of the facts a reload may remove without `force` (see
    /// `config::DEFAULT_MAX_REMOVED_SHARE`).
    pub max_removed_share: f64,
}

impl BotOptions {
    pub fn from_config(config: &Config) -> Self {
        BotOptions {
            knowledge_path: config.knowledge.path.clone(),
            eval: config.knowledge.eval_path.clone().map(|path| EvalGate {
                path,
                min_top1: config.knowledge.min_top1,
                min_declined: config.knowledge.min_declined,
            }),
            admin: config.admin.clone(),
            questions_per_minute: config.limits.questions_per_minute,
            decline_below: config.knowledge.decline_below,
            declined_log: config.logs.declined.clone(),
            feedback_log: config.logs.feedback.clone(),
            load: LoadOptions {
                sources_dir: config.knowledge.sources_dir.clone(),
                read: ReadLimits {
                    max_bytes: config.knowledge.max_file_bytes,
                    settle: config.knowledge.settle,
                    ..ReadLimits::default()
                },
            },
            max_removed_share: config.knowledge.max_removed_share,
        }
    }
}

/// Why the bot cannot start: everything a later `/reload` would need is checked first.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Load(#[from] LoadError),
    /// The eval gate's question set exists but cannot be used: every reload would be refused.
    #[error("{0}")]
    Eval(#[from] EvalError),
}

/// A recent question, so "Why this answer?" can re-derive the explanation.
#[derive(Debug, Clone)]
struct RecentQuestion {
    key: u64,
    question: String,
    topic: Option<String>,
}

/// The bot: shared state. Its methods are all in this file; the work behind them is in free
/// functions of the submodules (`ask`, `reload`, `handlers`), which take the bot as an argument.
pub struct Bot {
    current: ArcSwap<Loaded>,
    options: BotOptions,
    /// Questions per user (`/ask`, messages, "why").
    limiter: DefaultKeyedRateLimiter<u64>,
    /// Every command and button press per user.
    requests: DefaultKeyedRateLimiter<u64>,
    /// Autocomplete requests per user.
    autocompletes: DefaultKeyedRateLimiter<u64>,
    recent: Mutex<VecDeque<RecentQuestion>>,
    declined_log: logs::JsonLog,
    feedback_log: logs::JsonLog,
    votes: logs::Votes,
    /// Serialises reloads so each diff is against the version it replaces. A std mutex: it is
    /// only taken in blocking code (reloads run on a blocking thread), never across `.await`.
    reload_lock: Mutex<()>,
    /// How many times the eval gate has measured a version (each reload measures the new one;
    /// the running one only when the new one is below a floor and the running one's report on
    /// these questions is not remembered).
    gate_measures: std::sync::atomic::AtomicUsize,
    started: Instant,
    /// The gateway state, set by the Discord adapter, read by `/healthz`.
    status: crate::ops::Status,
    /// Command ids from registration, so replies name commands as clickable mentions.
    command_ids: ArcSwap<commands::CommandIds>,
    /// The commands `/help` lists: [`commands::COMMANDS`], or a test's own registry.
    registry: &'static [commands::CommandSpec],
    /// Follow-up context per (channel, user): the last answered question's event, parties
    /// and answer type, forgotten after `[conversation] follow_up_minutes`. A std mutex,
    /// held for a lookup or an insert only (never across `.await`).
    conversations: Mutex<Contexts<(u64, u64)>>,
    /// The clock follow-up contexts expire by (injected in tests).
    clock: Clock,
    /// Whether `ops::watch` follows the knowledge file (`[knowledge] watch`): then `/reload`
    /// can say that every process watching it serves what this one does.
    watching: std::sync::atomic::AtomicBool,
    /// Answering and rendering, off the async runtime, as many at once as there are CPUs.
    work: work::WorkQueue,
}

/// A source of "now" for expiring follow-up contexts.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

impl Bot {
    /// Loads the knowledge base (an error names the file and every problem) and checks the
    /// eval gate's question set, if it exists.
    pub fn new(options: BotOptions) -> Result<Bot, StartError> {
        // Nothing is serving yet, so nothing to protect by waiting for the file to settle.
        let first = LoadOptions {
            read: ReadLimits {
                settle: std::time::Duration::ZERO,
                ..options.load.read
            },
            ..options.load.clone()
        };
        let kb = knowledge::load_with(&options.knowledge_path, &first)?;
        if let Some(gate) = options.eval.as_ref().filter(|g| g.path.exists()) {
            EvalSet::load(&gate.path)?;
        }
        Ok(Bot::with_knowledge(options, kb))
    }

    pub fn from_config(config: &Config) -> Result<Bot, StartError> {
        Ok(
            Bot::new(BotOptions::from_config(config))?.with_conversation(
                config.conversation.follow_up,
                config.conversation.max_contexts,
            ),
        )
    }

    /// A bot serving `kb` (which need not come from `options.knowledge_path`).
    pub fn with_knowledge(options: BotOptions, kb: KnowledgeBase) -> Bot {
        Bot {
            current: ArcSwap::from_pointee(Loaded::new(kb, options.decline_below)),
            limiter: RateLimiter::keyed(Quota::per_minute(options.questions_per_minute)),
            requests: RateLimiter::keyed(Quota::per_minute(
                options.questions_per_minute.saturating_mul(
                    NonZeroU32::new(REQUESTS_PER_QUESTION).unwrap_or(NonZeroU32::MIN),
                ),
            )),
            autocompletes: RateLimiter::keyed(Quota::per_minute(
                options.questions_per_minute.saturating_mul(
                    NonZeroU32::new(AUTOCOMPLETES_PER_QUESTION).unwrap_or(NonZeroU32::MIN),
                ),
            )),
            recent: Mutex::new(VecDeque::with_capacity(RECENT_QUESTIONS)),
            declined_log: logs::JsonLog::new(options.declined_log.clone()),
            feedback_log: logs::JsonLog::new(options.feedback_log.clone()),
            votes: logs::Votes::default(),
            reload_lock: Mutex::new(()),
            gate_measures: std::sync::atomic::AtomicUsize::new(0),
            started: Instant::now(),
            status: crate::ops::Status::default(),
            command_ids: ArcSwap::from_pointee(commands::CommandIds::default()),
            registry: commands::COMMANDS,
            conversations: Mutex::new(Contexts::new(DEFAULT_CONTEXT_TTL, DEFAULT_MAX_CONTEXTS)),
            clock: Arc::new(Instant::now),
            options,
            watching: std::sync::atomic::AtomicBool::new(false),
            work: work::WorkQueue::default(),
        }
    }

    /// The queue the adapters run this bot's work in (see [`work`]).
    pub fn work(&self) -> &work::WorkQueue {
        &self.work
    }

    /// The version now serving (one snapshot; hold it for the whole request).
    pub fn current(&self) -> Arc<Loaded> {
        self.current.load_full()
    }

    pub fn options(&self) -> &BotOptions {
        &self.options
    }

    /// The gateway state (set by the Discord adapter) for health checks and metrics.
    pub fn status(&self) -> &crate::ops::Status {
        &self.status
    }

    /// Serves `registry` instead of [`commands::COMMANDS`] (requests must be parsed against
    /// it too, with [`BotCommand::parse_in`]).
    pub fn with_registry(mut self, registry: &'static [commands::CommandSpec]) -> Bot {
        self.registry = registry;
        self
    }

    /// Keeps follow-up contexts for `ttl` after each answer, at most `cap` of them (see
    /// `[conversation]` in the config).
    pub fn with_conversation(mut self, ttl: std::time::Duration, cap: usize) -> Bot {
        self.conversations = Mutex::new(Contexts::new(ttl, cap));
        self
    }

    /// Expires follow-up contexts by `clock` instead of the system's (tests).
    pub fn with_clock(mut self, clock: Clock) -> Bot {
        self.clock = clock;
        self
    }

    /// The commands this bot serves.
    pub fn registry(&self) -> &'static [commands::CommandSpec] {
        self.registry
    }

    /// Records the command ids Discord assigned at registration (set by the adapter): from
    /// then on replies name commands as clickable `</name:id>` mentions.
    pub fn set_command_ids(&self, ids: commands::CommandIds) {
        self.command_ids.store(Arc::new(ids));
    }

    /// Every command mention in text that renders mentions (content, embed descriptions and
    /// field values; not titles or footers) made clickable, if the ids are known.
    fn link_mentions(&self, reply: &mut Reply) {
        let ids = self.command_ids.load();
        if ids.is_empty() {
            return;
        }
        if let Some(content) = &mut reply.content {
            *content = ids.link(content);
        }
        for embed in &mut reply.embeds {
            if let Some(description) = &mut embed.description {
                *description = ids.link(description);
            }
            for field in &mut embed.fields {
                field.value = ids.link(&field.value);
            }
        }
    }

    /// Answers a slash command or a button press. The reply fits Discord's limits.
    pub fn handle(&self, request: &Request) -> Reply {
        if let Err(wait) = allow(&self.requests, request.invoker.user_id) {
            tracing::info!(user = %logs::hash_user(request.invoker.user_id), "rate limited");
            return slow_down(wait, request.invoker.lang).ephemeral();
        }
        let loaded = self.current();
        let mut reply = match &request.input {
            Input::Command(command) => self.command(&loaded, command, &request.invoker),
            Input::Button(action) => self.button(&loaded, action, &request.invoker),
        };
        self.link_mentions(&mut reply);
        reply.redact_secrets();
        limits::fit_reply(&mut reply);
        reply
    }

    fn command(&self, loaded: &Loaded, command: &BotCommand, invoker: &Invoker) -> Reply {
        // The registry's `admin_only` drives registration, `/help` and this check alike.
        if let Some(spec) = command.spec().filter(|s| s.admin_only) {
            if !self.may_reload(invoker) {
                tracing::warn!(
                    user = invoker.user_id,
                    command = spec.name,
                    manage_server = invoker.is_admin_by_permission,
                    "refused: not an admin"
                );
                return Reply::text(i18n::fill(
                    invoker.lang,
                    "error.admin_only",
                    &[("command", &commands::mention(spec))],
                ))
                .ephemeral();
            }
        }
        match command {
            BotCommand::Run(invocation) => (invocation.spec.handler)(&handlers::Call {
                bot: self,
                loaded,
                invocation,
                invoker,
            }),
            BotCommand::Unknown { name } => Reply::text(i18n::fill(
                invoker.lang,
                "error.unknown_command",
                &[
                    ("name", &text::user_text(&limits::truncate(name, 40))),
                    ("help", &commands::mention(&commands::HELP)),
                ],
            ))
            .ephemeral(),
            BotCommand::Invalid { name, problem } => Reply::text(i18n::fill(
                invoker.lang,
                "error.invalid_command",
                &[
                    ("name", name),
                    ("problem", problem),
                    ("help", &commands::mention(&commands::HELP)),
                ],
            ))
            .ephemeral(),
        }
    }

    fn button(&self, loaded: &Loaded, action: &ButtonAction, invoker: &Invoker) -> Reply {
        match action {
            ButtonAction::Fact { id } => render::fact::fact_card(loaded, id).ephemeral(),
            ButtonAction::Why {
                fingerprint,
                key,
                asked,
            } => handlers::why::run(
                self,
                loaded,
                fingerprint,
                *key,
                asked.as_ref(),
                invoker.lang,
            ),
            ButtonAction::Feedback { up, fact } => {
                handlers::feedback::run(self, loaded, *up, fact, invoker)
            }
            ButtonAction::Page { list, page } => {
                let mut reply = render::list::page(loaded, list, *page, invoker.lang);
                reply.delivery = Delivery::UpdateMessage;
                reply
            }
            ButtonAction::Unknown { .. } => {
                Reply::text(i18n::text(invoker.lang, "button.stale")).ephemeral()
            }
        }
    }

    /// A free-text message (DM, or a guild message mentioning the bot): see
    /// [`ask::handle_message`]. `None` means ignore it.
    pub fn handle_message(&self, message: &IncomingMessage) -> Option<Reply> {
        let mut reply = ask::handle_message(self, message)?;
        reply.redact_secrets();
        Some(reply)
    }

    /// Suggestions for the option being typed: see [`handlers::autocomplete::run`].
    pub fn autocomplete(&self, request: &AutocompleteRequest) -> Vec<Choice> {
        handlers::autocomplete::run(self, request)
    }

    /// Whether `invoker` may reload: see [`reload::may_reload`].
    pub fn may_reload(&self, invoker: &Invoker) -> bool {
        reload::may_reload(self, invoker)
    }

    /// Rebuild, validate, gate, then swap (SIGHUP): see [`reload::reload_now`].
    pub fn reload_now(&self) -> Result<reload::ReloadReport, reload::ReloadError> {
        reload::reload_now(self)
    }

    /// [`Bot::reload_now`], accepting a large removal with `force`: see [`reload::reload`].
    pub fn reload(&self, force: bool) -> Result<reload::ReloadReport, reload::ReloadError> {
        reload::reload(self, force)
    }

    /// What `ops::watch` needs to follow this bot's knowledge file: the path, the settle,
    /// and [`Bot::reload_now`] as its reload (the watch itself knows nothing of the bot).
    pub fn watch_target(self: &Arc<Self>) -> crate::ops::watch::Target {
        let bot = Arc::clone(self);
        crate::ops::watch::Target {
            file: self.options.knowledge_path.clone(),
            settle: self.options.load.read.settle,
            reload: Box::new(move || match bot.reload_now() {
                Ok(report) => Ok(report.after.fingerprint),
                Err(err) => Err((
                    err.lines().join("\n"),
                    bot.current().kb().fingerprint.clone(),
                )),
            }),
        }
    }

    /// Marks the knowledge file as watched (`ops::watch`): `/reload` then says that every
    /// process watching it follows.
    pub fn set_watching(&self, on: bool) {
        self.watching
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the knowledge file is watched (see [`Bot::set_watching`]).
    pub fn watching(&self) -> bool {
        self.watching.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Remembers a question for "Why this answer?"; returns its key, which is derived from
    /// the question and topic alone: every process (gateway shards, interactions replicas)
    /// gives a question the same key, so a button pressed on an answer from another process
    /// finds that question or nothing — never another question that happens to have the same
    /// counter value there.
    fn remember(&self, question: &str, topic: Option<&str>) -> u64 {
        let key = question_key(question, topic);
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        recent.retain(|r| r.key != key);
        if recent.len() >= RECENT_QUESTIONS {
            recent.pop_front();
        }
        recent.push_back(RecentQuestion {
            key,
            question: question.to_string(),
            topic: topic.map(str::to_string),
        });
        key
    }

    /// The follow-up contexts (a poisoned lock is still usable: the map stays consistent).
    fn conversations(&self) -> std::sync::MutexGuard<'_, Contexts<(u64, u64)>> {
        self.conversations.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The question behind a "why" key: remembered here, or else carried by the button (if
    /// it is the question the key names: a hand-made id cannot borrow another key).
    fn recall(&self, key: u64, asked: Option<&buttons::Asked>) -> Option<RecentQuestion> {
        let recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(kept) = recent.iter().find(|r| r.key == key) {
            return Some(kept.clone());
        }
        asked
            .filter(|a| question_key(&a.question, a.topic.as_deref()) == key)
            .map(|a| RecentQuestion {
                key,
                question: a.question.clone(),
                topic: a.topic.clone(),
            })
    }
}

/// The "why" key of a question: the first 8 bytes of SHA-256 over topic and question.
fn question_key(question: &str, topic: Option<&str>) -> u64 {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(topic.unwrap_or_default().as_bytes());
    hash.update([0]);
    hash.update(question.as_bytes());
    let digest = hash.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// Takes one unit of `user`'s quota, or says how long until there is one.
fn allow(limiter: &DefaultKeyedRateLimiter<u64>, user: u64) -> Result<(), std::time::Duration> {
    use governor::clock::{Clock, DefaultClock};
    let result = limiter
        .check_key(&user)
        .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()));
    if limiter.len() > LIMITER_USERS {
        limiter.retain_recent();
    }
    result
}

/// The reply to a rate-limited request.
fn slow_down(wait: std::time::Duration, lang: i18n::Lang) -> Reply {
    let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    Reply::text(i18n::fill(
        lang,
        "error.slow_down",
        &[("seconds", &seconds)],
    ))
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn admin_only_commands_are_refused_to_members_by_the_dispatcher() {
        let bot = shipped_bot();
        for spec in commands::COMMANDS.iter().filter(|c| c.admin_only) {
            let reply = command(&bot, spec.name, &[], member());
            let text = reply.content.unwrap_or_default();
            assert!(reply.ephemeral, "/{}", spec.name);
            assert!(
                text.starts_with("Only the bot's admins can use")
                    && text.contains(&commands::mention(spec)),
                "/{}: {text}",
                spec.name
            );
        }
    }

    fn ping(call: &handlers::Call<'_>) -> Reply {
        Reply::text(format!("pong {}", call.text("word").unwrap_or("?")))
    }

    #[test]
    fn a_new_command_is_one_registry_entry() {
        // Parsing, dispatch, the admin check and `/help` all follow the registry entry: a
        // test registry with one more command gets all four without further code.
        const WORD: commands::OptionSpec = commands::OptionSpec {
            name: "word",
            description: "Any word",
            kind: commands::OptionKind::String,
            required: true,
            autocomplete: None,
            choices: &[],
            max_chars: 10,
        };
        let mut registry = commands::COMMANDS.to_vec();
        registry.push(commands::CommandSpec {
            name: "ping",
            description: "Answers pong",
            options: &[WORD],
            admin_only: true,
            slow: false,
            handler: ping,
        });
        let registry: &'static [commands::CommandSpec] = Box::leak(registry.into_boxed_slice());
        let bot = shipped_bot().with_registry(registry);
        let run = |invoker: Invoker, options: &[(String, OptionValue)]| {
            bot.handle(&Request {
                input: Input::Command(BotCommand::parse_in(registry, "ping", options)),
                invoker,
            })
        };
        let word = [("word".to_string(), OptionValue::String("hi".into()))];
        assert_eq!(run(admin(), &word).content.as_deref(), Some("pong hi"));
        let refused = run(member(), &word).content.unwrap_or_default();
        assert!(
            refused.contains("Only the bot's admins can use `/ping`"),
            "{refused}"
        );
        let missing = run(admin(), &[]).content.unwrap_or_default();
        assert!(missing.contains("option `word` is required"), "{missing}");
        let help = bot.handle(&Request {
            input: Input::Command(BotCommand::parse_in(registry, "help", &[])),
            invoker: member(),
        });
        assert!(help
            .plain_text()
            .contains("`/ping word` — Answers pong *(admins)*"));
        // The shipped registry does not know it.
        assert!(matches!(
            BotCommand::parse("ping", &word),
            BotCommand::Unknown { .. }
        ));
    }

    #[test]
    fn interface_text_follows_the_invokers_language_and_answers_stay_english() {
        use i18n::Lang;
        let bot = shipped_bot();
        let ja = Invoker {
            lang: Lang::Ja,
            ..member()
        };
        let hi = Invoker {
            lang: Lang::Hi,
            ..member()
        };
        let help = command(&bot, "help", &[], hi.clone());
        assert_eq!(
            help.embeds[0].title.as_deref(),
            Some("इस बॉट का उपयोग कैसे करें")
        );
        let refused = command(&bot, "reload", &[], ja.clone())
            .content
            .unwrap_or_default();
        assert!(
            refused.contains("管理者") && refused.contains("`/reload`"),
            "{refused}"
        );
        let report = command(
            &bot,
            "reload",
            &[],
            Invoker {
                lang: Lang::Ja,
                ..admin()
            },
        );
        assert_eq!(
            report.embeds[0].title.as_deref(),
            Some("ナレッジベースを再読み込みしました"),
            "{report:?}"
        );
        let unknown = command(&bot, "topic", &[("name", "cooking")], hi.clone());
        assert!(unknown.plain_text().contains("नाम का कोई विषय नहीं है"));
        let thanks = bot.handle(&Request {
            input: Input::Button(ButtonAction::parse("fb:up:moc-signed-march-2022")),
            invoker: ja.clone(),
        });
        assert!(thanks.plain_text().starts_with("ありがとうございます"));
        // The answer itself is the same in every language.
        let question = [("question", "When was the Memorandum of Cooperation signed?")];
        let english = command(&bot, "ask", &question, member());
        let japanese = command(&bot, "ask", &question, ja);
        assert_eq!(english.embeds[0].title, japanese.embeds[0].title);
        assert_eq!(english.embeds[0].fields, japanese.embeds[0].fields);
        assert!(japanese
            .buttons()
            .any(|b| b.label == i18n::text(Lang::Ja, "button.why")));
    }

    #[test]
    fn known_command_ids_make_mentions_clickable_in_every_reply() {
        let bot = shipped_bot();
        let before = command(&bot, "topics", &[], member());
        assert!(before.plain_text().contains("`/topic`"));
        bot.set_command_ids(commands::CommandIds::new([("topic".to_string(), 77)]));
        let after = command(&bot, "topics", &[], member());
        assert!(after.plain_text().contains("</topic:77>"), "{after:?}");
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Shared helpers for the handler tests: a bot on the shipped knowledge base or on a small
    //! one written to a temporary folder.
    use super::*;
    use std::path::Path;

    pub fn shipped_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml")
    }

    pub fn options(knowledge_path: PathBuf) -> BotOptions {
        BotOptions {
            knowledge_path,
            eval: None,
            admin: AdminConfig {
                user_ids: vec![ADMIN],
                role_ids: vec![ADMIN_ROLE],
            },
            questions_per_minute: NonZeroU32::new(1_000).unwrap(),
            decline_below: crate::search::score::DEFAULT_DECLINE_BELOW,
            declined_log: None,
            feedback_log: None,
            load: LoadOptions::default(),
            // The small test bases remove facts on purpose; the guard has tests of its own.
            max_removed_share: 1.0,
        }
    }

    pub const ADMIN: u64 = 1;
    pub const ADMIN_ROLE: u64 = 50;
    pub const MEMBER: u64 = 2;
    pub const GUILD: u64 = 900;
    pub const CHANNEL: u64 = 901;

    /// A bot on the shipped `knowledge.toml`.
    pub fn shipped_bot() -> Bot {
        Bot::new(options(shipped_path())).unwrap()
    }

    pub fn member() -> Invoker {
        Invoker {
            user_id: MEMBER,
            role_ids: vec![],
            is_admin_by_permission: false,
            is_guild_owner: false,
            place: Place::Guild(GUILD),
            channel_id: CHANNEL,
            lang: i18n::Lang::En,
            via_shard: None,
        }
    }

    pub fn admin() -> Invoker {
        Invoker {
            user_id: ADMIN,
            ..member()
        }
    }

    pub fn command(bot: &Bot, name: &str, options: &[(&str, &str)], invoker: Invoker) -> Reply {
        let options: Vec<(String, OptionValue)> = options
            .iter()
            .map(|(n, v)| (n.to_string(), OptionValue::String(v.to_string())))
            .collect();
        bot.handle(&Request {
            input: Input::Command(BotCommand::parse(name, &options)),
            invoker,
        })
    }

    pub fn press(bot: &Bot, custom_id: &str) -> Reply {
        bot.handle(&Request {
            input: Input::Button(ButtonAction::parse(custom_id)),
            invoker: member(),
        })
    }

    /// A small valid knowledge file: two sources, two topics, `facts` as given (TOML).
    pub fn small_kb(facts: &str) -> String {
        format!(
            r#"[meta]
title = "Test KB"
description = "A small knowledge base for tests."
updated = "2024-01-01"

[[sources]]
id = "src-a"
title = "Article A"
url = "https://example.com/a"
published = "2017"

[[sources]]
id = "src-b"
title = "Article B"
published = "2022"

[[topics]]
id = "dialogues"
name = "Cyber dialogues"
description = "The dialogues."

[[topics]]
id = "telecom"
name = "5G and telecom"
description = "5G."

{facts}"#
        )
    }

    pub fn fact_toml(id: &str, title: &str, answer: &str, date: &str, quote: &str) -> String {
        format!(
            r#"
[[facts]]
id = "{id}"
kind = "fact"
title = "{title}"
answer = "{answer}"
topics = ["dialogues"]
parties = ["India", "Japan"]
date = "{date}"
questions = ["{title}?"]
[[facts.citations]]
source = "src-a"
quote = "{quote}"
"#
        )
    }
}
