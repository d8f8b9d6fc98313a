//! Load test: the real `serve` binary against the fake Discord on loopback, bounded in count
//! and time.
//!
//! ```text
//! cargo build --release --bin cyberbridge --example loadtest
//! target/release/examples/loadtest interactions      # the HTTP interactions endpoint
//! target/release/examples/loadtest gateway           # the gateway, 4 shards in 2 processes
//! target/release/examples/loadtest all               # both, one after the other
//! ```
//!
//! - `interactions`: `serve --interactions`, driven with signed `/ask` requests at a rising
//!   number of concurrent clients (1, 2, 4, …) until throughput stops growing (saturation) or
//!   the last step; each step is bounded by `--per-step` requests and `--step-secs` seconds.
//!   Every response must be the answer to its own question (the one a warm-up got), once.
//! - `gateway`: `--processes` `serve` processes, each given its own range of `--shards`
//!   (`[discord] shards = { total, first, count }`); `/ask` commands dispatched through the
//!   fake's gateway at a rising concurrency; latency is from dispatch to the callback's
//!   arrival at the fake's REST side; every interaction must get exactly one callback. If the
//!   binary refuses the `shards` key (shard ranges not merged yet), it falls back to one
//!   process with the shards that binary starts by default (one), and says so.
//!
//! Reported per step: throughput, p50/p99 latency, lost and doubled replies, and the resident
//! memory (VmRSS and its peak VmHWM, from /proc) of each server process. The client runs on
//! the same machine, so on a small one it competes with the server for the cores.

#[path = "../tests/integration/fake_discord/mod.rs"]
mod fake_discord;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use ed25519_dalek::{Signer, SigningKey};
use fake_discord::{
    opt_str, FakeConfig, FakeDiscord, FakeUser, InteractionHandle, GUILD_ID, MEMBER_ROLE_ID,
};
use serde_json::{json, Value};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    what: What,
    /// The `cyberbridge` binary (default: beside this example's folder).
    #[arg(long, global = true)]
    bin: Option<PathBuf>,
    /// Concurrency steps, doubling from 1 up to this.
    #[arg(long, global = true, default_value_t = 64)]
    max_concurrency: usize,
    /// Requests per step, at most.
    #[arg(long, global = true, default_value_t = 2_000)]
    per_step: usize,
    /// Seconds per step, at most (requests in flight then are still awaited and counted).
    #[arg(long, global = true, default_value_t = 5)]
    step_secs: u64,
}

#[derive(Subcommand)]
enum What {
    /// The HTTP interactions endpoint.
    Interactions,
    /// The gateway path, shards split over processes.
    Gateway {
        #[arg(long, default_value_t = 2)]
        processes: u32,
        #[arg(long, default_value_t = 4)]
        shards: u32,
    },
    /// Both, one after the other (the figures in docs/performance.md, "Load").
    All {
        #[arg(long, default_value_t = 2)]
        processes: u32,
        #[arg(long, default_value_t = 4)]
        shards: u32,
    },
}

/// Questions the shipped knowledge base answers (its own alternate questions).
const QUESTIONS: [&str; 8] = [
    "Who led the Indian delegation in 2017?",
    "When was the Memorandum of Cooperation signed?",
    "who wrote india and japan build an enterprising cyber future?",
    "who is daksh kumar?",
    "where is kochhar & co's head office?",
    "who headed japan's 2017 delegation",
    "who led india at the 2022 e-dialogue",
    "which article covers the june 2022 e-dialogue",
];

/// A step's figures.
struct Step {
    concurrency: usize,
    sent: usize,
    answered: usize,
    lost: usize,
    doubled: usize,
    wrong: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    memory: Vec<(u32, Memory)>,
}

impl Step {
    fn throughput(&self) -> f64 {
        self.answered as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[at]
    }

    fn print_header() {
        println!(
            "| clients | sent | answered | lost | doubled | wrong | req/s | p50 ms | p99 ms | server RSS (peak), MiB |"
        );
        println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    }

    fn print(&self) {
        let memory: Vec<String> = self
            .memory
            .iter()
            .map(|(pid, m)| format!("pid {pid}: {:.1} ({:.1})", m.rss_mib, m.peak_mib))
            .collect();
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.0} | {:.1} | {:.1} | {} |",
            self.concurrency,
            self.sent,
            self.answered,
            self.lost,
            self.doubled,
            self.wrong,
            self.throughput(),
            self.percentile(0.50).as_secs_f64() * 1e3,
            self.percentile(0.99).as_secs_f64() * 1e3,
            memory.join(", ")
        );
    }
}

