//! Autocomplete: suggestions for the option being typed, drawn from the source the registry
//! names for it ([`Suggest`]) — facts, topics, parties, or answer previews for `/ask`.

use crate::bot::call::{pick_fact, spec_in, Suggest};
use crate::bot::i18n::{self, Lang};
use crate::bot::limits;
use crate::bot::render::fact::candidates;
use crate::bot::render::percent;
use crate::bot::reply::Choice;
use crate::bot::text::strip_mentions;
use crate::bot::{AutocompleteRequest, Bot, Loaded, MAX_QUESTION_CHARS};
use crate::knowledge::Fact;
use crate::search::Filters;

/// Suggestions for the option being typed, within Discord's limits (25 choices of at most
/// 100 characters). Unknown commands or options get none.
/// Input longer than the option accepts, and users over their quota, get none.
pub fn run(bot: &Bot, request: &AutocompleteRequest) -> Vec<Choice> {
    let Some((option, source)) = spec_in(bot.registry(), &request.command)
        .and_then(|c| c.options.iter().find(|o| o.name == request.option))
        .and_then(|o| o.autocomplete.map(|source| (o, source)))
    else {
        return Vec::new();
    };
    // A value longer than the option's cap could never be sent: suggest nothing, at once.
    if request.typed.chars().nth(option.max_chars).is_some() {
        return Vec::new();
    }
    if crate::bot::allow(&bot.autocompletes, request.user_id).is_err() {
        return Vec::new();
    }
    let loaded = bot.current();
    let kb = loaded.kb();
    let typed = request.typed.trim().to_lowercase();
    let mut choices: Vec<Choice> = match source {
        Suggest::Answers => preview(&loaded, &request.typed, request.lang),
        Suggest::Facts => {
            let mut ranked: Vec<(u8, &Fact)> = kb
                .facts
                .iter()
                .filter_map(|f| rank(&typed, &[&f.id, &f.title]).map(|r| (r, f)))
                .collect();
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.title.cmp(&b.1.title)));
            let mut facts: Vec<&Fact> = ranked.into_iter().map(|(_, f)| f).collect();
            // Few word matches: add what the engine thinks the words mean.
            if facts.len() < limits::CHOICES && typed.chars().count() >= 3 {
                for id in candidates(&loaded, &typed) {
                    if let Some(f) = kb.fact(&id) {
                        if !facts.iter().any(|g| g.id == f.id) {
                            facts.push(f);
                        }
                    }
                }
            }
            facts
                .into_iter()
                .map(|f| Choice {
                    name: f.title.clone(),
                    value: f.id.clone(),
                })
                .collect()
        }
        Suggest::Topics => {
            let mut ranked: Vec<_> = kb
                .topics
                .iter()
                .filter_map(|t| rank(&typed, &[&t.id, &t.name]).map(|r| (r, t)))
                .collect();
            ranked.sort_by_key(|(r, _)| *r);
            ranked
                .into_iter()
                .map(|(_, t)| Choice {
                    name: t.name.clone(),
                    value: t.id.clone(),
                })
                .collect()
        }
        Suggest::Parties => {
            let mut parties: Vec<&String> = kb.commitments().flat_map(|f| &f.parties).collect();
            parties.sort();
            parties.dedup();
            let mut ranked: Vec<_> = parties
                .into_iter()
                .filter_map(|p| rank(&typed, &[p]).map(|r| (r, p)))
                .collect();
            ranked.sort_by_key(|(r, _)| *r);
            ranked
                .into_iter()
                .map(|(_, p)| Choice {
                    name: p.clone(),
                    value: p.clone(),
                })
                .collect()
        }
    };
    limits::fit_choices(&mut choices);
    choices
}

/// Answers shown while `/ask question:` is typed: at most this many (Discord shows 25; five
/// headlines read at a glance, and `Engine::top` stays cheap enough for every keystroke).
pub const PREVIEW_CHOICES: usize = 5;

/// The one choice shown while nothing typed so far reaches the decline threshold.
pub fn keep_typing(lang: Lang) -> String {
    i18n::text(lang, "autocomplete.keep_typing")
}

/// `/ask question:` as it is typed: the best facts at or above the decline threshold as
/// "title · NN%", each naming its fact (so picking one answers that fact); below the
/// threshold only a "keep typing" hint whose value is the typed text, so sending it asks it.
fn preview(loaded: &Loaded, typed: &str, lang: Lang) -> Vec<Choice> {
    let typed = typed.trim();
    // Nothing to read yet, or more than a question may hold (refused when sent anyway).
    if typed.is_empty() || typed.chars().nth(MAX_QUESTION_CHARS).is_some() {
        return Vec::new();
    }
    let question = strip_mentions(typed);
    let floor = loaded.engine.decline_threshold();
    let kb = loaded.kb();
    let ranked = loaded
        .engine
        .top_while_typing(&question, &Filters::default(), PREVIEW_CHOICES);
    let choices: Vec<Choice> = ranked
        .into_iter()
        .take(PREVIEW_CHOICES)
        .filter(|r| r.confidence >= floor)
        .filter_map(|r| kb.fact(&r.fact_id).map(|f| (f, r.confidence)))
        .map(|(fact, confidence)| {
            let suffix = format!(" · {}", percent(confidence));
            let room = limits::CHOICE_NAME - suffix.chars().count();
            Choice {
                name: format!("{}{suffix}", limits::truncate(&fact.title, room)),
                value: pick_fact(&fact.id),
            }
        })
        .collect();
    if choices.is_empty() {
        // A value over Discord's 100 characters cannot be sent; `fit_choices` drops it.
        vec![Choice {
            name: keep_typing(lang),
            value: typed.to_string(),
        }]
    } else {
        choices
    }
}

/// 0 = prefix of one of `fields`, 1 = substring, `None` = no match (empty `typed` matches
/// everything).
fn rank(typed: &str, fields: &[&str]) -> Option<u8> {
    if typed.is_empty() {
        return Some(0);
    }
    let lower: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
    if lower.iter().any(|f| f.starts_with(typed)) {
        Some(0)
    } else if lower.iter().any(|f| f.contains(typed)) {
        Some(1)
    } else {
        None
    }
}
