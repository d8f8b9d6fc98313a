//! Questions — `/ask` and free text (DMs, @mentions) — and what hangs off an answer:
//! "Why this answer?" and 👍/👎 feedback.

use std::time::Instant;

use serde_json::json;

use super::call::{mention, name, picked_fact};
use super::i18n::{self, Lang};
use super::limits;
use super::render::answer::{read_as, render_found, render_no_match};
use super::reply::Reply;
use super::text::strip_mentions;
use super::{Bot, IncomingMessage, Loaded, Place, MAX_QUESTION_CHARS};
use crate::answer::Answer;
use crate::ops::{self, Outcome};
use crate::search::Filters;

/// Longest question kept in the declined log: enough to write an alternate question from,
/// and a bounded line whatever is asked.
pub const MAX_LOGGED_QUESTION_CHARS: usize = 200;

/// Who asks, where, in which interface language: follow-up context is kept per channel and
/// user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asker {
    pub user_id: u64,
    pub channel_id: u64,
    pub lang: Lang,
}

/// Answers `question`. `ephemeral_capable`: an interaction (declines and refusals are then
/// shown to the asker only) rather than a channel message. A fragment ("and India's?")
/// is read in the asker's follow-up context, and the reply says how it was read.
pub(crate) fn ask(
    bot: &Bot,
    loaded: &Loaded,
    question: &str,
    topic: Option<&str>,
    asker: Asker,
    ephemeral_capable: bool,
) -> Reply {
    let user_id = asker.user_id;
    let private = |reply: Reply| {
        if ephemeral_capable {
            reply.ephemeral()
        } else {
            reply
        }
    };
    // A fact picked from the `/ask` preview: answered with that fact, if it still exists;
    // otherwise the text after the marker is asked like any question.
    let picked = picked_fact(question);
    let picked_id = picked
        .and_then(|id| loaded.kb().fact(id))
        .map(|f| f.id.clone());
    let question = picked.unwrap_or(question);
    // Mentions (the bot's own in a guild message, or anyone's, in any question) address
    // people; the search only sees the words.
    let question = strip_mentions(question);
    let question = question.as_str();
    let length = question.chars().count();
    if length == 0 {
        ops::question(Outcome::Refused);
        return private(Reply::text(i18n::fill(
            asker.lang,
            "ask.empty",
            &[("topics", &mention(name::TOPICS))],
        )));
    }
    if length > MAX_QUESTION_CHARS {
        ops::question(Outcome::Refused);
        return private(Reply::text(i18n::fill(
            asker.lang,
            "ask.too_long",
            &[("length", &length), ("max", &MAX_QUESTION_CHARS)],
        )));
    }
    if let Err(wait) = super::allow(&bot.limiter, user_id) {
        tracing::info!(user = %super::logs::hash_user(user_id), "rate limited");
        ops::question(Outcome::RateLimited);
        return private(super::slow_down(wait, asker.lang));
    }
    let conversation = (asker.channel_id, asker.user_id);
    let now = (bot.clock)();
    if let Some(id) = picked_id {
        ops::question(Outcome::Answered);
        tracing::info!(fact = %id, "answered from the preview");
        if let Some(fact) = loaded.kb().fact(&id) {
            let context = loaded.engine.context_after(&fact.title, &id, None);
            bot.conversations().set(conversation, context, now);
        }
        return super::render::fact::fact_command(loaded, &id);
    }
    // A question in Japanese or Hindi script cannot match English quotes: say so, in
    // that language, instead of a 0 % decline.
    if let Some(script) = i18n::script_language(question) {
        ops::question(Outcome::Declined);
        tracing::info!(language = script.code(), "declined: not English");
        return private(Reply::text(i18n::fill(
            script,
            "ask.other_script",
            &[("topics", &mention(name::TOPICS))],
        )));
    }
    // The topic rule every command shares; an unknown topic is said, not searched.
    let topic = match topic {
        Some(typed) => match loaded.kb().find_topic(typed) {
            Some(found) => Some(found.id.clone()),
            None => {
                ops::question(Outcome::Refused);
                return private(super::render::list::unknown_topic(
                    loaded.kb(),
                    typed,
                    asker.lang,
                ));
            }
        },
        None => None,
    };
    let filters = Filters {
        topic: topic.clone(),
        ..Filters::default()
    };
    // A fragment is read in the context of this asker's last answer in this channel.
    let context = bot.conversations().get(&conversation, now);
    let follow_up = context
        .as_ref()
        .and_then(|c| loaded.engine.follow_up(c, question));
    let question = follow_up.as_ref().map_or(question, |f| f.read_as.as_str());
    let started = Instant::now();
    let answer = loaded.engine.ask(question, &filters);
    let elapsed = started.elapsed();
    ops::engine_latency(elapsed);
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    tracing::debug!(question, "question");
    match &answer {
        Answer::Found(found) => {
            ops::question(Outcome::Answered);
            tracing::info!(
                fact = %found.fact.id,
                confidence = format!("{:.3}", found.confidence),
                latency_ms = format!("{latency_ms:.1}"),
                "answered"
            );
            // The question as read (a follow-up's rewrite): that is what was answered, and it
            // stands alone, so any process can explain it without this conversation.
            let key = bot.remember(question, topic.as_deref());
            let asked = super::buttons::Asked {
                topic: topic.clone(),
                question: question.to_string(),
            };
            let why = super::buttons::why(&found.fingerprint, key, &asked);
            let context = loaded
                .engine
                .context_after(question, &found.fact.id, follow_up.as_ref());
            bot.conversations().set(conversation, context, now);
            read_as(
                render_found(found, &why, asker.lang),
                follow_up.as_ref(),
                asker.lang,
            )
        }
        Answer::NoMatch(no) => {
            ops::question(Outcome::Declined);
            tracing::info!(
                fact = "no_match",
                confidence = format!("{:.3}", no.confidence),
                latency_ms = format!("{latency_ms:.1}"),
                "declined"
            );
            bot.declined_log.append(json!({
                "question": limits::truncate(question, MAX_LOGGED_QUESTION_CHARS),
                "user": super::logs::hash_user(user_id),
                "topic": topic,
                "confidence": (f64::from(no.confidence) * 1000.0).round() / 1000.0,
                "reason": no.reason,
                "suggestions": no.suggestions.iter().map(|s| &s.id).collect::<Vec<_>>(),
                "fingerprint": no.fingerprint,
            }));
            private(read_as(
                render_no_match(no, asker.lang),
                follow_up.as_ref(),
                asker.lang,
            ))
        }
    }
}