#[derive(Clone, Copy, Debug)]
struct Memory {
    rss_mib: f64,
    peak_mib: f64,
}

/// VmRSS and VmHWM of `pid`, from /proc.
fn memory(pid: u32) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    Memory {
        rss_mib: field("VmRSS:"),
        peak_mib: field("VmHWM:"),
    }
}

/// Throughput grew less than this from one step to the next: saturated.
const SATURATED_GAIN: f64 = 1.05;

/// Runs steps of doubling concurrency until two steps in a row gain less than
/// [`SATURATED_GAIN`], or the last step.
async fn ramp<F, Fut>(args: &Args, mut step: F) -> Vec<Step>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Step>,
{
    Step::print_header();
    let mut steps: Vec<Step> = Vec::new();
    let mut flat = 0;
    let mut concurrency = 1;
    while concurrency <= args.max_concurrency {
        let done = step(concurrency).await;
        done.print();
        let gain = steps
            .iter()
            .map(Step::throughput)
            .fold(0.0, f64::max)
            .max(f64::MIN_POSITIVE);
        flat = if done.throughput() < gain * SATURATED_GAIN {
            flat + 1
        } else {
            0
        };
        steps.push(done);
        if flat >= 2 {
            println!("(saturated: two steps without {SATURATED_GAIN}× more throughput)");
            break;
        }
        concurrency *= 2;
    }
    steps
}

fn binary(args: &Args) -> PathBuf {
    args.bin.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("own path");
        // target/release/examples/loadtest → target/release/cyberbridge
        exe.parent()
            .and_then(Path::parent)
            .expect("a target folder")
            .join("cyberbridge")
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A config for one `serve` process in `dir` (which holds knowledge.toml).
fn config_text(rest: &str, extra_discord: &str, extra: &str) -> String {
    format!(
        "[discord]\nhttp_proxy = \"{rest}\"\ndev_guild_id = \"{GUILD_ID}\"\n{extra_discord}\n\
         [knowledge]\npath = \"knowledge.toml\"\n\
         [limits]\nquestions_per_minute = 1000000\n\
         [logs]\ndeclined = \"\"\nfeedback = \"\"\n{extra}"
    )
}

fn shipped_knowledge() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml"))
        .expect("knowledge.toml")
}

/// Users asking: many, as in a busy guild (each has a quota of its own).
fn user(n: usize) -> FakeUser {
    let id = 500_000_000_000_000_000 + n as u64 % 1_000;
    let mut user = FakeUser::new(id, &format!("user{}", n % 1_000), 0);
    user.roles = vec![MEMBER_ROLE_ID];
    user
}

