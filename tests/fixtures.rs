//! The fixture harness. Each folder under `fixtures/rules/<rule-id>/` (with `fire/` and `pass/`)
//! and `fixtures/cases/<name>/` is linted as its own root with every rule at its default level,
//! and the exact set of (file, line, rule) must equal the expectations written inline:
//!
//! ```dotenv
//! KAFKA_SESSION_TIMEOUT_MS=06000
//! #~^ malformed-timeout-value @26
//! ```
//!
//! `#~` marks the line itself, `#~^` the line above (`#~^^` two above), `#~v` the line below;
//! Rust files write the same with `//~` (`//~^ consumer-missing-timeouts @10`). Each sub-folder
//! of a fixture folder is its own crate; a rule that is allowed by default is enabled in its
//! own fixture folder.
//! A side folder with a `Cargo.toml` at its top is linted as the Cargo workspace it is (see
//! `tests/harness`). Several rule ids may follow; `@N` also pins the 1-based character column
//! of the primary span's start. Because every rule runs, a fixture also proves that no other rule reports the
//! same mistake a second time.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod harness;

use cargo_kafka_lint::{Level, Rule, RuleLevels, RunSettings};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    file: String,
    line: usize,
    rule: String,
}

#[derive(Debug, Default)]
struct Expected {
    findings: BTreeSet<Finding>,
    columns: Vec<(Finding, usize)>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::path);
    for entry in entries {
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            files_under(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

/// Reads every `#~` annotation of the files under `root`.
fn expectations(root: &Path) -> Expected {
    let mut files = Vec::new();
    files_under(root, &mut files);
    let mut expected = Expected::default();
    for path in files {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let name = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (index, line) in text.split('\n').enumerate() {
            let rust = path.extension().is_some_and(|e| e == "rs");
            let marker = if rust { "//~" } else { "#~" };
            let Some(at) = line.find(marker) else {
                continue;
            };
            let spec = &line[at + marker.len()..];
            let up = spec.chars().take_while(|c| *c == '^').count();
            let down = spec.chars().take_while(|c| *c == 'v').count();
            let target = index + 1 + down - up;
            let mut column = None;
            let mut rules = Vec::new();
            for word in spec[up + down..]
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
            {
                if let Some(col) = word.strip_prefix('@') {
                    column = Some(col.parse::<usize>().unwrap());
                } else {
                    assert!(
                        Rule::from_id(word).is_some(),
                        "{name}:{}: unknown rule `{word}`",
                        index + 1
                    );
                    rules.push(word.to_owned());
                }
            }
            assert!(
                !rules.is_empty(),
                "{name}:{}: annotation without a rule",
                index + 1
            );
            for rule in rules {
                let finding = Finding {
                    file: name.clone(),
                    line: target,
                    rule,
                };
                if let Some(col) = column {
                    expected.columns.push((finding.clone(), col));
                }
                expected.findings.insert(finding);
            }
        }
    }
    expected
}

/// Lints `root` as a plain folder whose sub-folders are crates, with every rule at its default
/// level except `enable`, and returns (finding, column) pairs.
fn actual(root: &Path, enable: Option<Rule>) -> Vec<(Finding, usize)> {
    let mut levels = RuleLevels::default();
    if let Some(rule) = enable.filter(|r| r.default_level() == Level::Allow) {
        levels.set(rule, Level::Warn);
    }
    let mut out = Vec::new();
    for (prefix, report) in harness::lint_fixture(root, &levels, &panic_on_boom()) {
        out.extend(report.diagnostics.iter().map(|d| {
            let file = report.files.get(d.primary.file);
            let at = file.line_col(d.primary.span.start);
            (
                Finding {
                    file: format!("{prefix}{}", file.name),
                    line: at.line,
                    rule: d.rule.id().to_owned(),
                },
                at.column,
            )
        }));
    }
    out
}

fn check(root: &Path, enable: Option<Rule>) -> Expected {
    let expected = expectations(root);
    let actual = actual(root, enable);
    let found: BTreeSet<Finding> = actual.iter().map(|(f, _)| f.clone()).collect();
    let missing: Vec<_> = expected.findings.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected.findings).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "{}\nexpected but not reported: {missing:#?}\nreported but not expected: {unexpected:#?}",
        root.display()
    );
    for (finding, column) in &expected.columns {
        let columns: Vec<usize> = actual
            .iter()
            .filter(|(f, _)| f == finding)
            .map(|(_, c)| *c)
            .collect();
        assert!(
            columns.contains(column),
            "{finding:?}: expected column {column}, reported {columns:?}"
        );
    }
    expected
}

#[test]
fn every_rule_has_fixtures_that_fire_and_that_stay_silent() {
    for rule in Rule::ALL {
        let dir = fixtures().join("rules").join(rule.id());
        for side in ["fire", "pass"] {
            assert!(
                dir.join(side).is_dir(),
                "missing fixtures/rules/{}/{side}/",
                rule.id()
            );
        }
        let expected = check(&dir, Some(*rule));
        let fires = |side: &str| {
            expected
                .findings
                .iter()
                .any(|f| f.rule == rule.id() && f.file.starts_with(&format!("{side}/")))
        };
        assert!(
            fires("fire"),
            "{}: fire/ has no expectation of the rule",
            rule.id()
        );
        assert!(
            !fires("pass"),
            "{}: pass/ expects the rule to fire",
            rule.id()
        );
        let columns = expected
            .columns
            .iter()
            .filter(|(f, _)| f.rule == rule.id())
            .count();
        assert!(columns > 0, "{}: no expectation pins a column", rule.id());
    }
}

#[test]
fn rule_fixture_folders_name_registered_rules() {
    for entry in std::fs::read_dir(fixtures().join("rules"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            Rule::from_id(&name).is_some(),
            "fixtures/rules/{name} names no rule"
        );
    }
}

#[test]
fn case_fixtures() {
    let mut count = 0;
    for entry in std::fs::read_dir(fixtures().join("cases"))
        .unwrap()
        .flatten()
    {
        check(&entry.path(), None);
        count += 1;
    }
    assert!(count > 0);
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
