use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::Library;
use crate::rules::{BoundValue, Cx, Rule, bound_values};

declare_rule! {
    /// ## What it does
    /// Checks that every timeout (a `*.ms` integer property) set on an rdkafka client config
    /// lies within the range librdkafka allows for it, such as 10..300000 for
    /// `socket.timeout.ms` and 1..3600000 for `session.timeout.ms`.
    ///
    /// ## Why is this bad?
    /// librdkafka refuses to create the client: `Configuration property "socket.timeout.ms"
    /// value 5 is outside allowed range 10..300000`. The mistake surfaces at start-up, often
    /// only in the environment whose settings differ (a test env file with tiny values).
    ///
    /// ## Example
    /// ```rust,ignore
    /// ClientConfig::new().set("socket.timeout.ms", "5")
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// ClientConfig::new().set("socket.timeout.ms", "5000")
    /// ```
    ///
    /// ## References
    /// - librdkafka `CONFIGURATION.md` (version 2.12.1), `src/rdkafka_conf.c`
    id: "timeout-outside-client-range",
    level: Deny,
    summary: "A timeout is outside the range librdkafka allows for it (creating the client fails)",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (setting, written) in cx.model.written_settings(Library::Librdkafka) {
        let name = setting.key.as_str();
        let Some((text, at)) = written.code_text() else { continue };
        let Some(message) = librdkafka::range_error(name, text) else { continue };
        let label = Label::new(at.file, at.range.clone(), "outside the allowed range");
        out.push(Diagnostic::new(Rule::TimeoutOutsideClientRange, message, label).with_help(help(name)));
    }
    for (bound, BoundValue { setting, written, env, entry }) in bound_values(cx.model) {
        let Some(message) = librdkafka::range_error(&setting.key, &entry.value) else { continue };
        let label = Label::new(env.file, env.value_span(bound.entry), "outside the allowed range");
        let read = Label::new(written.key_span.file, written.key_span.range.clone(), format!("read here as `{}`", setting.key));
        out.push(
            Diagnostic::new(Rule::TimeoutOutsideClientRange, format!("`{}`: {message}", entry.key), label)
                .with_label(read)
                .with_help(help(&setting.key)),
        );
    }
}

fn help(name: &str) -> String {
    let (low, high) = librdkafka::property(name).and_then(|p| p.range).unwrap_or_default();
    format!("use a value from {low} to {high} ms")
}