/// A free-text message: answered if it is a DM from a person or mentions the bot in a
/// guild; `None` means ignore it (bots, including this one, and unrelated chatter).
pub fn handle_message(bot: &Bot, message: &IncomingMessage) -> Option<Reply> {
    if message.author_is_bot || message.author_id == message.bot_id {
        return None;
    }
    if matches!(message.place, Place::Guild(_)) && !message.mentions_bot {
        return None;
    }
    let loaded = bot.current();
    let asker = Asker {
        user_id: message.author_id,
        channel_id: message.channel_id,
        lang: Lang::En,
    };
    let mut reply = ask(bot, &loaded, &message.content, None, asker, false);
    bot.link_mentions(&mut reply);
    limits::fit_reply(&mut reply);
    Some(reply)
}

#[cfg(test)]
mod tests {
    use super::super::render::answer::explain;
    use super::super::testing::*;
    use super::super::{Delivery, IncomingMessage, Place};
    use super::*;
    use crate::bot::{Bot, Invoker};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    fn ask(bot: &Bot, question: &str) -> Reply {
        command(bot, "ask", &[("question", question)], member())
    }

    #[test]
    fn ask_with_an_unknown_topic_says_so_with_the_topics_instead_of_searching() {
        // One topic rule for every command: an unknown topic is reported, not searched.
        let bot = shipped_bot();
        let reply = command(
            &bot,
            "ask",
            &[
                ("question", "When was the MoC signed?"),
                ("topic", "cooking"),
            ],
            member(),
        );
        assert!(reply.ephemeral);
        let text = reply.content.unwrap_or_default();
        assert!(text.contains("There is no topic “cooking”"), "{text}");
        assert!(text.contains("`telecom-5g`"), "{text}");
        // A unique prefix is enough, as in `/topic` and `/commitments`.
        let prefixed = command(
            &bot,
            "ask",
            &[("question", "5G regime"), ("topic", "tele")],
            member(),
        );
        assert!(!prefixed.embeds.is_empty(), "{prefixed:?}");
    }

