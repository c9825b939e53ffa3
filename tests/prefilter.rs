//! The prefilter and the thread count change nothing: every fixture folder and the demo give
//! byte-identical JSON with the prefilter on and off, and on 1 and 4 threads.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::{Path, PathBuf};

mod common;

use cargo_kafka_lint::report::json;
use cargo_kafka_lint::{RuleLevels, RunSettings, Workspace, lint_workspace};

fn folders() -> Vec<PathBuf> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for group in ["rules", "cases"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(fixtures.join(group))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        out.extend(entries);
    }
    out.push(fixtures.join("demo"));
    out
}

fn lint(root: &Path, run: &RunSettings) -> String {
    let mut ws = Workspace::folder(root.to_path_buf());
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            ws.packages.push(entry.path());
        }
    }
    json::render(&lint_workspace(&ws, &[], &RuleLevels::default(), run).unwrap())
}

#[test]
fn output_is_the_same_with_and_without_the_prefilter() {
    for folder in folders() {
        let with = lint(&folder, &RunSettings::default());
        let without = lint(
            &folder,
            &RunSettings {
                no_prefilter: true,
                ..RunSettings::default()
            },
        );
        assert_eq!(with, without, "{}", folder.display());
    }
}

#[test]
fn output_is_the_same_on_any_number_of_threads() {
    for folder in folders() {
        let one = lint(
            &folder,
            &RunSettings {
                jobs: Some(1),
                ..RunSettings::default()
            },
        );
        let four = lint(
            &folder,
            &RunSettings {
                jobs: Some(4),
                ..RunSettings::default()
            },
        );
        assert_eq!(one, four, "{}", folder.display());
    }
}

#[test]
fn crates_without_the_rdkafka_api_are_not_parsed() {
    // A syntax error in a crate that never mentions rdkafka is not read at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("other/src")).unwrap();
    std::fs::write(dir.path().join("other/src/lib.rs"), "fn broken( {").unwrap();
    std::fs::create_dir_all(dir.path().join("kafka/src")).unwrap();
    std::fs::write(
        dir.path().join("kafka/src/lib.rs"),
        "use rdkafka::ClientConfig;\nfn broken( {",
    )
    .unwrap();
    let report = lint(dir.path(), &RunSettings::default());
    let doc: serde_json::Value = serde_json::from_str(&report).unwrap();
    let files = common::diagnostic_files(&doc);
    assert_eq!(files, ["kafka/src/lib.rs"]);
    assert_eq!(doc["summary"]["files"]["rust"], 2);
}

/// A crate whose Kafka code reaches into files that never mention Kafka: a caller of the
/// creating helper, the constant the helper reads, and a file nothing reaches (broken on
/// purpose: it is not parsed).
fn reaching_crate(dir: &Path) {
    let src = dir.join("app/src");
    std::fs::create_dir_all(&src).unwrap();
    let files = [
        (
            "kafka.rs",
            "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\n\
             pub fn consumer(group: &str) -> StreamConsumer {\n    \
             ClientConfig::new().set(\"group.id\", group).set(\"session.timeout.ms\", crate::limits::SESSION).create().unwrap()\n}\n",
        ),
        ("limits.rs", "pub const SESSION: &str = \"6000\";\n"),
        (
            "main.rs",
            "mod kafka;\nmod limits;\nmod unrelated;\nfn main() {\n    let _a = kafka::consumer(\"orders\");\n    let _b = kafka::consumer(\"billing\");\n}\n",
        ),
        ("unrelated.rs", "pub fn broken( {\n"),
    ];
    for (name, text) in files {
        std::fs::write(src.join(name), text).unwrap();
    }
}

#[test]
fn the_prefilter_follows_callers_and_definitions_into_files_without_kafka() {
    let dir = tempfile::tempdir().unwrap();
    reaching_crate(dir.path());
    let with = lint(dir.path(), &RunSettings::default());
    let doc: serde_json::Value = serde_json::from_str(&with).unwrap();
    // One consumer per call site, in main.rs, with the constant's session timeout.
    let consumers = doc["consumers"].as_array().unwrap();
    assert_eq!(consumers.len(), 2, "{with}");
    for c in consumers {
        assert_eq!(c["file"], "app/src/main.rs");
        let session = c["timeouts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == "session.timeout.ms")
            .unwrap();
        assert_eq!(session["value"], "6000", "{with}");
    }
    // The file nothing reaches is not parsed by default; --no-prefilter parses it.
    assert!(
        common::diagnostic_files(&doc)
            .iter()
            .all(|f| *f != "app/src/unrelated.rs")
    );
    let without = lint(
        dir.path(),
        &RunSettings {
            no_prefilter: true,
            ..RunSettings::default()
        },
    );
    let doc_without: serde_json::Value = serde_json::from_str(&without).unwrap();
    assert!(common::diagnostic_files(&doc_without).contains(&"app/src/unrelated.rs"));
    // Everything else is the same.
    std::fs::write(
        dir.path().join("app/src/unrelated.rs"),
        "pub fn fine() {}\n",
    )
    .unwrap();
    let with = lint(dir.path(), &RunSettings::default());
    let without = lint(
        dir.path(),
        &RunSettings {
            no_prefilter: true,
            ..RunSettings::default()
        },
    );
    assert_eq!(with, without);
}
