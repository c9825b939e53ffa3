//! `--format short`: `path:line:col: severity[rule-id]: message`, one finding per line, the form
//! editors and reviewdog parse.

use std::fmt::Write as _;

use crate::report::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let file = report.files.get(d.primary.file);
        let at = file.line_col(d.primary.span.start);
        let message = d.message.replace(['\n', '\r'], " ");
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {message}",
            file.name,
            at.line,
            at.column,
            d.severity,
            d.rule.id()
        );
    }
    out
}
