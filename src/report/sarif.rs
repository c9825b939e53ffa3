//! `--format sarif`: SARIF 2.1.0 for code scanning. The rules come from the registry (id,
//! summary, documentation, default level); results carry their location relative to
//! `%SRCROOT%` (the repository root, given in `originalUriBaseIds`; percent-encoded URIs), related locations for secondary labels, and a fingerprint that does not depend
//! on line numbers, so that alerts survive code moving up or down.

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::report::Report;
use crate::rules::{Level, Rule};

/// Where the documentation of the tool lives.
pub const INFORMATION_URI: &str = "https://crates.io/crates/cargo-kafka-lint";

pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = Rule::ALL.iter().map(|r| rule(*r)).collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(report, d))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "cargo-kafka-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "originalUriBaseIds": {
                "%SRCROOT%": { "uri": directory_uri(&report.paths.repository) },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn rule(rule: Rule) -> Value {
    let docs = rule.docs();
    let what = docs
        .split("## ")
        .find_map(|s| s.strip_prefix("What it does\n"))
        .map_or_else(
            || rule.summary().to_owned(),
            |s| s.trim().replace('\n', " "),
        );
    json!({
        "id": rule.id(),
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": what },
        "defaultConfiguration": { "level": level(rule.default_level()) },
        "help": { "text": docs, "markdown": docs },
    })
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Allow => "none",
        Level::Warn => "warning",
        Level::Deny => "error",
    }
}

fn result(report: &Report, d: &Diagnostic) -> Value {
    let related: Vec<Value> = d
        .secondary
        .iter()
        .enumerate()
        .map(|(id, l)| {
            json!({ "id": id, "physicalLocation": location(report, l), "message": { "text": l.message } })
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\n\nhelp: ");
        message.push_str(help);
    }
    json!({
        "ruleId": d.rule.id(),
        "ruleIndex": Rule::ALL.iter().position(|r| *r == d.rule),
        "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": { "text": message },
        "locations": [{ "physicalLocation": location(report, &d.primary) }],
        "relatedLocations": related,
        "partialFingerprints": { "kafkaLint/v1": fingerprint(report, d) },
    })
}

fn location(report: &Report, label: &Label) -> Value {
    let file = report.files.get(label.file);
    let span = file.span_location(&label.span);
    let name = report.paths.for_repository(file);
    let encoded = percent_encode(name.bytes.as_deref().unwrap_or(name.text.as_bytes()));
    let artifact = if name.relative {
        json!({ "uri": encoded, "uriBaseId": "%SRCROOT%" })
    } else {
        json!({ "uri": format!("file://{encoded}") })
    };
    json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": span.start.line,
            "startColumn": span.start.column,
            "endLine": span.end.line,
            "endColumn": span.end.column,
        },
    })
}

/// A URI path: RFC 3986 unreserved characters and `/` as they are, every other byte (the raw
/// bytes of a name that is not UTF-8 included) as `%XX`, so that the URI maps back to the file.
fn percent_encode(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `file:///abs/path/` for a folder.
fn directory_uri(dir: &std::path::Path) -> String {
    let mut text = dir.to_string_lossy().replace('\\', "/");
    if !text.ends_with('/') {
        text.push('/');
    }
    if !text.starts_with('/') {
        text.insert(0, '/');
    }
    format!("file://{}", percent_encode(text.as_bytes()))
}

/// A hash of the rule, the file, the flagged text and the message: stable when lines move.
fn fingerprint(report: &Report, d: &Diagnostic) -> String {
    let file = report.files.get(d.primary.file);
    let text = file.text.get(d.primary.span.clone()).unwrap_or_default();
    let name = report.paths.for_repository(file).text;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [d.rule.id(), name.as_str(), text.trim(), d.message.as_str()] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_map_back() {
        assert_eq!(percent_encode(b"a b/%c\xff.env"), "a%20b/%25c%FF.env");
        assert_eq!(
            directory_uri(std::path::Path::new("/r/my repo")),
            "file:///r/my%20repo/"
        );
    }
}
