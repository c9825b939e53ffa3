use crate::config::BoundFiles;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::Model;
use crate::rules::Rule;

declare_rule! {
    /// ## What it does
    /// Checks the custom bounds of the configuration: `[[bounds]]` entries with a `key`, a
    /// `min` and/or a `max`, and the env files they apply to (`files = "test"`, `"all"`, or a
    /// list of globs relative to the linted root).
    ///
    /// ```toml
    /// [[workspace.metadata.kafka-lint.bounds]]
    /// key = "SSE_CONSUMER_POOL_SIZE"
    /// max = 1
    /// files = "test"
    /// ```
    ///
    /// The first definition of the key in a file is checked; a value that is not an integer is
    /// reported too, and one that depends on the process environment is not.
    ///
    /// ## Why is this bad?
    /// Teams pin values that make tests slow or flaky when they drift: a consumer pool larger
    /// than 1 starts and stops several consumers per test. Nothing else checks them.
    ///
    /// ## Example
    /// ```dotenv
    /// # .env.test
    /// SSE_CONSUMER_POOL_SIZE=4
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// # .env.test
    /// SSE_CONSUMER_POOL_SIZE=1
    /// ```
    id: "env-value-out-of-bounds",
    level: Deny,
    summary: "An env value is outside the bounds set in the configuration",
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for env in &model.env_files {
        let config = model.config_for(env.file);
        let name = &model.files.get(env.file).name;
        for bound in &config.bounds {
            let applies = match &bound.files {
                BoundFiles::Test => env.is_test,
                BoundFiles::All => true,
                BoundFiles::Globs(globs) => {
                    globs.iter().any(|g| globset::Glob::new(g).is_ok_and(|g| g.compile_matcher().is_match(name)))
                }
            };
            let Some(index) = applies.then(|| env.entries.iter().position(|e| e.key == bound.key)).flatten() else {
                continue;
            };
            let entry = &env.entries[index];
            if entry.is_unresolved() {
                continue;
            }
            let hidden = model.files.get(env.file).is_masked(&entry.value_span);
            let (message, label) = match entry.value.trim().parse::<i64>() {
                Err(_) if hidden => (format!("`{}` is not an integer", entry.key), "not an integer".to_owned()),
                Err(_) => (format!("`{}` is `{}`, not an integer", entry.key, entry.value.escape_debug()), "not an integer".to_owned()),
                Ok(v) if hidden && (bound.min.is_some_and(|min| v < min) || bound.max.is_some_and(|max| v > max)) => {
                    (format!("`{}` is outside the configured bounds", entry.key), "out of bounds".to_owned())
                }
                Ok(v) if bound.min.is_some_and(|min| v < min) => {
                    let min = bound.min.unwrap_or_default();
                    (format!("`{}` is {v}, below the configured minimum {min}", entry.key), format!("below {min}"))
                }
                Ok(v) if bound.max.is_some_and(|max| v > max) => {
                    let max = bound.max.unwrap_or_default();
                    (format!("`{}` is {v}, above the configured maximum {max}", entry.key), format!("above {max}"))
                }
                Ok(_) => continue,
            };
            let range = match (bound.min, bound.max) {
                (Some(min), Some(max)) => format!("from {min} to {max}"),
                (Some(min), None) => format!("at least {min}"),
                (None, Some(max)) => format!("at most {max}"),
                (None, None) => "an integer".to_owned(),
            };
            let label = Label::new(env.file, env.value_span(index), label);
            out.push(
                Diagnostic::new(Rule::EnvValueOutOfBounds, message, label)
                    .with_help(format!("the configuration requires {range} in this file")),
            );
        }
    }
}
