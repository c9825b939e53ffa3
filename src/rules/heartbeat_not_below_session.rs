use crate::diagnostic::Diagnostic;
use crate::rules::Cx;
use crate::rules::relation::{HEARTBEAT_NOT_BELOW_SESSION, assignment_of};

declare_rule! {
    /// ## What it does
    /// Checks that the heartbeat interval is below the session timeout.
    ///
    /// ## Why is this bad?
    /// A consumer that heartbeats no more often than its session expires is removed from the
    /// group between two heartbeats, and the group rebalances again and again. The Java client
    /// refuses to start ("Heartbeat must be set lower than the session timeout"), as do
    /// kafka-python 2.2.7 and later and kafkajs. librdkafka does **not** check it at all and
    /// accepts `heartbeat == session`, so a Rust service starts and misbehaves at runtime.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_HEARTBEAT_INTERVAL_MS=6000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_HEARTBEAT_INTERVAL_MS=2000
    /// ```
    ///
    /// ## References
    /// - Apache Kafka consumer configuration: `heartbeat.interval.ms` "must be set lower than
    ///   session.timeout.ms, but typically should be set no higher than 1/3 of that value"
    id: "heartbeat-not-below-session",
    level: Deny,
    summary: "The heartbeat interval is not below the session timeout",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let relation = &HEARTBEAT_NOT_BELOW_SESSION;
    for (heartbeat, session) in relation.violations(cx) {
        let help = format!(
            "use `{}`, a third of the session timeout; Java, kafka-python and kafkajs refuse to start \
             with this configuration and librdkafka accepts it without a word",
            assignment_of(&heartbeat, (session.ms / 3).max(1))
        );
        out.extend(relation.diagnostic(&heartbeat, &session, help));
    }
}
