//! How the fixture tests lint a fixture folder, the same way in the harness and in the
//! snapshots: a side folder (`fire/`, `pass/`) with a `Cargo.toml` at its top is the Cargo
//! workspace it says it is and is linted as a user's run would lint it (`lint`, from that
//! folder); the rest of the fixture folder is a plain folder whose sub-folders are crates.

use std::path::{Path, PathBuf};

use cargo_kafka_lint::{Options, Report, RuleLevels, RunSettings, Workspace, lint, lint_workspace};

/// Sub-folders of `root` that are Cargo workspaces of their own.
pub(crate) fn cargo_folders(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    out.sort();
    out
}

/// Lints `root`: its plain part as a folder whose sub-folders are crates, each Cargo folder
/// as a workspace; each report is returned with the prefix its file names need to be
/// relative to `root`.
pub(crate) fn lint_fixture(
    root: &Path,
    levels: &RuleLevels,
    run: &RunSettings,
) -> Vec<(String, Report)> {
    let cargo = cargo_folders(root);
    let mut ws = Workspace::folder(root.to_path_buf());
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() && !cargo.contains(&entry.path()) {
            ws.packages.push(entry.path());
        }
    }
    ws.excluded.clone_from(&cargo);
    let mut reports = vec![(
        String::new(),
        lint_workspace(&ws, &[], levels, run).unwrap(),
    )];
    for dir in cargo {
        let options = Options {
            cwd: dir.clone(),
            levels: levels.clone(),
            run: run.clone(),
            ..Options::default()
        };
        let prefix = format!("{}/", dir.file_name().unwrap().to_string_lossy());
        reports.push((prefix, lint(&options).unwrap()));
    }
    reports
}

/// An internal error quotes where in the tool's source the panic was: that moves with every
/// edit of the tool, and is not behaviour.
pub(crate) fn redact_panic_location(text: &str) -> String {
    let marker = "(at src/";
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(')').map_or(rest.len(), |n| at + n + 1);
        out.push_str("(at SOURCE:LINE)");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The folders of `fixtures/cases/`, sorted.
pub(crate) fn case_folders() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    cases
}