    #[test]
    fn an_answer_cites_its_source_with_bold_matches_and_a_link() {
        let bot = shipped_bot();
        let reply = ask(&bot, "When was the Memorandum of Cooperation signed?");
        assert!(!reply.ephemeral);
        let embed = &reply.embeds[0];
        assert!(embed.title.is_some());
        let quote = &embed.fields[0].value;
        assert!(quote.starts_with("> "), "{quote}");
        assert!(quote.contains("**"), "matched words in bold: {quote}");
        assert!(quote.contains("— "), "{quote}");
        let footer = embed.footer.as_deref().unwrap();
        assert!(footer.contains("confidence"), "{footer}");
        assert!(footer.contains(&bot.current().kb().fingerprint), "{footer}");
        let ids: Vec<_> = reply.buttons().map(|b| b.custom_id.as_str()).collect();
        assert!(ids.iter().any(|id| id.starts_with("why:")), "{ids:?}");
        assert!(ids.iter().any(|id| id.starts_with("fb:up:")), "{ids:?}");
        assert!(ids.iter().any(|id| id.starts_with("fb:down:")), "{ids:?}");
    }

    #[test]
    fn an_acronym_question_leads_with_its_expansion() {
        let bot = shipped_bot();
        let reply = ask(&bot, "what does NASSCOM stand for?");
        let description = reply.embeds[0].description.as_deref().unwrap();
        assert!(
            description.starts_with(
                "**NASSCOM** stands for **National Association of Software and Services Companies**."
            ),
            "{description}"
        );
    }

    #[test]
    fn a_linked_source_shows_as_a_markdown_link() {
        let bot = shipped_bot();
        let reply = ask(
            &bot,
            "Japan and India Reaffirm Promise to Protect Cyberspace article",
        );
        let text = reply.plain_text();
        assert!(text.contains("](http://www.ndmcolumns.com/"), "{text}");
    }

    #[test]
    fn related_facts_are_buttons() {
        let bot = shipped_bot();
        let reply = ask(&bot, "When was the Memorandum of Cooperation signed?");
        let facts = reply
            .buttons()
            .filter(|b| b.custom_id.starts_with("fact:"))
            .count();
        assert!((1..=5).contains(&facts), "{}", reply.plain_text());
    }

    #[test]
    fn no_match_is_ephemeral_with_suggestions_and_a_pointer_to_topics() {
        let bot = shipped_bot();
        let reply = ask(&bot, "what is the recipe for chocolate cake");
        assert!(reply.ephemeral);
        assert!(reply.embeds.is_empty());
        let content = reply.content.as_deref().unwrap();
        assert!(content.contains("/topics"), "{content}");
        assert!(reply.buttons().all(|b| b.custom_id.starts_with("fact:")));
        // A near miss offers "did you mean" buttons.
        let near = ask(&bot, "japan india cyber thing xyz");
        if matches!(
            bot.current().engine.ask("japan india cyber thing xyz", &Filters::default()),
            Answer::NoMatch(ref n) if !n.suggestions.is_empty()
        ) {
            assert!(near.buttons().count() > 0, "{}", near.plain_text());
        }
    }

    #[test]
    fn a_question_over_500_characters_is_refused_politely() {
        let bot = shipped_bot();
        let reply = ask(&bot, &"why ".repeat(130));
        assert!(reply.ephemeral);
        assert!(reply.content.unwrap().contains("under 500"));
        let ok = ask(&bot, &format!("when was the moc signed{}", " ".repeat(10)));
        assert!(!ok.embeds.is_empty());
    }

