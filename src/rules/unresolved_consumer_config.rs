use crate::diagnostic::{Diagnostic, Label};
use crate::model::Library;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Reports an rdkafka consumer that joins, or may join, a group and whose `group.id` or
    /// timeouts the tool cannot determine, and names what it could not see through: a loop
    /// that sets keys from a map, a key that is not a constant string, a config passed in from
    /// callers the tool cannot follow, a config handed to code outside the crate, a crate
    /// macro that creates the client (macros are not expanded). A helper whose callers pass
    /// constants or configs is checked at each call instead. A client of a type the tool
    /// cannot tell (a generic `T: FromClientConfig`) whose `group.id` it cannot see is listed
    /// too: it may be a group consumer. A consumer known not to join a group (no `group.id`, or only ever
    /// `assign()`ed) needs no timeouts and is not listed. Allowed by default; enable it with
    /// `-W unresolved-consumer-config` to audit such consumers; the summary always counts them.
    ///
    /// ## Why is this bad?
    /// It is not: dynamic configuration is often deliberate. But `consumer-missing-timeouts`
    /// never reports a key it cannot see, so a consumer listed here is one the tool did not
    /// check. Making the timeouts visible (explicit `.set` calls with values from settings)
    /// lets it.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let mut config = ClientConfig::new();
    /// for (key, value) in &settings.kafka {
    ///     config.set(key, value);
    /// }
    /// let consumer: StreamConsumer = config.create()?;
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// let mut config = ClientConfig::new();
    /// config
    ///     .set("session.timeout.ms", &settings.session_timeout_ms)
    ///     .set("heartbeat.interval.ms", &settings.heartbeat_interval_ms)
    ///     .set("socket.timeout.ms", &settings.request_timeout_ms);
    /// let consumer: StreamConsumer = config.create()?;
    /// ```
    id: "unresolved-consumer-config",
    level: Allow,
    summary: "The timeouts of an rdkafka consumer cannot be determined statically",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let sites = cx.model.code_sites(Library::Librdkafka);
    for (_, site) in sites {
        let unknown = site.unresolved();
        let Some((_, unseen)) = unknown.first() else { continue };
        let names: Vec<String> = unknown.iter().map(|(k, _)| format!("`{k}`")).collect();
        let message = format!("cannot tell whether this consumer sets {}", names.join(", "));
        let at = site.at();
        let primary = Label::new(at.file, at.range.clone(), "consumer created here");
        let reason = Label::new(unseen.at.file, unseen.at.range.clone(), format!("the tool cannot see {}", unseen.reason));
        let mut diagnostic = Diagnostic::new(Rule::UnresolvedConsumerConfig, message, primary);
        if let Some(label) = site.created_in_label() {
            diagnostic = diagnostic.with_label(label);
        }
        out.push(
            diagnostic
                .with_label(reason)
                .with_help(if unknown.iter().all(|(k, _)| *k == "group.id") {
                    "set `group.id` with an explicit `.set(\"group.id\", ..)` call (or `assign()` the consumer) so that the tool knows whether it joins a group"
                } else {
                    "set the timeouts with explicit `.set(\"key\", value)` calls so that they can be checked"
                }),
        );
    }
}
