use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Reports an env file or Rust file whose analysis panicked: a bug in this tool, not in
    /// your code. The file is left out, the rest of its crate and of the workspace is still
    /// linted, and the run ends with exit code 1 so that a check that did not happen does not
    /// pass.
    ///
    /// ## Why is this bad?
    /// Consumers in this file were not checked. Please report the bug with the file (or the
    /// smallest part of it that still shows the message) and the tool's version
    /// (`cargo kafka-lint --version`). Until it is fixed, lower the rule for the run
    /// (`-A internal-error`) or exclude the file.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // any file; the diagnostic quotes the panic message and where in the tool it happened
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// // nothing to change in the file: the fix belongs in cargo-kafka-lint
    /// ```
    id: "internal-error",
    level: Deny,
    summary: "The analysis of a file panicked (a bug in this tool); the file was not checked",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for error in &cx.model.internal_errors {
        let text = &cx.model.files.get(error.file).text;
        let first = text.chars().next().map_or(0, char::len_utf8);
        let label = Label::new(error.file, 0..first, "the analysis of this file panicked");
        out.push(
            Diagnostic::new(
                Rule::InternalError,
                format!("internal error in cargo-kafka-lint: {}", error.message),
                label,
            )
            .with_help(format!(
                "this is a bug in cargo-kafka-lint {}, not in this file: please report it with \
                 this file (or a smaller one that shows the same message); the rest of the \
                 workspace was linted",
                env!("CARGO_PKG_VERSION")
            )),
        );
    }
}