    #[test]
    fn regression_every_command_and_button_is_rate_limited() {
        // Only questions used to be limited; `/fact`, lists and buttons were free, so a
        // flood of them cost the bot without limit. Every request now counts.
        let mut options = options(shipped_path());
        options.questions_per_minute = std::num::NonZeroU32::new(1).unwrap();
        let bot = Bot::new(options).unwrap();
        let quota = super::super::REQUESTS_PER_QUESTION as usize;
        for _ in 0..quota / 2 {
            assert!(!command(&bot, "fact", &[("id", "moc-signed-march-2022")], member()).ephemeral);
            assert!(!press(&bot, "page:timeline:1")
                .content
                .is_some_and(|c| c.contains("slow down")));
        }
        let limited = command(&bot, "topics", &[], member());
        assert!(limited.ephemeral);
        assert!(limited.content.unwrap().contains("slow down"));
        let limited = press(&bot, "fact:moc-signed-march-2022");
        assert!(limited.content.unwrap().contains("slow down"));
    }

    #[test]
    fn users_are_rate_limited() {
        let mut options = options(shipped_path());
        options.questions_per_minute = std::num::NonZeroU32::new(2).unwrap();
        let bot = Bot::new(options).unwrap();
        assert!(!ask(&bot, "moc signed?").ephemeral);
        ask(&bot, "moc signed?");
        let third = ask(&bot, "moc signed?");
        assert!(third.ephemeral);
        let text = third.content.unwrap();
        assert!(text.contains("slow down") && text.contains(" s."), "{text}");
        // Another user is not affected.
        let other = command(
            &bot,
            "ask",
            &[("question", "moc signed?")],
            super::super::Invoker {
                user_id: 77,
                ..member()
            },
        );
        assert!(!other.ephemeral);
    }

