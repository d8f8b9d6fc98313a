//! Every command's reply rendered as text, for reviews and release notes:
//! `cargo test --lib bot::samples -- --ignored --nocapture`.

use super::testing::*;
use super::*;

fn show(title: &str, reply: &Reply) {
    println!("===== {title}\n{}\n", reply.plain_text());
}

#[test]
#[ignore = "prints sample replies"]
fn print_sample_replies() {
    let bot = shipped_bot();
    let ask = command(
        &bot,
        "ask",
        &[("question", "When was the MoC signed?")],
        member(),
    );
    show("/ask question: When was the MoC signed?", &ask);
    let why = ask
        .buttons()
        .find(|b| b.custom_id.starts_with("why:"))
        .unwrap();
    show("[Why this answer?]", &press(&bot, &why.custom_id.clone()));
    show("[👍]", &press(&bot, "fb:up:moc-signed-march-2022"));
    show(
        "/ask question: best chocolate cake recipe",
        &command(
            &bot,
            "ask",
            &[("question", "best chocolate cake recipe")],
            member(),
        ),
    );
    show(
        "/ask question: (600 characters)",
        &command(&bot, "ask", &[("question", &"a".repeat(600))], member()),
    );
    let first_id = bot.current().kb().facts[0].id.clone();
    show(
        &format!("/fact id: {first_id}"),
        &command(&bot, "fact", &[("id", &first_id)], member()),
    );
    show("/topics", &command(&bot, "topics", &[], member()));
    show(
        "/topic name: 5g",
        &command(&bot, "topic", &[("name", "5g")], member()),
    );
    show(
        "/commitments party: Japan",
        &command(&bot, "commitments", &[("party", "Japan")], member()),
    );
    show("/timeline", &command(&bot, "timeline", &[], member()));
    show("[Next ▶] page:timeline:1", &press(&bot, "page:timeline:1"));
    show("/sources", &command(&bot, "sources", &[], member()));
    show("/about", &command(&bot, "about", &[], member()));
    show("/help", &command(&bot, "help", &[], member()));
    show("/reload (member)", &command(&bot, "reload", &[], member()));
    show(
        "/reload (admin, file unchanged)",
        &command(&bot, "reload", &[], admin()),
    );
    let choices = bot.autocomplete(&AutocompleteRequest {
        user_id: MEMBER,
        command: "fact".into(),
        option: "id".into(),
        typed: "moc".into(),
        lang: crate::bot::i18n::Lang::En,
    });
    println!("===== /fact id: moc… (autocomplete)");
    for c in choices.iter().take(5) {
        println!("{}  →  {}", c.name, c.value);
    }
    println!();
    let dm = bot
        .handle_message(&IncomingMessage {
            content: "<@999> who led the Japanese delegation in 2017?".into(),
            author_id: MEMBER,
            author_is_bot: false,
            place: Place::Guild(GUILD),
            channel_id: CHANNEL,
            mentions_bot: true,
            bot_id: 999,
        })
        .unwrap();
    show("@bot who led the Japanese delegation in 2017?", &dm);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("knowledge.toml");
    let facts = [
        fact_toml("alpha", "Alpha", "A.", "2017", "alpha quote"),
        fact_toml("beta", "Beta", "B.", "2018", "beta quote"),
    ]
    .concat();
    std::fs::write(&path, small_kb(&facts)).unwrap();
    let small = Bot::new(options(path.clone())).unwrap();
    let edited = [
        fact_toml("alpha", "Alpha", "A, revised.", "2017", "alpha quote"),
        fact_toml("gamma", "Gamma", "C.", "2019", "gamma quote"),
    ]
    .concat();
    std::fs::write(&path, small_kb(&edited)).unwrap();
    show(
        "/reload (admin, edited file)",
        &command(&small, "reload", &[], admin()),
    );
    std::fs::write(
        &path,
        small_kb(&edited).replace("kind = \"fact\"", "kind = \"factoid\""),
    )
    .unwrap();
    show(
        "/reload (admin, broken file)",
        &command(&small, "reload", &[], admin()),
    );
}
