//! The human format: miette's graphical reports, one per diagnostic, then a summary line.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::report::Report;
use crate::source::{FileId, SourceFile};

/// How the human report is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Width to wrap messages at.
    pub width: usize,
    /// Print the summary line and notes (false with `--quiet`).
    pub summary: bool,
    /// Print what was skipped and why (`--verbose`).
    pub notes: bool,
}

/// Renders every diagnostic, then notes and the summary line.
pub fn render(report: &Report, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // miette's own `line:col` header counts bytes; the source name carries ours (characters).
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .without_primary_span_start();
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let rendered = Rendered::new(
            report,
            diagnostic,
            diagnostic.primary.file,
            diagnostic.secondary.iter(),
        );
        if handler.render_report(&mut out, &rendered).is_err() {
            let _ = writeln!(
                out,
                "{}[{}]: {}",
                diagnostic.severity,
                diagnostic.rule.id(),
                diagnostic.message
            );
        }
        out.push('\n');
    }
    if style.notes {
        out.push_str(&super::consumers::table(
            &report.files,
            &report.consumer_views,
        ));
        for note in &report.notes {
            let _ = writeln!(out, "note: {}: {}", note.path, note.message);
        }
    }
    if style.summary {
        out.push_str(&report.summary_line());
        out.push('\n');
        if !report.diagnostics.is_empty() {
            out.push_str("`cargo kafka-lint explain <rule>` tells why a rule exists and how to fix its findings\n");
        }
    }
    out
}

/// A file's text as miette sees it, named `path:line:column` after the diagnostic's first label
/// in that file (column in characters).
#[derive(Debug)]
struct FileSource<'a> {
    text: Cow<'a, str>,
    name: String,
}

impl<'a> FileSource<'a> {
    fn new(file: &'a SourceFile, at: usize) -> Self {
        let location = file.line_col(at);
        FileSource {
            text: printable(&file.text),
            name: format!("{}:{}:{}", file.name, location.line, location.column),
        }
    }
}

/// The text with control characters a terminal would act on (a carriage return not followed
/// by a newline, escape sequences, NUL, ...) replaced by `?`, byte for byte, so that spans
/// stay valid and a file cannot rewrite the screen.
fn printable(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let unsafe_at = |i: usize| {
        let b = bytes[i];
        (b < 0x20 && b != b'\t' && b != b'\n' && !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
            || b == 0x7f
    };
    if !(0..bytes.len()).any(unsafe_at) {
        return Cow::Borrowed(text);
    }
    let cleaned: String = text
        .char_indices()
        .map(|(i, c)| if c.is_ascii() && unsafe_at(i) { '?' } else { c })
        .collect();
    Cow::Owned(cleaned)
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.text.as_ref().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// One diagnostic adapted to miette: labels in the primary file are drawn on its source, labels
/// in other files become related reports drawn on theirs.
#[derive(Debug)]
struct Rendered<'a> {
    message: String,
    code: Option<&'static str>,
    severity: miette::Severity,
    help: Option<&'a str>,
    source: FileSource<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'a>>,
}

impl<'a> Rendered<'a> {
    fn new(
        report: &'a Report,
        d: &'a Diagnostic,
        file: FileId,
        secondary: impl Iterator<Item = &'a Label>,
    ) -> Rendered<'a> {
        let source = report.files.get(file);
        let first = if d.primary.file == file {
            Some(&d.primary)
        } else {
            None
        };
        let mut secondary = secondary.peekable();
        let at = first
            .or(secondary.peek().copied())
            .map_or(0, |l| l.span.start);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        if d.primary.file == file && !source.text.is_empty() {
            labels.push(LabeledSpan::new_primary_with_span(
                text(&d.primary.message),
                span(&d.primary),
            ));
        }
        for label in secondary {
            if label.file == file {
                labels.push(LabeledSpan::new_with_span(
                    text(&label.message),
                    span(label),
                ));
            } else {
                let mut other = Rendered::new(report, d, label.file, std::iter::once(label));
                other.message = format!("{} (related)", label.message);
                other.code = None;
                other.severity = miette::Severity::Advice;
                other.help = None;
                related.push(other);
            }
        }
        Rendered {
            message: d.message.clone(),
            code: Some(d.rule.id()),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help: d.help.as_deref(),
            source: FileSource::new(source, at),
            labels,
            related,
        }
    }
}

fn text(message: &str) -> Option<String> {
    (!message.is_empty()).then(|| message.to_owned())
}

fn span(label: &Label) -> SourceSpan {
    (label.span.start, label.span.len()).into()
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        (!self.labels.is_empty()).then_some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_masked_byte_for_byte() {
        assert!(matches!(
            printable("A=1\r\nB=\t2\n"),
            std::borrow::Cow::Borrowed(_)
        ));
        let text = "A=1\rB=é\u{1b}[2J\0\u{7f}\n";
        let shown = printable(text);
        assert_eq!(shown, "A=1?B=é?[2J??\n");
        assert_eq!(shown.len(), text.len());
    }
}
