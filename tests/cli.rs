//! End-to-end tests of the binary: invocation forms, discovery, exit codes, formats, color.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::folder;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo_manifest() -> PathBuf {
    repo().join("fixtures/demo/Cargo.toml")
}

/// Runs the binary in `cwd` with a predictable environment (no color settings inherited).
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-kafka-lint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn run(args: &[&str]) -> Output {
    run_in(&repo(), args)
}

/// Runs the binary from the repository root on the demo workspace.
fn run_demo(args: &[&str]) -> Output {
    let manifest = demo_manifest();
    let mut all = vec!["--manifest-path", manifest.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The rule ids of a JSON report, in order.
fn rules_of(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[track_caller]
fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}

const CLEAN: &[u8] = b"KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\nKAFKA_REQUEST_TIMEOUT_MS=5000\n";
const WARNING_ONLY: &[u8] =
    b"KAFKA_SESSION_TIMEOUT_MS=45000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\nKAFKA_REQUEST_TIMEOUT_MS=5000\n";
const ERROR: &[u8] = b"KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\nKAFKA_REQUEST_TIMEOUT_MS=40000\n";

#[test]
fn demo_human_output() {
    let out = run_demo(&["--color", "never", "-v"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    insta::assert_snapshot!("demo_human", stderr(&out));
}

#[test]
fn demo_json_output() {
    let out = run_demo(&["--format", "json"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["summary"]["files"]["env"], 6);
    assert_eq!(doc["summary"]["files"]["rust"], 4);
    assert_eq!(doc["summary"]["consumers"]["found"], 4);
    insta::assert_snapshot!("demo_json", stdout(&out));
}

#[test]
fn cargo_subcommand_form_and_direct_form_agree() {
    let manifest = demo_manifest();
    let manifest = manifest.to_str().unwrap();
    let direct = run(&["--manifest-path", manifest, "--format", "json"]);
    let via_cargo = run(&[
        "kafka-lint",
        "--manifest-path",
        manifest,
        "--format",
        "json",
    ]);
    assert_eq!(direct.stdout, via_cargo.stdout);
    assert_eq!(code(&direct), code(&via_cargo));
}

#[test]
fn a_member_folder_lints_that_member_as_cargo_does_and_workspace_lints_all() {
    let member = repo().join("fixtures/demo/services/orders");
    let doc = json(&run_in(&member, &["--format", "json"]));
    let files = common::diagnostic_files(&doc);
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("fixtures/demo/services/orders/")),
        "{files:?}"
    );
    // The member, and the env files at the workspace root, which apply to every member.
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("fixtures/demo/services/orders/")
                || *f == "fixtures/demo/.env"
                || *f == "fixtures/demo/.env.test"),
        "{files:?}"
    );
    let whole = run_in(&member, &["--format", "json", "--workspace"]);
    let from_manifest = run_demo(&["--format", "json"]);
    assert_eq!(stdout(&whole), stdout(&from_manifest));
    // `--manifest-path` of a member selects it too.
    let manifest = member.join("Cargo.toml");
    let by_manifest = run(&[
        "--format",
        "json",
        "--manifest-path",
        manifest.to_str().unwrap(),
    ]);
    assert_eq!(json(&by_manifest)["diagnostics"], doc["diagnostics"]);
}

#[test]
fn paths_restrict_linting_and_machine_formats_name_files_from_the_repository_root() {
    let out = run_demo(&["--format", "json", "fixtures/demo/services/orders"]);
    let doc = json(&out);
    let files = common::diagnostic_files(&doc);
    assert!(!files.is_empty());
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("fixtures/demo/services/orders/")),
        "{files:?}"
    );
    assert!(
        files.contains(&"fixtures/demo/services/orders/src/kafka.rs"),
        "{files:?}"
    );
    // The whole workspace is still analysed.
    assert_eq!(doc["summary"]["files"]["env"], 6);
}

#[test]
fn a_folder_without_cargo_is_linted_as_is() {
    let dir = folder(&[(".env.test", ERROR), ("sub/test.env", CLEAN)]);
    let out = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    assert_eq!(doc["diagnostics"][0]["file"], ".env.test");
    assert_eq!(doc["diagnostics"][0]["rule"], "request-not-below-session");
    assert_eq!(doc["summary"]["files"]["env"], 2);
}

