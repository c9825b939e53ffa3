use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Reports a rule id in a `kafka-lint: allow(..)` or `allow-file(..)` comment that
    /// suppressed nothing in this run.
    ///
    /// ## Why is this bad?
    /// Suppressions outlive the code they were written for. A stale one hides the next real
    /// finding at that place, and readers take it for a known problem. Remove it, or the rule id
    /// from it.
    ///
    /// A rule that is allowed (by `-A` or configuration) reports nothing, so its suppressions are
    /// unused as well.
    ///
    /// ## Example
    /// ```dotenv
    /// # kafka-lint: allow(slow-test-teardown) the session is 6000 now
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// ```
    id: "unused-suppression",
    level: Warn,
    summary: "A suppression comment suppresses nothing",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (i, suppression) in cx.model.suppressions.iter().enumerate() {
        for (j, entry) in suppression.entries.iter().enumerate() {
            let Some(rule) = Rule::from_id(&entry.id) else { continue };
            if cx.used.contains(&(i, j)) {
                continue;
            }
            let message = format!("`{rule}` is not reported here: the suppression is unused");
            let label = Label::new(suppression.file, entry.span.clone(), "suppresses nothing");
            out.push(
                Diagnostic::new(Rule::UnusedSuppression, message, label)
                    .with_help(format!("remove `{rule}` from the comment (or the whole comment)")),
            );
        }
    }
}
