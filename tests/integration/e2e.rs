//! End-to-end scenarios: the real bot — `discord::run_with`, the serenity client, its gateway
//! session and REST calls — against the fake Discord on loopback. One test per scenario;
//! each starts its own fake (its own port) and bot.

use crate::fake_discord;
use crate::support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use cyberbridge::bot::commands::{OptionKind, COMMANDS};
use cyberbridge::knowledge;
use fake_discord::*;
use serde_json::{json, Value};
use support::*;

/// Content, embed titles, descriptions, fields and footers of a message body, joined.
fn message_text(body: &Value) -> String {
    let mut parts: Vec<String> = body["content"]
        .as_str()
        .map(str::to_string)
        .into_iter()
        .collect();
    for e in body["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            parts.extend(e[key].as_str().map(str::to_string));
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            parts.extend(f["name"].as_str().map(str::to_string));
            parts.extend(f["value"].as_str().map(str::to_string));
        }
        parts.extend(e["footer"]["text"].as_str().map(str::to_string));
    }
    parts.join("\n")
}

/// Successful deliveries of content for one interaction: a type 4/7 callback, `@original`
/// edits and follow-ups. "Answered exactly once" means this is 1.
fn deliveries(fake: &FakeDiscord, handle: &InteractionHandle) -> usize {
    let callbacks = fake
        .interaction_callback_attempts(handle)
        .iter()
        .filter(|r| r.is_success() && matches!(r.body["type"].as_u64(), Some(4 | 7)))
        .count();
    let edits_and_follow_ups = fake
        .interaction_followups(handle)
        .iter()
        .filter(|r| r.is_success() && (r.method == "PATCH" || r.method == "POST"))
        .count();
    callbacks + edits_and_follow_ups
}

fn assert_answered_once(fake: &FakeDiscord, handle: &InteractionHandle) {
    let successes = fake
        .interaction_callback_attempts(handle)
        .iter()
        .filter(|r| r.is_success())
        .count();
    assert_eq!(successes, 1, "one acknowledged callback for {}", handle.id);
    assert_eq!(deliveries(fake, handle), 1, "one answer for {}", handle.id);
}

