//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations on
//! the pull request: `::error file=..,line=..,col=..,endLine=..,endColumn=..,title=..::msg`.
//! Files are named relative to the repository root, where GitHub attaches annotations.

use std::fmt::Write as _;

use crate::diagnostic::Severity;
use crate::report::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let file = report.files.get(d.primary.file);
        let span = file.span_location(&d.primary.span);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let name = report.paths.for_repository(file).text;
        let mut properties = format!("file={},line={}", property(&name), span.start.line);
        // GitHub drops annotations whose columns span several lines.
        if span.start.line == span.end.line {
            let _ = write!(
                properties,
                ",col={},endColumn={}",
                span.start.column, span.end.column
            );
        }
        let _ = write!(
            properties,
            ",endLine={},title={}",
            span.end.line,
            property(d.rule.id())
        );
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(out, "::{command} {properties}::{}", data(&message));
    }
    out
}

/// Escapes a command's message: `%`, `\r` and `\n` as GitHub decodes them, and every other
/// control character as a visible escape (a log line must not be rewritten).
pub fn data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::text::escape_control(&escaped).into_owned()
}

/// Escapes a command property: as `data`, plus `:` and `,`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
