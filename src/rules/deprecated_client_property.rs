use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::Library;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Checks rdkafka client configs (consumers, producers and admin clients) for properties
    /// that librdkafka marks deprecated in its property table (rdkafka_conf.c), hidden ones
    /// included. Those it no longer reads at all (`metadata.request.timeout.ms`, "Not used.";
    /// `socket.blocking.max.ms`, `reconnect.backoff.jitter.ms`, "No longer used.") are
    /// reported as having no effect.
    ///
    /// ## Why is this bad?
    /// librdkafka accepts the key and logs `Configuration property X is deprecated: ..` when
    /// the client is created, so nothing fails, but a setting that has no effect makes the
    /// reader believe a timeout is bounded when it is not (a `metadata.request.timeout.ms`
    /// copied from an old config bounds no request). librdkafka announces the removal of
    /// deprecated properties (`api.version.request`: in 3.x); once a name is gone from its
    /// table, setting it makes client creation fail.
    ///
    /// ## Example
    /// ```rust,ignore
    /// ClientConfig::new().set("metadata.request.timeout.ms", "5000")
    /// ```
    ///
    /// ## Use instead
    /// Remove it; a consumer's requests are bounded by `socket.timeout.ms`:
    /// ```rust,ignore
    /// ClientConfig::new().set("socket.timeout.ms", "5000")
    /// ```
    ///
    /// ## References
    /// - librdkafka 2.12.1 `src/rdkafka_conf.c` (`_RK_DEPRECATED`,
    ///   `rd_kafka_anyconf_warn_deprecated`)
    id: "deprecated-client-property",
    level: Warn,
    summary: "An rdkafka client config sets a deprecated librdkafka property, maybe one that has no effect",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (setting, written) in cx.model.written_settings(Library::Librdkafka) {
        let name = setting.key.as_str();
        let Some(property) = librdkafka::property(name).filter(|p| p.deprecated) else {
            continue;
        };
        let key = &written.key_span;
        let (message, label) = if property.has_no_effect() {
            (
                format!("`{name}` is deprecated and has no effect: librdkafka no longer reads it"),
                "has no effect",
            )
        } else {
            (
                format!("`{name}` is deprecated in librdkafka {}", librdkafka::VERSION),
                "deprecated property",
            )
        };
        // librdkafka's own warning, as `rd_kafka_anyconf_warn_deprecated` words it.
        let status = if property.experimental { "deprecated and experimental" } else { "deprecated" };
        let help = format!(
            "remove it; librdkafka logs when the client is created: `Configuration property {name} is {status}: {}`",
            property.note
        );
        let label = Label::new(key.file, key.range.clone(), label);
        out.push(Diagnostic::new(Rule::DeprecatedClientProperty, message, label).with_help(help));
    }
}
