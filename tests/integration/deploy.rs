//! The deployment files: the systemd unit passes `systemd-analyze verify` where that tool
//! exists, and the Dockerfile and compose files hold what docs/operating.md promises.
//! Neither Docker nor systemd is required: absent tools are skipped with a printed notice.

use std::io::Write;
use std::path::Path;
use std::process::Command;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Printed to the real stderr, which the test harness does not capture.
fn skipped(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

#[test]
fn the_systemd_unit_passes_systemd_analyze_verify() {
    let unit = read("deploy/cyberbridge.service");
    for needle in [
        "ExecReload=/bin/kill -HUP $MAINPID",
        "EnvironmentFile=",
        "WorkingDirectory=",
        "Restart=on-failure",
        "RestartPreventExitStatus=2",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
    ] {
        assert!(unit.contains(needle), "no {needle:?} in the unit");
    }
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        skipped(
            "the_systemd_unit_passes_systemd_analyze_verify",
            "systemd-analyze is not installed",
        );
        return;
    }
    // verify checks that ExecStart exists: point it at the binary just built.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cyberbridge.service");
    let unit = unit.replace(
        "ExecStart=/usr/local/bin/cyberbridge",
        &format!("ExecStart={}", env!("CARGO_BIN_EXE_cyberbridge")),
    );
    std::fs::write(&path, unit).unwrap();
    let output = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stderr.contains("cyberbridge.service"),
        "warnings about the unit:\n{stderr}"
    );
}

#[test]
fn the_dockerfile_is_multi_stage_and_compose_mounts_the_knowledge_read_only() {
    let dockerfile = read("Dockerfile");
    assert_eq!(
        dockerfile.matches("\nFROM ").count() + usize::from(dockerfile.starts_with("FROM ")),
        2
    );
    assert!(dockerfile.contains("COPY --from=build"));
    assert!(dockerfile.contains("cargo build --release --locked"));
    assert!(dockerfile.contains("USER cyberbridge"));
    let compose = read("deploy/compose.yaml");
    // The folder, not the file: a single-file bind mount keeps the inode it was given, so a
    // knowledge.toml replaced with `mv` (the way the README says to) was never seen.
    let yaml: serde_yaml::Value = serde_yaml::from_str(&compose).unwrap();
    let bot = &yaml["services"]["bot"];
    assert!(binds_folder_at(bot, "/app/kb"), "{compose}");
    assert!(!compose.contains("knowledge.toml:/app"), "{compose}");
    let args: Vec<&str> = bot["command"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        args.windows(2)
            .any(|w| w == ["--knowledge", "/app/kb/knowledge.toml"]),
        "{args:?}"
    );
    assert!(compose.contains("9187:9187"));
    assert!(compose.contains("env_file"));
    // The image itself is not built here: no test may need Docker.
}

/// The build image's Rust is at least the `rust-version` the crate and its dependencies need:
/// an older image cannot build it (`rust:1.85` against tantivy's 1.88 did not).
#[test]
fn the_dockerfile_builds_with_the_rust_the_crate_needs() {
    let version = |text: &str| -> (u32, u32) {
        let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let needed = manifest["package"]["rust-version"]
        .as_str()
        .unwrap()
        .to_string();
    let dockerfile = read("Dockerfile");
    let image = dockerfile
        .lines()
        .find_map(|line| line.strip_prefix("FROM rust:"))
        .expect("a rust build image");
    let image = image.split(['-', ' ']).next().unwrap();
    assert!(
        version(image) >= version(&needed),
        "the build image has Rust {image}; Cargo.toml needs {needed}"
    );
}

// --- deploy/scale ----------------------------------------------------------------------------

fn scale_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/scale")
}

fn compose() -> serde_yaml::Value {
    serde_yaml::from_str(&read("deploy/scale/compose.yaml")).expect("compose.yaml is YAML")
}

