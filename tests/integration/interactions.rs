//! The HTTP interactions endpoint: signed requests built by the fake Discord's payload
//! builders, POSTed over loopback to the endpoint (in-process, like the gateway tests'
//! harness; one test runs the real `serve --interactions` binary). Keys are generated for
//! each test. Deferred replies reach the fake's REST side as `@original` edits.

use crate::fake_discord;
use crate::support;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use cyberbridge::bot::Bot;
use cyberbridge::discord;
use cyberbridge::interactions::{self, Endpoint};
use ed25519_dalek::{Signer, SigningKey};
use fake_discord::*;
use serde_json::{json, Value};
use support::{KNOWN_FACT_ID, KNOWN_QUESTION, T};
use tokio::sync::oneshot;

/// Request headers, name and value.
type Headers<'a> = Vec<(&'a str, String)>;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// `X-Signature-Ed25519` for `body` sent at `timestamp`.
fn sign(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
    let mut message = timestamp.as_bytes().to_vec();
    message.extend_from_slice(body);
    hex(&key.sign(&message).to_bytes())
}

/// A fake Discord, and the endpoint answering with the shipped knowledge base (a copy).
struct Server {
    fake: FakeDiscord,
    url: String,
    key: SigningKey,
    bot: Arc<Bot>,
    client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start(questions_per_minute: u32) -> Server {
        let fake = FakeDiscord::start().await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("knowledge.toml"),
            support::shipped_knowledge(),
        )
        .unwrap();
        let config = support::test_config(&fake, dir.path(), questions_per_minute);
        let bot = Arc::new(Bot::from_config(&config).unwrap());
        let key = SigningKey::generate(&mut rand_core::OsRng);
        let endpoint = Endpoint::new(
            Arc::clone(&bot),
            key.verifying_key(),
            discord::http(&config.discord),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}{}",
            listener.local_addr().unwrap(),
            interactions::PATH
        );
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(interactions::serve(listener, Arc::new(endpoint), async {
            let _ = stopped.await;
        }));
        Server {
            fake,
            url,
            key,
            bot,
            client: reqwest::Client::new(),
            stop: Some(stop),
            _dir: dir,
        }
    }

    /// POSTs `body` with the given headers; the status and the body as text.
    async fn post_raw(&self, headers: &[(&str, String)], body: Vec<u8>) -> (u16, String) {
        let mut request = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = tokio::time::timeout(T, request.send())
            .await
            .expect("an answer in time")
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// POSTs `payload` signed now with the server's key; the status and the JSON answer.
    async fn post(&self, payload: &Value) -> (u16, Value) {
        let body = payload.to_string().into_bytes();
        let ts = now_unix().to_string();
        let headers = [
            ("x-signature-ed25519", sign(&self.key, &ts, &body)),
            ("x-signature-timestamp", ts),
        ];
        let (status, text) = self.post_raw(&headers, body).await;
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    /// A signed `/ask question` by `user`; the answer must be a 200.
    async fn ask(&self, question: &str, user: FakeUser) -> Value {
        let (payload, _) = self.fake.command_interaction(
            "ask",
            json!([opt_str("question", question)]),
            user,
            true,
        );
        let (status, answer) = self.post(&payload).await;
        assert_eq!(status, 200, "{answer}");
        answer
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn ping() -> Value {
    json!({
        "id": "1100000000000000001",
        "application_id": APP_ID.to_string(),
        "type": 1,
        "token": "ping-token",
        "version": 1,
    })
}

/// Content, embed titles, descriptions and field texts of a response's `data`.
fn text(data: &Value) -> String {
    let mut parts = vec![data["content"].as_str().unwrap_or_default().to_string()];
    for e in data["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            parts.push(e[key].as_str().unwrap_or_default().to_string());
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            parts.push(f["name"].as_str().unwrap_or_default().to_string());
            parts.push(f["value"].as_str().unwrap_or_default().to_string());
        }
    }
    parts.join("\n")
}

/// Every button `custom_id` of a response's `data`.
fn custom_ids(data: &Value) -> Vec<String> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_ping_is_answered_with_pong() {
    let server = Server::start(10_000).await;
    let (status, answer) = server.post(&ping()).await;
    assert_eq!(status, 200);
    assert_eq!(answer, json!({ "type": 1 }));
    assert_eq!(server.fake.connections(), 0, "no gateway in this mode");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_ask_gets_the_cited_answer_in_the_response() {
    let server = Server::start(10_000).await;
    let answer = server.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert_eq!(answer["type"], 4, "{answer}");
    let data = &answer["data"];
    let kb = server.bot.current();
    let fact = kb.kb().fact(KNOWN_FACT_ID).unwrap();
    assert_eq!(data["embeds"][0]["title"], fact.title.as_str(), "{answer}");
    let source = kb.kb().source(&fact.citations[0].source).unwrap();
    let url = source.url.as_deref().expect("a source with a link");
    let shown = text(data);
    assert!(shown.contains(url), "the source {url} in {shown}");
    // The quote, verbatim apart from the bold the renderer puts on matched words.
    assert!(
        shown.replace("**", "").contains(&fact.citations[0].quote),
        "the quote in {shown}"
    );
    assert_eq!(data["allowed_mentions"]["parse"], json!([]), "{answer}");
    assert_eq!(data["flags"].as_u64().unwrap_or(0) & EPHEMERAL, 0);
    // Answered in the response: nothing went to Discord's REST side.
    assert!(
        server.fake.requests().is_empty(),
        "{:?}",
        server.fake.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_is_answered_with_choices() {
    let server = Server::start(10_000).await;
    let (payload, _) = server.fake.autocomplete_interaction(
        "ask",
        json!([opt_focused("topic", "")]),
        FakeUser::member(),
        true,
    );
    let (status, answer) = server.post(&payload).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["type"], 8, "{answer}");
    let choices = answer["data"]["choices"].as_array().unwrap();
    let topics = server.bot.current().kb().topics.len();
    assert_eq!(choices.len(), topics.min(25), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_why_button_on_an_answer_is_answered() {
    let server = Server::start(10_000).await;
    let answer = server.ask(KNOWN_QUESTION, FakeUser::member()).await;
    let ids = custom_ids(&answer["data"]);
    let why = ids
        .iter()
        .find(|id| id.starts_with("why:"))
        .unwrap_or_else(|| panic!("a why button in {ids:?}"));
    let (payload, _) = server
        .fake
        .component_interaction(why, FakeUser::member(), true);
    let (status, explained) = server.post(&payload).await;
    assert_eq!(status, 200, "{explained}");
    assert_eq!(explained["type"], 4, "{explained}");
    assert_ne!(
        explained["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0
    );
    let shown = text(&explained["data"]);
    assert!(shown.contains(KNOWN_QUESTION), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_missing_or_stale_signatures_get_401() {
    let server = Server::start(10_000).await;
    let body = ping().to_string().into_bytes();
    let now = now_unix().to_string();
    let good = sign(&server.key, &now, &body);
    let stranger = SigningKey::generate(&mut rand_core::OsRng);
    let stale = (now_unix() - 6 * 60).to_string();
    let future = (now_unix() + 6 * 60).to_string();
    let cases: Vec<(&str, Headers, &str)> = vec![
        (
            "another key",
            vec![
                ("x-signature-ed25519", sign(&stranger, &now, &body)),
                ("x-signature-timestamp", now.clone()),
            ],
            "invalid request signature",
        ),
        (
            "a signature for another timestamp",
            vec![
                ("x-signature-ed25519", good.clone()),
                ("x-signature-timestamp", (now_unix() - 1).to_string()),
            ],
            "invalid request signature",
        ),
        (
            "stale, though signed",
            vec![
                ("x-signature-ed25519", sign(&server.key, &stale, &body)),
                ("x-signature-timestamp", stale),
            ],
            "from now",
        ),
        (
            "from the future, though signed",
            vec![
                ("x-signature-ed25519", sign(&server.key, &future, &body)),
                ("x-signature-timestamp", future),
            ],
            "from now",
        ),
        (
            "no signature",
            vec![("x-signature-timestamp", now.clone())],
            "missing header X-Signature-Ed25519",
        ),
        (
            "no timestamp",
            vec![("x-signature-ed25519", good.clone())],
            "missing header X-Signature-Timestamp",
        ),
        ("no headers", vec![], "missing header"),
        (
            "a signature that is not hex",
            vec![
                ("x-signature-ed25519", "zz".repeat(64)),
                ("x-signature-timestamp", now.clone()),
            ],
            "not 128 hex digits",
        ),
    ];
    for (what, headers, why) in cases {
        let (status, text) = server.post_raw(&headers, body.clone()).await;
        assert_eq!(status, 401, "{what}: {text}");
        assert!(text.contains(why), "{what}: {text}");
    }
    // The same body, correctly signed, is answered: the refusals were about the signature.
    let headers = [
        ("x-signature-ed25519", good),
        ("x-signature-timestamp", now),
    ];
    assert_eq!(server.post_raw(&headers, body).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_limit_is_refused_with_413() {
    let server = Server::start(10_000).await;
    let body = vec![b' '; interactions::MAX_BODY_BYTES + 1];
    let ts = now_unix().to_string();
    let headers = [
        ("x-signature-ed25519", sign(&server.key, &ts, &body)),
        ("x-signature-timestamp", ts),
    ];
    assert_eq!(server.post_raw(&headers, body).await.0, 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_command_is_deferred_and_its_webhook_edit_reaches_discord() {
    let server = Server::start(10_000).await;
    let (payload, handle) =
        server
            .fake
            .command_interaction("reload", json!([]), FakeUser::admin(), true);
    let (status, answer) = server.post(&payload).await;
    assert_eq!(status, 200, "{answer}");
    // Deferred, ephemeral (slow commands are admin tools), as on the gateway.
    assert_eq!(answer["type"], 5, "{answer}");
    assert_ne!(answer["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL, 0);
    // Discord reads the response; only then does it take edits (before, 404 Unknown
    // Message, which the endpoint retries).
    server
        .fake
        .acknowledged_over_http(&handle, callback::DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE);
    let original = handle.original_route();
    let edit = server
        .fake
        .wait_for_request(
            |r| r.method == "PATCH" && r.route == original && r.status == 200,
            T,
        )
        .await;
    let shown = text(&edit.body);
    assert!(shown.contains("reloaded"), "{shown}");
    assert!(
        shown.contains(&server.bot.current().kb().fingerprint),
        "{shown}"
    );
    assert_eq!(edit.body["allowed_mentions"]["parse"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_are_rate_limited_per_user_as_on_the_gateway() {
    let server = Server::start(1).await;
    let first = server.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert!(!text(&first["data"]).contains("slow down"), "{first}");
    let second = server.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert_ne!(second["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL, 0);
    let refusal = text(&second["data"]).to_lowercase();
    assert!(refusal.contains("slow down"), "{refusal}");
    // Another user has a quota of their own.
    let other = server.ask(KNOWN_QUESTION, FakeUser::admin()).await;
    assert!(!text(&other["data"]).to_lowercase().contains("slow down"));
}

/// The real binary: `serve --interactions` answers a PING on `[interactions] listen` without
/// ever connecting to the gateway; without a public key it refuses to start (exit 2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_with_interactions_answers_without_a_gateway() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("knowledge.toml"),
        support::shipped_knowledge(),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let base = format!(
        "[discord]\nhttp_proxy = \"{}\"\n[knowledge]\npath = \"knowledge.toml\"\n\
         [logs]\ndeclined = \"\"\nfeedback = \"\"\n\
         [metrics]\nlisten = \"127.0.0.1:{metrics_port}\"\n\
         [interactions]\nlisten = \"127.0.0.1:{port}\"\n",
        fake.http_url()
    );
    let config = dir.path().join("config.toml");
    std::fs::write(&config, &base).unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_cyberbridge"))
        .args(["serve", "--interactions", "--config"])
        .arg(&config)
        .env("DISCORD_TOKEN", FAKE_TOKEN)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("[interactions] public_key"), "{stderr}");

    let with_key = format!(
        "{base}public_key = \"{}\"\n",
        hex(key.verifying_key().as_bytes())
    );
    std::fs::write(&config, with_key).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cyberbridge"))
        .args(["serve", "--interactions", "--config"])
        .arg(&config)
        .env("DISCORD_TOKEN", FAKE_TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}{}", interactions::PATH);
    let body = ping().to_string();
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + T;
    let answer = loop {
        let ts = now_unix().to_string();
        let sent = client
            .post(&url)
            .header("x-signature-ed25519", sign(&key, &ts, body.as_bytes()))
            .header("x-signature-timestamp", ts)
            .body(body.clone())
            .send()
            .await;
        if let Ok(response) = sent {
            break response.text().await.unwrap();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "serve --interactions never answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap(),
        json!({"type": 1})
    );
    assert_eq!(fake.connections(), 0, "no gateway connection");
    assert_eq!(fake.count("GET", "/gateway/bot"), 0, "not even asked for");
    // Healthy without a gateway: in this mode health is the knowledge base alone.
    let health = client
        .get(format!("http://127.0.0.1:{metrics_port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let line = health.text().await.unwrap();
    assert!(
        line.starts_with("interactions endpoint, knowledge "),
        "{line}"
    );
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}

/// Replicas behind a load balancer answer alike — the same answer to the same
/// question, and a "why" button pressed on one replica's answer explained by another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_answer_alike_and_explain_each_others_answers() {
    let (a, b) = (Server::start(10_000).await, Server::start(10_000).await);
    let from_a = a.ask(KNOWN_QUESTION, FakeUser::member()).await;
    let from_b = b.ask(KNOWN_QUESTION, FakeUser::member()).await;
    assert_eq!(from_a, from_b);
    let why = custom_ids(&from_a["data"])
        .into_iter()
        .find(|id| id.starts_with("why:"))
        .unwrap();
    // A fresh replica that never saw the question.
    let c = Server::start(10_000).await;
    let (payload, _) = c.fake.component_interaction(&why, FakeUser::member(), true);
    let (status, explained) = c.post(&payload).await;
    assert_eq!(status, 200, "{explained}");
    let shown = text(&explained["data"]);
    assert!(shown.contains(KNOWN_QUESTION), "{shown}");
    assert!(!shown.contains("too old"), "{shown}");
}

/// An interaction's `locale` and channel reach the bot as on the gateway — a `ja` client gets
/// Japanese interface text, a follow-up is read in the context of the asker's last answer in
/// that channel (and not in another channel), and the follow-up's "why" button explains the
/// question as read, on any replica.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locale_and_channel_reach_the_bot_for_follow_ups_and_their_why_button() {
    let server = Server::start(10_000).await;
    let japanese = FakeUser {
        locale: "ja".to_string(),
        ..FakeUser::member()
    };
    let ask = |question: &str, in_guild: bool| {
        let (payload, _) = server.fake.command_interaction(
            "ask",
            json!([opt_str("question", question)]),
            japanese.clone(),
            in_guild,
        );
        payload
    };
    let (_, first) = server
        .post(&ask(
            "who led Japan's delegation at the 2017 dialogue?",
            true,
        ))
        .await;
    let labels: Vec<String> = first["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["label"].as_str().map(str::to_string))
        .collect();
    assert!(labels.iter().any(|l| l == "この回答の理由"), "{labels:?}");
    // Another channel (the user's DMs): no context there.
    let (_, elsewhere) = server.post(&ask("and India's?", false)).await;
    assert!(
        !text(&elsewhere["data"]).contains("次のように解釈しました"),
        "{elsewhere}"
    );
    let (_, follow_up) = server.post(&ask("and India's?", true)).await;
    let read_as = "who led India's delegation at the 2017 dialogue?";
    let shown = text(&follow_up["data"]);
    assert!(
        shown.starts_with(&format!("*次のように解釈しました：* {read_as}")),
        "{shown}"
    );
    let why = custom_ids(&follow_up["data"])
        .into_iter()
        .find(|id| id.starts_with("why:"))
        .unwrap();
    assert!(why.chars().count() <= 100, "{why}");
    let replica = Server::start(10_000).await;
    let (payload, _) = replica
        .fake
        .component_interaction(&why, japanese.clone(), true);
    let (status, explained) = replica.post(&payload).await;
    assert_eq!(status, 200, "{explained}");
    let shown = text(&explained["data"]);
    assert!(shown.contains(read_as), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_body_that_is_not_an_interaction_is_a_400() {
    let server = Server::start(10_000).await;
    for body in [json!("hello"), json!({ "type": 99, "id": "1" }), json!({})] {
        let (status, answer) = server.post(&body).await;
        assert_eq!(status, 400, "{body}: {answer}");
    }
}

/// A raw connection to the endpoint's address (for requests no HTTP client would send).
async fn raw_connection(server: &Server) -> tokio::net::TcpStream {
    let addr = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches(interactions::PATH)
        .to_string();
    tokio::net::TcpStream::connect(addr).await.unwrap()
}

/// Reads until the server closes the connection (or `within` passes: then `None`).
async fn read_until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut out = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_interaction_is_refused_with_409() {
    // A signed request could be replayed within the signature's 5-minute window: a replayed
    // admin `/reload force:true` ran twice.
    let server = Server::start(10_000).await;
    let (payload, _) = server.fake.command_interaction(
        "ask",
        json!([opt_str("question", KNOWN_QUESTION)]),
        FakeUser::member(),
        true,
    );
    let body = payload.to_string().into_bytes();
    let ts = now_unix().to_string();
    let headers = [
        ("x-signature-ed25519", sign(&server.key, &ts, &body)),
        ("x-signature-timestamp", ts),
    ];
    assert_eq!(server.post_raw(&headers, body.clone()).await.0, 200);
    let (status, text) = server.post_raw(&headers, body).await;
    assert_eq!(status, 409, "{text}");
    // A PING changes nothing, so the same one may come twice.
    assert_eq!(server.post(&ping()).await.0, 200);
    assert_eq!(server.post(&ping()).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_oversize_length_is_refused_at_once_with_413() {
    // `Content-Length: 9223372036854775807` used to hold the connection, waiting for the body.
    use tokio::io::AsyncWriteExt;
    let server = Server::start(10_000).await;
    let mut stream = raw_connection(&server).await;
    stream
        .write_all(
            b"POST /interactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
              content-length: 9223372036854775807\r\n\r\n{",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(3))
        .await
        .expect("answered and closed at once");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_sent_too_slowly_is_cut_off_with_408() {
    // A body sent at 1 byte every 5 s stayed open past 45 s.
    use tokio::io::AsyncWriteExt;
    let server = Server::start(10_000).await;
    let mut stream = raw_connection(&server).await;
    stream
        .write_all(b"POST /interactions HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let answer = read_until_closed(
        &mut stream,
        interactions::BODY_TIMEOUT + Duration::from_secs(3),
    )
    .await
    .expect("cut off after the body timeout");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= interactions::BODY_TIMEOUT - Duration::from_millis(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_closed_and_cannot_starve_the_endpoint() {
    // 1,100 half-sent requests held every file descriptor: PING timed out and the server never
    // closed them. Now more than the connection limit wait in the backlog, each is closed
    // after the header timeout, and a real request gets through.
    use tokio::io::AsyncWriteExt;
    let server = Server::start(10_000).await;
    let mut held = Vec::new();
    for _ in 0..interactions::MAX_CONNECTIONS + 20 {
        let mut stream = raw_connection(&server).await;
        stream
            .write_all(b"POST /interactions HTTP/1.1\r\nhost: x\r\n")
            .await
            .unwrap();
        held.push(stream);
    }
    let started = std::time::Instant::now();
    let (status, _) = server.post(&ping()).await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() < 2 * interactions::HEADER_TIMEOUT + Duration::from_secs(3),
        "PING answered after {:?}",
        started.elapsed()
    );
    let within = interactions::HEADER_TIMEOUT * 2 + Duration::from_secs(3);
    for stream in &mut held[..10] {
        assert!(
            read_until_closed(stream, within).await.is_some(),
            "a half-sent request is closed"
        );
    }
}
