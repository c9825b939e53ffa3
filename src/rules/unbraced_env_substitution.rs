use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Warns about an unbraced substitution whose name is directly followed by `_`, outside
    /// single quotes: `$KAFKA_SESSION_TIMEOUT_MS`.
    ///
    /// ## Why is this bad?
    /// dotenvy ends an unbraced name at the first character that is not alphanumeric, and `_`
    /// is such a character. `$KAFKA_SESSION_TIMEOUT_MS` expands `$KAFKA` (usually undefined,
    /// so empty) and appends the text `_SESSION_TIMEOUT_MS`. Shells read the whole name, so
    /// the file means one thing in `source .env` and another in the service. A value built
    /// this way takes part in no other rule of this tool.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_REQUEST_TIMEOUT_MS=$DEFAULT_TIMEOUT_MS
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_REQUEST_TIMEOUT_MS=${DEFAULT_TIMEOUT_MS}
    /// ```
    id: "unbraced-env-substitution",
    level: Warn,
    summary: "`$NAME_WITH_UNDERSCORE` expands only up to the first `_` in dotenvy",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for env in &cx.model.env_files {
        for entry in &env.entries {
            for sub in &entry.substitutions {
                let Some(cut) = &sub.cut_short else { continue };
                let kept = &cut.intended[sub.name.len()..];
                let message = format!(
                    "`${}` expands `${}` and keeps `{kept}` as text",
                    cut.intended, sub.name
                );
                let label = Label::new(env.file, cut.span.clone(), format!("dotenvy reads `${}` here", sub.name));
                out.push(
                    Diagnostic::new(Rule::UnbracedEnvSubstitution, message, label)
                        .with_help(format!("write `${{{}}}`", cut.intended)),
                );
            }
        }
    }
}
