//! The documentation served by the tool and README.md come from the rule registry.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::Path;
use std::process::Command;

use cargo_kafka_lint::{Rule, docs};

const START: &str = "<!-- rules:start";
const END: &str = "<!-- rules:end -->";

#[test]
fn readme_rule_section_is_generated_from_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(START).unwrap();
    let body = start + readme[start..].find("-->\n").unwrap() + "-->\n".len();
    let end = readme.find(END).unwrap();
    let expected = format!("\n{}\n", docs::readme_section());
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{expected}{}", &readme[..body], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[body..end] == expected,
        "README.md's rule section is stale: run `UPDATE_README=1 cargo test --test docs`"
    );
}

#[test]
fn every_rule_is_explained_by_the_binary() {
    let bin = env!("CARGO_BIN_EXE_cargo-kafka-lint");
    let listing = Command::new(bin).arg("rules").output().unwrap();
    assert!(listing.status.success());
    let listing = String::from_utf8(listing.stdout).unwrap();
    for rule in Rule::ALL {
        assert!(
            listing.contains(rule.id()),
            "{} missing from `rules`",
            rule.id()
        );
        let out = Command::new(bin)
            .args(["kafka-lint", "explain", rule.id()])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), docs::explain(*rule));
    }
    let json = Command::new(bin)
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), Rule::ALL.len());
    let unknown = Command::new(bin)
        .args(["explain", "request-below-session"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8(unknown.stderr)
            .unwrap()
            .contains("did you mean `request-not-below-session`")
    );
}

#[test]
fn rules_listing_snapshot() {
    insta::assert_snapshot!("rules", docs::rules_table());
}

#[test]
fn explain_snapshot() {
    insta::assert_snapshot!(
        "explain_request_not_below_session",
        docs::explain(Rule::RequestNotBelowSession)
    );
}
