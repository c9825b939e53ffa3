//! Snapshots of the human output for each rule's firing fixture, so a reviewer sees exactly
//! what a user sees: messages, labels on the source, help.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::Path;

use cargo_kafka_lint::report::human::{self, Style};
use cargo_kafka_lint::{Options, Rule, RuleLevels, RunSettings, Workspace, lint, lint_workspace};

#[test]
fn human_output_of_every_rule() {
    for rule in Rule::ALL {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rules")
            .join(rule.id())
            .join("fire");
        let mut levels = RuleLevels::default();
        for other in Rule::ALL.iter().filter(|r| *r != rule) {
            levels.set(*other, cargo_kafka_lint::Level::Allow);
        }
        if rule.default_level() == cargo_kafka_lint::Level::Allow {
            levels.set(*rule, cargo_kafka_lint::Level::Warn);
        }
        let report = if root.join("Cargo.toml").is_file() {
            let options = Options {
                cwd: root,
                levels,
                run: panic_on_boom(),
                ..Options::default()
            };
            lint(&options).unwrap()
        } else {
            lint_workspace(&Workspace::folder(root), &[], &levels, &panic_on_boom()).unwrap()
        };
        let style = Style {
            color: false,
            unicode: true,
            width: 100,
            summary: true,
            notes: false,
        };
        insta::assert_snapshot!(
            format!("rule_{}", rule.id()),
            redact_panic_line(&human::render(&report, style))
        );
    }
}

/// Run settings that make the analysis panic on files named `boom.rs` (only the
/// `internal-error` fixture has one).
fn panic_on_boom() -> RunSettings {
    cargo_kafka_lint::guard::install_panic_hook();
    RunSettings {
        debug_panic_on: Some("/boom.rs".to_owned()),
        ..RunSettings::default()
    }
}

/// The line of the tool's source an internal error quotes changes with every edit.
fn redact_panic_line(text: &str) -> String {
    let marker = "(at src/lib.rs:";
    match text.find(marker) {
        Some(at) => {
            let digits = at + marker.len();
            let end = text[digits..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(text.len(), |n| digits + n);
            format!("{}LINE{}", &text[..digits], &text[end..])
        }
        None => text.to_owned(),
    }
}
