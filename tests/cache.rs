//! The cache of earlier runs' work: a warm run prints byte for byte what a cold run prints,
//! sees every change (also a helper edited in one file that changes a consumer in another),
//! and ignores a corrupt cache.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::Path;
use std::time::{Duration, SystemTime};

mod common;

/// Writes a file and dates it a minute back, so that the cache may record it (files changed
/// in the last two seconds are never recorded).
fn write_settled(path: &Path, text: &str, minutes_ago: u64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(60 * minutes_ago))
        .unwrap();
}

fn workspace(dir: &Path, session: &str) {
    write_settled(
        &dir.join("src/main.rs"),
        "mod helpers;\nuse rdkafka::consumer::StreamConsumer;\nfn main() {\n    let _c: StreamConsumer = helpers::config().set(\"group.id\", \"g\").create().unwrap();\n}\n",
        5,
    );
    write_settled(
        &dir.join("src/helpers.rs"),
        &format!(
            "use rdkafka::config::ClientConfig;\n// ünïcödé before the span\npub fn config() -> ClientConfig {{\n    let mut c = ClientConfig::new();\n    c.set(\"session.timeout.ms\", \"{session}\");\n    c\n}}\n"
        ),
        5,
    );
}

/// A workspace (see [`workspace`]) and an empty cache folder.
fn fresh() -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), "6000");
    (dir, tempfile::tempdir().unwrap())
}

fn run(dir: &Path, cache: &Path) -> (i32, String) {
    let out = common::command(
        dir,
        &["--format", "json", "--cache-dir", cache.to_str().unwrap()],
    )
    .output()
    .unwrap();
    let run = common::checked(&out);
    (run.code, String::from_utf8(out.stdout).unwrap())
}

fn no_cache(dir: &Path) -> String {
    let out = common::command(dir, &["--format", "json", "--no-cache"])
        .output()
        .unwrap();
    common::checked(&out);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_warm_run_prints_what_a_cold_run_prints() {
    let (dir, cache) = fresh();
    let cold = run(dir.path(), cache.path());
    assert!(cache.path().join("CACHEDIR.TAG").is_file());
    let entries = walk(cache.path());
    assert!(entries.iter().any(|p| p.contains("crates")), "{entries:?}");
    let warm = run(dir.path(), cache.path());
    assert_eq!(cold, warm);
    assert_eq!(cold.1, no_cache(dir.path()));
}

#[test]
fn editing_a_helper_changes_the_consumer_that_uses_it_on_a_warm_run() {
    let (dir, cache) = fresh();
    let before = run(dir.path(), cache.path());
    assert!(!before.1.contains("\"45000\""));
    // Another value and time stamp (the multi-byte comment before it shortened): the helper
    // now sets 45000, and main.rs's consumer says so.
    write_settled(
        &dir.path().join("src/helpers.rs"),
        &std::fs::read_to_string(dir.path().join("src/helpers.rs"))
            .unwrap()
            .replace("\"6000\"", "\"45000\"")
            .replace("// ünïcödé", "// ünïcöd"),
        3,
    );
    let after = run(dir.path(), cache.path());
    assert_ne!(before.1, after.1);
    assert!(after.1.contains("\"45000\""), "{}", after.1);
    assert_eq!(after.1, no_cache(dir.path()));
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored() {
    let (dir, cache) = fresh();
    let cold = run(dir.path(), cache.path());
    for entry in walk(cache.path()) {
        if Path::new(&entry).extension().is_some_and(|e| e == "json") {
            std::fs::write(&entry, b"{\"build\": 1, \"files\": [[\"/etc/passwd\", 0]]").unwrap();
        }
    }
    assert_eq!(run(dir.path(), cache.path()), cold);
    // And it is rewritten: the next run reads it back.
    assert_eq!(run(dir.path(), cache.path()), cold);
}

#[test]
fn no_cache_writes_nothing() {
    let (dir, cache) = fresh();
    let out = common::command(
        dir.path(),
        &["--no-cache", "--cache-dir", cache.path().to_str().unwrap()],
    )
    .output()
    .unwrap();
    common::checked(&out);
    assert!(walk(cache.path()).is_empty());
}

fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_changed_file_that_the_analysis_did_not_need_is_read_again() {
    let (dir, cache) = fresh();
    write_settled(
        &dir.path().join("src/lib.rs"),
        "pub mod helpers;\nuse rdkafka::consumer::StreamConsumer;\npub fn consumer(group: &str) -> StreamConsumer {\n    helpers::config().set(\"group.id\", group).create().unwrap()\n}\n",
        5,
    );
    let other = dir.path().join("src/other.rs");
    write_settled(&other, "pub fn unrelated() -> u32 {\n    1\n}\n", 5);
    let before = run(dir.path(), cache.path());
    // A body edit that reaches nothing: the cached results stand, and are right.
    write_settled(&other, "pub fn unrelated() -> u32 {\n    2\n}\n", 4);
    let edited = run(dir.path(), cache.path());
    assert_eq!(edited, before);
    assert_eq!(edited.1, no_cache(dir.path()));
    // Now it calls the helper that creates a consumer, for two groups: a consumer at each
    // call, in that file.
    write_settled(
        &other,
        "pub fn unrelated() -> u32 {\n    let _c = crate::consumer(\"late\");\n    let _d = crate::consumer(\"later\");\n    2\n}\n",
        3,
    );
    let reaching = run(dir.path(), cache.path());
    assert!(reaching.1.contains("src/other.rs"), "{}", reaching.1);
    assert_eq!(reaching.1, no_cache(dir.path()));
}
