use crate::diagnostic::Diagnostic;
use crate::rules::Cx;
use crate::rules::relation::{HEARTBEAT_ABOVE_THIRD_OF_SESSION, assignment_of};

declare_rule! {
    /// ## What it does
    /// Warns when the heartbeat interval is more than a third of the session timeout (exactly
    /// a third passes). It stays silent when the heartbeat is not below the session at all;
    /// `heartbeat-not-below-session` reports that.
    ///
    /// ## Why is this bad?
    /// With a heartbeat above a third of the session, losing two heartbeats in a row (a GC
    /// pause, a slow broker) is enough for the coordinator to expire the session and rebalance
    /// the group. Apache Kafka's documentation recommends "no higher than 1/3", kafka-python
    /// logs "Recommend heartbeat interval less than 1/3rd of session timeout", and kafkajs
    /// recommends about a third as well.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_HEARTBEAT_INTERVAL_MS=3000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_HEARTBEAT_INTERVAL_MS=2000
    /// ```
    id: "heartbeat-above-third-of-session",
    level: Warn,
    summary: "The heartbeat interval is more than a third of the session timeout",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let relation = &HEARTBEAT_ABOVE_THIRD_OF_SESSION;
    for (heartbeat, session) in relation.violations(cx) {
        let help = format!(
            "use `{}` or less, so that losing two heartbeats does not expire the session",
            assignment_of(&heartbeat, session.ms / 3)
        );
        out.extend(relation.diagnostic(&heartbeat, &session, help));
    }
}
