use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::{Library, State};
use crate::rules::{Cx, Rule};
use crate::suggest;

declare_rule! {
    /// ## What it does
    /// Checks that every key set on an rdkafka `ClientConfig` (consumers, producers and admin
    /// clients) is a librdkafka configuration property. The tool ships librdkafka 2.12.1's
    /// property list (from its CONFIGURATION.md) and suggests the closest known name; Java
    /// client spellings get a specific hint (`fetch.max.wait.ms` is `fetch.wait.max.ms`).
    ///
    /// ## Why is this bad?
    /// `ClientConfig::set` only stores the pair; librdkafka rejects an unknown property when the
    /// client is created, with `No such configuration property: "fetch.max.wait.ms"`, so the
    /// service fails at start-up. Settings copied from a Java service are the usual cause.
    ///
    /// ## Example
    /// ```rust,ignore
    /// ClientConfig::new().set("fetch.max.wait.ms", "100")
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// ClientConfig::new().set("fetch.wait.max.ms", "100")
    /// ```
    ///
    /// ## References
    /// - librdkafka `CONFIGURATION.md` (version 2.12.1)
    id: "unknown-client-property",
    level: Deny,
    summary: "A key set on an rdkafka client config is not a librdkafka property",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, site) in cx.model.code_sites(Library::Librdkafka) {
        for setting in &site.settings {
            let name = setting.key.as_str();
            let State::Set(written) = &setting.state else { continue };
            let key = &written.key_span;
            if librdkafka::property(name).is_some() {
                continue;
            }
            let message = format!(
                "`{name}` is not a librdkafka property: creating the client fails with \
                 `No such configuration property: \"{name}\"`"
            );
            let help = match (librdkafka::java_hint(name), suggest::closest(name, librdkafka::names())) {
                (Some(hint), _) => format!("`{name}` is a Java client property: {hint}"),
                (None, Some(close)) => format!("did you mean `{close}`?"),
                (None, None) => format!(
                    "see the property list of librdkafka {} (CONFIGURATION.md)",
                    librdkafka::VERSION
                ),
            };
            let label = Label::new(key.file, key.range.clone(), "unknown property");
            out.push(Diagnostic::new(Rule::UnknownClientProperty, message, label).with_help(help));
        }
    }
}
