//! Helpers shared by the integration tests (each test binary uses some of them).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder outside any Cargo project, with the given files.
pub(crate) fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        dir.path()
            .ancestors()
            .all(|a| !a.join("Cargo.toml").exists()),
        "temp dir inside a Cargo project"
    );
    for (name, content) in files {
        write(dir.path(), name, content);
    }
    dir
}

/// Writes `content` to `root/name`, creating folders.
fn write(root: &Path, name: &str, content: &[u8]) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// The outcome of one run: exit code, JSON report (when there is one) and stderr.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) doc: serde_json::Value,
    pub(crate) stderr: String,
}

impl Run {
    /// `(rule, file, line, column)` of every diagnostic, in report order.
    pub(crate) fn findings(&self) -> Vec<(String, String, u64, u64)> {
        self.doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_owned(),
                    d["file"].as_str().unwrap().to_owned(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    pub(crate) fn has(&self, rule: &str, file: &str, line: u64, column: u64) -> bool {
        self.findings()
            .iter()
            .any(|f| f.0 == rule && f.1 == file && f.2 == line && f.3 == column)
    }

    pub(crate) fn message_of(&self, rule: &str) -> String {
        self.doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule)
            .map(|d| d["message"].as_str().unwrap().to_owned())
            .unwrap_or_default()
    }
}

pub(crate) fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-kafka-lint"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TERM_COLOR")
        .env("NO_COLOR", "1")
        // The tests' runs share a cache outside every tree they lint, never the user's.
        .env(
            "KAFKA_LINT_CACHE_DIR",
            std::env::temp_dir().join("cargo-kafka-lint-tests-cache"),
        );
    command
}

/// Runs the binary in `dir` with `--format json` and checks that it did not crash.
pub(crate) fn lint(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = command(dir, &all).output().unwrap();
    checked(&out)
}

pub(crate) fn checked(out: &Output) -> Run {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\n{stderr}", out.status));
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "{stderr}"
    );
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    Run { code, doc, stderr }
}

/// Every entry under `root`: path → (mode, contents; empty for folders).
pub(crate) fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u32, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let mode = meta.permissions().mode();
            let modified = meta.modified().ok();
            if meta.is_dir() {
                stack.push(path.clone());
                out.insert(path, (mode, Vec::new()));
            } else {
                let mut bytes = std::fs::read(&path).unwrap();
                bytes.extend(format!("{modified:?}").bytes());
                out.insert(path, (mode, bytes));
            }
        }
    }
    out
}

/// The `file` of every diagnostic of a JSON report, in report order.
pub(crate) fn diagnostic_files(doc: &serde_json::Value) -> Vec<&str> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect()
}
