//! Follow-up questions: "who led Japan's delegation at the 2017 dialogue?" → "and India's?" →
//! "what did they agree?". After an answer, a [`Context`] keeps what the question was about —
//! the event, the parties and the kind of answer wanted ([`Intent`]). A later question that is
//! a *fragment* lacking those pieces is rewritten into a whole question
//! ([`Engine::follow_up`]), which the engine then answers like any other; the rewrite says
//! what it carried over, so the reply can show "read as: …".
//!
//! A fragment is a question that leads with a continuation ("and", "what about", …), leans on
//! a pronoun ("they", "it", "that", "there"), or names nothing but a party or an event ("and
//! India's?"). A complete question — one with words of its own and no pronoun or continuation
//! — is never rewritten, whatever the context. Nothing here knows of Discord: the bot keeps
//! one context per channel and user in [`Contexts`], the command line one per `ask --session`.
//!
//! Text-level on purpose: the rewrite is a question a person could have typed, so the engine
//! (and its scoring) is untouched, and the user can read exactly what was asked.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

use super::intent::{self, Intent};
use super::{entities, Engine};

/// How long a context lasts after its answer, unless configured (`[conversation]`).
pub const DEFAULT_CONTEXT_TTL: Duration = Duration::from_secs(10 * 60);
/// Contexts kept at most (one per channel and user), unless configured: past it the oldest is
/// forgotten, so memory is bounded whoever asks.
pub const DEFAULT_MAX_CONTEXTS: usize = 10_000;

/// Words that open a continuation of the previous question.
const CONTINUATIONS: &[&[&str]] = &[
    &["what", "about"],
    &["how", "about"],
    &["and"],
    &["also"],
    &["but"],
    &["so"],
    &["ok"],
    &["okay"],
];

/// Pronouns that stand for the parties of the previous question.
const PARTY_PRONOUNS: &[&str] = &["they", "them", "those", "these", "both"];
/// Pronouns that stand for the event ("when was that?", "who led it?").
const EVENT_PRONOUNS: &[&str] = &["it", "that", "this"];
/// Pronouns that stand for the event as a place or time ("who spoke there?").
const EVENT_ADVERBS: &[&str] = &["there", "then"];
/// Pronouns that point back at something the context does not keep (a person): they make a
/// fragment, but nothing stands in for them.
const OTHER_PRONOUNS: &[&str] = &["he", "she", "him", "his", "her", "hers"];

/// Words a fragment may hold besides parties and events and still be "nothing but" them:
/// "and the 2022 one?", "what about India's side?".
const ELLIPSIS_FILLER: &[&str] = &[
    "a", "about", "as", "at", "for", "from", "in", "of", "on", "one", "ones", "side", "sides",
    "team", "the", "well", "what", "how",
];

/// What the last answered question of a conversation was about.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The question as answered (after any rewrite).
    pub read_as: String,
    /// The event it named, or else the event of the fact that answered it (an index into the
    /// knowledge base's `events`).
    pub event: Option<usize>,
    /// How `read_as` names the event (an alias, as written there), or the event's first alias.
    pub event_alias: Option<String>,
    /// The countries it named, then those of the answering fact (as the knowledge base
    /// writes them: "India", "Japan").
    pub parties: Vec<String>,
    pub intent: Intent,
}

/// What a rewrite took from the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// The event, by name.
    Event(String),
    /// The parties.
    Parties(Vec<String>),
    /// The kind of answer asked for ("who", "when", …).
    AnswerType(&'static str),
}

impl std::fmt::Display for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Carried::Event(name) => write!(f, "the event ({name})"),
            Carried::Parties(parties) => write!(f, "the parties ({})", parties.join(", ")),
            Carried::AnswerType(kind) => write!(f, "the question ({kind})"),
        }
    }
}

/// A fragment read as a whole question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The whole question the engine is asked.
    pub read_as: String,
    /// What came from the context, in the order it was used.
    pub carried: Vec<Carried>,
    /// Parties the fragment swapped out ("and India's?" after Japan's): they stay in the
    /// next context, so "what did they agree?" means both.
    swapped_out: Vec<String>,
}

/// How an answer type reads in "what was carried over".
pub fn intent_word(intent: Intent) -> &'static str {
    match intent {
        Intent::Any => "what",
        Intent::When => "when",
        Intent::Quantity => "how much",
        Intent::Who => "who",
        Intent::Where => "where",
        Intent::Expansion => "what it stands for",
        Intent::Why => "why",
        Intent::Other(_) => "what",
    }
}

