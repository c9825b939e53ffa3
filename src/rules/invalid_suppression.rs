use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};
use crate::suggest;

declare_rule! {
    /// ## What it does
    /// Reports a rule id in a `kafka-lint: allow(..)` or `allow-file(..)` comment that is not a
    /// rule of this tool, and a comment meant as a suppression that is not a valid one: the
    /// marker in upper case or without its colon (`KAFKA-LINT: allow(..)`,
    /// `kafka-lint allow(..)`), a verb other than `allow` and `allow-file`, an empty list
    /// (`allow()`), a list without its `)`, or a doc or block comment (`/// kafka-lint: ..`,
    /// `/* kafka-lint: .. */`; only plain line comments suppress). Text that only looks like a
    /// comment (inside a string literal, or inside a quoted env value) is not a comment and
    /// suppresses nothing.
    ///
    /// ## Why is this bad?
    /// A misspelt id or a malformed comment suppresses nothing while looking as if it did: the
    /// finding it was meant for is still reported, or worse, the comment is copied around as
    /// if it worked. Linters that ignore unknown names in suppressions silently are a common
    /// complaint.
    ///
    /// ## Example
    /// ```dotenv
    /// # kafka-lint: allow(slow-teardown)
    /// KAFKA_SESSION_TIMEOUT_MS=45000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// # kafka-lint: allow(slow-test-teardown) integration tests need the production value
    /// KAFKA_SESSION_TIMEOUT_MS=45000
    /// ```
    id: "invalid-suppression",
    level: Deny,
    summary: "A suppression comment is malformed or names a rule that does not exist",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for suppression in &cx.model.suppressions {
        if let Some(m) = &suppression.malformed {
            let label = Label::new(suppression.file, m.span.clone(), "not a valid suppression");
            out.push(
                Diagnostic::new(Rule::InvalidSuppression, format!("{}: it suppresses nothing", m.message), label)
                    .with_help(m.help.clone()),
            );
        }
        for entry in &suppression.entries {
            let id = &entry.id;
            if Rule::from_id(id).is_some() {
                continue;
            }
            let message = format!("`{id}` is not a rule of cargo-kafka-lint");
            let help = match suggest::closest(id, Rule::ALL.iter().map(|r| r.id())) {
                Some(close) => format!("did you mean `{close}`? (`cargo kafka-lint rules` lists them)"),
                None => "`cargo kafka-lint rules` lists the rules".to_owned(),
            };
            let label = Label::new(suppression.file, entry.span.clone(), "unknown rule");
            out.push(Diagnostic::new(Rule::InvalidSuppression, message, label).with_help(help));
        }
    }
}