fn shipped_kb() -> knowledge::KnowledgeBase {
    knowledge::load(&shipped_knowledge_path()).expect("the shipped knowledge base loads")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_commands_have_their_options_and_reload_needs_manage_server() {
    let h = Harness::start().await;
    let guild = h.fake.registered_commands(Some(GUILD_ID));
    assert!(
        h.fake.registered_commands(None).is_empty(),
        "dev_guild_id set: nothing registered globally"
    );
    let names: BTreeSet<&str> = guild.iter().filter_map(|c| c["name"].as_str()).collect();
    let registry: BTreeSet<&str> = COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(names, registry);
    assert_eq!(guild.len(), COMMANDS.len(), "no command registered twice");

    for spec in COMMANDS {
        let command = guild.iter().find(|c| c["name"] == spec.name).unwrap();
        assert_eq!(command["description"], spec.description);
        let options = command["options"].as_array().cloned().unwrap_or_default();
        let got: Vec<(&str, bool, bool)> = options
            .iter()
            .map(|o| {
                (
                    o["name"].as_str().unwrap_or_default(),
                    o["required"].as_bool().unwrap_or(false),
                    o["autocomplete"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        let want: Vec<(&str, bool, bool)> = spec
            .options
            .iter()
            .map(|o| (o.name, o.required, o.autocomplete.is_some()))
            .collect();
        assert_eq!(got, want, "options of /{}", spec.name);
        for (o, want) in options.iter().zip(spec.options) {
            let kind = match want.kind {
                OptionKind::String => 3,
                OptionKind::Integer => 4,
                OptionKind::Boolean => 5,
            };
            assert_eq!(o["type"], kind, "/{} {}", spec.name, want.name);
            if want.kind == OptionKind::String {
                // Every text option is capped at registration too, so Discord itself refuses
                // longer text before it reaches the bot.
                assert_eq!(
                    o["max_length"], want.max_chars,
                    "/{} {}",
                    spec.name, want.name
                );
            }
        }
        let permissions = &command["default_member_permissions"];
        if spec.name == "reload" {
            assert_eq!(permissions, "32", "Manage Server");
        } else {
            assert!(permissions.is_null(), "/{} is for everyone", spec.name);
        }
    }
    let ask = guild.iter().find(|c| c["name"] == "ask").unwrap();
    assert_eq!(ask["options"][0]["name"], "question");
    assert_eq!(ask["options"][0]["required"], true);
    assert!(
        h.fake.unhandled_requests().is_empty(),
        "{:?}",
        h.fake.unhandled_requests()
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_answer_carries_the_cited_quote_the_source_link_and_mentions_nobody() {
    let h = Harness::start().await;
    let reply = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert_eq!(reply.callback_type, callback::CHANNEL_MESSAGE_WITH_SOURCE);
    assert!(!reply.is_ephemeral());
    assert_eq!(reply.embeds.len(), 1, "{}", reply.raw);

    let kb = shipped_kb();
    let fact = kb.fact(KNOWN_FACT_ID).unwrap();
    assert_eq!(reply.embeds[0]["title"], fact.title.as_str());
    let citation = &fact.citations[0];
    let source = kb.source(&citation.source).unwrap();
    let url = source.url.as_deref().expect("a source with a link");
    let quote_field = reply.embeds[0]["fields"][0]["value"].as_str().unwrap();
    assert!(
        quote_field.starts_with("> "),
        "a block quote: {quote_field}"
    );
    let plain = quote_field.replace("**", "");
    assert!(
        plain.contains(citation.quote.as_str()),
        "the cited quote, verbatim apart from bold:\n{quote_field}\nwanted: {}",
        citation.quote
    );
    assert!(
        quote_field.contains(&format!("— [{}]({url})", source.title)),
        "the source, linked: {quote_field}"
    );
    assert_eq!(answer_fingerprint(&reply), Some(h.fingerprint()));
    assert_mentions_nobody(reply.allowed_mentions.as_ref(), &reply.raw);
    assert_eq!(reply.raw["allowed_mentions"]["parse"], json!([]));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_match_is_ephemeral_with_suggestions() {
    let h = Harness::start().await;
    let reply = h.ask("What did France sign?", FakeUser::member()).await;
    assert!(reply.is_ephemeral(), "flags {}: {}", reply.flags, reply.raw);
    assert_eq!(reply.flags & EPHEMERAL, 64);
    let text = reply.text();
    assert!(text.contains("I don't know"), "{text}");
    assert!(text.contains("Did you mean"), "{text}");
    let suggestions: Vec<String> = reply
        .custom_ids()
        .into_iter()
        .filter(|id| id.starts_with("fact:"))
        .collect();
    assert!(!suggestions.is_empty(), "suggestion buttons: {}", reply.raw);
    let kb = shipped_kb();
    for id in &suggestions {
        assert!(kb.fact(&id["fact:".len()..]).is_some(), "{id} names a fact");
    }
    assert_mentions_nobody(reply.allowed_mentions.as_ref(), &reply.raw);
    h.stop().await;
}

/// A detail the articles do not state gets a labelled reply with what they do say, cited,
/// in the info colour: never an answer, never an "I don't know" that hides the closest fact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_detail_the_articles_do_not_state_is_a_labelled_reply_with_the_closest_fact() {
    let h = Harness::start().await;
    let reply = h
        .ask(
            "Which Indian state hosts the smart city projects?",
            FakeUser::member(),
        )
        .await;
    let text = reply.text();
    assert!(text.contains("Not stated in the articles"), "{text}");
    assert!(text.contains("which state"), "{text}");
    assert_eq!(reply.embeds.len(), 1, "{}", reply.raw);
    let kb = shipped_kb();
    let fact = kb.fact("smart-cities-smart-islands").unwrap();
    assert_eq!(reply.embeds[0]["title"], fact.title.as_str());
    let quoted = reply.embeds[0]["fields"][0]["value"]
        .as_str()
        .unwrap_or_default()
        .replace("**", "");
    assert!(
        quoted.contains(fact.citations[0].quote.as_str()),
        "{quoted}"
    );
    assert_ne!(
        reply.embeds[0]["color"],
        json!(cyberbridge::bot::COLOUR_ANSWER),
        "not in the answer colour"
    );
    assert_mentions_nobody(reply.allowed_mentions.as_ref(), &reply.raw);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_returns_at_most_25_choices() {
    let h = Harness::start().await;
    assert!(
        shipped_kb().facts.len() > 25,
        "more facts than Discord shows"
    );
    for (command, option, typed) in [
        ("fact", "id", ""),
        ("fact", "id", "india"),
        ("fact", "id", "2017 delegation"),
        ("ask", "topic", ""),
        ("topic", "name", "cyber"),
        ("commitments", "party", ""),
    ] {
        let handle = h
            .fake
            .send_autocomplete(
                command,
                json!([opt_focused(option, typed)]),
                FakeUser::member(),
                true,
            )
            .await;
        let reply = h.fake.interaction_reply(&handle, T).await;
        assert_eq!(reply.callback_type, callback::AUTOCOMPLETE_RESULT);
        let names = reply.choice_names();
        assert!(
            !names.is_empty() && names.len() <= 25,
            "/{command} {option}:{typed:?} → {} choices",
            names.len()
        );
        if command == "fact" && typed.is_empty() {
            assert_eq!(names.len(), 25, "a full page of facts");
        }
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_autocomplete_previews_the_right_fact_and_picking_it_answers_that_fact() {
    // As `/ask question:` is typed, the best facts show with their confidence; picking one
    // answers that fact; below the threshold only "keep typing".
    let h = Harness::start().await;
    let kb = shipped_kb();
    for (typed, want) in [
        (
            "who headed japan's 2017 del",
            "masato-otaka-cyber-ambassador",
        ),
        (
            "who led india at the 2022 e-dia",
            "india-2022-delegation-leader",
        ),
        ("indian delegation 2017", "india-2017-delegation-members"),
    ] {
        let handle = h
            .fake
            .send_autocomplete(
                "ask",
                json!([opt_focused("question", typed)]),
                FakeUser::member(),
                true,
            )
            .await;
        let reply = h.fake.interaction_reply(&handle, T).await;
        assert_eq!(reply.callback_type, callback::AUTOCOMPLETE_RESULT);
        let names = reply.choice_names();
        assert!((1..=5).contains(&names.len()), "{typed:?}: {names:?}");
        let title = &kb.fact(want).unwrap().title;
        let (headline, confidence) = names[0].rsplit_once(" · ").unwrap();
        assert!(
            title.starts_with(headline.trim_end_matches('…')),
            "{typed:?}: {names:?}"
        );
        assert!(confidence.ends_with('%'), "{}", names[0]);

        // Picking the first choice sends its value as the question: that fact is answered.
        let value = reply.choices[0]["value"].as_str().unwrap().to_string();
        let answer = h
            .command(
                "ask",
                json!([opt_str("question", &value)]),
                FakeUser::member(),
            )
            .await;
        assert!(!answer.is_ephemeral(), "{}", answer.raw);
        assert_eq!(answer.embeds[0]["title"], title.as_str(), "{}", answer.raw);
        assert_mentions_nobody(answer.allowed_mentions.as_ref(), &answer.raw);
    }

    let handle = h
        .fake
        .send_autocomplete(
            "ask",
            json!([opt_focused("question", "qwzx")]),
            FakeUser::member(),
            true,
        )
        .await;
    let reply = h.fake.interaction_reply(&handle, T).await;
    assert_eq!(reply.choices.len(), 1, "{}", reply.raw);
    assert!(
        reply.choice_names()[0].starts_with("Keep typing"),
        "{}",
        reply.raw
    );
    assert_eq!(
        reply.choices[0]["value"], "qwzx",
        "the typed text, asked if sent"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_name_commands_as_clickable_mentions_once_registered() {
    // Command names in replies come from the registry, as `</name:id>` with the id Discord
    // assigned at registration.
    let h = Harness::start().await;
    let guild = h.fake.registered_commands(Some(GUILD_ID));
    let topic_id = guild
        .iter()
        .find(|c| c["name"] == "topic")
        .and_then(|c| c["id"].as_str())
        .unwrap()
        .to_string();
    let want = format!("</topic:{topic_id}>");
    // The bot learns the ids from the registration's answer, just after the fake records it.
    let mut text = String::new();
    for _ in 0..50 {
        text = h
            .command("topics", json!([]), FakeUser::member())
            .await
            .text();
        if text.contains(&want) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(text.contains(&want), "{want} in {text}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_related_fact_button_and_the_why_button_answer() {
    let h = Harness::start().await;
    let answer = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    let ids = answer.custom_ids();
    let related = ids
        .iter()
        .find(|id| id.starts_with("fact:"))
        .unwrap_or_else(|| panic!("a related-fact button in {ids:?}"));
    let why = ids
        .iter()
        .find(|id| id.starts_with("why:"))
        .unwrap_or_else(|| panic!("a why button in {ids:?}"));
    assert!(
        why.starts_with(&format!("why:{}:", h.fingerprint())),
        "{why}"
    );

    let kb = shipped_kb();
    let fact = kb.fact(&related["fact:".len()..]).unwrap();
    let press = h
        .fake
        .send_component(related, FakeUser::member(), true)
        .await;
    let card = h.fake.interaction_reply(&press, T).await;
    assert!(card.is_ephemeral());
    assert_eq!(card.embeds[0]["title"], fact.title.as_str(), "{}", card.raw);
    assert!(
        card.text().contains("> "),
        "the fact's quotes: {}",
        card.text()
    );

    let press = h.fake.send_component(why, FakeUser::member(), true).await;
    let explained = h.fake.interaction_reply(&press, T).await;
    assert!(explained.is_ephemeral());
    let text = explained.text();
    assert!(text.contains("Why this answer?"), "{text}");
    assert!(text.contains("Indian delegation"), "the question: {text}");
    assert!(
        text.contains(KNOWN_FACT_ID),
        "the decision names the fact: {text}"
    );
    assert!(text.contains("Matched words"), "{text}");
    assert_mentions_nobody(explained.allowed_mentions.as_ref(), &explained.raw);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_question_is_answered_as_a_reply() {
    let h = Harness::start().await;
    let dm = h.fake.send_dm(FakeUser::member(), KNOWN_QUESTION).await;
    let sent = h.fake.message_reply(&dm, T).await;
    assert_eq!(
        sent.route,
        format!("/channels/{MEMBER_DM_CHANNEL_ID}/messages")
    );
    assert_eq!(
        sent.body["message_reference"]["message_id"],
        dm.id.to_string()
    );
    assert_mentions_nobody(sent.body.get("allowed_mentions"), &sent.body);
    assert_eq!(sent.body["allowed_mentions"]["replied_user"], false);
    assert_eq!(
        sent.body["embeds"][0]["title"],
        shipped_kb().fact(KNOWN_FACT_ID).unwrap().title.as_str()
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guild_mention_is_answered_as_a_reply() {
    let h = Harness::start().await;
    let msg = h
        .fake
        .send_guild_message(FakeUser::member(), KNOWN_QUESTION, true)
        .await;
    let sent = h.fake.message_reply(&msg, T).await;
    assert_eq!(sent.route, format!("/channels/{CHANNEL_ID}/messages"));
    assert_eq!(
        sent.body["message_reference"]["message_id"],
        msg.id.to_string()
    );
    assert_mentions_nobody(sent.body.get("allowed_mentions"), &sent.body);
    assert_eq!(
        sent.body["embeds"][0]["title"],
        shipped_kb().fact(KNOWN_FACT_ID).unwrap().title.as_str()
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_from_bots_are_ignored() {
    let h = Harness::start().await;
    let mark = h.fake.mark();
    h.fake.send_dm(FakeUser::other_bot(), KNOWN_QUESTION).await;
    h.fake
        .send_guild_message(FakeUser::other_bot(), KNOWN_QUESTION, true)
        .await;
    h.fake
        .send_guild_message(FakeUser::the_bot(), KNOWN_QUESTION, true)
        .await;
    // Chatter that does not mention the bot is not for it either.
    h.fake
        .send_guild_message(FakeUser::member(), KNOWN_QUESTION, false)
        .await;
    // A person's DM, sent last, is answered: the bot was reading all along.
    let dm = h.fake.send_dm(FakeUser::member(), KNOWN_QUESTION).await;
    let answered = h.fake.message_reply(&dm, T).await;
    let posted: Vec<String> = h.fake.requests()[mark..]
        .iter()
        .filter(|r| r.matches("POST", "/channels/*/messages"))
        .map(|r| r.route.clone())
        .collect();
    assert_eq!(
        posted,
        [format!("/channels/{MEMBER_DM_CHANNEL_ID}/messages")],
        "only the person's DM is answered"
    );
    // Events are handled concurrently: give a late reply to a bot a moment to show up.
    h.fake
        .assert_no_request_since(
            answered.index + 1,
            "POST",
            "/channels/*/messages",
            Duration::from_millis(500),
        )
        .await;
    assert_eq!(h.fake.count("POST", "/users/@me/channels"), 0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_by_a_non_admin_is_refused_and_the_knowledge_base_is_unchanged() {
    let h = Harness::start().await;
    let before = h.fingerprint();
    h.write_knowledge(&knowledge_with_new_fact());
    // A plain member, and a member with Administrator who is not in `[admin]`: Discord shows
    // them `/reload` (or not), the bot decides.
    let administrator = FakeUser::new(1_100_000_000_000_000_099, "mod", 1_100_000_000_000_000_098)
        .with_roles(&[ADMIN_ROLE_ID]);
    for user in [FakeUser::member(), administrator] {
        let reply = h.command("reload", json!([]), user.clone()).await;
        assert!(reply.is_ephemeral(), "{:?}: {}", user.username, reply.raw);
        assert!(
            reply.text().contains("Only the bot's admins"),
            "{}",
            reply.text()
        );
        assert_eq!(h.fingerprint(), before, "unchanged after {}", user.username);
    }
    let declined = h.ask(NEW_FACT_QUESTION, FakeUser::member()).await;
    assert!(
        declined.is_ephemeral(),
        "the new fact is not served: {}",
        declined.text()
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_by_an_admin_after_an_edit_answers_the_new_fact() {
    let h = Harness::start().await;
    let before = h.ask(NEW_FACT_QUESTION, FakeUser::member()).await;
    assert!(
        before.is_ephemeral(),
        "declined at first: {}",
        before.text()
    );

    let edited = knowledge_with_new_fact();
    let expected = knowledge::parse(&h.knowledge, &edited).unwrap().fingerprint;
    h.write_knowledge(&edited);
    let report = h.command("reload", json!([]), FakeUser::admin()).await;
    assert!(report.is_ephemeral(), "{}", report.raw);
    let text = report.text();
    assert!(text.contains("Knowledge base reloaded"), "{text}");
    assert!(text.contains("Added (1)"), "{text}");
    assert!(text.contains(NEW_FACT_ID), "{text}");
    assert!(text.contains(&expected), "{text}");
    assert_eq!(h.fingerprint(), expected);

    let after = h.ask(NEW_FACT_QUESTION, FakeUser::member()).await;
    assert!(!after.is_ephemeral(), "{}", after.text());
    assert_eq!(
        after.embeds[0]["title"],
        "The Quokka Protocol on zebra telemetry was agreed in 2031"
    );
    assert_eq!(answer_fingerprint(&after), Some(expected));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_with_a_broken_file_reports_line_and_column_and_old_facts_still_answer() {
    let h = Harness::start().await;
    let before = h.fingerprint();
    h.write_knowledge(&broken_knowledge());
    let reply = h.command("reload", json!([]), FakeUser::admin()).await;
    assert!(reply.is_ephemeral());
    let text = reply.text();
    assert!(text.contains("Reload failed"), "{text}");
    assert!(
        text.contains(&format!("Still serving `{before}`")),
        "{text}"
    );
    // `knowledge.toml:3:<column>: invalid TOML: ...`
    let at = text
        .find("knowledge.toml:3:")
        .unwrap_or_else(|| panic!("{text}"));
    let column: String = text[at + "knowledge.toml:3:".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(
        column.parse::<u32>().is_ok_and(|c| c > 0),
        "a column: {text}"
    );
    assert_eq!(h.fingerprint(), before);

    let answer = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert!(!answer.is_ephemeral(), "{}", answer.text());
    assert_eq!(answer_fingerprint(&answer), Some(before));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_reconnect_the_bot_resumes_and_answers_the_next_interaction() {
    let h = Harness::start().await;
    let session = h.fake.session_id().unwrap();
    h.fake.send_reconnect().await;
    let resume = h.fake.wait_for_resume(T).await;
    assert_eq!(resume["session_id"], session.as_str());
    let reply = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert!(!reply.is_ephemeral(), "{}", reply.text());
    assert_eq!(h.fake.identifies(), 1, "resumed, not re-identified");
    assert!(h.fake.connections() >= 2);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_dropped_connection_the_bot_resumes_and_answers_the_next_interaction() {
    let h = Harness::start().await;
    let session = h.fake.session_id().unwrap();
    h.fake.drop_connection().await;
    let resume = h.fake.wait_for_resume(T).await;
    assert_eq!(resume["session_id"], session.as_str());
    let reply = h.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert!(!reply.is_ephemeral(), "{}", reply.text());
    assert_eq!(h.fake.identifies(), 1, "resumed, not re-identified");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_callback_is_retried_and_the_answer_arrives_once() {
    let h = Harness::start().await;
    h.fake
        .fail_next_rate_limited("POST", "/interactions/*/*/callback", 0.2);
    let handle = h
        .fake
        .send_command(
            "ask",
            json!([opt_str("question", KNOWN_QUESTION)]),
            FakeUser::member(),
            true,
        )
        .await;
    let reply = h.fake.interaction_reply(&handle, T).await;
    assert!(!reply.is_ephemeral(), "{}", reply.text());
    let attempts = h.fake.interaction_callback_attempts(&handle);
    assert_eq!(attempts.len(), 2, "one 429, one retry");
    assert_eq!(attempts[0].status, 429);
    assert_eq!(
        attempts[0].body, attempts[1].body,
        "the same answer, resent"
    );
    assert_answered_once(&h.fake, &handle);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_dm_reply_is_retried_and_sent_once() {
    let h = Harness::start().await;
    let route = format!("/channels/{MEMBER_DM_CHANNEL_ID}/messages");
    h.fake.fail_next_rate_limited("POST", &route, 0.2);
    let dm = h.fake.send_dm(FakeUser::member(), KNOWN_QUESTION).await;
    let sent = h.fake.message_reply(&dm, T).await;
    assert_eq!(
        sent.body["message_reference"]["message_id"],
        dm.id.to_string()
    );
    let attempts = h.fake.requests_matching("POST", &route);
    assert_eq!(attempts.len(), 2, "one 429, one retry");
    assert_eq!(attempts[0].status, 429);
    assert_eq!(h.fake.count_success("POST", &route), 1);
    assert_eq!(
        attempts[0].body["nonce"], attempts[1].body["nonce"],
        "the retry carries the same nonce, so Discord would drop a duplicate"
    );
    assert_eq!(attempts[1].body["enforce_nonce"], true);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_interactions_are_all_answered_each_exactly_once() {
    // The shipped default limit: fifty different people are not slowed down by each other.
    let h = Harness::start_with(Options {
        questions_per_minute: 10,
        ..Options::default()
    })
    .await;
    let questions = [
        KNOWN_QUESTION,
        "When was the Memorandum of Cooperation signed?",
        "Who led Japan's delegation in 2017?",
        "What is the 5G cooperation about?",
        "When did India and Japan hold the e-dialogue?",
    ];
    let mut handles = Vec::new();
    for i in 0..50u64 {
        let user = FakeUser::new(
            1_200_000_000_000_000_000 + i,
            &format!("user{i}"),
            1_300_000_000_000_000_000 + i,
        )
        .with_roles(&[MEMBER_ROLE_ID]);
        let question = questions[i as usize % questions.len()];
        let (payload, handle) =
            h.fake
                .command_interaction("ask", json!([opt_str("question", question)]), user, true);
        handles.push((handle, payload));
    }
    // All fifty on the wire before the first answer is awaited.
    for (_, payload) in &handles {
        h.fake.dispatch("INTERACTION_CREATE", payload.clone()).await;
    }
    let replies = futures_util::future::join_all(
        handles
            .iter()
            .map(|(handle, _)| h.fake.interaction_reply(handle, T)),
    )
    .await;
    for ((handle, _), reply) in handles.iter().zip(&replies) {
        assert!(
            !reply.is_ephemeral() && reply.embeds.len() == 1,
            "interaction {} answered: {}",
            handle.id,
            reply.text()
        );
        assert_answered_once(&h.fake, handle);
    }
    assert!(h.fake.unhandled_requests().is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_6000_character_question_is_refused_politely() {
    let h = Harness::start().await;
    let long = "When was the Memorandum of Cooperation signed? ".repeat(200);
    let long: String = long.chars().take(6_000).collect();
    let reply = h.ask(&long, FakeUser::member()).await;
    assert!(reply.is_ephemeral());
    let text = reply.text();
    assert!(text.contains("6000 characters"), "{text}");
    assert!(text.contains("under 500"), "{text}");
    assert!(
        reply.embeds.is_empty() && text.chars().count() < 300,
        "{text}"
    );
    assert_mentions_nobody(reply.allowed_mentions.as_ref(), &reply.raw);

    let dm = h.fake.send_dm(FakeUser::member(), &long).await;
    let sent = h.fake.message_reply(&dm, T).await;
    assert!(
        message_text(&sent.body).contains("under 500"),
        "{}",
        sent.body
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_full_of_mentions_and_markdown_is_answered_safely() {
    let h = Harness::start().await;
    let hostile = format!(
        "@everyone @here <@&{ADMIN_ROLE_ID}> <@{OWNER_ID}> <@!{MEMBER_ID}> **Who** led the \
         `Indian` delegation in __2017__? ||spoiler|| ~~x~~\n# heading\n> quote"
    );
    let answer = h.ask(&hostile, FakeUser::member()).await;
    assert!(
        !answer.is_ephemeral(),
        "mentions and markdown do not stop the answer: {}",
        answer.text()
    );
    assert_eq!(
        answer.embeds[0]["title"],
        shipped_kb().fact(KNOWN_FACT_ID).unwrap().title.as_str()
    );
    assert_mentions_nobody(answer.allowed_mentions.as_ref(), &answer.raw);
    assert_no_live_mention(&answer.text());

    // "Why this answer?" shows the question back: mentions gone, markdown escaped.
    let why = answer
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("why:"))
        .unwrap();
    let press = h.fake.send_component(&why, FakeUser::member(), true).await;
    let explained = h.fake.interaction_reply(&press, T).await;
    assert_mentions_nobody(explained.allowed_mentions.as_ref(), &explained.raw);
    let text = explained.text();
    assert_no_live_mention(&text);
    assert!(text.contains("\\*\\*Who\\*\\*"), "markdown escaped: {text}");
    assert!(!text.contains("||spoiler||"), "no live spoiler: {text}");

    // Links and mentions in a question the bot declines, or shows back via "why".
    let linked = format!(
        "@everyone <@&{ADMIN_ROLE_ID}> [click](https://evil.example) when was the **MoC** \
         signed? @\u{200B}everyone <@\u{200B}&1>"
    );
    let reply = h.ask(&linked, FakeUser::member()).await;
    assert_mentions_nobody(reply.allowed_mentions.as_ref(), &reply.raw);
    assert_no_live_mention(&reply.text());
    if let Some(why) = reply
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("why:"))
    {
        let press = h.fake.send_component(&why, FakeUser::member(), true).await;
        let explained = h.fake.interaction_reply(&press, T).await;
        let text = explained.text();
        assert_no_live_mention(&text);
        assert!(!text.contains("[click](https"), "no live link: {text}");
    }

    // A declined one, and the same through a DM and a guild mention.
    let declined = h
        .ask(
            &format!("@everyone <@&{ADMIN_ROLE_ID}> pizza **now**"),
            FakeUser::member(),
        )
        .await;
    assert_mentions_nobody(declined.allowed_mentions.as_ref(), &declined.raw);
    assert_no_live_mention(&declined.text());
    let dm = h.fake.send_dm(FakeUser::member(), &hostile).await;
    let sent = h.fake.message_reply(&dm, T).await;
    assert_mentions_nobody(sent.body.get("allowed_mentions"), &sent.body);
    assert_no_live_mention(&message_text(&sent.body));
    let msg = h
        .fake
        .send_guild_message(FakeUser::member(), &hostile, true)
        .await;
    let sent = h.fake.message_reply(&msg, T).await;
    assert_mentions_nobody(sent.body.get("allowed_mentions"), &sent.body);
    assert_no_live_mention(&message_text(&sent.body));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_command_payloads_get_a_clear_error_reply() {
    let h = Harness::start().await;
    let huge = "x".repeat(6_000);
    let cases = [
        ("nope", json!([]), "don't know the command /nope"),
        ("ask", json!([]), "option `question` is required"),
        ("ask", json!([opt_int("question", 7)]), "wrong type"),
        ("ask", json!([opt_bool("question", true)]), "wrong type"),
        (
            "ask",
            json!([opt_str("question", "hi"), opt_str("@everyone", "x")]),
            "unknown option `everyone`",
        ),
        // Over the 100-character cap: refused before any lookup, so its cost is bounded.
        (
            "fact",
            json!([opt_str("id", &huge)]),
            "option `id` is longer than 100 characters",
        ),
        (&huge, json!([]), "don't know the command"),
    ];
    for (name, options, expected) in cases {
        let reply = h.command(name, options.clone(), FakeUser::member()).await;
        let text = reply.text();
        assert!(reply.is_ephemeral(), "/{name:.20} {options:.80}: {text}");
        assert!(text.contains(expected), "/{name:.20} {options:.80}: {text}");
        assert!(text.chars().count() <= 2_000);
        assert_no_live_mention(&text);
    }
    h.stop().await;
}

/// The knowledge copy is where the config says (relative to the config file).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_harness_serves_its_own_knowledge_copy() {
    let h = Harness::start().await;
    assert_eq!(h.bot.current().kb().path, h.knowledge);
    assert_ne!(h.knowledge, shipped_knowledge_path());
    assert!(Path::new(&h.knowledge).exists());
    h.stop().await;
}

/// A conversation of follow-ups over the real gateway and REST path. Each step: what is
/// typed, the facts that answer it (`None`: declined), and whether it is a follow-up (the
/// reply then opens with "Read as:").
const CONVERSATION: &[(&str, Option<&[&str]>, bool)] = &[
    (
        "who led Japan's delegation at the 2017 dialogue?",
        Some(&["masato-otaka-cyber-ambassador"]),
        false,
    ),
    ("and India's?", Some(&["sanjay-kumar-verma"]), true),
    (
        "what did they agree?",
        Some(&[
            "intensify-dialogues",
            "reaffirm-accessible-secure-cyberspace",
            "free-open-secure-peaceful-cyberspace",
            "international-law-applies-cyberspace",
            "trade-secrets-theft-norm",
        ]),
        true,
    ),
    (
        "where was it held?",
        Some(&["second-cyber-dialogue-2017"]),
        true,
    ),
    (
        "what about the e-dialogue?",
        Some(&["june-2022-e-dialogue"]),
        true,
    ),
    (
        "who led India's side there?",
        Some(&["india-2022-delegation-leader"]),
        true,
    ),
    ("and Japan's?", Some(&["japan-2022-delegation"]), true),
    (
        "what did they review?",
        Some(&["2022-dialogue-reviewed-cyber-cooperation"]),
        true,
    ),
    (
        "which ministries were in India's delegation there?",
        Some(&["india-2022-delegation-leader"]),
        true,
    ),
    (
        "and when was it held?",
        Some(&["june-2022-e-dialogue"]),
        true,
    ),
    // A complete question is asked as typed, and becomes the new context.
    (
        "When was the Memorandum of Cooperation signed?",
        Some(&["moc-signed-march-2022"]),
        false,
    ),
    (
        "what does it cover?",
        Some(&["moc-cyberspace-collaboration"]),
        true,
    ),
    // Out of scope, follow-up or not: still declined.
    ("and its currency?", None, true),
    (
        "when was it signed?",
        Some(&["moc-signed-march-2022"]),
        true,
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_of_follow_ups_is_answered_in_context_and_per_user() {
    let h = Harness::start().await;
    let kb = shipped_kb();
    let mut follow_ups = 0;
    for (typed, facts, follow_up) in CONVERSATION {
        let reply = h.ask(typed, FakeUser::member()).await;
        let text = message_text(&reply.raw);
        assert_eq!(
            text.starts_with("*Read as:*"),
            *follow_up,
            "{typed}: {text}"
        );
        match facts {
            Some(facts) => {
                let title = reply.embeds.first().and_then(|e| e["title"].as_str());
                let titles: Vec<&str> = facts
                    .iter()
                    .map(|id| kb.fact(id).expect("a shipped fact").title.as_str())
                    .collect();
                assert!(
                    title.is_some_and(|t| titles.contains(&t)),
                    "{typed}: wanted one of {facts:?}, got {text}"
                );
                follow_ups += usize::from(*follow_up);
            }
            None => assert!(
                reply.is_ephemeral() && reply.embeds.is_empty(),
                "{typed}: {text}"
            ),
        }
        assert_mentions_nobody(reply.allowed_mentions.as_ref(), &reply.raw);
    }
    assert!(follow_ups >= 10, "{follow_ups} follow-ups answered");
    // Another user in the same channel has no context: the fragment is asked as typed.
    let other = FakeUser::new(MEMBER_ID + 1000, "other", MEMBER_DM_CHANNEL_ID + 1000);
    let theirs = h.ask("and India's?", other).await;
    assert!(
        !message_text(&theirs.raw).contains("Read as"),
        "{}",
        theirs.raw
    );
    // DMs keep their own context.
    let dm = h
        .fake
        .send_dm(
            FakeUser::member(),
            "who led Japan's delegation at the 2017 dialogue?",
        )
        .await;
    h.fake.message_reply(&dm, T).await;
    let dm = h.fake.send_dm(FakeUser::member(), "and India's?").await;
    let answer = h.fake.message_reply(&dm, T).await;
    let text = message_text(&answer.body);
    assert!(
        text.starts_with("*Read as:* who led India's delegation"),
        "{text}"
    );
    assert!(text.contains("Sanjay Kumar Verma"), "{text}");
    h.stop().await;
}

/// Every command and option registers Japanese and Hindi names and descriptions (the fake
/// applies Discord's rules to them, so registration would fail on a bad one), taken from the
/// message catalogue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_register_with_japanese_and_hindi_localisations() {
    use cyberbridge::bot::i18n::{self, Lang};
    let h = Harness::start().await;
    let guild = h.fake.registered_commands(Some(GUILD_ID));
    assert_eq!(guild.len(), COMMANDS.len());
    for spec in COMMANDS {
        let command = guild.iter().find(|c| c["name"] == spec.name).unwrap();
        for lang in [Lang::Ja, Lang::Hi] {
            let code = lang.code();
            let name = i18n::command_name(lang, spec).expect("a localised name");
            assert_eq!(command["name_localizations"][code], name, "/{}", spec.name);
            assert_eq!(
                command["description_localizations"][code],
                i18n::command_description(lang, spec),
                "/{}",
                spec.name
            );
            for (option, want) in command["options"]
                .as_array()
                .into_iter()
                .flatten()
                .zip(spec.options)
            {
                assert_eq!(
                    option["name_localizations"][code],
                    i18n::option_name(lang, want).unwrap(),
                    "/{} {}",
                    spec.name,
                    want.name
                );
                let description = option["description_localizations"][code].as_str().unwrap();
                assert_eq!(description, i18n::option_description(lang, spec, want));
            }
        }
    }
    h.stop().await;
}

/// A `ja` client gets Japanese interface text — help, declines, buttons, the "read as" note —
/// while answers and quotes stay English; a question in Japanese script gets a Japanese reply
/// pointing to the topics command instead of a 0 % decline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_japanese_client_gets_japanese_interface_text_end_to_end() {
    let h = Harness::start().await;
    let japanese = FakeUser {
        locale: "ja".to_string(),
        ..FakeUser::member()
    };
    let help = h.command("help", json!([]), japanese.clone()).await;
    assert_eq!(
        help.embeds[0]["title"], "このボットの使い方",
        "{}",
        help.raw
    );
    let text = message_text(&help.raw);
    assert!(
        text.contains("日印サイバー協力について質問します"),
        "{text}"
    );

    let answer = h.ask(KNOWN_QUESTION, japanese.clone()).await;
    let kb = shipped_kb();
    assert_eq!(
        answer.embeds[0]["title"],
        kb.fact(KNOWN_FACT_ID).unwrap().title.as_str(),
        "the answer itself stays English"
    );
    let labels: Vec<&str> = answer
        .components
        .iter()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|b| b["label"].as_str())
        .collect();
    assert!(labels.contains(&"この回答の理由"), "{labels:?}");

    let follow_up = h.ask("and Japan's?", japanese.clone()).await;
    let note = follow_up.content.clone().unwrap_or_default();
    assert!(note.starts_with("*次のように解釈しました：*"), "{note}");

    let declined = h.ask("What did France sign?", japanese.clone()).await;
    let content = declined.content.clone().unwrap_or_default();
    assert!(
        content.starts_with("その質問には答えられません"),
        "{content}"
    );

    let in_japanese = h
        .ask(
            "2017年の対話で日本の代表団を率いたのは誰ですか？",
            FakeUser::member(),
        )
        .await;
    let content = in_japanese.content.clone().unwrap_or_default();
    assert!(content.starts_with("回答は英語のみです"), "{content}");
    assert!(
        content.contains("</topics:"),
        "points to the topics command: {content}"
    );
    assert!(in_japanese.is_ephemeral());

    // An English client is unaffected.
    let english = h.command("help", json!([]), FakeUser::member()).await;
    assert_eq!(english.embeds[0]["title"], "How to use this bot");
    h.stop().await;
}