/// One word of a question: lowercase without a possessive `'s`, and where it was.
#[derive(Debug, Clone)]
struct Word {
    lower: String,
    start: usize,
    end: usize,
    possessive: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    let push = |out: &mut Vec<Word>, from: usize, to: usize| {
        let raw = &text[from..to];
        let trimmed = raw.trim_end_matches(['\'', '’']);
        let (base, possessive) = match trimmed
            .strip_suffix("'s")
            .or_else(|| trimmed.strip_suffix("’s"))
        {
            Some(base) if !base.is_empty() => (base, true),
            _ => (trimmed, false),
        };
        if !base.is_empty() {
            out.push(Word {
                lower: base.to_lowercase(),
                start: from,
                end: from + base.len(),
                possessive,
            });
        }
    };
    for (at, ch) in text.char_indices() {
        let inside = ch.is_alphanumeric() || ch == '\'' || ch == '’' || ch == '-';
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                push(&mut out, from, at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        push(&mut out, from, text.len());
    }
    out
}

/// How many leading words are a continuation ("and", "what about").
fn continuation(words: &[Word]) -> usize {
    CONTINUATIONS
        .iter()
        .find(|marker| {
            marker.len() <= words.len() && marker.iter().zip(words).all(|(m, w)| w.lower == **m)
        })
        .map_or(0, |marker| marker.len())
}

/// The country a word names, as the knowledge base writes countries ("India"), if any.
fn country(word: &Word) -> Option<String> {
    let lower = word.lower.as_str();
    let base = match lower {
        "indian" => "india",
        "japanese" => "japan",
        other => other,
    };
    entities::is_country(base).then(|| {
        let mut chars = base.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    })
}

/// A rewrite longer than the engine reads (a question of many pronouns, each standing for an
/// event's name) is not made: the question is asked as typed.
fn too_long(text: &str) -> bool {
    text.chars().nth(super::MAX_QUESTION_CHARS).is_some()
}

/// A word written in capitals ("IT", "US") is an acronym, not a pronoun.
fn acronym(text: &str, word: &Word) -> bool {
    let written = &text[word.start..word.end];
    written.chars().count() >= 2 && written.chars().all(|c| c.is_uppercase())
}

/// "India", "India and Japan", "India, Japan and Australia".
fn join_parties(parties: &[String]) -> String {
    match parties {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl Engine {
    /// The event `question` names (an index into the knowledge base's `events`), by the same
    /// rule the search uses.
    pub fn event_named(&self, question: &str) -> Option<usize> {
        let terms = self.index.analyzer.terms(question);
        self.named_event(&terms).map(|(e, _)| e as usize)
    }

    /// How `question` writes event `event`: its longest alias found in the text, as written.
    fn alias_in(&self, event: usize, question: &str) -> Option<String> {
        let lower = question.to_lowercase();
        let mut aliases: Vec<&String> = self.kb.events.get(event)?.aliases.iter().collect();
        aliases.sort_by_key(|a| std::cmp::Reverse(a.len()));
        aliases.into_iter().find_map(|alias| {
            let at = lower.find(alias.as_str())?;
            // Lowercasing kept byte offsets only for ASCII; otherwise the alias as listed.
            Some(
                question
                    .get(at..at + alias.len())
                    .filter(|s| s.eq_ignore_ascii_case(alias))
                    .map_or_else(|| alias.clone(), str::to_string),
            )
        })
    }

    /// The context after `read_as` was answered by fact `fact_id`. `previous` and `follow_up`:
    /// the context it was read in and the rewrite, if it was one.
    pub fn context_after(
        &self,
        read_as: &str,
        fact_id: &str,
        follow_up: Option<&FollowUp>,
    ) -> Context {
        let fact = self.kb.fact(fact_id);
        let named = self.event_named(read_as);
        let event = named.or_else(|| {
            let id = fact?.event.as_deref()?;
            self.kb.events.iter().position(|e| e.id == id)
        });
        let event_alias = event.and_then(|e| {
            self.alias_in(e, read_as)
                .or_else(|| self.kb.events[e].aliases.first().cloned())
        });
        let mut parties = Vec::new();
        for word in words(read_as) {
            if let Some(c) = country(&word) {
                push_unique(&mut parties, c);
            }
        }
        for swapped in follow_up
            .map(|f| f.swapped_out.as_slice())
            .unwrap_or_default()
        {
            push_unique(&mut parties, swapped.clone());
        }
        for party in fact.map(|f| f.parties.as_slice()).unwrap_or_default() {
            if entities::is_country(&party.to_lowercase()) {
                push_unique(&mut parties, party.clone());
            }
        }
        Context {
            read_as: read_as.to_string(),
            event,
            event_alias,
            parties,
            intent: intent::detect(read_as),
        }
    }

    /// `question` read in `context`: `Some` with the whole question when it is a fragment
    /// that lacks what the context holds, `None` when it stands on its own (it is then asked
    /// as typed).
    pub fn follow_up(&self, context: &Context, question: &str) -> Option<FollowUp> {
        let all = words(question);
        let skip = continuation(&all);
        let rest = &all[skip..];
        if rest.is_empty() {
            return None;
        }
        let named_event = self.event_named(question);
        let event_words: Vec<String> = named_event
            .and_then(|e| self.alias_in(e, question))
            .map(|alias| words(&alias).into_iter().map(|w| w.lower).collect())
            .unwrap_or_default();
        let parties: Vec<&Word> = rest.iter().filter(|w| country(w).is_some()).collect();
        let is_pronoun = |w: &Word| {
            if acronym(question, w) {
                return false;
            }
            let w = w.lower.as_str();
            PARTY_PRONOUNS.contains(&w)
                || EVENT_PRONOUNS.contains(&w)
                || EVENT_ADVERBS.contains(&w)
                || OTHER_PRONOUNS.contains(&w)
                || w == "their"
                || w == "its"
        };
        let pronouns = rest.iter().any(is_pronoun);
        let intent = intent::detect(question);
        let bare = rest.iter().all(|w| {
            country(w).is_some()
                || event_words.contains(&w.lower)
                || ELLIPSIS_FILLER.contains(&w.lower.as_str())
        });
        let fragment = skip > 0 || pronouns || bare;
        if !fragment {
            return None;
        }
        // After its opening "and", a continuation with nothing of its own to ask — no
        // pronoun, party, event, question word or content word ("and and and …") — carried the
        // context over and got an answer to a question nobody asked.
        let asks_nothing = !pronouns
            && parties.is_empty()
            && named_event.is_none()
            && intent == Intent::Any
            && rest
                .iter()
                .all(|w| super::normalize::is_stop_word(&w.lower));
        if asks_nothing {
            return None;
        }
        if bare && intent == Intent::Any && (named_event.is_some() || !parties.is_empty()) {
            return self.ellipsis(context, question, named_event, &parties);
        }
        self.resolve_pronouns(
            context,
            question,
            rest,
            named_event.is_some(),
            !parties.is_empty(),
        )
    }

    /// "and India's?", "and the 2022 one?": the previous question, with the party or event
    /// named instead of the one it had; the rest — its kind of answer — carried over.
    fn ellipsis(
        &self,
        context: &Context,
        question: &str,
        named_event: Option<usize>,
        parties: &[&Word],
    ) -> Option<FollowUp> {
        let mut text = context.read_as.clone();
        let mut carried = Vec::new();
        let mut swapped_out = Vec::new();
        if context.intent != Intent::Any {
            carried.push(Carried::AnswerType(intent_word(context.intent)));
        }
        if parties.is_empty() {
            let mut named = Vec::new();
            for word in words(&text) {
                if let Some(c) = country(&word) {
                    push_unique(&mut named, c);
                }
            }
            if !named.is_empty() {
                carried.push(Carried::Parties(named));
            }
        } else {
            // Each country of the previous question gives way to the next one named, in order.
            let old: Vec<Word> = words(&text)
                .into_iter()
                .filter(|w| country(w).is_some())
                .collect();
            if old.is_empty() {
                return None;
            }
            let mut replaced = text.clone();
            for (old, new) in old.iter().zip(parties).rev() {
                let written = &question[new.start..new.end];
                if let Some(c) = country(old) {
                    if Some(&c) != country(new).as_ref() {
                        push_unique(&mut swapped_out, c);
                    }
                }
                replaced.replace_range(old.start..old.end, written);
            }
            text = replaced;
        }
        match named_event {
            Some(event) if Some(event) != context.event => {
                let new = self
                    .alias_in(event, question)
                    .or_else(|| self.kb.events[event].aliases.first().cloned())?;
                let at = context.event_alias.as_ref().and_then(|old| {
                    text.to_lowercase()
                        .find(&old.to_lowercase())
                        .map(|at| (at, old.len()))
                });
                match at {
                    Some((at, len))
                        if text.is_char_boundary(at) && text.is_char_boundary(at + len) =>
                    {
                        text.replace_range(at..at + len, &new);
                    }
                    _ => {
                        let body = text.trim_end_matches(['?', '.', '!', ' ']);
                        text = format!("{body} at the {new}?");
                    }
                }
            }
            Some(_) => {}
            None => {
                if let Some(name) = context.event.and_then(|e| self.kb.events.get(e)) {
                    carried.push(Carried::Event(name.name.clone()));
                }
            }
        }
        if text == context.read_as || too_long(&text) {
            return None;
        }
        Some(FollowUp {
            read_as: text,
            carried,
            swapped_out,
        })
    }

    /// "what did they agree?", "when was that?", "who led India's side there?": the
    /// question's own words, each pronoun standing for what the context holds, and the event
    /// added when the question names none.
    fn resolve_pronouns(
        &self,
        context: &Context,
        question: &str,
        rest: &[Word],
        names_event: bool,
        names_party: bool,
    ) -> Option<FollowUp> {
        let alias = context.event_alias.as_deref().filter(|_| !names_event);
        let parties =
            (!names_party && !context.parties.is_empty()).then(|| join_parties(&context.parties));
        let mut carried = Vec::new();
        let mut used_event = false;
        let mut used_parties = false;
        let mut out = String::new();
        let mut last = rest[0].start;
        for word in rest {
            let lower = word.lower.as_str();
            let stand_in = if acronym(question, word) {
                None
            } else if PARTY_PRONOUNS.contains(&lower) {
                parties.clone().inspect(|_| used_parties = true)
            } else if lower == "their" {
                parties
                    .as_ref()
                    .map(|p| format!("{p}'s"))
                    .inspect(|_| used_parties = true)
            } else if EVENT_PRONOUNS.contains(&lower) && !word.possessive {
                alias
                    .map(|a| format!("the {a}"))
                    .inspect(|_| used_event = true)
            } else if lower == "its" || (EVENT_PRONOUNS.contains(&lower) && word.possessive) {
                alias
                    .map(|a| format!("the {a}'s"))
                    .inspect(|_| used_event = true)
            } else if EVENT_ADVERBS.contains(&lower) {
                alias
                    .map(|a| format!("at the {a}"))
                    .inspect(|_| used_event = true)
            } else {
                None
            };
            if let Some(stand_in) = stand_in {
                out.push_str(&question[last..word.start]);
                out.push_str(&stand_in);
                // A possessive pronoun's "'s" is part of the stand-in.
                last = if word.possessive || lower == "their" || lower == "its" {
                    question[word.end..]
                        .char_indices()
                        .find(|(_, c)| !c.is_alphanumeric() && *c != '\'' && *c != '’')
                        .map_or(question.len(), |(i, _)| word.end + i)
                } else {
                    word.end
                };
            }
        }
        out.push_str(&question[last..]);
        let mut text = out.trim().to_string();
        if !used_event {
            if let Some(alias) = alias {
                let body = text.trim_end_matches(['?', '.', '!', ' ']);
                text = format!("{body} at the {alias}?");
                used_event = true;
            }
        }
        if used_event {
            if let Some(name) = context.event.and_then(|e| self.kb.events.get(e)) {
                carried.push(Carried::Event(name.name.clone()));
            }
        }
        if used_parties {
            carried.push(Carried::Parties(context.parties.clone()));
        }
        if carried.is_empty() || too_long(&text) {
            return None;
        }
        Some(FollowUp {
            read_as: text,
            carried,
            swapped_out: Vec::new(),
        })
    }
}

/// Contexts by key (the bot: channel and user), each forgotten `ttl` after its answer, at
/// most `cap` of them (past it the oldest goes). Time is passed in, so tests need no sleep.
#[derive(Debug)]
pub struct Contexts<K> {
    ttl: Duration,
    cap: usize,
    entries: HashMap<K, (Context, Instant)>,
}

impl<K: Hash + Eq + Clone> Contexts<K> {
    pub fn new(ttl: Duration, cap: usize) -> Self {
        Contexts {
            ttl,
            cap: cap.max(1),
            entries: HashMap::new(),
        }
    }

    /// The context of `key`, if it was set less than `ttl` before `now` (an expired one is
    /// forgotten).
    pub fn get(&mut self, key: &K, now: Instant) -> Option<Context> {
        let (context, at) = self.entries.get(key)?;
        if now.saturating_duration_since(*at) < self.ttl {
            Some(context.clone())
        } else {
            self.entries.remove(key);
            None
        }
    }

    /// Sets the context of `key` at `now`. At the cap, expired contexts go first, then the
    /// oldest.
    pub fn set(&mut self, key: K, context: Context, now: Instant) {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.cap {
            let ttl = self.ttl;
            self.entries
                .retain(|_, (_, at)| now.saturating_duration_since(*at) < ttl);
            if self.entries.len() >= self.cap {
                let oldest = self
                    .entries
                    .iter()
                    .min_by_key(|(_, (_, at))| *at)
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    self.entries.remove(&oldest);
                }
            }
        }
        self.entries.insert(key, (context, now));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::search::Filters;
    use std::path::Path;
    use std::sync::{Arc, OnceLock};

    fn engine() -> &'static Engine {
        static ENGINE: OnceLock<Engine> = OnceLock::new();
        ENGINE.get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml");
            Engine::new(Arc::new(crate::knowledge::load(&path).unwrap()))
        })
    }

