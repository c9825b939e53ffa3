//! The pre-commit hook for real: a throw-away git repository whose `.pre-commit-config.yaml`
//! points at this repository (`rev: HEAD`), a bad `.env.test` that fails the hook, and the
//! fixed file that passes it. Needs `pre-commit` (installed by `.ci/run` from PyPI; set
//! `PRE_COMMIT` to its path) and git; without them the test says so and skips.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pre_commit() -> Option<PathBuf> {
    let candidate =
        std::env::var_os("PRE_COMMIT").map_or_else(|| PathBuf::from("pre-commit"), PathBuf::from);
    Command::new(&candidate)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| candidate)
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn hook_fails_on_a_bad_env_file_and_passes_once_fixed() {
    let Some(pre_commit) = pre_commit() else {
        eprintln!(
            "skipped: pre-commit is not installed (`pip install pre-commit`, or set PRE_COMMIT)"
        );
        return;
    };
    let this_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !this_repo.join(".git").exists() {
        eprintln!("skipped: this repository is not a git checkout");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("service");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "user.email", "test@example.invalid"]);
    git(&repo, &["config", "user.name", "test"]);
    let config = format!(
        "repos:\n  - repo: {}\n    rev: HEAD\n    hooks:\n      - id: kafka-lint\n",
        this_repo.display()
    );
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::write(repo.join("src/lib.rs"), "pub fn nothing() {}\n").unwrap();
    std::fs::write(
        repo.join(".env.test"),
        "KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\nKAFKA_REQUEST_TIMEOUT_MS=40000\n",
    )
    .unwrap();
    git(&repo, &["add", "."]);
    let run = || {
        Command::new(&pre_commit)
            .args(["run", "--all-files", "--color", "never"])
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", dir.path().join("cache"))
            .output()
            .unwrap()
    };
    let failing = run();
    let text = String::from_utf8_lossy(&failing.stdout);
    assert_eq!(
        failing.status.code(),
        Some(1),
        "{text}\n{}",
        String::from_utf8_lossy(&failing.stderr)
    );
    assert!(text.contains("request-not-below-session"), "{text}");
    std::fs::write(
        repo.join(".env.test"),
        "KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\nKAFKA_REQUEST_TIMEOUT_MS=5000\n",
    )
    .unwrap();
    git(&repo, &["add", "."]);
    let passing = run();
    let text = String::from_utf8_lossy(&passing.stdout);
    assert_eq!(
        passing.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&passing.stderr)
    );
}
