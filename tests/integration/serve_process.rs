//! The real `cyberbridge serve` binary against the fake Discord (or a port that refuses
//! connections): signals end it on time in every state, start-up says what it cannot reach,
//! a refused token exits 2, and `/metrics` and `/healthz` answer.
//!
//! Signals are sent with the `kill` command, so nothing here needs Docker or systemd.

use crate::fake_discord;
use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_discord::*;
use serde_json::json;

/// The bound on a signal, in every state: the process is gone within this.
const STOP_WITHIN: Duration = Duration::from_secs(5);
/// Generous wait for a log line on a busy 2-core machine.
const T: Duration = Duration::from_secs(30);

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `serve` and what it has written to stderr so far.
struct Serve {
    child: Child,
    stderr: Arc<Mutex<Vec<String>>>,
    /// Reads stderr into `stderr`; joined once the process has ended, so no line is missed.
    reader: Option<std::thread::JoinHandle<()>>,
    /// Holds the config and knowledge copy; removed when the test is done.
    _dir: tempfile::TempDir,
}

/// `config.toml` for `serve`: REST at `rest`, commands in the fake's guild, logs off, plus
/// `extra` TOML (more sections).
fn config_text(rest: &str, extra: &str) -> String {
    format!(
        r#"
[discord]
http_proxy = "{rest}"
dev_guild_id = "{GUILD_ID}"
[knowledge]
path = "knowledge.toml"
{extra}
[admin]
user_ids = ["{ADMIN_ID}"]
[logs]
declined = ""
feedback = ""
"#
    )
}