#[test]
fn exit_code_0_when_clean() {
    let dir = folder(&[(".env.test", CLEAN)]);
    let out = run_in(dir.path(), &["--color", "never"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stderr(&out), "no problems found; checked 1 env file\n");
}

#[test]
fn warnings_exit_0_unless_denied() {
    let dir = folder(&[(".env.test", WARNING_ONLY)]);
    assert_eq!(code(&run_in(dir.path(), &[])), 0);
    let denied = run_in(dir.path(), &["-D", "warnings", "--format", "json"]);
    assert_eq!(code(&denied), 1);
    assert_eq!(json(&denied)["diagnostics"][0]["severity"], "error");
    let allowed = run_in(
        dir.path(),
        &[
            "-D",
            "warnings",
            "-A",
            "slow-test-teardown",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&allowed), 0);
    assert_eq!(json(&allowed)["diagnostics"].as_array().unwrap().len(), 0);
    let warned = run_in(dir.path(), &["-A", "warnings", "--format", "json"]);
    assert_eq!(json(&warned)["summary"]["warnings"], 0);
}

#[test]
fn a_rule_can_be_lowered_to_a_warning() {
    let dir = folder(&[(".env.test", ERROR)]);
    let out = run_in(
        dir.path(),
        &["-W", "request-not-below-session", "--format", "json"],
    );
    assert_eq!(code(&out), 0);
    assert_eq!(json(&out)["diagnostics"][0]["severity"], "warning");
}

#[test]
fn exit_code_2_for_a_missing_path() {
    let dir = folder(&[(".env.test", CLEAN)]);
    let out = run_in(dir.path(), &["--color", "never", "no/such/dir"]);
    assert_eq!(code(&out), 2);
    assert_contains(&stderr(&out), "the path `no/such/dir` does not exist");
}

#[test]
fn exit_code_2_for_an_unreadable_file_and_the_rest_is_still_linted() {
    let dir = folder(&[
        (".env", b"KAFKA_SESSION_TIMEOUT_MS=\xff\n"),
        ("svc/.env.test", ERROR),
    ]);
    let out = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(code(&out), 2);
    let doc = json(&out);
    assert_eq!(
        rules_of(&doc),
        ["unreadable-file", "request-not-below-session"]
    );
    assert_contains(
        doc["diagnostics"][0]["message"].as_str().unwrap(),
        "not UTF-8",
    );
}

#[test]
fn exit_code_2_for_unknown_rules_with_a_suggestion() {
    let out = run(&["-D", "heartbeat-above-third-of-sesion"]);
    assert_eq!(code(&out), 2);
    assert_contains(
        &stderr(&out),
        "did you mean `heartbeat-above-third-of-session`",
    );
}

#[test]
fn a_manifest_cargo_cannot_read_is_still_linted_quoting_cargo() {
    let dir = folder(&[("Cargo.toml", b"[package\nname = "), (".env.test", ERROR)]);
    let out = run_in(dir.path(), &["--color", "never"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert_contains(&err, "cargo-metadata-failed");
    assert_contains(&err, "cargo said:");
    assert_contains(&err, "request-not-below-session");
}

#[test]
fn exit_code_2_for_a_missing_manifest() {
    let out = run(&["--manifest-path", "no/Cargo.toml"]);
    assert_eq!(code(&out), 2);
    assert_contains(&stderr(&out), "does not exist");
}

#[test]
fn help_documents_exit_codes_and_version_prints() {
    let help = run(&["--help"]);
    assert_eq!(code(&help), 0);
    let text = stdout(&help);
    assert_contains(&text, "Usage: cargo kafka-lint");
    assert_contains(&text, "Exit codes:");
    assert_contains(&text, "2  usage, configuration or I/O error");
    let version = run(&["--version"]);
    assert_eq!(
        stdout(&version),
        format!("cargo-kafka-lint {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn quiet_prints_findings_only_and_verbose_prints_notes() {
    let dir = folder(&[
        (".env.test", WARNING_ONLY),
        ("kafka.env", b"KAFKA_BROKER_ID=1\n"),
    ]);
    let quiet = stderr(&run_in(dir.path(), &["-q", "--color", "never"]));
    assert!(
        quiet.contains("slow-test-teardown") && !quiet.contains("checked"),
        "{quiet}"
    );
    let verbose = stderr(&run_in(dir.path(), &["-v", "--color", "never"]));
    assert_contains(&verbose, "note: kafka.env: skipped Kafka settings");
    let quiet_json = run_in(dir.path(), &["-q", "--format", "json"]);
    assert!(stderr(&quiet_json).is_empty());
}

#[test]
fn color_follows_flag_then_cargo_term_color_then_no_color() {
    let dir = folder(&[(".env.test", ERROR)]);
    let escape = |o: &Output| o.stderr.contains(&0x1b);
    assert!(escape(&run_in(dir.path(), &["--color", "always"])));
    assert!(!escape(&run_in(dir.path(), &["--color", "never"])));
    assert!(
        !escape(&run_in(dir.path(), &[])),
        "auto is off when stderr is not a terminal"
    );
    let bin = env!("CARGO_BIN_EXE_cargo-kafka-lint");
    let with_env = |k: &str, v: &str, args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env(k, v)
            .output()
            .unwrap()
    };
    assert!(escape(&with_env("CARGO_TERM_COLOR", "always", &[])));
    assert!(!escape(&with_env(
        "CARGO_TERM_COLOR",
        "always",
        &["--color", "never"]
    )));
    assert!(escape(&with_env("NO_COLOR", "1", &["--color", "always"])));
}

#[test]
fn json_spans_count_characters_and_are_one_based() {
    let text =
        "# ☕ café\nKAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_REQUEST_TIMEOUT_MS=\u{3000}\"日本6000\"\n";
    let dir = folder(&[(".env", text.as_bytes())]);
    let doc = json(&run_in(dir.path(), &["--format", "json"]));
    let d = &doc["diagnostics"][0];
    assert_eq!(d["rule"], "malformed-timeout-value");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(27))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(3), Some(35))
    );
}

#[test]
fn json_labels_point_at_the_compared_value() {
    let dir = folder(&[(".env.test", ERROR)]);
    let doc = json(&run_in(dir.path(), &["--format", "json"]));
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(3), Some(26), Some(31))
    );
    let label = &d["labels"][0];
    assert_eq!(label["file"], ".env.test");
    assert_eq!(
        (
            label["line"].as_u64(),
            label["column"].as_u64(),
            label["end_column"].as_u64()
        ),
        (Some(1), Some(26), Some(30))
    );
    assert_eq!(label["message"], "session timeout set here (6000 ms)");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("KAFKA_REQUEST_TIMEOUT_MS=5000")
    );
}

