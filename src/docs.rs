//! Rule documentation, served from the registry: the `rules` listing, `explain`, and the rule
//! section of README.md (a test keeps the README equal to `readme_section()`).

use std::fmt::Write as _;

use serde::Serialize;

use crate::rules::Rule;

/// `cargo kafka-lint rules`: one line per rule.
pub fn rules_table() -> String {
    let width = Rule::ALL.iter().map(|r| r.id().len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:5}  SUMMARY\n", "RULE", "LEVEL");
    for rule in Rule::ALL {
        let _ = writeln!(
            out,
            "{:width$}  {:5}  {}",
            rule.id(),
            rule.default_level().as_str(),
            rule.summary()
        );
    }
    out
}

#[derive(Serialize)]
struct RuleInfo {
    id: &'static str,
    default_level: &'static str,
    summary: &'static str,
    docs: String,
}

/// `cargo kafka-lint rules --format json`.
pub fn rules_json() -> String {
    let rules: Vec<RuleInfo> = Rule::ALL
        .iter()
        .map(|r| RuleInfo {
            id: r.id(),
            default_level: r.default_level().as_str(),
            summary: r.summary(),
            docs: r.docs(),
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rules).unwrap_or_default();
    out.push('\n');
    out
}

/// `cargo kafka-lint explain <rule>`: the rule's documentation.
pub fn explain(rule: Rule) -> String {
    format!(
        "# {}\n\nDefault level: {}. {}.\n\n{}",
        rule.id(),
        rule.default_level().as_str(),
        rule.summary(),
        rule.docs()
    )
}

/// The `## Rules` section of README.md: a table, then each rule's example and fix.
pub fn readme_section() -> String {
    let mut out = String::from("| rule | default | fires when |\n|---|---|---|\n");
    for rule in Rule::ALL {
        let _ = writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {} |",
            rule.default_level().as_str(),
            rule.summary().replace('|', "\\|"),
            id = rule.id()
        );
    }
    for rule in Rule::ALL {
        let docs = rule.docs();
        let _ = write!(out, "\n### `{}`\n\n{}.\n", rule.id(), rule.summary());
        for heading in ["## Example", "## Use instead"] {
            if let Some(section) = section(&docs, heading) {
                let title = heading.trim_start_matches("## ");
                let _ = write!(out, "\n{title}:\n\n{}\n", section.trim());
            }
        }
    }
    out
}

/// The text of a `## ` section of a rule's docs, up to the next one.
fn section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let start = docs.find(heading)? + heading.len();
    let rest = &docs[start..];
    Some(rest.find("\n## ").map_or(rest, |end| &rest[..end]))
}
