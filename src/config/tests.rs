//! The configuration's rules, one test each, on config texts written out in full.

use super::*;

const CONTRACT: &str = r#"
[discord]
http_proxy = "http://127.0.0.1:3000"
dev_guild_id = "123456789012345678"
[knowledge]
path = "knowledge.toml"
[admin]
user_ids = ["123456789012345678"]
role_ids = []
[limits]
questions_per_minute = 10
"#;

fn parse(text: &str, env: Option<&str>) -> Result<Config, ConfigError> {
    Config::parse(
        Path::new("/etc/bot/config.toml"),
        text,
        env.map(str::to_string),
    )
}

#[test]
fn the_contract_keys_parse() {
    let config = parse(CONTRACT, Some("tok")).unwrap();
    assert_eq!(
        config.discord.http_proxy.as_deref(),
        Some("http://127.0.0.1:3000")
    );
    assert_eq!(config.discord.dev_guild_id, Some(123_456_789_012_345_678));
    assert_eq!(config.admin.user_ids, vec![123_456_789_012_345_678]);
    assert!(config.admin.role_ids.is_empty());
    assert_eq!(config.limits.questions_per_minute.get(), 10);
}

#[test]
fn relative_paths_resolve_against_the_config_folder() {
    let config = parse(CONTRACT, Some("tok")).unwrap();
    assert_eq!(config.knowledge.path, Path::new("/etc/bot/knowledge.toml"));
    assert_eq!(
        config.logs.declined.as_deref(),
        Some(Path::new("/etc/bot/data/declined.log"))
    );
}

#[test]
fn an_unknown_key_is_an_error_naming_it() {
    let err = parse("[limits]\nquestions_per_minit = 3\n", Some("tok")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("questions_per_minit"), "{text}");
    assert!(text.contains("line 2"), "{text}");
    let err = parse("[discrod]\n", Some("tok")).unwrap_err();
    assert!(err.to_string().contains("discrod"), "{err}");
}

#[test]
fn conversation_keys_have_defaults_limits_and_reject_typos() {
    let config = parse("", Some("tok")).unwrap();
    assert_eq!(
        config.conversation.follow_up,
        std::time::Duration::from_secs(600)
    );
    assert_eq!(config.conversation.max_contexts, 10_000);
    let config = parse(
        "[conversation]\nfollow_up_minutes = 0\nmax_contexts = 5\n",
        Some("tok"),
    )
    .unwrap();
    assert_eq!(config.conversation.follow_up, std::time::Duration::ZERO);
    assert_eq!(config.conversation.max_contexts, 5);
    let err = parse("[conversation]\nmax_contexts = 0\n", Some("tok")).unwrap_err();
    assert!(
        err.to_string().contains("conversation.max_contexts"),
        "{err}"
    );
    let err = parse("[conversation]\nfollow_up_minutes = 100000\n", Some("tok")).unwrap_err();
    assert!(err.to_string().contains("more than a day"), "{err}");
    let err = parse("[conversation]\nfollowup_minutes = 5\n", Some("tok")).unwrap_err();
    assert!(err.to_string().contains("followup_minutes"), "{err}");
}

#[test]
fn a_wrong_type_is_an_error_showing_the_key() {
    let err = parse("[limits]\nquestions_per_minute = \"ten\"\n", Some("tok")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("questions_per_minute"), "{text}");
    let err = parse("[limits]\nquestions_per_minute = 0\n", Some("tok")).unwrap_err();
    assert!(err.to_string().contains("questions_per_minute"), "{err}");
    let err = parse("[admin]\nuser_ids = [\"12ab\"]\n", Some("tok")).unwrap_err();
    assert!(err.to_string().contains("invalid Discord id"), "{err}");
}

