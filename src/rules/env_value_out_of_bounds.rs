use crate::config::BoundFiles;
use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

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

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for env in &cx.model.env_files {
        let config = cx.config_for(env.file);
        let name = &cx.model.files.get(env.file).name;
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
            let hidden = cx.model.files.get(env.file).is_masked(&entry.value_span);
            let (min, max) = (bound.min.as_ref().map(|t| t.value), bound.max.as_ref().map(|t| t.value));
            let below = |v: i64| min.is_some_and(|min| v < min);
            let above = |v: i64| max.is_some_and(|max| v > max);
            let (message, label, broken) = match entry.value.trim().parse::<i64>() {
                Err(_) if hidden => (format!("`{}` is not an integer", entry.key), "not an integer".to_owned(), None),
                Err(_) => (format!("`{}` is `{}`, not an integer", entry.key, entry.value.escape_debug()), "not an integer".to_owned(), None),
                Ok(v) if hidden && (below(v) || above(v)) => {
                    let broken = if below(v) { (&bound.min, "minimum") } else { (&bound.max, "maximum") };
                    (format!("`{}` is outside the configured bounds", entry.key), "out of bounds".to_owned(), broken.0.as_ref().map(|t| (t, broken.1)))
                }
                Ok(v) if below(v) => {
                    let min = min.unwrap_or_default();
                    (format!("`{}` is {v}, below the configured minimum {min}", entry.key), format!("below {min}"), bound.min.as_ref().map(|t| (t, "minimum")))
                }
                Ok(v) if above(v) => {
                    let max = max.unwrap_or_default();
                    (format!("`{}` is {v}, above the configured maximum {max}", entry.key), format!("above {max}"), bound.max.as_ref().map(|t| (t, "maximum")))
                }
                Ok(_) => continue,
            };
            let range = match (min, max) {
                (Some(min), Some(max)) => format!("from {min} to {max}"),
                (Some(min), None) => format!("at least {min}"),
                (None, Some(max)) => format!("at most {max}"),
                (None, None) => "an integer".to_owned(),
            };
            let label = Label::new(env.file, env.value_span(index), label);
            let mut diagnostic = Diagnostic::new(Rule::EnvValueOutOfBounds, message, label)
                .with_help(format!("the configuration requires {range} in this file"));
            let set_here = match broken {
                Some((threshold, which)) => cx.threshold_label(threshold, format!("{which} set here")),
                // Not an integer: point at whichever limit the bound sets.
                None => bound.min.as_ref().or(bound.max.as_ref()).and_then(|t| cx.threshold_label(t, "bound set here")),
            };
            if let Some(set_here) = set_here {
                diagnostic = diagnostic.with_label(set_here);
            }
            out.push(diagnostic);
        }
    }
}