impl Serve {
    fn start(rest: &str, extra_knowledge: &str, extra: &str, args: &[&str]) -> Serve {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("knowledge.toml"),
            support::shipped_knowledge(),
        )
        .unwrap();
        let mut text = config_text(rest, extra_knowledge);
        text.push_str(extra);
        std::fs::write(dir.path().join("config.toml"), text).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_cyberbridge"))
            .arg("serve")
            .arg("--config")
            .arg(dir.path().join("config.toml"))
            .args(args)
            .env("DISCORD_TOKEN", FAKE_TOKEN)
            .env_remove("RUST_LOG")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cyberbridge serve");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let pipe = child.stderr.take().unwrap();
        let lines = Arc::clone(&stderr);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
        Serve {
            child,
            stderr,
            reader: Some(reader),
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Waits until a stderr line contains `needle`; returns it.
    async fn wait_for_line(&self, needle: &str) -> String {
        let until = Instant::now() + T;
        loop {
            if let Some(line) = self
                .stderr
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
            {
                return line.clone();
            }
            assert!(
                Instant::now() < until,
                "no line containing {needle:?} within {T:?}; stderr:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits up to `within` for the process to end.
    async fn wait_exit(&mut self, within: Duration) -> Option<(ExitStatus, Duration)> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let took = started.elapsed();
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                return Some((status, took));
            }
            if started.elapsed() > within {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// SIGTERM (or `signal`), then: exit 0 within [`STOP_WITHIN`].
    async fn assert_stops_on(&mut self, signal: &str) -> Duration {
        self.signal(signal);
        match self.wait_exit(STOP_WITHIN).await {
            Some((status, took)) => {
                assert_eq!(
                    status.code(),
                    Some(0),
                    "exit status {status:?}; stderr:\n{}",
                    self.log()
                );
                eprintln!("stopped {took:?} after SIG{signal}");
                took
            }
            None => {
                let _ = self.child.kill();
                panic!(
                    "still running {STOP_WITHIN:?} after SIG{signal}; stderr:\n{}",
                    self.log()
                );
            }
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// With no route to Discord, SIGINT used to log "shutting down" while the process kept
/// retrying for 34 minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_sigterm_ends_serve_while_discord_is_unreachable() {
    let rest = format!("http://127.0.0.1:{}", closed_port());
    let mut serve = Serve::start(&rest, "", "", &[]);
    serve.wait_for_line("cannot reach Discord at").await;
    serve.assert_stops_on("TERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_sigint_ends_serve_while_discord_is_unreachable() {
    let rest = format!("http://127.0.0.1:{}", closed_port());
    let mut serve = Serve::start(&rest, "", "", &[]);
    serve.wait_for_line("cannot reach Discord at").await;
    serve.assert_stops_on("INT").await;
}

/// One clear line per failed attempt, and the waits grow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_unreachable_discord_is_one_clear_line_with_growing_waits() {
    let port = closed_port();
    let rest = format!("http://127.0.0.1:{port}");
    let mut serve = Serve::start(&rest, "", "", &[]);
    let first = serve.wait_for_line("retrying in 1 s").await;
    assert!(
        first.contains(&format!(
            "cannot reach Discord at http://127.0.0.1:{port}: "
        )),
        "{first}"
    );
    assert!(
        first.to_lowercase().contains("refused"),
        "names the cause: {first}"
    );
    serve.wait_for_line("retrying in 2 s").await;
    assert!(
        !serve.log().contains("Err starting shard"),
        "serenity's own retry dump: {}",
        serve.log()
    );
    serve.assert_stops_on("TERM").await;
}

/// The fake answers REST but names a gateway that refuses connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_sigterm_ends_serve_while_the_gateway_refuses_connections() {
    let gateway = format!("ws://127.0.0.1:{}/gateway", closed_port());
    let fake = FakeDiscord::start_with(FakeConfig {
        gateway_url_override: Some(gateway.clone()),
        ..FakeConfig::default()
    })
    .await;
    let mut serve = Serve::start(&fake.http_url(), "", "", &[]);
    let line = serve
        .wait_for_line(&format!("cannot reach Discord at {gateway}: "))
        .await;
    assert!(line.contains("retrying in"), "{line}");
    serve.assert_stops_on("TERM").await;
}

/// Also: logs to a pipe carry no colour codes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_serve_when_connected_and_logs_have_no_colours_in_a_pipe() {
    let fake = FakeDiscord::start().await;
    let mut serve = Serve::start(&fake.http_url(), "", "", &[]);
    fake.wait_ready(T).await;
    fake.wait_for_command_registered("ask", T).await;
    serve.wait_for_line("connected").await;
    serve.assert_stops_on("TERM").await;
    assert!(
        !serve.log().contains('\x1b'),
        "ANSI codes:\n{}",
        serve.log()
    );
    assert!(serve.log().contains("eval gate off"), "{}", serve.log());
}

/// Connected, then Discord goes away: serenity is reconnecting to a closed port.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_serve_while_reconnecting() {
    let fake = FakeDiscord::start().await;
    let mut serve = Serve::start(&fake.http_url(), "", "", &[]);
    fake.wait_ready(T).await;
    fake.wait_for_command_registered("ask", T).await;
    drop(fake);
    serve.wait_for_line("reconnecting").await;
    // Let it try (and fail) at least once.
    tokio::time::sleep(Duration::from_millis(500)).await;
    serve.assert_stops_on("TERM").await;
}

/// A reply is being retried (Discord said 429, retry after 2.5 s) when SIGTERM arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_serve_mid_reply() {
    let fake = FakeDiscord::start().await;
    let mut serve = Serve::start(&fake.http_url(), "", "", &[]);
    fake.wait_ready(T).await;
    fake.wait_for_command_registered("ask", T).await;
    fake.fail_next_rate_limited("POST", "/interactions/*/*/callback", 2.5);
    let _ask = fake
        .send_command(
            "ask",
            json!([opt_str("question", support::KNOWN_QUESTION)]),
            FakeUser::member(),
            true,
        )
        .await;
    fake.wait_for_request(|r| r.method == "POST" && r.route.ends_with("/callback"), T)
        .await;
    serve.assert_stops_on("TERM").await;
}

/// SIGHUP starts a reload whose eval gate has 100 copies of the question set to run (seconds
/// of work), and SIGTERM arrives while it runs. Also: start-up says the gate is on, with its
/// floors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_serve_mid_reload() {
    let fake = FakeDiscord::start().await;
    let eval_dir = tempfile::tempdir().unwrap();
    let eval = eval_dir.path().join("questions.toml");
    let one =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/tune.toml"))
            .unwrap();
    std::fs::write(&eval, one.repeat(100)).unwrap();
    let gate = format!(
        "eval_path = \"{}\"\nmin_top1 = 0.9\nmin_declined = 0.9\n",
        eval.display()
    );
    let mut serve = Serve::start(&fake.http_url(), &gate, "", &[]);
    fake.wait_ready(T).await;
    let line = serve.wait_for_line("eval gate on").await;
    assert!(
        line.contains("min_top1=0.9") && line.contains("min_declined=0.9"),
        "{line}"
    );
    fake.wait_for_command_registered("ask", T).await;
    serve.signal("HUP");
    tokio::time::sleep(Duration::from_millis(300)).await;
    serve.assert_stops_on("TERM").await;
    assert!(
        !serve.log().contains("knowledge base reloaded"),
        "the reload finished before SIGTERM, so this did not test a stop mid-reload:\n{}",
        serve.log()
    );
}

/// A token Discord refuses on the gateway (close code 4004) ends the process at once with
/// exit 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_a_token_refused_by_the_gateway_exits_2_at_once() {
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some("another-token".into()),
        ..FakeConfig::default()
    })
    .await;
    let mut serve = Serve::start(&fake.http_url(), "", "", &[]);
    let (status, _) = serve
        .wait_exit(T)
        .await
        .unwrap_or_else(|| panic!("still running; stderr:\n{}", serve.log()));
    assert_eq!(status.code(), Some(2), "stderr:\n{}", serve.log());
    assert!(
        serve.log().contains("the token was rejected"),
        "{}",
        serve.log()
    );
}