#[test]
fn the_decline_threshold_defaults_to_the_calibrated_one_and_must_be_a_fraction() {
    let default = parse("", Some("t")).unwrap();
    assert_eq!(
        default.knowledge.decline_below,
        crate::search::score::DEFAULT_DECLINE_BELOW
    );
    let set = parse("[knowledge]\ndecline_below = 0.4\n", Some("t")).unwrap();
    assert!((set.knowledge.decline_below - 0.4).abs() < 1e-6);
    let err = parse("[knowledge]\ndecline_below = 1.5\n", Some("t")).unwrap_err();
    assert!(err.to_string().contains("knowledge.decline_below"), "{err}");
}

#[test]
fn regression_a_token_with_a_newline_is_refused_at_start_up() {
    // Such a token used to let the bot start and then retry forever ("invalid header
    // value").
    let err = parse(CONTRACT, Some("abc\ndef")).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("discord.token") && text.contains("position 4"),
        "{text}"
    );
    assert!(!text.contains("abc"), "the token is not shown: {text}");
    let err = parse("[discord]\ntoken = \"a\\tb\"\n", None).unwrap_err();
    assert!(err.to_string().contains("discord.token"), "{err}");
    // Surrounding whitespace (a trailing newline from `echo`) is trimmed, not refused.
    assert_eq!(
        parse(CONTRACT, Some("abc\n"))
            .unwrap()
            .discord
            .token
            .expose(),
        "abc"
    );
}

#[test]
fn regression_a_negative_guild_id_names_the_key_and_the_rule() {
    // The error used to be serde's "data did not match any variant of untagged enum
    // Either", naming neither the key nor what it accepts.
    for value in ["-5", "0", "\"-5\"", "1.5", "true", "[1]", "\"12x\""] {
        let err = parse(&format!("[discord]\ndev_guild_id = {value}\n"), Some("t")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("dev_guild_id"), "{text}");
        assert!(text.contains("positive whole number"), "{text}");
        assert!(!text.contains("untagged"), "{text}");
    }
}