    /// Answers `question` in `context`; returns the rewrite (if any), the fact and the next
    /// context.
    fn turn(
        context: Option<&Context>,
        question: &str,
    ) -> (Option<FollowUp>, Option<String>, Option<Context>) {
        let engine = engine();
        let follow = context.and_then(|c| engine.follow_up(c, question));
        let asked = follow.as_ref().map_or(question, |f| f.read_as.as_str());
        match engine.ask(asked, &Filters::default()) {
            Answer::Found(found) => {
                let next = engine.context_after(asked, &found.fact.id, follow.as_ref());
                (follow, Some(found.fact.id.clone()), Some(next))
            }
            Answer::NoMatch(_) => (follow, None, context.cloned()),
        }
    }

    #[test]
    fn a_continuation_that_asks_nothing_is_not_answered_from_the_context() {
        let (_, _, context) = turn(None, "who led Japan's delegation at the 2017 dialogue?");
        let context = context.unwrap();
        let noise = "and ".repeat(120);
        assert_eq!(engine().follow_up(&context, &noise), None);
        let (_, fact, _) = turn(Some(&context), &noise);
        assert_eq!(
            fact, None,
            "declined, not answered from the previous question"
        );
        // A real continuation still is one.
        assert!(engine().follow_up(&context, "and when?").is_some());
    }

