//! Properties of the whole pipeline on generated workspaces (env files and Rust sources built
//! from realistic and hostile fragments): every span of every diagnostic lies inside its file
//! on char boundaries, the output is identical across runs and thread counts, and a crate
//! analysed in parts gives what the whole crate gives. (The env
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

/// One module of a generated crate: fragments that share names across modules in each way the
/// split into parts tells apart (a private helper of the same name in every module, a call
/// of another module's helper by path, a constant, a `&mut ClientConfig` helper, a
/// client-holding struct and an `impl` of it elsewhere, an `impl From<_> for ClientConfig`
/// and `.into()`, a serde default function named in a string, a same-named function that
/// has nothing to do with Kafka).
fn module(k: usize, parts: &[bool], target: usize, sets: &[&str]) -> String {
    let on = |n: usize| parts.get(n).copied().unwrap_or(false);
    let mut out = format!("// module {k} — “é☕”\n");
    if on(0) || on(1) || on(2) || on(4) || on(7) || on(8) {
        out.push_str(
            "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::{Consumer, StreamConsumer};\n",
        );
    }
    let sets = sets.concat();
    if on(0) {
        out.push_str(
            "fn base(group: &str) -> ClientConfig {\n    let mut c = ClientConfig::new();\n    \
             c.set(\"group.id\", group);\n    c\n}\n",
        );
    }
    if on(1) {
        let _ = writeln!(
            out,
            "pub fn consumer() -> StreamConsumer {{\n    base(\"g{k}\"){sets}.create().unwrap()\n}}"
        );
    }
    if on(2) {
        let _ = writeln!(
            out,
            "pub fn by_path() -> StreamConsumer {{\n    \
             let c: StreamConsumer = crate::m{target}::base(\"p{k}\").create().unwrap();\n    \
             c.subscribe(&[\"t\"]).unwrap();\n    c\n}}"
        );
    }
    if on(3) {
        let _ = writeln!(out, "pub const SESSION: &str = \"{}\";", 3000 + 1000 * k);
    }
    if on(4) {
        let _ = writeln!(
            out,
            "pub fn with_const() -> StreamConsumer {{\n    let mut c = ClientConfig::new();\n    \
             c.set(\"session.timeout.ms\", crate::m{target}::SESSION);\n    \
             crate::m{target}::tune(&mut c);\n    c.set(\"group.id\", \"c{k}\").create().unwrap()\n}}"
        );
    }
    if on(5) {
        out.push_str("pub fn tune(c: &mut rdkafka::config::ClientConfig) {\n    c.set(\"heartbeat.interval.ms\", \"2000\");\n}\n");
    }
    if on(6) {
        out.push_str(
            "pub struct Holder {\n    pub c: rdkafka::consumer::StreamConsumer,\n}\n\
             pub struct Settings;\n\
             impl From<Settings> for rdkafka::config::ClientConfig {\n    \
             fn from(_: Settings) -> Self {\n        let mut c = rdkafka::config::ClientConfig::new();\n        \
             c.set(\"session.timeout.ms\", \"6000\");\n        c\n    }\n}\n",
        );
    }
    if on(7) {
        let _ = writeln!(
            out,
            "impl crate::m{target}::Holder {{\n    pub fn go(&self) {{\n        \
             self.c.subscribe(&[\"h\"]).unwrap();\n    }}\n}}\n\
             pub fn hold() -> crate::m{target}::Holder {{\n    \
             crate::m{target}::Holder {{ c: ClientConfig::new().set(\"group.id\", \"h\").create().unwrap() }}\n}}"
        );
    }
    if on(8) {
        let _ = writeln!(
            out,
            "pub fn via_into(s: crate::m{target}::Settings) -> StreamConsumer {{\n    \
             let c: ClientConfig = s.into();\n    c.create().unwrap()\n}}"
        );
    }
    if on(9) {
        out.push_str(
            "#[derive(serde::Deserialize, envy::Envy)]\npub struct Conf {\n    \
             #[serde(default = \"session\")]\n    pub kafka_session_timeout_ms: u64,\n}\n\
             fn session() -> u64 {\n    45000\n}\n",
        );
    }
    if on(10) {
        out.push_str(
            "pub fn base() -> u64 {\n    1\n}\npub fn consumer() -> u64 {\n    base()\n}\n",
        );
    }
    out
}

fn modules() -> impl Strategy<Value = Vec<String>> {
    let set = prop::sample::select(vec![
        "",
        ".set(\"session.timeout.ms\", \"6000\")",
        ".set(\"heartbeat.interval.ms\", \"2000\")",
        ".set(\"socket.timeout.ms\", crate::m0::SESSION)",
    ]);
    let one = (
        prop::collection::vec(any::<bool>(), 11),
        0usize..6,
        prop::collection::vec(set, 0..3),
    );
    prop::collection::vec(one, 2..7).prop_map(|mods| {
        let count = mods.len();
        mods.iter()
            .enumerate()
            .map(|(k, (parts, target, sets))| module(k, parts, target % count, sets))
            .collect()
    })
}

fn lint_crate(root: &std::path::Path, no_prefilter: bool) -> String {
    let mut ws = Workspace::folder(root.to_path_buf());
    ws.packages.push(root.join("svc"));
    let run = RunSettings {
        no_prefilter,
        ..RunSettings::default()
    };
    json::render(&lint_workspace(&ws, &[], &RuleLevels::default(), &run).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// However a crate's modules share names, analysing its parts apart (the default) finds
    /// what analysing the crate as one part with every file parsed (`--no-prefilter`) finds.
    #[test]
    fn a_crate_in_parts_gives_what_the_whole_crate_gives(mods in modules()) {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("svc/src");
        std::fs::create_dir_all(&src).unwrap();
        let mut lib = String::new();
        for (k, text) in mods.iter().enumerate() {
            let _ = writeln!(lib, "pub mod m{k};");
            std::fs::write(src.join(format!("m{k}.rs")), text).unwrap();
        }
        std::fs::write(src.join("lib.rs"), lib).unwrap();
        let apart = lint_crate(dir.path(), false);
        prop_assert_eq!(lint_crate(dir.path(), true), apart);
    }
}
