use crate::diagnostic::{Diagnostic, Label};
use crate::model::{ClientFacts, Model};
use crate::rules::Rule;
use crate::rust::KeyState;

declare_rule! {
    /// ## What it does
    /// Reports `session.timeout.ms`, `heartbeat.interval.ms` or `partition.assignment.strategy`
    /// set on a consumer that uses `group.protocol=consumer` (KIP-848).
    ///
    /// ## Why is this bad?
    /// Under the new protocol the broker owns these settings (`group.consumer.session.timeout.ms`
    /// and friends). librdkafka 2.10 and later refuses to create such a consumer, even when the
    /// value equals the default: "`session.timeout.ms` is not supported for
    /// `group.protocol=consumer`. It is defined broker side", and for the assignment strategy
    /// "Use `group.remote.assignor` instead".
    ///
    /// ## Example
    /// ```rust,ignore
    /// ClientConfig::new()
    ///     .set("group.protocol", "consumer")
    ///     .set("session.timeout.ms", "45000")
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// ClientConfig::new()
    ///     .set("group.protocol", "consumer")
    /// ```
    ///
    /// ## References
    /// - KIP-848; librdkafka `src/rdkafka_conf.c` (consumer protocol checks, since 2.10)
    id: "classic-setting-with-consumer-protocol",
    level: Deny,
    summary: "A classic group setting is set with `group.protocol=consumer` (creating the consumer fails)",
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for client in model.clients.iter().filter(|c| c.is_consumer() && c.uses_consumer_protocol()) {
        let protocol = match client.key("group.protocol") {
            KeyState::Set { loc, .. } => Some(Label::new(loc.file, loc.span, "`group.protocol=consumer` set here")),
            _ => None,
        };
        for name in ["session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy"] {
            let KeyState::Set { key, .. } = client.key(name) else { continue };
            let (message, help) = if name == "partition.assignment.strategy" {
                (
                    format!("`{name}` is not supported for `group.protocol=consumer`. Use `group.remote.assignor` instead"),
                    "remove it, or set `group.remote.assignor`".to_owned(),
                )
            } else {
                (
                    format!("`{name}` is not supported for `group.protocol=consumer`. It is defined broker side"),
                    format!("remove it; the broker's `group.consumer.{name}` applies"),
                )
            };
            let mut d = Diagnostic::new(Rule::ClassicSettingWithConsumerProtocol, message, Label::new(key.file, key.span, "not allowed here"))
                .with_help(help);
            if let Some(label) = &protocol {
                d = d.with_label(label.clone());
            }
            out.push(d);
        }
    }
}
