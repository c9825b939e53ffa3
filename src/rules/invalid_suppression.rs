use crate::diagnostic::{Diagnostic, Label};
use crate::model::Model;
use crate::rules::Rule;
use crate::suggest;

declare_rule! {
    /// ## What it does
    /// Reports a rule id in a `kafka-lint: allow(..)` or `allow-file(..)` comment that is not a
    /// rule of this tool.
    ///
    /// ## Why is this bad?
    /// A misspelt id suppresses nothing while looking as if it did: the finding it was meant for
    /// is still reported, or worse, the comment is copied around as if it worked. Linters that
    /// ignore unknown names in suppressions silently are a common complaint.
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
    summary: "A suppression comment names a rule that does not exist",
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for suppression in &model.suppressions {
        for entry in &suppression.entries {
            let Err(id) = &entry.rule else { continue };
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