    #[test]
    fn declined_questions_are_logged_with_a_hashed_user() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("declined.log");
        let mut options = options(shipped_path());
        options.declined_log = Some(log.clone());
        let bot = Bot::new(options).unwrap();
        ask(&bot, "what is the recipe for chocolate cake");
        let line = std::fs::read_to_string(&log).unwrap();
        let entry: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        assert_eq!(entry["question"], "what is the recipe for chocolate cake");
        assert_eq!(entry["user"], super::super::logs::hash_user(MEMBER));
        assert!(entry["time"].is_string());
    }

    #[cfg(unix)]
    #[test]
    fn regression_a_declined_log_that_is_a_fifo_does_not_hold_up_the_reply() {
        // The append blocked in `open()` on a FIFO with no reader, so the decline was never
        // sent; the line is dropped now and the reply goes out.
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("declined.log");
        if !crate::files::mkfifo(&log) {
            eprintln!("SKIPPED: mkfifo is not available");
            return;
        }
        let mut options = options(shipped_path());
        options.declined_log = Some(log);
        let bot = std::sync::Arc::new(Bot::new(options).unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        {
            let bot = bot.clone();
            std::thread::spawn(move || {
                for _ in 0..2 {
                    let _ = tx.send(ask(&bot, "what is the recipe for chocolate cake"));
                }
            });
        }
        for _ in 0..2 {
            let reply = rx
                .recv_timeout(std::time::Duration::from_secs(5))
                .expect("a declined question is answered while its log is a FIFO");
            assert!(reply.ephemeral, "declined privately");
        }
        assert_eq!(bot.declined_log.dropped(), 2);
    }

    #[test]
    fn regression_a_declined_500_character_question_is_logged_in_a_bounded_line() {
        // The log line had no cap: ~650 bytes for a 500-character question. The logged
        // question is cut to `MAX_LOGGED_QUESTION_CHARS`.
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("declined.log");
        let mut options = options(shipped_path());
        options.declined_log = Some(log.clone());
        let bot = Bot::new(options).unwrap();
        let long: String = "zq ".repeat(200).chars().take(MAX_QUESTION_CHARS).collect();
        assert!(ask(&bot, &long).ephemeral);
        let line = std::fs::read_to_string(&log).unwrap();
        let entry: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        let logged = entry["question"].as_str().unwrap();
        assert!(
            logged.chars().count() <= MAX_LOGGED_QUESTION_CHARS,
            "{logged}"
        );
        eprintln!(
            "declined.log: {} bytes for a declined 500-character question",
            line.len()
        );
        assert!(line.len() < 500, "{} bytes", line.len());
    }

    #[test]
    fn why_explains_the_same_answer() {
        let bot = shipped_bot();
        let reply = ask(&bot, "When was the Memorandum of Cooperation signd?");
        let why = reply
            .buttons()
            .find(|b| b.custom_id.starts_with("why:"))
            .unwrap()
            .custom_id
            .clone();
        let explained = press(&bot, &why);
        assert!(explained.ephemeral);
        let text = explained.plain_text();
        assert!(text.contains("Matched words"), "{text}");
        assert!(text.contains("signd → "), "typo correction shown: {text}");
        assert!(text.contains("confidence"), "{text}");
        // A button from another knowledge-base version says so instead of mixing versions.
        let stale = press(&bot, "why:000000000000:1");
        assert!(stale.content.unwrap().contains("reloaded"));
        let fp = bot.current().kb().fingerprint.clone();
        let forgotten = press(&bot, &format!("why:{fp}:ffffff"));
        assert!(forgotten.content.unwrap().contains("too old"));
    }

    /// The "why" key used to be a per-process counter, so on another process (a second
    /// gateway shard range, an interactions replica) the same key could name another
    /// question, and the button explained an answer the asker never got; and a process that
    /// had not answered could not explain at all.
    #[test]
    fn regression_a_why_button_is_explained_by_any_process_and_never_as_another_question() {
        let why_of = |bot: &Bot, question: &str| {
            ask(bot, question)
                .buttons()
                .find(|b| b.custom_id.starts_with("why:"))
                .unwrap()
                .custom_id
                .clone()
        };
        let (here, there) = (shipped_bot(), shipped_bot());
        let signed = "When was the Memorandum of Cooperation signed?";
        let led = "Who led the Indian delegation in 2017?";
        // Different questions in the two processes: "there" has never seen `signed`, and
        // explains it from the button.
        let button = why_of(&here, signed);
        assert_ne!(why_of(&there, led), button);
        let text = press(&there, &button).plain_text();
        assert!(text.contains("Matched words"), "{text}");
        assert!(text.contains(signed), "{text}");
        // A question too long to travel in the button: the key alone, which another process
        // does not know — it says so rather than explaining something else.
        let long = format!("{signed} {}", "please tell me exactly when ".repeat(3));
        let button = why_of(&here, &long);
        assert!(!button.contains(signed), "{button}");
        let elsewhere = press(&there, &button);
        assert!(
            elsewhere.content.unwrap_or_default().contains("too old"),
            "not another question's explanation"
        );
        // A button whose question does not match its key is not believed.
        let forged = why_of(&here, signed).replace(signed, led);
        let fresh = shipped_bot();
        let refused = press(&fresh, &forged);
        assert!(refused.content.unwrap_or_default().contains("too old"));
    }

    #[test]
    fn feedback_is_counted_and_thanked() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("feedback.log");
        let mut options = options(shipped_path());
        options.feedback_log = Some(log.clone());
        let bot = Bot::new(options).unwrap();
        let reply = press(&bot, "fb:down:moc-signed-march-2022");
        assert!(reply.ephemeral);
        assert!(reply.content.unwrap().starts_with("Thanks"));
        press(&bot, "fb:up:moc-signed-march-2022");
        assert_eq!(bot.votes.get(), (1, 1));
        assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
    }

    #[test]
    fn an_ambiguous_question_offers_both_facts() {
        let bot = shipped_bot();
        let loaded = bot.current();
        // Find a question the engine finds ambiguous, from the facts' own titles.
        let found = loaded.kb().facts.iter().find_map(|f| {
            match loaded.engine.ask(&f.title, &Filters::default()) {
                Answer::Found(found) if found.ambiguous_with.is_some() => Some(found),
                _ => None,
            }
        });
        let Some(found) = found else { return };
        let reply = render_found(&found, "why:x:1", Lang::En);
        let other = found.ambiguous_with.as_ref().unwrap();
        let ids: Vec<_> = reply.rows[0].iter().map(|b| b.custom_id.clone()).collect();
        assert_eq!(
            ids,
            vec![
                format!("fact:{}", found.fact.id),
                format!("fact:{}", other.id)
            ]
        );
        assert!(reply.content.is_some());
    }

    /// A bot whose follow-up clock is a counter the test moves.
    fn bot_with_clock() -> (Bot, Arc<Mutex<Instant>>) {
        let now = Arc::new(Mutex::new(Instant::now()));
        let clock = Arc::clone(&now);
        let bot = shipped_bot()
            .with_conversation(Duration::from_secs(600), 100)
            .with_clock(Arc::new(move || *clock.lock().unwrap()));
        (bot, now)
    }

    fn title(reply: &Reply) -> String {
        reply
            .embeds
            .first()
            .and_then(|e| e.title.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_follow_up_is_read_in_the_askers_context_and_says_so() {
        let (bot, _) = bot_with_clock();
        let first = ask(&bot, "who led Japan's delegation at the 2017 dialogue?");
        assert!(
            title(&first).contains("Masato Otaka"),
            "{}",
            first.plain_text()
        );
        assert!(
            first.content.is_none(),
            "a complete question is not rewritten"
        );
        let second = ask(&bot, "and India's?");
        assert!(
            title(&second).contains("Sanjay Kumar Verma"),
            "{}",
            second.plain_text()
        );
        let note = second.content.unwrap_or_default();
        assert!(
            note.starts_with("*Read as:* who led India's delegation at the 2017 dialogue?"),
            "{note}"
        );
        assert!(
            note.contains("carried over: the question (who), the event"),
            "{note}"
        );
    }

    /// "Why this answer?" on a follow-up explains the
    /// question as read — what was answered — and carries it in the button (within Discord's
    /// 100 characters), so a process without this conversation explains it the same way.
    #[test]
    fn the_why_button_of_a_follow_up_explains_the_question_as_read_anywhere() {
        let (bot, _) = bot_with_clock();
        ask(&bot, "who led Japan's delegation at the 2017 dialogue?");
        let second = ask(&bot, "and India's?");
        let read_as = "who led India's delegation at the 2017 dialogue?";
        let why = second
            .buttons()
            .find(|b| b.custom_id.starts_with("why:"))
            .unwrap()
            .custom_id
            .clone();
        assert!(why.chars().count() <= limits::CUSTOM_ID, "{why}");
        assert!(why.ends_with(&format!(":{read_as}")), "{why}");
        for explainer in [&bot, &shipped_bot()] {
            let text = press(explainer, &why).plain_text();
            assert!(text.contains(read_as), "{text}");
            assert!(text.contains("Matched words"), "{text}");
            assert!(!text.contains("too old"), "{text}");
        }
    }

    #[test]
    fn follow_up_context_is_per_user_and_per_channel_and_expires() {
        let (bot, now) = bot_with_clock();
        ask(&bot, "who led Japan's delegation at the 2017 dialogue?");
        let other_user = Invoker {
            user_id: 77,
            ..member()
        };
        let other_channel = Invoker {
            channel_id: CHANNEL + 1,
            ..member()
        };
        for invoker in [other_user, other_channel] {
            let reply = command(
                &bot,
                "ask",
                &[("question", "and India's?")],
                invoker.clone(),
            );
            assert!(
                !reply.plain_text().contains("Read as"),
                "{invoker:?}: {}",
                reply.plain_text()
            );
        }
        // DMs keep a context too, keyed by the DM channel.
        let dm = |text: &str| {
            bot.handle_message(&IncomingMessage {
                channel_id: 5,
                ..message(text, Place::Dm, false, false)
            })
            .unwrap()
        };
        dm("who led Japan's delegation at the 2017 dialogue?");
        assert!(dm("and India's?").plain_text().contains("Read as"));
        // Ten minutes later the context is gone.
        *now.lock().unwrap() += Duration::from_secs(599);
        assert!(ask(&bot, "and India's?").plain_text().contains("Read as"));
        *now.lock().unwrap() += Duration::from_secs(600);
        let late = ask(&bot, "and India's?");
        assert!(
            !late.plain_text().contains("Read as"),
            "{}",
            late.plain_text()
        );
    }

    fn message(
        content: &str,
        place: Place,
        mentions_bot: bool,
        author_is_bot: bool,
    ) -> IncomingMessage {
        IncomingMessage {
            content: content.into(),
            author_id: MEMBER,
            author_is_bot,
            place,
            channel_id: CHANNEL,
            mentions_bot,
            bot_id: 999,
        }
    }

    #[test]
    fn dms_and_mentions_are_answered_other_messages_ignored() {
        let bot = shipped_bot();
        let dm = bot.handle_message(&message(
            "when was the moc signed?",
            Place::Dm,
            false,
            false,
        ));
        assert!(!dm.unwrap().embeds.is_empty());
        let mention = bot
            .handle_message(&message(
                "<@999> when was the moc signed?",
                Place::Guild(GUILD),
                true,
                false,
            ))
            .unwrap();
        assert!(!mention.embeds.is_empty());
        assert_eq!(mention.delivery, Delivery::NewMessage);
        assert!(bot
            .handle_message(&message(
                "when was the moc signed?",
                Place::Guild(GUILD),
                false,
                false
            ))
            .is_none());
        assert!(bot
            .handle_message(&message("when was the moc signed?", Place::Dm, false, true))
            .is_none());
        let own = IncomingMessage {
            author_id: 999,
            ..message("<@999> hi", Place::Guild(GUILD), true, false)
        };
        assert!(bot.handle_message(&own).is_none(), "never answers itself");
    }

    #[test]
    fn a_bare_mention_gets_a_hint_and_a_channel_no_match_is_public() {
        let bot = shipped_bot();
        let hint = bot
            .handle_message(&message("<@999>", Place::Guild(GUILD), true, false))
            .unwrap();
        assert!(hint.content.unwrap().contains("/topics"));
        let no = bot
            .handle_message(&message(
                "<@!999> chocolate cake recipe please",
                Place::Guild(GUILD),
                true,
                false,
            ))
            .unwrap();
        assert!(!no.ephemeral, "a channel message cannot be ephemeral");
        assert!(no.content.unwrap().contains("don't know"));
    }

    #[test]
    fn echoed_text_is_escaped_and_mentions_neutralised() {
        let bot = shipped_bot();
        let loaded = bot.current();
        let question = "@everyone **moc** <@&123> signed _when_?";
        let answer = loaded.engine.ask(question, &Filters::default());
        let embed = explain(&answer, question, 0.3);
        let text = format!("{:?}", embed);
        assert!(!text.contains("@everyone"), "{text}");
        assert!(!text.contains("<@&123>"), "{text}");
        assert!(embed.description.unwrap().contains("\\*\\*moc\\*\\*"));
    }

    /// Regression: a role or user mention in a question (`<@&123> who led India in 2017?`)
    /// reached the search as a number, which matched no fact and outweighed the words that
    /// did, so the question was declined. Found by the end-to-end hostile-input scenario.
    #[test]
    fn regression_a_question_with_a_role_or_user_mention_is_still_answered() {
        let bot = shipped_bot();
        let plain = ask(&bot, "Who led the Indian delegation in 2017?");
        let plain_title = plain.embeds[0].title.clone();
        assert!(plain_title.is_some());
        for noisy in [
            "<@&1100000000000000030> Who led the Indian delegation in 2017?",
            "<@1100000000000000010> Who led the Indian delegation in 2017?",
            "@everyone Who led the Indian delegation in 2017? <#1100000000000000020> @here",
        ] {
            let reply = ask(&bot, noisy);
            assert!(!reply.ephemeral, "{noisy}: {}", reply.plain_text());
            assert_eq!(reply.embeds[0].title, plain_title, "{noisy}");
        }
        let dm = bot
            .handle_message(&message(
                "<@!999> <@&5> Who led the Indian delegation in 2017?",
                Place::Guild(GUILD),
                true,
                false,
            ))
            .unwrap();
        assert_eq!(dm.embeds[0].title, plain_title);
    }
}