#[test]
fn the_cargo_target_dir_git_and_symlinks_are_not_walked() {
    let dir = folder(&[
        (
            "Cargo.toml",
            b"[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("src/main.rs", b"fn main() {}\n"),
        (".env.test", CLEAN),
        ("target/debug/.env.test", ERROR),
        (".git/.env.test", ERROR),
    ]);
    let outside = folder(&[(".env.test", ERROR)]);
    std::os::unix::fs::symlink(
        outside.path().join(".env.test"),
        dir.path().join("linked.env"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let out = run_in(dir.path(), &["--format", "json", "-v"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(json(&out)["summary"]["files"]["env"], 1);
}

#[test]
fn a_fifo_named_like_an_env_file_is_not_read() {
    let dir = folder(&[(".env", CLEAN)]);
    let status = Command::new("mkfifo")
        .arg(dir.path().join(".env.test"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(code(&out), 0);
    assert_eq!(json(&out)["summary"]["files"]["env"], 1);
}

#[test]
fn output_is_deterministic() {
    let manifest = demo_manifest();
    let args = [
        "--manifest-path",
        manifest.to_str().unwrap(),
        "--format",
        "json",
    ];
    let first = run(&args);
    for _ in 0..3 {
        assert_eq!(run(&args).stdout, first.stdout);
    }
}

#[test]
fn a_permission_denied_file_is_reported_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder(&[
        (".env.test", b"KAFKA_SESSION_TIMEOUT_MS=6000\n"),
        ("svc/.env.test", ERROR),
    ]);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        dir.path().join("svc"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    std::fs::set_permissions(
        dir.path().join(".env.test"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("locked")).unwrap();
    std::fs::set_permissions(
        dir.path().join("locked"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // root reads any file; run as `nobody` where that is possible.
    let bin = env!("CARGO_BIN_EXE_cargo-kafka-lint");
    let as_nobody = Command::new("setpriv")
        .args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            bin,
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output();
    let out = match as_nobody {
        Ok(out) if out.status.code() != Some(127) && !out.stdout.is_empty() => out,
        _ => run_in(dir.path(), &["--format", "json"]),
    };
    let doc = json(&out);
    if doc["diagnostics"][0]["rule"] != "unreadable-file" {
        eprintln!("skipped: this user can read a file with mode 000 and cannot switch users");
        return;
    }
    assert_eq!(code(&out), 2);
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert_contains(message, "Permission denied");
    let folder = doc["diagnostics"][1]["message"].as_str().unwrap();
    assert_eq!(
        folder,
        "cannot list the folder `locked`: Permission denied (os error 13)"
    );
    assert_eq!(doc["diagnostics"][2]["rule"], "request-not-below-session");
}

#[test]
fn a_file_path_is_linted_and_other_files_are_ignored() {
    let dir = folder(&[
        (".env.test", ERROR),
        ("other/.env.test", ERROR),
        ("notes.txt", b"x"),
    ]);
    let out = run_in(
        dir.path(),
        &["--format", "json", "other/.env.test", "notes.txt"],
    );
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    assert_eq!(rules_of(&doc), ["request-not-below-session"]);
    assert_eq!(doc["diagnostics"][0]["file"], "other/.env.test");
}

#[test]
fn json_consumers_say_where_each_timeout_comes_from() {
    let doc = json(&run_demo(&["--format", "json"]));
    let consumers = doc["consumers"].as_array().unwrap();
    let refunds = consumers
        .iter()
        .find(|c| c["file"] == "fixtures/demo/services/billing/src/main.rs" && c["line"] == 36)
        .expect("the refunds consumer");
    assert_eq!(refunds["type"], "StreamConsumer");
    assert_eq!(refunds["group"], true);
    let timeout = |key: &str| {
        refunds["timeouts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == key)
            .unwrap()
            .clone()
    };
    let session = timeout("session.timeout.ms");
    assert_eq!(
        (session["state"].as_str(), session["source"].as_str()),
        (Some("set"), Some("env"))
    );
    assert_eq!(session["env_key"], "KAFKA_SESSION_TIMEOUT_MS");
    assert_eq!(session["code_default"], "45000");
    let files: Vec<(&str, &str)> = session["env_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("fixtures/demo/.env", "45000"),
            ("fixtures/demo/.env.test", "45000"),
            ("fixtures/demo/services/billing/.env", "30000"),
            ("fixtures/demo/services/billing/.env.test", "6000")
        ]
    );
    let socket = timeout("socket.timeout.ms");
    assert_eq!(
        (
            socket["state"].as_str(),
            socket["value"].as_str(),
            socket["source"].as_str()
        ),
        (Some("unset"), Some("60000"), Some("librdkafka default"))
    );
    let orders = consumers
        .iter()
        .find(|c| c["file"] == "fixtures/demo/services/orders/src/kafka.rs")
        .unwrap();
    assert_eq!(orders["timeouts"][0]["state"], "unset");
}

#[test]
fn verbose_shows_every_consumer() {
    let out = run_demo(&["--color", "never", "-v"]);
    let text = stderr(&out);
    let start = text.find("\nconsumer ").expect("the consumer table") + 1;
    let end = text[start..]
        .find("\nnote: ")
        .map_or(text.len(), |i| start + i + 1);
    let table = &text[start..end];
    insta::assert_snapshot!("demo_verbose_consumers", table);
}

const SLOW: &[u8] =
    b"KAFKA_SESSION_TIMEOUT_MS=45000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\nKAFKA_REQUEST_TIMEOUT_MS=5000\n";

fn rule_severities(out: &Output) -> Vec<(String, String)> {
    json(out)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn configuration_from_kafka_lint_toml_and_config_flag() {
    let dir = folder(&[
        (".env.test", SLOW),
        (
            "kafka-lint.toml",
            b"[rules]\nslow-test-teardown = \"deny\"\n",
        ),
        ("other.toml", b"[rules]\nslow-test-teardown = \"allow\"\n"),
    ]);
    let out = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        rule_severities(&out),
        [(".env.test".to_owned(), "error".to_owned())]
    );
    let out = run_in(dir.path(), &["--format", "json", "--config", "other.toml"]);
    assert_eq!(code(&out), 0);
    assert!(rule_severities(&out).is_empty());
    // The command line overrides configuration.
    let out = run_in(
        dir.path(),
        &["--format", "json", "-W", "slow-test-teardown"],
    );
    assert_eq!(
        rule_severities(&out),
        [(".env.test".to_owned(), "warning".to_owned())]
    );
}

#[test]
fn package_metadata_is_merged_over_workspace_metadata() {
    let dir = folder(&[
        (
            "Cargo.toml",
            b"[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.metadata.kafka-lint.rules]\nslow-test-teardown = \"deny\"\n",
        ),
        ("a/Cargo.toml", b"[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        ("a/src/lib.rs", b""),
        ("a/.env.test", SLOW),
        (
            "b/Cargo.toml",
            b"[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[package.metadata.kafka-lint.rules]\nslow-test-teardown = \"warn\"\n",
        ),
        ("b/src/lib.rs", b""),
        ("b/.env.test", SLOW),
    ]);
    let out = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(
        rule_severities(&out),
        [
            ("a/.env.test".to_owned(), "error".to_owned()),
            ("b/.env.test".to_owned(), "warning".to_owned())
        ]
    );
}

#[test]
fn configuration_errors_point_into_the_file_and_exit_2() {
    let cases: [(&[u8], &str); 4] = [
        (
            b"[rules]\nslow-test-teardwn = \"deny\"\n",
            "did you mean `slow-test-teardown`?",
        ),
        (
            b"[rules]\nslow-test-teardown = \"error\"\n",
            "use \"allow\", \"warn\" or \"deny\"",
        ),
        (b"colour = \"always\"\n", "unknown field `colour`"),
        (b"[test]\nteardown-budget-ms = \"ten\"\n", "invalid type"),
    ];
    for (config, expected) in cases {
        let dir = folder(&[(".env.test", SLOW), ("kafka-lint.toml", config)]);
        let out = run_in(dir.path(), &["--color", "never"]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        let err = stderr(&out);
        assert_contains(&err, expected);
        assert_contains(&err, "kafka-lint.toml");
        assert_contains(&err, " │ ");
    }
    let dir = folder(&[(".env.test", SLOW)]);
    let out = run_in(dir.path(), &["--config", "missing.toml"]);
    assert_eq!(code(&out), 2);
    assert_contains(&stderr(&out), "cannot read the configuration");
}

#[test]
fn a_given_file_is_analysed_with_the_rest_of_its_crate() {
    let helper = b"use rdkafka::ClientConfig;\npub fn timeouts(c: &mut ClientConfig) {\n    c.set(\"session.timeout.ms\", \"6000\").set(\"heartbeat.interval.ms\", \"2000\").set(\"socket.timeout.ms\", \"5000\");\n}\n";
    let main = b"use rdkafka::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\nfn c() -> StreamConsumer {\n    let mut cfg = ClientConfig::new();\n    cfg.set(\"group.id\", \"g\");\n    helpers::timeouts(&mut cfg);\n    cfg.create().unwrap()\n}\n";
    let dir = folder(&[("src/main.rs", main), ("src/helpers.rs", helper)]);
    let out = run_in(dir.path(), &["--format", "json", "src/main.rs"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(json(&out)["summary"]["consumers"]["known"], 1);
    // Two batches of one file each report what one run over both files reports.
    let dir = folder(&[("a/.env.test", ERROR), ("b/.env.test", ERROR)]);
    let both = rules_of(&json(&run_in(
        dir.path(),
        &["--format", "json", "a/.env.test", "b/.env.test"],
    )));
    let a = rules_of(&json(&run_in(
        dir.path(),
        &["--format", "json", "a/.env.test"],
    )));
    let b = rules_of(&json(&run_in(
        dir.path(),
        &["--format", "json", "b/.env.test"],
    )));
    assert_eq!(both, [a, b].concat());
}

#[test]
fn packages_are_selected_the_way_cargo_does() {
    let member = |name: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
    };
    let (a, b) = (member("alpha"), member("beta"));
    let dir = folder(&[
        (
            "Cargo.toml",
            b"[workspace]\nmembers = [\"alpha\", \"beta\"]\n",
        ),
        ("alpha/Cargo.toml", a.as_bytes()),
        ("alpha/src/lib.rs", b""),
        ("alpha/.env.test", ERROR),
        ("beta/Cargo.toml", b.as_bytes()),
        ("beta/src/lib.rs", b""),
        ("beta/.env.test", ERROR),
        (".env", b"KAFKA_SESSION_TIMEOUT_MS=06000\n"),
    ]);
    let files = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        json(&run_in(dir.path(), &all))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["file"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(files(&["-p", "alpha"]), [".env", "alpha/.env.test"]);
    assert_eq!(files(&["--exclude", "alpha"]), [".env", "beta/.env.test"]);
    assert_eq!(
        files(&["--package", "alpha@0.1.0", "-p", "beta"]),
        [".env", "alpha/.env.test", "beta/.env.test"]
    );
    let out = run_in(dir.path(), &["-p", "alpah", "--color", "never"]);
    assert_eq!(code(&out), 2);
    assert_contains(&stderr(&out), "did you mean `alpha`?");
}
