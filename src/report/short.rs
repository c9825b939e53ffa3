//! `--format short`: `path:line:col: severity[rule-id]: message`, one finding per line, the form
//! editors and reviewdog parse. Paths are relative to the current folder.

use std::fmt::Write as _;

use crate::report::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let file = report.files.get(d.primary.file);
        let at = file.line_col(d.primary.span.start);
        // Names and messages carry text from the tree: escaped, so no line can be forged.
        let message = crate::text::escape_control(&d.message);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {message}",
            report.paths.for_terminal(file),
            at.line,
            at.column,
            d.severity,
            d.rule.id()
        );
    }
    out
}
