use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Warns when one env file defines the same key more than once. One diagnostic per key,
    /// on its second definition, with every other definition labelled.
    ///
    /// ## Why is this bad?
    /// Loaders disagree on which definition wins: `dotenvy::dotenv()` keeps the first value,
    /// `dotenvy::dotenv_override()` the last, and other tools have their own rules. A reader of
    /// the file cannot tell which value a service runs with. This tool's other rules use the
    /// first definition, as `dotenvy::dotenv()` does.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_SESSION_TIMEOUT_MS=45000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// ```
    id: "duplicate-env-key",
    level: Warn,
    summary: "A key is defined more than once in one env file",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for env in &cx.model.env_files {
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, entry) in env.entries.iter().enumerate() {
            by_key.entry(entry.key.as_str()).or_default().push(index);
        }
        for (key, definitions) in by_key.into_iter().filter(|(_, d)| d.len() > 1) {
            let label = |i: usize, message: String| Label::new(env.file, env.entries[i].key_span.clone(), message);
            let mut diagnostic = Diagnostic::new(
                Rule::DuplicateEnvKey,
                format!("`{key}` is defined {} times", definitions.len()),
                label(definitions[1], "defined again here".to_owned()),
            );
            for (n, &i) in definitions.iter().enumerate().filter(|(n, _)| *n != 1) {
                let what = if n == 0 { "first defined here".to_owned() } else { "and here".to_owned() };
                diagnostic = diagnostic.with_label(label(i, what));
            }
            let (first, last) = (&env.entries[definitions[0]], &env.entries[definitions[definitions.len() - 1]]);
            let file = cx.model.files.get(env.file);
            let help = if file.is_masked(&first.value_span) || file.is_masked(&last.value_span) {
                "keep one definition: `dotenvy::dotenv()` loads the first value, \
                 `dotenvy::dotenv_override()` the last (values of this key are not shown)"
                    .to_owned()
            } else {
                format!(
                    "keep one definition: `dotenvy::dotenv()` loads the first value (`{}`), \
                     `dotenvy::dotenv_override()` the last (`{}`)",
                    first.value.escape_debug(),
                    last.value.escape_debug()
                )
            };
            out.push(diagnostic.with_help(help));
        }
    }
}
