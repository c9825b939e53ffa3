use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka::{self, Scope};
use crate::model::{ClientFacts, Model};
use crate::rules::Rule;
use crate::rust::KeyState;

declare_rule! {
    /// ## What it does
    /// Warns when a consumer's config sets a producer-only librdkafka property
    /// (`request.timeout.ms`, `message.timeout.ms`, `delivery.timeout.ms`, `linger.ms`,
    /// `acks`, ...).
    ///
    /// ## Why is this bad?
    /// librdkafka ignores it: "Configuration property request.timeout.ms is a producer
    /// property and will be ignored by this consumer instance", a warning that is only
    /// logged. The classic case is a request timeout meant for the consumer: in librdkafka the
    /// consumer's network request timeout is `socket.timeout.ms`, so a
    /// `KAFKA_REQUEST_TIMEOUT_MS` wired into `request.timeout.ms` changes nothing and tests
    /// still wait for the 60 s default.
    ///
    /// ## Example
    /// ```rust,ignore
    /// ClientConfig::new()
    ///     .set("group.id", "orders")
    ///     .set("request.timeout.ms", "5000")
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// ClientConfig::new()
    ///     .set("group.id", "orders")
    ///     .set("socket.timeout.ms", "5000")
    /// ```
    ///
    /// ## References
    /// - librdkafka `CONFIGURATION.md`: the `C/P` column marks producer-only properties
    id: "producer-only-setting-on-consumer",
    level: Warn,
    summary: "A consumer sets a producer-only property, which librdkafka ignores",
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for client in model.clients.iter().filter(|c| c.is_consumer()) {
        for (name, state) in client.config.entries() {
            let KeyState::Set { key, .. } = state else { continue };
            if librdkafka::property(name).is_none_or(|p| p.scope != Scope::Producer) {
                continue;
            }
            let message = format!(
                "`{name}` is a producer property and will be ignored by this consumer instance"
            );
            let help = if name == "request.timeout.ms" {
                "a librdkafka consumer's request timeout is `socket.timeout.ms`: set that instead".to_owned()
            } else {
                format!("remove `{name}` from the consumer's config; it has no effect")
            };
            let label = Label::new(key.file, key.span.clone(), "ignored by consumers");
            out.push(Diagnostic::new(Rule::ProducerOnlySettingOnConsumer, message, label).with_help(help));
        }
    }
}