/// The same for a token refused by REST (401).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_a_token_refused_by_rest_exits_2_at_once() {
    let fake = FakeDiscord::start().await;
    fake.fail_next(
        "GET",
        "/gateway/bot",
        1,
        401,
        json!({"message": "401: Unauthorized", "code": 0}),
        &[],
    );
    let mut serve = Serve::start(&fake.http_url(), "", "", &[]);
    let (status, took) = serve
        .wait_exit(T)
        .await
        .unwrap_or_else(|| panic!("still running; stderr:\n{}", serve.log()));
    assert_eq!(status.code(), Some(2), "stderr:\n{}", serve.log());
    assert!(
        serve.log().contains("the token was rejected"),
        "{}",
        serve.log()
    );
    assert_eq!(fake.identifies(), 0, "no gateway attempt after a 401");
    eprintln!("exited {took:?} after start");
}

/// A configured eval set that does not exist is a configuration error, not a gate silently
/// switched off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_a_missing_eval_path_exits_2_naming_it() {
    let rest = format!("http://127.0.0.1:{}", closed_port());
    let mut serve = Serve::start(&rest, "eval_path = \"no/such/questions.toml\"\n", "", &[]);
    let (status, _) = serve.wait_exit(T).await.expect("exits");
    assert_eq!(status.code(), Some(2), "stderr:\n{}", serve.log());
    let log = serve.log();
    assert!(
        log.contains("knowledge.eval_path") && log.contains("no/such/questions.toml"),
        "{log}"
    );
}

/// `--log-format json` writes one JSON object per line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_format_json_writes_one_object_per_line() {
    let rest = format!("http://127.0.0.1:{}", closed_port());
    let mut serve = Serve::start(&rest, "", "", &["--log-format", "json"]);
    serve.wait_for_line("cannot reach Discord").await;
    serve.assert_stops_on("TERM").await;
    let log = serve.log();
    for line in log.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        assert!(value["level"].is_string(), "{line}");
    }
}

/// `GET path` on `port`; status code and body.
fn http_get(port: u16, path: &str) -> (u16, String) {
    try_http_get(port, path).expect("GET from the metrics listener")
}

/// `None` while nothing listens yet.
fn try_http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