/// The service's `command` as strings.
fn command(service: &serde_yaml::Value) -> Vec<String> {
    service["command"]
        .as_sequence()
        .unwrap_or_else(|| panic!("a command list in {service:?}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// `(host path, container path, read-only)` of each bind mount (named volumes left out).
fn binds(service: &serde_yaml::Value) -> Vec<(String, String, bool)> {
    service["volumes"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let parts: Vec<&str> = v.as_str()?.split(':').collect();
            (parts[0].starts_with('.') || parts[0].starts_with('/')).then(|| {
                (
                    parts[0].to_string(),
                    parts[1].to_string(),
                    parts.get(2) == Some(&"ro"),
                )
            })
        })
        .collect()
}

/// The config file a cyberbridge service mounts at /app/config.toml, parsed as TOML.
fn service_config(name: &str, service: &serde_yaml::Value) -> (std::path::PathBuf, toml::Table) {
    let (host, _, ro) = binds(service)
        .into_iter()
        .find(|(_, container, _)| container == "/app/config.toml")
        .unwrap_or_else(|| panic!("{name} mounts no /app/config.toml"));
    assert!(ro, "{name}: the config is mounted read-only");
    let path = scale_dir().join(host);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    (path, text.parse().unwrap())
}

/// Validates a config with the crate's parser, every key as written (`shards` and `watch`
/// included: they used to be taken out before parsing, so neither was really checked).
fn parse_config(path: &Path, table: &toml::Table) -> cyberbridge::config::Config {
    cyberbridge::config::Config::parse(path, &toml::to_string(table).unwrap(), Some("t".into()))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_scaled_out_deployment_is_consistent() {
    let compose = compose();
    let services = compose["services"].as_mapping().expect("services");
    let service = |name: &str| {
        services
            .get(name)
            .unwrap_or_else(|| panic!("no service {name}"))
    };
    // Every bind mount names a file of the repository.
    for (name, s) in services {
        for (host, _, _) in binds(s) {
            assert!(
                scale_dir().join(&host).exists(),
                "{name:?} mounts {host}, which does not exist"
            );
        }
    }

    // The shared REST limiter, and every bot sending its REST there.
    let proxy = service("http-proxy");
    assert!(proxy["image"]
        .as_str()
        .unwrap()
        .starts_with("ghcr.io/twilight-rs/http-proxy"));
    let proxy_port = proxy["environment"]["PORT"].as_str().unwrap();
    assert_eq!(proxy["expose"][0].as_str(), Some(proxy_port));
    let proxy_url = format!("http://http-proxy:{proxy_port}");

    let bots: Vec<&str> = services
        .iter()
        .filter(|(_, s)| s["image"].as_str() == Some("cyberbridge:latest"))
        .map(|(n, _)| n.as_str().unwrap())
        .collect();
    assert_eq!(bots.len(), 4, "{bots:?}");
    let mut shards = Vec::new();
    let mut upstreams = Vec::new();
    let mut health_ports = Vec::new();
    for name in &bots {
        let s = service(name);
        let (path, table) = service_config(name, s);
        let config = parse_config(&path, &table);
        assert_eq!(
            config.discord.http_proxy.as_deref(),
            Some(proxy_url.as_str())
        );
        // The shared knowledge file, in a folder mounted read-only, where the config looks
        // for it: the repository's folder, so that a knowledge.toml replaced with `mv` is seen.
        let kb = &config.knowledge.path;
        assert!(
            binds(s).iter().any(|(host, container, ro)| host == "../.."
                && *ro
                && kb.parent() == Some(Path::new(container))
                && kb.file_name() == Some(std::ffi::OsStr::new("knowledge.toml"))),
            "{name}: {} in the repository's folder, mounted read-only",
            kb.display()
        );
        assert!(config.knowledge.watch, "{name}");
        let args = command(s);
        if args.contains(&"--interactions".to_string()) {
            let key = config.interactions.public_key;
            assert!(key.is_some(), "{name}: a public key");
            let port = config.interactions.listen.port().to_string();
            assert_eq!(s["expose"][0].as_str(), Some(port.as_str()), "{name}");
            upstreams.push(format!("{name}:{port}"));
            health_ports.push(
                config
                    .metrics
                    .listen
                    .expect("metrics for health checks")
                    .port(),
            );
            assert!(
                table["discord"].get("shards").is_none(),
                "{name}: no gateway"
            );
        } else {
            let range = &table["discord"]["shards"];
            shards.push((
                range["total"].as_integer().unwrap(),
                range["first"].as_integer().unwrap(),
                range["count"].as_integer().unwrap(),
            ));
        }
    }

    // Two gateway processes whose shard ranges cover 0..total once each.
    assert_eq!(shards.len(), 2, "{shards:?}");
    let total = shards[0].0;
    assert!(shards.iter().all(|s| s.0 == total), "{shards:?}");
    let mut covered: Vec<i64> = shards.iter().flat_map(|s| s.1..s.1 + s.2).collect();
    covered.sort_unstable();
    assert_eq!(covered, (0..total).collect::<Vec<_>>(), "{shards:?}");

    // The reverse proxy balances over exactly the interactions replicas, on their ports, and
    // health-checks them where they serve /healthz.
    assert_eq!(upstreams.len(), 2, "{upstreams:?}");
    let caddy = read("deploy/scale/Caddyfile");
    let proxied: Vec<&str> = caddy
        .lines()
        .find_map(|l| l.trim().strip_prefix("reverse_proxy "))
        .expect("a reverse_proxy line")
        .trim_end_matches('{')
        .split_whitespace()
        .collect();
    assert_eq!(proxied, upstreams);
    assert!(caddy.contains(&format!("handle {}", cyberbridge::interactions::PATH)));
    let health_port = caddy
        .lines()
        .find_map(|l| l.trim().strip_prefix("health_port "))
        .expect("health_port");
    assert!(
        health_ports.iter().all(|p| p.to_string() == health_port),
        "{health_ports:?} vs {health_port}"
    );
    let proxy_service = service("reverse-proxy");
    assert!(binds(proxy_service)
        .iter()
        .any(|(host, container, ro)| host == "./Caddyfile"
            && container == "/etc/caddy/Caddyfile"
            && *ro));
    // The image is not pulled or built here: no test may need Docker.
}

#[test]
fn the_systemd_unit_gives_room_for_both_listeners_connection_limits() {
    // Without LimitNOFILE (1,024 by default) a flood of connections ran out of descriptors
    // before the bot's own limits could refuse them: SIGHUP failed with "Too many open files".
    let unit = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/cyberbridge.service"),
    )
    .unwrap();
    let limit: usize = unit
        .lines()
        .find_map(|l| l.strip_prefix("LimitNOFILE="))
        .expect("the unit sets LimitNOFILE")
        .trim()
        .parse()
        .unwrap();
    let listeners =
        cyberbridge::interactions::MAX_CONNECTIONS + cyberbridge::ops::http::MAX_CONNECTIONS;
    assert!(
        limit >= 4 * listeners,
        "LimitNOFILE={limit} for {listeners} connections"
    );
}

/// Whether `service` bind-mounts a host folder (not a file) read-only at `container`.
fn binds_folder_at(service: &serde_yaml::Value, container: &str) -> bool {
    service["volumes"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .any(|v| {
            let parts: Vec<&str> = v.split(':').collect();
            parts.len() == 3
                && parts[1] == container
                && parts[2] == "ro"
                && Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("deploy")
                    .join(parts[0])
                    .is_dir()
        })
}