    #[test]
    fn a_party_swap_keeps_the_question_and_the_event() {
        let (none, fact, context) = turn(None, "who led Japan's delegation at the 2017 dialogue?");
        assert!(none.is_none());
        assert_eq!(fact.as_deref(), Some("masato-otaka-cyber-ambassador"));
        let context = context.unwrap();
        assert_eq!(context.intent, Intent::Who);
        assert_eq!(context.event_alias.as_deref(), Some("2017 dialogue"));
        let follow = engine().follow_up(&context, "and India's?").unwrap();
        assert_eq!(
            follow.read_as,
            "who led India's delegation at the 2017 dialogue?"
        );
        assert_eq!(
            follow.carried,
            [
                Carried::AnswerType("who"),
                Carried::Event("Second Japan-India Cyber Dialogue".into())
            ]
        );
        let (_, fact, next) = turn(Some(&context), "and India's?");
        assert_eq!(fact.as_deref(), Some("sanjay-kumar-verma"));
        assert_eq!(
            next.unwrap().parties,
            ["India", "Japan"],
            "the swapped-out party stays for \"they\""
        );
    }

    #[test]
    fn pronouns_stand_for_the_parties_and_the_event() {
        let context = engine().context_after(
            "who led India's delegation at the 2017 dialogue?",
            "sanjay-kumar-verma",
            None,
        );
        let context = Context {
            parties: vec!["India".into(), "Japan".into()],
            ..context
        };
        let read = |q: &str| engine().follow_up(&context, q).map(|f| f.read_as);
        assert_eq!(
            read("what did they agree?").as_deref(),
            Some("what did India and Japan agree at the 2017 dialogue?")
        );
        assert_eq!(
            read("when was that?").as_deref(),
            Some("when was the 2017 dialogue?")
        );
        assert_eq!(
            read("And where was it held?").as_deref(),
            Some("where was the 2017 dialogue held?")
        );
        assert_eq!(
            read("who else spoke there?").as_deref(),
            Some("who else spoke at the 2017 dialogue?")
        );
        assert_eq!(
            read("what was their plan?").as_deref(),
            Some("what was India and Japan's plan at the 2017 dialogue?")
        );
    }

