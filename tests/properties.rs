//! Properties of the whole pipeline on generated workspaces (env files and Rust sources built
//! from realistic and hostile fragments): every span of every diagnostic lies inside its file
//! on char boundaries, and the output is identical across runs and thread counts. (The env
//! parser's agreement with dotenvy on generated input is in `dotenvy_oracle.rs`.)

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use cargo_kafka_lint::report::{Report, json};
use cargo_kafka_lint::{RuleLevels, RunSettings, Workspace, lint_workspace};
use std::fmt::Write as _;

use proptest::prelude::*;

fn env_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "KAFKA_SESSION_TIMEOUT_MS",
        "KAFKA_HEARTBEAT_INTERVAL_MS",
        "KAFKA_REQUEST_TIMEOUT_MS",
        "KAFKA_SOCKET_TIMEOUT_MS",
        "KAFKA_MAX_POLL_INTERVAL_MS",
        "AUDIT_KAFKA_SESSION_TIMEOUT_MS",
        "KAFKA_BOOTSTRAP_SERVERS",
        "KAFKA_GROUP_ID",
        "kafka-bad key",
        "",
    ]);
    let value = prop::sample::select(vec![
        "6000",
        "2000",
        "5000",
        "40000",
        "06000",
        "0x10",
        "-1",
        "6e3",
        "1800001",
        "",
        "\"6000\"",
        "'2000",
        "${KAFKA_SESSION_TIMEOUT_MS}",
        "$KAFKA_SESSION_TIMEOUT_MS",
        "é6000",
        "☕ café",
        "6000 # comment",
        "\"a\\qb\"",
        "a\0b",
        "6000\r",
    ]);
    let end = prop::sample::select(vec!["\n", "\r\n", "\r", "", " \n"]);
    (key, value, end).prop_map(|(k, v, e)| format!("{k}={v}{e}"))
}

fn env_file() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(env_line(), 0..12))
        .prop_map(|(bom, lines)| format!("{}{}", if bom { "\u{feff}" } else { "" }, lines.concat()))
}

fn rust_file() -> impl Strategy<Value = String> {
    let set = prop::sample::select(vec![
        ".set(\"session.timeout.ms\", \"6000\")",
        ".set(\"heartbeat.interval.ms\", \"2000\")",
        ".set(\"socket.timeout.ms\", \"60000\")",
        ".set(\"request.timeout.ms\", \"5000\")",
        ".set(\"session.timeout.ms\", &std::env::var(\"KAFKA_SESSION_TIMEOUT_MS\").unwrap())",
        ".set(\"heartbeat.interval.ms\", HEARTBEAT.to_string())",
        ".set(\"group.id\", \"é☕\")",
        ".set(\"sesion.timeout.ms\", \"1\")",
        ".set_log_level(RDKafkaLogLevel::Debug)",
        ".set(\"session.timeout.ms\", \"06000\")",
        ".set(\"max.poll.interval.ms\", \"10\")",
        "/* ☕ */",
        ".set(",
    ]);
    let kind = prop::sample::select(vec!["StreamConsumer", "BaseConsumer", "FutureProducer"]);
    (any::<bool>(), prop::collection::vec(set, 0..8), kind).prop_map(|(shebang, sets, kind)| {
        format!(
            "{}// café ☕\nuse rdkafka::config::ClientConfig;\nuse rdkafka::consumer::{{BaseConsumer, StreamConsumer}};\n\
             use rdkafka::producer::FutureProducer;\nconst HEARTBEAT: u32 = 2000;\n\
             pub fn client() -> {kind} {{\n    ClientConfig::new(){}\n        .create()\n        .unwrap()\n}}\n",
            if shebang { "#!/usr/bin/env run-cargo-script\n" } else { "" },
            sets.iter().fold(String::new(), |mut out, s| {
                let _ = write!(out, "\n        {s}");
                out
            })
        )
    })
}

fn lint(root: &std::path::Path, jobs: usize) -> Report {
    let mut ws = Workspace::folder(root.to_path_buf());
    ws.packages.push(root.join("svc"));
    let run = RunSettings {
        jobs: Some(jobs),
        ..RunSettings::default()
    };
    lint_workspace(&ws, &[], &RuleLevels::default(), &run).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn spans_are_in_bounds_and_output_is_deterministic(
        env in env_file(),
        test_env in env_file(),
        main in rust_file(),
        other in rust_file(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("svc/src")).unwrap();
        std::fs::write(root.join(".env"), &env).unwrap();
        std::fs::write(root.join("svc/.env.test"), &test_env).unwrap();
        std::fs::write(root.join("svc/src/main.rs"), &main).unwrap();
        std::fs::write(root.join("svc/src/other.rs"), &other).unwrap();
        let report = lint(root, 1);
        for d in &report.diagnostics {
            for label in std::iter::once(&d.primary).chain(&d.secondary) {
                let text = &report.files.get(label.file).text;
                let span = &label.span;
                prop_assert!(span.start <= span.end && span.end <= text.len(), "{}: {span:?}", d.rule.id());
                prop_assert!(
                    text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                    "{}: {span:?} splits a character", d.rule.id()
                );
            }
        }
        let first = json::render(&report);
        prop_assert_eq!(&json::render(&lint(root, 1)), &first);
        prop_assert_eq!(&json::render(&lint(root, 3)), &first);
    }
}
