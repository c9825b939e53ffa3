use crate::diagnostic::Diagnostic;
use crate::rules::Cx;
use crate::rules::relation::MAX_POLL_BELOW_SESSION;

declare_rule! {
    /// ## What it does
    /// Checks that the max poll interval is at least the session timeout.
    ///
    /// ## Why is this bad?
    /// librdkafka refuses to create a classic-protocol consumer when `max.poll.interval.ms` is
    /// below `session.timeout.ms`, failing with "`max.poll.interval.ms`must be >=
    /// `session.timeout.ms`" (sic). The service crashes at start-up instead of at review time.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=45000
    /// KAFKA_MAX_POLL_INTERVAL_MS=30000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=45000
    /// KAFKA_MAX_POLL_INTERVAL_MS=300000
    /// ```
    ///
    /// ## References
    /// - librdkafka `src/rdkafka_conf.c` (consumer configuration checks, since v1.0.0)
    id: "max-poll-below-session",
    level: Deny,
    summary: "The max poll interval is below the session timeout (librdkafka fails to create the consumer)",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let relation = &MAX_POLL_BELOW_SESSION;
    for (max_poll, session) in relation.violations(cx) {
        let help = format!(
            "set `{}` to at least {} ms (the clients' default is 300000 ms)",
            max_poll.key,
            session.ms
        );
        if let Some(mut diagnostic) = relation.diagnostic(&max_poll, &session, help) {
            diagnostic.message.push_str(": librdkafka refuses to create the consumer");
            out.push(diagnostic);
        }
    }
}