    #[test]
    fn an_event_swap_keeps_the_kind_of_answer() {
        let context = engine().context_after(
            "where was the 2017 dialogue held?",
            "second-cyber-dialogue-2017",
            None,
        );
        let follow = engine().follow_up(&context, "and the 2022 one?");
        // "2022 one" names no event; "and the 2022 dialogue?" does.
        assert!(
            follow.is_none() || follow.as_ref().unwrap().read_as.contains("2017"),
            "{follow:?}"
        );
        let follow = engine()
            .follow_up(&context, "what about the e-dialogue?")
            .unwrap();
        assert_eq!(follow.read_as, "where was the e-dialogue held?");
        assert_eq!(follow.carried, [Carried::AnswerType("where")]);
    }

    #[test]
    fn a_complete_question_is_never_rewritten() {
        let context = engine().context_after(
            "who led Japan's delegation at the 2017 dialogue?",
            "masato-otaka-cyber-ambassador",
            None,
        );
        for complete in [
            "When was the Memorandum of Cooperation signed?",
            "what is NASSCOM's estimate of India's IT revenue",
            "who led India's delegation?",
            "India's rank in the Global Innovation Index",
        ] {
            assert_eq!(engine().follow_up(&context, complete), None, "{complete}");
        }
    }

    #[test]
    fn an_out_of_scope_follow_up_is_still_declined() {
        let context = engine().context_after(
            "who led Japan's delegation at the 2017 dialogue?",
            "masato-otaka-cyber-ambassador",
            None,
        );
        for question in ["and its currency?", "what is their population?"] {
            let (follow, fact, _) = turn(Some(&context), question);
            assert!(follow.is_some(), "{question} is a fragment");
            assert_eq!(fact, None, "{question} read as {follow:?}");
        }
    }