struct Spawned {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Spawned {
    fn start(bin: &Path, config: &Path, extra_args: &[&str]) -> Spawned {
        let mut child = Command::new(bin)
            .arg("serve")
            .args(extra_args)
            .arg("--config")
            .arg(config)
            .env("DISCORD_TOKEN", fake_discord::FAKE_TOKEN)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e} (build it: cargo build --release)", bin.display()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        Spawned { child, stderr }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, if it has exited.
    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    fn stop(mut self) {
        if self.exited().is_some() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.exited().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- The interactions endpoint -----------------------------------------------------------------

struct Signed {
    question: usize,
    token: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

fn sign(key: &SigningKey, payload: &Value, question: usize, token: String) -> Signed {
    let body = payload.to_string().into_bytes();
    let timestamp = now_unix().to_string();
    let mut message = timestamp.as_bytes().to_vec();
    message.extend_from_slice(&body);
    Signed {
        question,
        token,
        signature: hex(&key.sign(&message).to_bytes()),
        timestamp,
        body,
    }
}

/// One answer: HTTP status, interaction type, first embed title.
async fn post(client: &reqwest::Client, url: &str, req: &Signed) -> Option<(u16, Value)> {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("x-signature-ed25519", &req.signature)
        .header("x-signature-timestamp", &req.timestamp)
        .body(req.body.clone())
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.ok()?;
    Some((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

fn title(answer: &Value) -> String {
    answer["data"]["embeds"][0]["title"]
        .as_str()
        .or(answer["data"]["content"].as_str())
        .unwrap_or_default()
        .to_string()
}

async fn interactions(args: &Args) {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("knowledge.toml"), shipped_knowledge()).unwrap();
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let extra = format!(
        "[interactions]\nlisten = \"127.0.0.1:{port}\"\npublic_key = \"{}\"\n",
        hex(key.verifying_key().as_bytes())
    );
    let config = dir.path().join("config.toml");
    std::fs::write(&config, config_text(&fake.http_url(), "", &extra)).unwrap();
    let mut server = Spawned::start(&binary(args), &config, &["--interactions"]);
    let url = format!("http://127.0.0.1:{port}/interactions");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1_024)
        .build()
        .expect("a client");

    // Warm-up: wait for the endpoint, and learn each question's answer.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut expected = Vec::new();
    for (i, question) in QUESTIONS.iter().enumerate() {
        let (payload, handle) =
            fake.command_interaction("ask", json!([opt_str("question", question)]), user(i), true);
        let signed = sign(&key, &payload, i, handle.token);
        let answer = loop {
            if let Some((200, answer)) = post(&client, &url, &signed).await {
                break answer;
            }
            if let Some(status) = server.exited() {
                panic!(
                    "serve exited ({status}):\n{}",
                    server.stderr.lock().unwrap()
                );
            }
            assert!(Instant::now() < deadline, "the endpoint never answered");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(answer["type"], 4, "{answer}");
        expected.push(title(&answer));
    }
    println!(
        "serve --interactions (pid {}) on 127.0.0.1:{port}; {} questions; warm RSS {:.1} MiB",
        server.pid(),
        QUESTIONS.len(),
        memory(server.pid()).rss_mib
    );
    let expected = Arc::new(expected);
    let mut sequence = 0usize;
    let steps = ramp(args, |concurrency| {
        // Signed before the clock starts (signing is the client's cost, not the server's).
        let requests: Vec<Signed> = (0..args.per_step)
            .map(|_| {
                sequence += 1;
                let q = sequence % QUESTIONS.len();
                let (payload, handle) = fake.command_interaction(
                    "ask",
                    json!([opt_str("question", QUESTIONS[q])]),
                    user(sequence),
                    true,
                );
                sign(&key, &payload, q, handle.token)
            })
            .collect();
        let requests = Arc::new(requests);
        let client = client.clone();
        let url = url.clone();
        let expected = Arc::clone(&expected);
        let pid = server.pid();
        let step_for = Duration::from_secs(args.step_secs);
        let mark = fake.mark();
        let fake = &fake;
        async move {
            let next = Arc::new(AtomicUsize::new(0));
            let started = Instant::now();
            let results = Arc::new(Mutex::new(Vec::with_capacity(requests.len())));
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (requests, next, client, url, results) = (
                    Arc::clone(&requests),
                    Arc::clone(&next),
                    client.clone(),
                    url.clone(),
                    Arc::clone(&results),
                );
                tasks.push(tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= requests.len() || started.elapsed() >= step_for {
                            return;
                        }
                        let sent = Instant::now();
                        let answer = post(&client, &url, &requests[i]).await;
                        results.lock().unwrap().push((i, sent.elapsed(), answer));
                    }
                }));
            }
            for task in tasks {
                let _ = task.await;
            }
            let elapsed = started.elapsed();
            let results = std::mem::take(&mut *results.lock().unwrap());
            let mut answers = vec![0usize; requests.len()];
            let (mut wrong, mut latencies) = (0, Vec::new());
            for (i, latency, answer) in &results {
                if let Some((200, answer)) = answer {
                    answers[*i] += 1;
                    latencies.push(*latency);
                    let q = requests[*i].question;
                    if answer["type"] != 4 || title(answer) != expected[q] {
                        wrong += 1;
                    }
                }
            }
            // A reply through Discord's REST side as well would be a second reply.
            let tokens: HashMap<&str, usize> = requests
                .iter()
                .enumerate()
                .map(|(i, r)| (r.token.as_str(), i))
                .collect();
            for r in fake.requests().iter().skip(mark) {
                if let Some(i) = tokens
                    .iter()
                    .find(|(t, _)| r.path.contains(*t))
                    .map(|(_, i)| *i)
                {
                    answers[i] += 1;
                }
            }
            let sent = results.len();
            Step {
                concurrency,
                sent,
                answered: latencies.len(),
                lost: results.iter().filter(|(i, _, _)| answers[*i] == 0).count(),
                doubled: answers.iter().filter(|n| **n > 1).count(),
                wrong,
                elapsed,
                latencies,
                memory: vec![(pid, memory(pid))],
            }
        }
    })
    .await;
    summary(&steps);
    server.stop();
}

fn summary(steps: &[Step]) {
    let best = steps
        .iter()
        .max_by(|a, b| a.throughput().total_cmp(&b.throughput()));
    if let Some(best) = best {
        println!(
            "peak: {:.0} replies/s at {} clients (p50 {:.1} ms, p99 {:.1} ms); lost {}, doubled {}, wrong {} over all steps",
            best.throughput(),
            best.concurrency,
            best.percentile(0.5).as_secs_f64() * 1e3,
            best.percentile(0.99).as_secs_f64() * 1e3,
            steps.iter().map(|s| s.lost).sum::<usize>(),
            steps.iter().map(|s| s.doubled).sum::<usize>(),
            steps.iter().map(|s| s.wrong).sum::<usize>(),
        );
    }
}

// --- The gateway -----------------------------------------------------------------------------

/// Starts `processes` gateway processes splitting `shards`; if the binary refuses the
/// `shards` key, one process with all shards instead. Returns the processes and a note.
async fn start_gateways(
    args: &Args,
    fake: &FakeDiscord,
    dir: &Path,
    processes: u32,
    shards: u32,
) -> (Vec<Spawned>, String) {
    let per = shards / processes.max(1);
    let mut started = Vec::new();
    for p in 0..processes {
        let range = format!(
            "shards = {{ total = {shards}, first = {}, count = {per} }}",
            p * per
        );
        let config = dir.join(format!("gateway-{p}.toml"));
        std::fs::write(&config, config_text(&fake.http_url(), &range, "")).unwrap();
        started.push(Spawned::start(&binary(args), &config, &[]));
    }
    // A refusal is immediate (configuration errors exit 2 before connecting).
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Some(refused) = started.iter_mut().find_map(|s| {
            s.exited()
                .map(|status| (status, s.stderr.lock().unwrap().clone()))
        }) {
            let (status, stderr) = refused;
            assert!(
                stderr.contains("shards"),
                "a gateway process exited ({status}):\n{stderr}"
            );
            for s in started {
                s.stop();
            }
            let config = dir.join("gateway.toml");
            std::fs::write(&config, config_text(&fake.http_url(), "", "")).unwrap();
            let note = format!(
                "FALLBACK: this binary refuses `[discord] shards` (shard ranges are not \
                 merged), so ONE process runs instead, with the one shard this binary \
                 starts. Refusal: {}",
                stderr
                    .lines()
                    .find(|l| l.contains("unknown field"))
                    .or_else(|| stderr.lines().find(|l| l.contains("shards")))
                    .unwrap_or("")
                    .trim()
            );
            return (vec![Spawned::start(&binary(args), &config, &[])], note);
        }
        if fake.identifies() >= processes as usize {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (
        started,
        format!("{processes} processes, {shards} shards ({per} each)"),
    )
}

async fn gateway(args: &Args, processes: u32, shards: u32) {
    // One guild per shard ((guild_id >> 22) % total differs for each), so the load spreads
    // over every shard and so over every process.
    let guilds: Vec<u64> = (0..u64::from(shards.max(1)))
        .map(|i| GUILD_ID + (i << 22))
        .collect();
    let fake = FakeDiscord::start_with(FakeConfig {
        shards: shards.max(1),
        guilds: guilds.clone(),
        ..FakeConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("knowledge.toml"), shipped_knowledge()).unwrap();
    let (servers, note) = start_gateways(args, &fake, dir.path(), processes, shards).await;
    println!("{note}");
    fake.wait_for_command_registered("ask", Duration::from_secs(60))
        .await;
    // Serenity starts one shard per 5 s, and a process whose range starts at shard `first`
    // waits its turn: every shard is up before the load starts.
    if servers.len() > 1 {
        fake.wait_ready_shards(shards as usize, Duration::from_secs(120))
            .await;
    }
    let guilds: Vec<u64> = if servers.len() > 1 {
        guilds
    } else {
        vec![GUILD_ID]
    };
    // Warm-up and the expected answers, one question at a time.
    let mut expected = Vec::new();
    for (i, question) in QUESTIONS.iter().enumerate() {
        let handle = fake
            .send_command_in(
                guilds[i % guilds.len()],
                "ask",
                json!([opt_str("question", question)]),
                user(i),
            )
            .await;
        let reply = fake
            .interaction_reply(&handle, Duration::from_secs(30))
            .await;
        expected.push(reply.embeds.first().map_or_else(
            || reply.content.clone().unwrap_or_default(),
            |e| e["title"].as_str().unwrap_or_default().to_string(),
        ));
    }
    let pids: Vec<u32> = servers.iter().map(Spawned::pid).collect();
    println!(
        "serve (pids {pids:?}); warm RSS {:?} MiB",
        pids.iter()
            .map(|p| (memory(*p).rss_mib * 10.0).round() / 10.0)
            .collect::<Vec<_>>()
    );
    let expected = Arc::new(expected);
    let guilds = Arc::new(guilds);
    let fake = Arc::new(fake);
    let sequence = Arc::new(AtomicUsize::new(QUESTIONS.len()));
    let steps = ramp(args, |concurrency| {
        let fake = Arc::clone(&fake);
        let expected = Arc::clone(&expected);
        let sequence = Arc::clone(&sequence);
        let guilds = Arc::clone(&guilds);
        let pids = pids.clone();
        let (per_step, step_for) = (args.per_step, Duration::from_secs(args.step_secs));
        async move {
            let started = Instant::now();
            let count = Arc::new(AtomicUsize::new(0));
            let results: Arc<Mutex<Vec<(InteractionHandle, usize, Instant)>>> =
                Arc::new(Mutex::new(Vec::new()));
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (fake, count, results, sequence, guilds) = (
                    Arc::clone(&fake),
                    Arc::clone(&count),
                    Arc::clone(&results),
                    Arc::clone(&sequence),
                    Arc::clone(&guilds),
                );
                tasks.push(tokio::spawn(async move {
                    loop {
                        if count.fetch_add(1, Ordering::Relaxed) >= per_step
                            || started.elapsed() >= step_for
                        {
                            return;
                        }
                        let n = sequence.fetch_add(1, Ordering::Relaxed);
                        let q = n % QUESTIONS.len();
                        let dispatched = Instant::now();
                        let handle = fake
                            .send_command_in(
                                guilds[n % guilds.len()],
                                "ask",
                                json!([opt_str("question", QUESTIONS[q])]),
                                user(n),
                            )
                            .await;
                        // Closed loop: the next question once this one is answered.
                        let _ = fake
                            .interaction_callback(&handle, Duration::from_secs(30))
                            .await;
                        results.lock().unwrap().push((handle, q, dispatched));
                    }
                }));
            }
            for task in tasks {
                let _ = task.await;
            }
            let elapsed = started.elapsed();
            let results = std::mem::take(&mut *results.lock().unwrap());
            // Count every successful callback and @original edit per interaction.
            let requests = fake.requests();
            let mut replies: HashMap<String, Vec<&fake_discord::RecordedRequest>> = HashMap::new();
            for r in &requests {
                if r.is_success() && r.route.starts_with("/interactions/") {
                    if let Some(token) = r.route.split('/').nth(3) {
                        replies.entry(token.to_string()).or_default().push(r);
                    }
                }
            }
            let (mut latencies, mut lost, mut doubled, mut wrong) = (Vec::new(), 0, 0, 0);
            for (handle, q, dispatched) in &results {
                let got = replies.get(&handle.token).map_or(&[][..], Vec::as_slice);
                match got {
                    [] => lost += 1,
                    [one, rest @ ..] => {
                        if !rest.is_empty() {
                            doubled += 1;
                        }
                        latencies.push(one.at.saturating_duration_since(*dispatched));
                        let shown = one.body["data"]["embeds"][0]["title"]
                            .as_str()
                            .or(one.body["data"]["content"].as_str())
                            .unwrap_or_default();
                        if shown != expected[*q] {
                            wrong += 1;
                        }
                    }
                }
            }
            Step {
                concurrency,
                sent: results.len(),
                answered: latencies.len(),
                lost,
                doubled,
                wrong,
                elapsed,
                latencies,
                memory: pids.iter().map(|p| (*p, memory(*p))).collect(),
            }
        }
    })
    .await;
    summary(&steps);
    let mut per_shard: std::collections::BTreeMap<u32, usize> = Default::default();
    for shard in fake.dispatched_to() {
        *per_shard.entry(shard).or_default() += 1;
    }
    println!("events dispatched per shard (shard: count): {per_shard:?}");
    for s in servers {
        s.stop();
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    println!(
        "loadtest: {} cores; steps of at most {} requests / {} s, up to {} clients",
        std::thread::available_parallelism().map_or(0, usize::from),
        args.per_step,
        args.step_secs,
        args.max_concurrency
    );
    match args.what {
        What::Interactions => interactions(&args).await,
        What::Gateway { processes, shards } => gateway(&args, processes, shards).await,
        What::All { processes, shards } => {
            println!("\n## serve --interactions");
            interactions(&args).await;
            println!("\n## serve (gateway)");
            gateway(&args, processes, shards).await;
        }
    }
}
