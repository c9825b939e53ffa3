//! The fixture harness, one test per rule (a custom harness: `cargo test <rule_name>` runs
//! one rule's fixtures and snapshot alone). Each folder under `fixtures/rules/<rule-id>/` (with `fire/` and `pass/`)
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

use harness::redact_panic_location;

use cargo_kafka_lint::report::human::{self, Style};
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

/// One rule: its fixtures fire and stay silent as written, pinning columns, and the human
/// output of its firing fixture matches its snapshot.
fn rule_trial(rule: Rule) {
    let dir = fixtures().join("rules").join(rule.id());
    for side in ["fire", "pass"] {
        assert!(
            dir.join(side).is_dir(),
            "missing fixtures/rules/{}/{side}/",
            rule.id()
        );
    }
    let expected = check(&dir, Some(rule));
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
    snapshot(rule, &dir);
}

/// The human output of a rule's fixture folder with only that rule enabled, so a reviewer sees
/// exactly what a user sees: messages, labels on the source, help.
fn snapshot(rule: Rule, root: &Path) {
    let mut levels = RuleLevels::default();
    for other in Rule::ALL.iter().filter(|r| **r != rule) {
        levels.set(*other, Level::Allow);
    }
    if rule.default_level() == Level::Allow {
        levels.set(rule, Level::Warn);
    }
    // The whole rule folder, as the expectations see it: its configuration applies, and the
    // silent side shows up as silent.
    let mut reports = harness::lint_fixture(root, &levels, &panic_on_boom()).into_iter();
    let (_, mut report) = reports.next().unwrap();
    for (_, other) in reports {
        report.append(other);
    }
    let style = Style {
        color: false,
        unicode: true,
        width: 100,
        summary: true,
        notes: false,
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!(
            format!("rule_{}", rule.id()),
            redact_panic_location(&human::render(&report, style))
        );
    });
}

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

/// Run settings that make the analysis panic on files named `boom.rs` (only the
/// `internal-error` fixture has one).
fn panic_on_boom() -> RunSettings {
    cargo_kafka_lint::guard::install_panic_hook();
    RunSettings {
        debug_panic_on: Some("/boom.rs".to_owned()),
        ..RunSettings::default()
    }
}

/// One trial per rule (named after it: `cargo test heartbeat_not_below_session`), one per case
/// folder (`case_<folder>`), and the registry check: all derived from the registry and the
/// fixture folders, never listed by hand.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let mut trials: Vec<libtest_mimic::Trial> = Rule::ALL
        .iter()
        .map(|&rule| {
            libtest_mimic::Trial::test(rule.id().replace('-', "_"), move || {
                rule_trial(rule);
                Ok(())
            })
        })
        .collect();
    for dir in harness::case_folders() {
        let name = dir.file_name().unwrap().to_string_lossy().replace('-', "_");
        trials.push(libtest_mimic::Trial::test(
            format!("case_{name}"),
            move || {
                check(&dir, None);
                Ok(())
            },
        ));
    }
    trials.push(libtest_mimic::Trial::test(
        "rule_fixture_folders_name_registered_rules",
        || {
            rule_fixture_folders_name_registered_rules();
            Ok(())
        },
    ));
    libtest_mimic::run(&args, trials).exit();
}