#[test]
fn knowledge_safety_keys_have_defaults_and_rules() {
    let default = parse("", Some("t")).unwrap();
    assert_eq!(default.knowledge.sources_dir, None);
    assert_eq!(
        default.knowledge.max_removed_share,
        DEFAULT_MAX_REMOVED_SHARE
    );
    let set = parse(
        "[knowledge]\nsources = \"articles\"\nmax_removed_share = 0.5\nmax_file_bytes = 1000\n",
        Some("t"),
    )
    .unwrap();
    assert_eq!(
        set.knowledge.sources_dir.as_deref(),
        Some(Path::new("/etc/bot/articles"))
    );
    assert_eq!(set.knowledge.max_file_bytes, 1000);
    let err = parse("[knowledge]\nmax_removed_share = 2\n", Some("t")).unwrap_err();
    assert!(
        err.to_string().contains("knowledge.max_removed_share"),
        "{err}"
    );
    let err = parse("[knowledge]\nmax_file_bytes = 0\n", Some("t")).unwrap_err();
    assert!(
        err.to_string().contains("knowledge.max_file_bytes"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn regression_a_config_linked_to_dev_zero_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
    let err = Config::load(&path).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn ids_may_be_integers_too() {
    let config = parse("[admin]\nuser_ids = [42]\nrole_ids = [\"7\"]\n", Some("t")).unwrap();
    assert_eq!(config.admin.user_ids, vec![42]);
    assert_eq!(config.admin.role_ids, vec![7]);
}

#[test]
fn the_environment_token_wins_over_the_file() {
    let text = "[discord]\ntoken = \"from-file\"\n";
    assert_eq!(
        parse(text, Some("from-env"))
            .unwrap()
            .discord
            .token
            .expose(),
        "from-env"
    );
    assert_eq!(
        parse(text, None).unwrap().discord.token.expose(),
        "from-file"
    );
    // An empty variable does not count as set.
    assert_eq!(
        parse(text, Some("")).unwrap().discord.token.expose(),
        "from-file"
    );
}

#[test]
fn a_missing_token_is_an_error_naming_the_variable() {
    let err = parse(CONTRACT, None).unwrap_err();
    assert!(matches!(err, ConfigError::MissingToken { .. }));
    assert!(err.to_string().contains(TOKEN_ENV), "{err}");
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let config = parse(CONTRACT, Some("super-secret-token")).unwrap();
    let debug = format!("{config:?}");
    assert!(!debug.contains("super-secret-token"), "{debug}");
    assert!(debug.contains("redacted"));
}

#[test]
fn a_proxy_must_be_an_http_url_and_floors_fractions() {
    let err = parse("[discord]\nhttp_proxy = \"127.0.0.1:3000\"\n", Some("t")).unwrap_err();
    assert!(err.to_string().contains("discord.http_proxy"), "{err}");
    let err = parse("[knowledge]\nmin_top1 = 95\n", Some("t")).unwrap_err();
    assert!(err.to_string().contains("knowledge.min_top1"), "{err}");
}

#[test]
fn an_empty_log_path_switches_the_log_off() {
    let config = parse("[logs]\ndeclined = \"\"\n", Some("t")).unwrap();
    assert_eq!(config.logs.declined, None);
    assert!(config.logs.feedback.is_some());
}

#[test]
fn metrics_are_off_by_default_and_listen_is_an_address() {
    assert_eq!(parse("", Some("t")).unwrap().metrics.listen, None);
    let on = parse("[metrics]\nlisten = \"127.0.0.1:9187\"\n", Some("t")).unwrap();
    assert_eq!(on.metrics.listen, Some("127.0.0.1:9187".parse().unwrap()));
    let err = parse("[metrics]\nlisten = \"localhost\"\n", Some("t")).unwrap_err();
    assert!(err.to_string().contains("metrics.listen"), "{err}");
}

/// A valid key: the public half of a fixed test seed, as the Developer Portal shows it.
fn test_public_key_hex() -> String {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
    key.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn interactions_default_to_port_8080_on_loopback_without_a_key() {
    let config = parse("", Some("t")).unwrap();
    assert_eq!(
        config.interactions.listen,
        "127.0.0.1:8080".parse().unwrap()
    );
    assert_eq!(config.interactions.public_key, None);
    let hex = test_public_key_hex();
    let set = parse(
        &format!("[interactions]\nlisten = \"127.0.0.1:9000\"\npublic_key = \"{hex}\"\n"),
        Some("t"),
    )
    .unwrap();
    assert_eq!(set.interactions.listen, "127.0.0.1:9000".parse().unwrap());
    assert_eq!(
        set.interactions.public_key,
        Some(ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key())
    );
    // Upper-case hex is the same key.
    let upper = parse(
        &format!("[interactions]\npublic_key = \"{}\"\n", hex.to_uppercase()),
        Some("t"),
    )
    .unwrap();
    assert_eq!(upper.interactions.public_key, set.interactions.public_key);
}

#[test]
fn a_bad_public_key_is_refused_at_load_with_what_is_wrong() {
    let hex = test_public_key_hex();
    let cases = [
        (hex[..62].to_string(), "62 hex digits"),
        (format!("{}zz", &hex[..62]), "not hex"),
        (format!("{hex}00"), "66 hex digits"),
        // y = 2 (little-endian) is not the y of any point on the curve.
        (
            format!("02{}", "0".repeat(62)),
            "not a valid ed25519 public key",
        ),
    ];
    for (key, why) in cases {
        let err = parse(
            &format!("[interactions]\npublic_key = \"{key}\"\n"),
            Some("t"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("interactions.public_key"), "{err}");
        assert!(err.contains(why), "{key}: {err}");
    }
    let err = parse("[interactions]\nlisten = \"8080\"\n", Some("t")).unwrap_err();
    assert!(err.to_string().contains("interactions.listen"), "{err}");
}

/// A relative `eval_path` that did not exist used to switch the gate off
/// without a word.
#[test]
fn regression_a_missing_eval_path_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let config = Config::parse(
        &path,
        "[knowledge]\neval_path = \"nowhere/questions.toml\"\n",
        Some("t".into()),
    )
    .unwrap();
    let err = config.check_files().unwrap_err();
    let text = err.to_string();
    assert!(text.contains("knowledge.eval_path"), "{text}");
    assert!(text.contains("nowhere/questions.toml"), "{text}");
    std::fs::create_dir(dir.path().join("nowhere")).unwrap();
    std::fs::write(dir.path().join("nowhere/questions.toml"), "").unwrap();
    assert!(config.check_files().is_ok());
}

/// An `eval_path` that was a FIFO was reported as not existing.
#[cfg(unix)]
#[test]
fn regression_an_eval_path_that_is_a_fifo_is_named_a_fifo_not_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let config = Config::parse(
        &path,
        "[knowledge]\neval_path = \"questions.toml\"\n",
        Some("t".into()),
    )
    .unwrap();
    if !crate::files::mkfifo(&dir.path().join("questions.toml")) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    let text = config.check_files().unwrap_err().to_string();
    assert!(text.contains("knowledge.eval_path"), "{text}");
    assert!(text.contains("not a regular file (a FIFO)"), "{text}");
    assert!(!text.contains("does not exist"), "{text}");
}

#[test]
fn shards_default_to_auto_and_take_a_range() {
    assert_eq!(parse("", Some("t")).unwrap().discord.shards, Shards::Auto);
    let auto = parse("[discord]\nshards = \"auto\"\n", Some("t")).unwrap();
    assert_eq!(auto.discord.shards, Shards::Auto);
    let range = parse(
        "[discord]\nshards = { total = 16, first = 4, count = 4 }\n",
        Some("t"),
    )
    .unwrap();
    let Shards::Range(range) = range.discord.shards else {
        panic!("not a range: {:?}", range.discord.shards)
    };
    assert_eq!(range.ids(), 4..8);
    assert_eq!(range.total, 16);
}

#[test]
fn a_bad_shard_range_names_the_key_and_the_rule() {
    for (value, rule) in [
        ("{ total = 0, first = 0, count = 1 }", "total ≥ 1"),
        ("{ total = 4, first = 0, count = 0 }", "count ≥ 1"),
        (
            "{ total = 4, first = 3, count = 2 }",
            "first + count ≤ total",
        ),
        ("{ total = 4, first = -1, count = 2 }", "first = -1"),
        ("{ total = 4, count = 2 }", "`first` is missing"),
        (
            "{ total = 4, first = 0, count = 2, start = 1 }",
            "unknown key `start`",
        ),
        ("\"all\"", "\"auto\""),
        ("4", "not a shard setting"),
    ] {
        let err = parse(&format!("[discord]\nshards = {value}\n"), Some("t")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("discord.shards"), "{value}: {text}");
        assert!(text.contains(rule), "{value}: {text}");
    }
    // The largest shard numbers do not overflow.
    let err = ShardRange::new(u32::MAX, u32::MAX, 2).unwrap_err();
    assert!(err.contains("first + count ≤ total"), "{err}");
}

#[test]
fn watching_the_knowledge_file_is_off_by_default() {
    assert!(!parse("", Some("t")).unwrap().knowledge.watch);
    assert!(
        parse("[knowledge]\nwatch = true\n", Some("t"))
            .unwrap()
            .knowledge
            .watch
    );
    let err = parse("[knowledge]\nwatch = \"yes\"\n", Some("t")).unwrap_err();
    assert!(err.to_string().contains("watch"), "{err}");
}

#[test]
fn the_example_config_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let config = Config::parse(&path, &text, Some("t".into())).unwrap();
    assert!(
        config.knowledge.path.exists(),
        "{:?}",
        config.knowledge.path
    );
}