async fn wait_for_status(port: u16, path: &str, want: u16) -> String {
    let until = Instant::now() + T;
    loop {
        let path_owned = path.to_string();
        if let Ok(Some((status, body))) =
            tokio::task::spawn_blocking(move || try_http_get(port, &path_owned)).await
        {
            if status == want {
                return body;
            }
        }
        assert!(Instant::now() < until, "{path} never answered {want}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `/healthz` is 503 until connected, then 200; `/metrics` counts questions
/// and shows the knowledge base and the gateway state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_and_healthz_answer() {
    let port = closed_port();
    let unreachable = format!("http://127.0.0.1:{}", closed_port());
    let metrics = format!("[metrics]\nlisten = \"127.0.0.1:{port}\"\n");
    {
        let mut serve = Serve::start(&unreachable, "", &metrics, &[]);
        let body = wait_for_status(port, "/healthz", 503).await;
        assert!(body.contains("gateway connecting"), "{body}");
        serve.assert_stops_on("TERM").await;
    }

    let fake = FakeDiscord::start().await;
    let mut serve = Serve::start(&fake.http_url(), "", &metrics, &[]);
    fake.wait_ready(T).await;
    fake.wait_for_command_registered("ask", T).await;
    let body = wait_for_status(port, "/healthz", 200).await;
    assert!(body.contains("gateway connected"), "{body}");
    let handle = fake
        .send_command(
            "ask",
            json!([opt_str("question", support::KNOWN_QUESTION)]),
            FakeUser::member(),
            true,
        )
        .await;
    fake.interaction_reply(&handle, T).await;
    serve.signal("HUP");
    // The reply's latency is recorded once Discord's answer to it is back, and the reload
    // runs on its own thread: poll for both.
    let until = Instant::now() + T;
    let text = loop {
        let (status, text) = tokio::task::spawn_blocking(move || http_get(port, "/metrics"))
            .await
            .unwrap();
        assert_eq!(status, 200);
        let done = text.contains("cyberbridge_reply_seconds_count")
            && text.contains("cyberbridge_reloads_total{result=\"ok\"} 1");
        if done || Instant::now() > until {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let fingerprint = cyberbridge::knowledge::load(&support::shipped_knowledge_path())
        .unwrap()
        .fingerprint;
    for needle in [
        "cyberbridge_questions_total{outcome=\"answered\"} 1".to_string(),
        format!(
            "cyberbridge_knowledge_fingerprint {}",
            cyberbridge::ops::fingerprint_number(&fingerprint)
        ),
        "cyberbridge_gateway_state{state=\"connected\"} 1".to_string(),
        "cyberbridge_engine_seconds_bucket".to_string(),
        "cyberbridge_reply_seconds_count".to_string(),
        "cyberbridge_reloads_total{result=\"ok\"} 1".to_string(),
    ] {
        assert!(text.contains(&needle), "no {needle:?} in:\n{text}");
    }
    // One series per gauge, whatever versions were served: not one per fingerprint.
    for gauge in [
        "cyberbridge_knowledge_facts ",
        "cyberbridge_knowledge_fingerprint ",
    ] {
        assert_eq!(
            text.lines().filter(|l| l.starts_with(gauge)).count(),
            1,
            "{text}"
        );
    }
    serve.assert_stops_on("TERM").await;
}

/// `[metrics] listen` on a port already taken is a configuration error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metrics_port_in_use_exits_2() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let rest = format!("http://127.0.0.1:{}", closed_port());
    let metrics = format!("[metrics]\nlisten = \"127.0.0.1:{port}\"\n");
    let mut serve = Serve::start(&rest, "", &metrics, &[]);
    let (status, _) = serve.wait_exit(T).await.expect("exits");
    assert_eq!(status.code(), Some(2), "stderr:\n{}", serve.log());
    assert!(serve.log().contains("cannot listen on"), "{}", serve.log());
    drop(taken);
}

/// What the compose files do: the knowledge file's folder is what is mounted, and
/// `--knowledge` names the file in it. A file replaced with `mv` in that folder is what SIGHUP
/// then serves (a single-file bind mount kept serving the old inode).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_knowledge_file_replaced_in_its_folder_is_served_after_sighup() {
    let fake = FakeDiscord::start().await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("knowledge.toml");
    std::fs::write(&file, support::shipped_knowledge()).unwrap();
    let file_arg = file.to_string_lossy().into_owned();
    let mut serve = Serve::start(
        &fake.http_url(),
        "settle_ms = 100",
        "",
        &["--knowledge", &file_arg],
    );
    fake.wait_ready(T).await;
    serve.wait_for_line("connected").await;
    let new = folder.path().join("new.toml");
    std::fs::write(&new, support::knowledge_with_new_fact()).unwrap();
    std::fs::rename(&new, &file).unwrap();
    let fingerprint = cyberbridge::knowledge::load(&file).unwrap().fingerprint;
    serve.signal("HUP");
    let line = serve.wait_for_line("knowledge base reloaded").await;
    assert!(line.contains(&fingerprint), "{line}");
    serve.assert_stops_on("TERM").await;
}
