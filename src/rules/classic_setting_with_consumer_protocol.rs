use crate::diagnostic::{Diagnostic, Label};
use crate::model::{Library, Protocol, State};
use crate::rules::{Cx, Rule};

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

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let sites = cx.model.code_sites(Library::Librdkafka);
    for (_, site) in sites.filter(|(_, s)| s.is_consumer() && s.protocol == Protocol::Consumer) {
        let protocol = match site.get("group.protocol") {
            State::Set(w) => Some(Label::new(w.value_span.file, w.value_span.range, "`group.protocol=consumer` set here")),
            _ => None,
        };
        for name in ["session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy"] {
            let State::Set(written) = site.get(name) else { continue };
            let key = written.key_span;
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
            let mut d = Diagnostic::new(Rule::ClassicSettingWithConsumerProtocol, message, Label::new(key.file, key.range, "not allowed here"))
                .with_help(help);
            if let Some(label) = &protocol {
                d = d.with_label(label.clone());
            }
            out.push(d);
        }
    }
}
