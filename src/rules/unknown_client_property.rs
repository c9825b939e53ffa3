use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::Library;
use crate::rules::{Cx, Rule};
use crate::suggest;

declare_rule! {
    /// ## What it does
    /// Checks that every key set on an rdkafka `ClientConfig` (consumers, producers and admin
    /// clients) is a librdkafka configuration property that a config can set. The tool ships
    /// librdkafka 2.12.1's own property table (rdkafka_conf.c: hidden and deprecated
    /// properties count as known) and suggests the closest public name; Java client spellings
    /// get a specific hint (`fetch.max.wait.ms` is `fetch.wait.max.ms`). Names librdkafka
    /// knows but never takes from a config (callbacks such as `rebalance_cb`, `opaque`, the
    /// Java-only `ssl.truststore.location` and `sasl.jaas.config`) are reported with the
    /// error librdkafka returns for them.
    ///
    /// ## Why is this bad?
    /// `ClientConfig::set` only stores the pair; librdkafka rejects an unknown property when the
    /// client is created, with `No such configuration property: "fetch.max.wait.ms"` (or the
    /// refusal of a known name: `Java TrustStores are not supported, use ssl.ca.location ..`),
    /// so the service fails at start-up. Settings copied from a Java service are the usual
    /// cause.
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
    /// - librdkafka 2.12.1 `src/rdkafka_conf.c` (`rd_kafka_properties[]`, `rd_kafka_anyconf_set`)
    /// - librdkafka `CONFIGURATION.md` (version 2.12.1)
    id: "unknown-client-property",
    level: Deny,
    summary: "A key set on an rdkafka client config is not a librdkafka property",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (setting, written) in cx.model.written_settings(Library::Librdkafka) {
        let name = setting.key.as_str();
        let key = &written.key_span;
        let property = librdkafka::property(name);
        if property.is_some_and(|p| p.refused.is_none()) {
            continue;
        }
        let refused = property.and_then(|p| p.refused);
        let message = match refused {
            Some(error) => format!(
                "`{name}` cannot be set in a config: creating the client fails with `{error}`"
            ),
            None => format!(
                "`{name}` is not a librdkafka property: creating the client fails with \
                 `No such configuration property: \"{name}\"`"
            ),
        };
        let suggestable = librdkafka::names()
            .into_iter()
            .filter(|n| librdkafka::property(n).is_some_and(|p| p.refused.is_none() && !p.hidden));
        let help = match (librdkafka::java_hint(name), refused, suggest::closest(name, suggestable)) {
            (Some(hint), _, _) => format!("`{name}` is a Java client property: {hint}"),
            (None, Some(_), _) => format!(
                "librdkafka takes `{name}` only through a dedicated function of its C API (rdkafka: a method of the client's context), never as a config key"
            ),
            (None, None, Some(close)) => format!("did you mean `{close}`?"),
            (None, None, None) => format!(
                "see the property list of librdkafka {} (CONFIGURATION.md)",
                librdkafka::VERSION
            ),
        };
        let label = Label::new(key.file, key.range.clone(), if refused.is_some() { "refused property" } else { "unknown property" });
        out.push(Diagnostic::new(Rule::UnknownClientProperty, message, label).with_help(help));
    }
}