    #[test]
    fn a_rewrite_never_grows_past_what_the_engine_reads() {
        let context = engine().context_after(
            "who led Japan's delegation at the second japan india cyber dialogue?",
            "masato-otaka-cyber-ambassador",
            None,
        );
        let many = "it ".repeat(200);
        assert_eq!(engine().follow_up(&context, &many), None);
        assert!(engine().follow_up(&context, "it it").is_some());
    }

    #[test]
    fn words_strip_possessives_and_keep_places() {
        let w = words("and India’s side? Japan's");
        let lowers: Vec<_> = w.iter().map(|w| (w.lower.as_str(), w.possessive)).collect();
        assert_eq!(
            lowers,
            [
                ("and", false),
                ("india", true),
                ("side", false),
                ("japan", true)
            ]
        );
        assert_eq!(&"and India’s side?"[w[1].start..w[1].end], "India");
        assert_eq!(
            join_parties(&["A".into(), "B".into(), "C".into()]),
            "A, B and C"
        );
    }

    fn context(read_as: &str) -> Context {
        Context {
            read_as: read_as.into(),
            event: None,
            event_alias: None,
            parties: vec![],
            intent: Intent::Any,
        }
    }

    #[test]
    fn contexts_expire_and_are_bounded() {
        let start = Instant::now();
        let mut contexts = Contexts::new(Duration::from_secs(600), 2);
        contexts.set((1, 1), context("a"), start);
        assert_eq!(
            contexts
                .get(&(1, 1), start + Duration::from_secs(599))
                .unwrap()
                .read_as,
            "a"
        );
        assert!(contexts
            .get(&(1, 1), start + Duration::from_secs(600))
            .is_none());
        assert!(contexts.is_empty(), "an expired context is forgotten");
        contexts.set((1, 1), context("a"), start);
        contexts.set((1, 2), context("b"), start + Duration::from_secs(1));
        contexts.set((1, 3), context("c"), start + Duration::from_secs(2));
        assert_eq!(contexts.len(), 2);
        assert!(contexts.get(&(1, 1), start).is_none(), "the oldest went");
        assert!(contexts.get(&(1, 3), start).is_some());
    }
}
