//! `--format json`: one document on stdout, versioned.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Label};
use crate::report::Report;

/// Bumped on any change that could break a consumer of the document.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(flatten)]
    location: Location<'a>,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    files: Files,
    consumers: Consumers,
}

#[derive(Serialize)]
struct Consumers {
    found: usize,
    known: usize,
    unresolved: usize,
}

#[derive(Serialize)]
struct Files {
    env: usize,
    rust: usize,
}

/// Renders the report as one JSON document (pretty-printed, with a final newline).
pub fn render(report: &Report) -> String {
    let doc = Document {
        version: FORMAT_VERSION,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(report, d))
            .collect(),
        summary: Summary {
            errors: report.count(crate::diagnostic::Severity::Error),
            warnings: report.count(crate::diagnostic::Severity::Warning),
            files: Files {
                env: report.checked.env,
                rust: report.checked.rust,
            },
            consumers: Consumers {
                found: report.consumers.found,
                known: report.consumers.known,
                unresolved: report.consumers.unresolved,
            },
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn diagnostic<'a>(report: &'a Report, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        rule: d.rule.id(),
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        location: location(report, &d.primary),
        labels: d
            .secondary
            .iter()
            .map(|l| JsonLabel {
                location: location(report, l),
                message: &l.message,
            })
            .collect(),
    }
}

fn location<'a>(report: &'a Report, label: &Label) -> Location<'a> {
    let file = report.files.get(label.file);
    let span = file.span_location(&label.span);
    Location {
        file: &file.name,
        line: span.start.line,
        column: span.start.column,
        end_line: span.end.line,
        end_column: span.end.column,
    }
}
