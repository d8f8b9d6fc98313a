//! Shards and file watching end to end: two `cyberbridge serve` processes against one fake
//! Discord, each running its own shard range (`[discord] shards`), each answering only its
//! guilds; both watching one knowledge file (`[knowledge] watch = true`), so one `mv` reaches
//! both and a broken one is refused by both. And one process running both shards
//! (`shards = "auto"`, two recommended): serenity identifies them 5 s apart.
//!
//! The served fingerprint is read from each process's `/healthz` ("gateway connected,
//! knowledge <fingerprint> (N facts)"). Every wait polls with a timeout; nothing sleeps to
//! "give the processes time".

use crate::fake_discord;
use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_discord::*;
use serde_json::json;

/// Generous wait for start-up and replies on a busy 2-core machine.
const T: Duration = Duration::from_secs(30);
/// The bound on a file swap: it reaches every process within this.
const SWAP_REACHES_ALL_WITHIN: Duration = Duration::from_secs(5);

/// A free loopback port (bound, then released) for a process's metrics listener.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One running `serve` with its stderr collected.
struct Process {
    child: Child,
    stderr: Arc<Mutex<Vec<String>>>,
    metrics_port: u16,
    spawned: Instant,
}

impl Process {
    /// Starts `serve` for shard `first` of `total`, with the knowledge file in `dir`.
    fn start(fake: &FakeDiscord, dir: &Path, first: u32, total: u32) -> Process {
        let metrics_port = free_port();
        let config = dir.join(format!("config-{first}.toml"));
        std::fs::write(
            &config,
            format!(
                r#"
[discord]
http_proxy = "{rest}"
dev_guild_id = "{GUILD_ID}"
shards = {{ total = {total}, first = {first}, count = 1 }}
[knowledge]
path = "knowledge.toml"
watch = true
[admin]
user_ids = ["{ADMIN_ID}"]
[limits]
questions_per_minute = 1000
[logs]
declined = ""
feedback = ""
[metrics]
listen = "127.0.0.1:{metrics_port}"
"#,
                rest = fake.http_url(),
            ),
        )
        .unwrap();
        let spawned = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_cyberbridge"))
            .arg("serve")
            .arg("--config")
            .arg(&config)
            .env("DISCORD_TOKEN", FAKE_TOKEN)
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cyberbridge serve");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let pipe = child.stderr.take().unwrap();
        let lines = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
        Process {
            child,
            stderr,
            metrics_port,
            spawned,
        }
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Waits until a stderr line contains every one of `needles`; returns it.
    async fn wait_for_line(&self, needles: &[&str]) -> String {
        let until = Instant::now() + T;
        loop {
            if let Some(line) = self
                .stderr
                .lock()
                .unwrap()
                .iter()
                .find(|l| needles.iter().all(|n| l.contains(n)))
            {
                return line.clone();
            }
            assert!(
                Instant::now() < until,
                "no line containing {needles:?} within {T:?}; stderr:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The fingerprint `/healthz` reports, once the process is connected and healthy.
    async fn fingerprint(&self) -> Option<String> {
        let port = self.metrics_port;
        let (status, body) = tokio::task::spawn_blocking(move || healthz(port))
            .await
            .ok()??;
        if status != 200 {
            return None;
        }
        // "gateway connected, knowledge 985979015e3d (55 facts)"
        let (_, after) = body.split_once("knowledge ")?;
        Some(after.split_whitespace().next()?.to_string())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET /healthz`: status and body; `None` while nothing listens.
fn healthz(port: u16) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n")?.1.trim().to_string();
    Some((status, body))
}

/// Polls both processes until each reports a fingerprint `accept` takes, within `within`;
/// returns both.
async fn both_fingerprints(
    a: &Process,
    b: &Process,
    within: Duration,
    what: &str,
    accept: impl Fn(&str) -> bool,
) -> (String, String) {
    let until = Instant::now() + within;
    loop {
        let (fa, fb) = (a.fingerprint().await, b.fingerprint().await);
        if let (Some(fa), Some(fb)) = (&fa, &fb) {
            if accept(fa) && accept(fb) {
                return (fa.clone(), fb.clone());
            }
        }
        assert!(
            Instant::now() < until,
            "{what}: not within {within:?} (a: {fa:?}, b: {fb:?})\n--- a:\n{}\n--- b:\n{}",
            a.log(),
            b.log()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Replaces the knowledge file the way an editor's deploy does: a new file, then `mv`.
fn swap_in(dir: &Path, text: &str) {
    let new = dir.join("knowledge.new.toml");
    std::fs::write(&new, text).unwrap();
    std::fs::rename(&new, dir.join("knowledge.toml")).unwrap();
}

/// `/about` in `guild`: which shard answered ("shard K of N").
async fn about_in(fake: &FakeDiscord, guild: u64) -> String {
    let handle = fake
        .send_command_in(guild, "about", json!([]), FakeUser::member())
        .await;
    let reply = fake.interaction_reply(&handle, T).await;
    let text = reply.text();
    let (_, after) = text
        .split_once("Answered by")
        .unwrap_or_else(|| panic!("/about names no shard: {text}"));
    after
        .lines()
        .find(|l| l.contains("shard"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// `/ask` in `guild`; the reply's text and the fingerprint its footer names (an answer's;
/// a decline names none).
async fn ask_in(fake: &FakeDiscord, guild: u64, question: &str) -> (String, Option<String>) {
    let handle = fake
        .send_command_in(
            guild,
            "ask",
            json!([opt_str("question", question)]),
            FakeUser::member(),
        )
        .await;
    let reply = fake.interaction_reply(&handle, T).await;
    (reply.text(), support::answer_fingerprint(&reply))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_split_the_shards_and_follow_one_knowledge_file() {
    let fake = FakeDiscord::start_with(FakeConfig {
        shards: 2,
        // One IDENTIFY per 5 s for the whole bot: the second process must wait its turn.
        max_concurrency: 1,
        guilds: vec![GUILD_ID, SECOND_GUILD_ID],
        ..FakeConfig::default()
    })
    .await;
    // Guild ids are snowflakes: (id >> 22) % 2 picks the shard.
    assert_eq!(((SECOND_GUILD_ID >> 22) % 2, (GUILD_ID >> 22) % 2), (0, 1));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("knowledge.toml"),
        support::shipped_knowledge(),
    )
    .unwrap();

    let a = Process::start(&fake, dir.path(), 0, 2);
    let b = Process::start(&fake, dir.path(), 1, 2);
    fake.wait_ready_shards(2, T).await;

    // --- Each process identified with its own shard, the second one after its turn. --------
    let mut shards = fake.identified_shards();
    shards.sort_unstable();
    assert_eq!(shards, [[0, 2], [1, 2]], "one IDENTIFY per shard");
    let identified = fake.identify_times();
    let second = fake
        .identified_shards()
        .iter()
        .position(|s| *s == [1, 2])
        .unwrap();
    let waited = identified[second].duration_since(b.spawned);
    assert!(
        waited >= Duration::from_secs(5),
        "shard 1 identified {waited:?} after its process started; with max_concurrency 1 it \
         waits 5 s for shard 0's turn"
    );
    b.wait_for_line(&["waiting for this range's turn to IDENTIFY"])
        .await;
    a.wait_for_line(&["shards=shard 0 of 2", "max_concurrency=1"])
        .await;
    b.wait_for_line(&["shards=shard 1 of 2"]).await;
    // Logs carry the shard: the READY of each is logged inside its shard's span.
    a.wait_for_line(&["shard{id=0}", "connected"]).await;
    b.wait_for_line(&["shard{id=1}", "connected"]).await;

    // --- Each answers only its guilds' events. ----------------------------------------------
    fake.wait_for_command_registered("about", T).await;
    let before = both_fingerprints(&a, &b, T, "both healthy", |_| true).await;
    assert_eq!(before.0, before.1, "both serve the same file");
    let mark = fake.dispatched().len();
    assert_eq!(about_in(&fake, SECOND_GUILD_ID).await, "shard 0 of 2");
    assert_eq!(about_in(&fake, GUILD_ID).await, "shard 1 of 2");
    assert_eq!(
        &fake.dispatched_to()[mark..],
        [0, 1],
        "each guild's interaction went to its own shard only"
    );
    let msg = fake
        .send_guild_message_in(
            SECOND_GUILD_ID,
            FakeUser::member(),
            support::KNOWN_QUESTION,
            true,
        )
        .await;
    fake.message_reply(&msg, T).await;
    assert_eq!(fake.dispatched_to().last(), Some(&0));

    // --- One `mv` reaches both within 5 s. --------------------------------------------------
    let (declined, _) = ask_in(&fake, GUILD_ID, support::NEW_FACT_QUESTION).await;
    assert!(!declined.contains(support::NEW_FACT_ID), "{declined}");
    let swapped = Instant::now();
    swap_in(dir.path(), &support::knowledge_with_new_fact());
    let after = both_fingerprints(
        &a,
        &b,
        SWAP_REACHES_ALL_WITHIN,
        "the swap reached both",
        |f| f != before.0,
    )
    .await;
    eprintln!("the swap reached both processes in {:?}", swapped.elapsed());
    assert_eq!(after.0, after.1, "both serve the same new file");
    for guild in [GUILD_ID, SECOND_GUILD_ID] {
        let (text, fingerprint) = ask_in(&fake, guild, support::NEW_FACT_QUESTION).await;
        assert!(text.contains(support::NEW_FACT_ID), "guild {guild}: {text}");
        assert_eq!(fingerprint.as_ref(), Some(&after.0), "guild {guild}");
    }
    for process in [&a, &b] {
        process
            .wait_for_line(&["knowledge file changed: reloaded", after.0.as_str()])
            .await;
    }
    // `/reload` says what every watching process serves.
    let handle = fake
        .send_command_in(SECOND_GUILD_ID, "reload", json!([]), FakeUser::admin())
        .await;
    let reload = fake.interaction_reply(&handle, T).await.text();
    assert!(
        reload.contains(&format!(
            "Every process watching this file will serve `{}`",
            after.0
        )),
        "{reload}"
    );

    // --- A broken swap is refused by both; both keep answering from the last good one. -----
    swap_in(dir.path(), &support::broken_knowledge());
    for process in [&a, &b] {
        process
            .wait_for_line(&["knowledge file changed: refused", after.0.as_str()])
            .await;
    }
    let kept = both_fingerprints(&a, &b, T, "both still healthy", |_| true).await;
    assert_eq!(kept, after, "the last good version keeps serving");
    for guild in [GUILD_ID, SECOND_GUILD_ID] {
        let (text, fingerprint) = ask_in(&fake, guild, support::KNOWN_QUESTION).await;
        assert!(
            text.contains(support::KNOWN_FACT_ID),
            "guild {guild}: {text}"
        );
        assert_eq!(fingerprint.as_ref(), Some(&after.0), "guild {guild}");
    }
}

/// `"auto"` runs every shard `GET /gateway/bot` recommends, in one process. Serenity 0.12's
/// shard queuer starts one shard per 5 s whatever `max_concurrency` allows, so a process never
/// identifies faster than Discord permits (`discord::shards` docs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_process_runs_every_recommended_shard_identifying_them_5_s_apart() {
    use cyberbridge::bot::Bot;
    use cyberbridge::config::Shards;
    let fake = FakeDiscord::start_with(FakeConfig {
        shards: 2,
        max_concurrency: 1,
        guilds: vec![GUILD_ID, SECOND_GUILD_ID],
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("knowledge.toml"),
        support::shipped_knowledge(),
    )
    .unwrap();
    let config = support::test_config(&fake, dir.path(), 1000);
    assert_eq!(config.discord.shards, Shards::Auto, "the default");
    let bot = Arc::new(Bot::from_config(&config).unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let discord = config.discord.clone();
    let task = tokio::spawn(async move {
        cyberbridge::discord::run_with(bot, &discord, async {
            let _ = stopped.await;
        })
        .await
    });
    fake.wait_ready_shards(2, T).await;
    assert_eq!(fake.identified_shards(), [[0, 2], [1, 2]]);
    let times = fake.identify_times();
    let gap = times[1].duration_since(times[0]);
    // Serenity counts its 5 s from the first shard's connection, a few ms before its
    // IDENTIFY; the gap is 5 s give or take those.
    assert!(
        gap >= Duration::from_millis(4_500),
        "the second IDENTIFY came {gap:?} after the first"
    );
    fake.wait_for_command_registered("about", T).await;
    assert_eq!(about_in(&fake, SECOND_GUILD_ID).await, "shard 0 of 2");
    assert_eq!(about_in(&fake, GUILD_ID).await, "shard 1 of 2");
    let _ = stop.send(());
    tokio::time::timeout(T, task)
        .await
        .expect("stops")
        .unwrap()
        .expect("stops without an error");
}
