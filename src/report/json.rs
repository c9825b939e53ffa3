//! `--format json`: one document on stdout, versioned.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Label};
use std::ops::Range;

use crate::report::Report;
use crate::report::consumers::{ConsumerView, Membership};
use crate::source::FileId;

/// Bumped on any change that could break a consumer of the document.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Serialize)]
#[serde(bound = "Each<D>: Serialize, Each<C>: Serialize")]
struct Document<D, C> {
    version: u32,
    diagnostics: Each<D>,
    consumers: Each<C>,
    summary: Summary,
}

/// A sequence serialized item by item as `F` yields it, never held whole: a run with a
/// hundred thousand findings writes them as it goes.
struct Each<F>(F);

impl<F, I> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct JsonConsumer<'a> {
    #[serde(flatten)]
    location: Location,
    #[serde(rename = "type")]
    type_name: Option<&'a str>,
    /// For a client a helper creates (the location is then the helper's call): the helper
    /// and the creating call inside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    created_in: Option<JsonCreatedIn<'a>>,
    /// `true`, `false`, or `"unknown"` when the tool cannot see the `group.id`.
    group: JsonGroup,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_reason: Option<&'a str>,
    timeouts: Vec<JsonTimeout<'a>>,
}

#[derive(Serialize)]
struct JsonCreatedIn<'a> {
    helper: &'a str,
    #[serde(flatten)]
    location: Location,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonGroup {
    Known(bool),
    Unknown(&'static str),
}

#[derive(Serialize)]
struct JsonTimeout<'a> {
    key: &'static str,
    state: &'static str,
    value: Option<&'a str>,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    env_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_default: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    env_files: Vec<JsonEnvValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonEnvValue<'a> {
    #[serde(flatten)]
    location: Location,
    value: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(flatten)]
    location: Location,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    location: Location,
    message: &'a str,
}

#[derive(Serialize)]
struct Location {
    /// Relative to the repository root, `/`-separated.
    file: String,
    /// The file name's exact bytes in base64, when it is not UTF-8 (`file` then has U+FFFD).
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<String>,
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
    let mut out = Vec::new();
    // Writing to memory cannot fail, and the document is UTF-8.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as one JSON document (pretty-printed, with a final newline) to `out`,
/// each finding and consumer as it is serialized.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let doc = Document {
        version: FORMAT_VERSION,
        diagnostics: Each(|| report.diagnostics.iter().map(|d| diagnostic(report, d))),
        consumers: Each(|| report.consumer_views.iter().map(|c| consumer(report, c))),
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
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
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

fn consumer<'a>(report: &'a Report, c: &'a ConsumerView) -> JsonConsumer<'a> {
    let timeouts = c
        .timeouts
        .iter()
        .map(|t| JsonTimeout {
            key: t.key,
            state: t.state,
            value: t.value.as_deref(),
            source: t.source,
            at: t.at.as_ref().map(|(file, span)| at(report, *file, span)),
            env_key: t.env_key.as_deref(),
            code_default: t.code_default.as_deref(),
            env_files: t
                .env_files
                .iter()
                .map(|(file, span, value)| JsonEnvValue {
                    location: at(report, *file, span),
                    value,
                })
                .collect(),
            reason: t.reason.as_deref(),
        })
        .collect();
    JsonConsumer {
        location: at(report, c.file, &c.span),
        type_name: c.type_name.as_deref(),
        created_in: c
            .created_in
            .as_ref()
            .map(|(helper, file, span)| JsonCreatedIn {
                helper,
                location: at(report, *file, span),
            }),
        group: match c.group {
            Membership::Group => JsonGroup::Known(true),
            Membership::NoGroup => JsonGroup::Known(false),
            Membership::Unknown(_) => JsonGroup::Unknown("unknown"),
        },
        group_reason: match &c.group {
            Membership::Unknown(reason) => Some(reason),
            _ => None,
        },
        timeouts,
    }
}

fn location(report: &Report, label: &Label) -> Location {
    at(report, label.file, &label.span)
}

fn at(report: &Report, file: FileId, span: &Range<usize>) -> Location {
    let file = report.files.get(file);
    let span = file.span_location(span);
    let name = report.paths.for_repository(file);
    Location {
        file: name.text,
        file_bytes: name.bytes.as_deref().map(base64),
        line: span.start.line,
        column: span.start.column,
        end_line: span.end.line,
        end_column: span.end.column,
    }
}

/// Standard base64 with padding (RFC 4648), for file names that are not UTF-8.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_of_file_names() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"\xff.env"), "/y5lbnY=");
    }
}
