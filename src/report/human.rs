//! The human format: miette's graphical reports, one per diagnostic, then a summary line.

use std::fmt::{self, Write as _};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::report::Report;
use crate::snippet::{self, NamedSnippet};
use crate::text::{escape_control, escape_control_keep_lines};

/// How the human report is drawn.
#[derive(Debug, Clone, Copy)]
#[allow(clippy::struct_excessive_bools)] // Independent display switches.
pub struct Style {
    pub color: bool,
    /// Box-drawing characters (off for `TERM=dumb`: plain ASCII).
    pub unicode: bool,
    /// Width to wrap messages at.
    pub width: usize,
    /// Print the summary line and notes (false with `--quiet`).
    pub summary: bool,
    /// Print what was skipped and why (`--verbose`).
    pub notes: bool,
}

/// Renders every diagnostic, then notes and the summary line.
pub fn render(report: &Report, style: Style) -> String {
    let theme = theme(style.color, style.unicode);
    // miette's own `line:col` header counts bytes; the source name carries ours (characters).
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .without_primary_span_start();
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let rendered = Rendered::new(report, diagnostic);
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
        out.push_str(&super::consumers::table(report));
        for note in &report.notes {
            let _ = writeln!(
                out,
                "note: {}: {}",
                report.paths.path_for_terminal(&note.path),
                escape_control(&note.message)
            );
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

/// miette's theme: colours or not, box drawing or ASCII.
pub fn theme(color: bool, unicode: bool) -> GraphicalTheme {
    let characters = if unicode {
        miette::ThemeCharacters::unicode()
    } else {
        miette::ThemeCharacters::ascii()
    };
    let styles = if color {
        miette::ThemeStyles::ansi()
    } else {
        miette::ThemeStyles::none()
    };
    GraphicalTheme { characters, styles }
}

/// Labels further apart than this (in lines) are drawn as separate blocks: a snippet never
/// shows the whole file between two labels.
const MAX_LINES_BETWEEN_LABELS: usize = 8;

/// One diagnostic adapted to miette: the labels near the primary one are drawn on a snippet of
/// its file; each other label becomes a related report on a snippet of its own.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<&'static str>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSnippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl Rendered {
    fn new(report: &Report, d: &Diagnostic) -> Rendered {
        let file = report.files.get(d.primary.file);
        let near = |l: &Label| {
            l.file == d.primary.file
                && file
                    .line_of(l.span.start)
                    .abs_diff(file.line_of(d.primary.span.start))
                    <= MAX_LINES_BETWEEN_LABELS
        };
        let (here, elsewhere): (Vec<&Label>, Vec<&Label>) =
            d.secondary.iter().partition(|l| near(l));
        let mut labels = vec![(&d.primary, true)];
        labels.extend(here.into_iter().map(|l| (l, false)));
        let (source, labels) = drawn(report, &labels);
        let related = elsewhere
            .into_iter()
            .map(|label| {
                let (source, labels) = drawn(report, &[(label, false)]);
                Rendered {
                    message: format!("{} (related)", escape_control(&label.message)),
                    code: None,
                    severity: miette::Severity::Advice,
                    help: None,
                    source,
                    labels,
                    related: Vec::new(),
                }
            })
            .collect();
        Rendered {
            message: escape_control(&d.message).into_owned(),
            code: Some(d.rule.id()),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help: d
                .help
                .as_deref()
                .map(|h| escape_control_keep_lines(h).into_owned()),
            source,
            labels,
            related,
        }
    }
}

/// The snippet of one file around `labels` (all in that file; the first names the snippet),
/// and the labels on it. A file without text (one that could not be read) has no snippet.
fn drawn(report: &Report, labels: &[(&Label, bool)]) -> (Option<NamedSnippet>, Vec<LabeledSpan>) {
    let Some((first, _)) = labels.first() else {
        return (None, Vec::new());
    };
    let file = report.files.get(first.file);
    if file.text.is_empty() {
        return (None, Vec::new());
    }
    let spans: Vec<_> = labels.iter().map(|(l, _)| l.span.clone()).collect();
    let snippet = snippet::snippet(file, &spans);
    let drawn = labels
        .iter()
        .zip(&snippet.spans)
        .map(|((label, primary), span)| {
            let text = text(&label.message);
            let span: SourceSpan = (span.start, span.len()).into();
            if *primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })
        .collect();
    let at = file.line_col(first.span.start);
    let name = format!(
        "{}:{}:{}",
        report.paths.for_terminal(file),
        at.line,
        at.column
    );
    (Some(NamedSnippet { snippet, name }), drawn)
}

fn text(message: &str) -> Option<String> {
    (!message.is_empty()).then(|| escape_control(message).into_owned())
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
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
