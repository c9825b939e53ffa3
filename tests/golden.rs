//! The golden set: the JSON report of every fixture folder and of the demo workspace, with every
//! rule at its default level and the folder's own rule enabled. Refactors that should change
//! nothing must leave every one byte-identical; a change of behaviour shows up here as a diff to
//! review, folder by folder.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

mod harness;

use harness::redact_panic_location;

use std::path::Path;

use cargo_kafka_lint::report::json;
use cargo_kafka_lint::{Level, Options, Rule, RuleLevels, RunSettings, lint};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The JSON documents of a fixture folder, one per workspace the harness lints in it.
fn documents(root: &Path, enable: Option<Rule>) -> String {
    let mut levels = RuleLevels::default();
    if let Some(rule) = enable.filter(|r| r.default_level() == Level::Allow) {
        levels.set(rule, Level::Warn);
    }
    cargo_kafka_lint::guard::install_panic_hook();
    let run = RunSettings {
        debug_panic_on: Some("/boom.rs".to_owned()),
        ..RunSettings::default()
    };
    harness::lint_fixture(root, &levels, &run)
        .iter()
        .map(|(_, report)| redact_panic_location(&json::render(report)))
        .collect()
}

#[test]
fn golden_json_of_every_fixture_folder_and_the_demo() {
    for rule in Rule::ALL {
        let dir = fixtures().join("rules").join(rule.id());
        insta::assert_snapshot!(
            format!("golden_rules_{}", rule.id()),
            documents(&dir, Some(*rule))
        );
    }
    for dir in harness::case_folders() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("golden_cases_{name}"), documents(&dir, None));
    }
    let options = Options {
        cwd: fixtures().join("demo"),
        ..Options::default()
    };
    insta::assert_snapshot!("golden_demo", json::render(&lint(&options).unwrap()));
}
