//! The tool is read-only and inert: no format, mode or subcommand changes a byte, a mode or
//! an entry of the linted tree (no `Cargo.lock`, no `target/`), and the process environment
//! never changes the results.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::snapshot;

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-kafka-lint"));
    command.args(args).current_dir(cwd).env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[test]
fn no_format_mode_or_subcommand_touches_the_linted_tree() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo"),
        tree.path(),
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let report = elsewhere.path().join("report.sarif");
    let report = report.to_str().unwrap();
    let before = snapshot(tree.path());
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "short", "github", "sarif"] {
        runs.push(vec!["--format", format]);
        runs.push(vec!["--format", format, "-v"]);
        runs.push(vec!["--format", format, "-q", "--exit-zero"]);
    }
    runs.extend([
        vec!["kafka-lint", "--format", "json"],
        vec!["--format", "sarif", "--output-file", report],
        vec!["-p", "orders", "--jobs", "1"],
        vec!["--no-prefilter", "-D", "unresolved-consumer-config"],
        vec!["services/billing/.env.test", "services/orders/src"],
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["explain", "consumer-missing-timeouts"],
        vec!["--help"],
        vec!["--version"],
    ]);
    for args in &runs {
        let out = run(tree.path(), args, &[]);
        assert!(
            matches!(out.status.code(), Some(0..=1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(snapshot(tree.path()), before, "{args:?} changed the tree");
    }
    assert!(Path::new(report).is_file(), "--output-file writes outside");
}

#[test]
fn the_process_environment_never_changes_the_results() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let args = ["--format", "json", "-v"];
    let plain = run(&demo, &args, &[]);
    // Values that would change every finding if the tool read them.
    let noisy = run(
        &demo,
        &args,
        &[
            ("KAFKA_SESSION_TIMEOUT_MS", "1"),
            ("KAFKA_HEARTBEAT_INTERVAL_MS", "999999"),
            ("KAFKA_REQUEST_TIMEOUT_MS", "07"),
            ("AUDIT_KAFKA_SESSION_TIMEOUT_MS", "6000"),
            ("KAFKA_GROUP_ID", "x"),
        ],
    );
    assert_eq!(plain.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(noisy.stdout).unwrap(),
        String::from_utf8(plain.stdout).unwrap()
    );
}
