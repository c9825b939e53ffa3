use crate::diagnostic::Diagnostic;
use crate::policy;
use crate::rules::Cx;
use crate::rules::relation::{REQUEST_NOT_BELOW_SESSION, assignment_of};

declare_rule! {
    /// ## What it does
    /// Checks that the request timeout is below the session timeout. For librdkafka (Rust
    /// `rdkafka`) the consumer's request timeout is `socket.timeout.ms`, so
    /// `KAFKA_SOCKET_TIMEOUT_MS` is checked the same way as `KAFKA_REQUEST_TIMEOUT_MS`.
    ///
    /// ## Why is this bad?
    /// This is the project's policy, from KIP-735's reasoning: a hung heartbeat or JoinGroup is
    /// abandoned only after the request timeout, and by then the session should not already
    /// have expired. It also bounds teardown: aiokafka bounds every request, LeaveGroup
    /// included, by `request_timeout_ms` (40000 ms by default), so `stop()` can wait that long.
    ///
    /// Clients differ, and this rule takes a side: current Java (2.0 and later), librdkafka
    /// and aiokafka accept any order and none of them checks it. Java 0.9 to 1.1 and
    /// kafka-python up to 2.3 required the *opposite* (request timeout larger than the session
    /// timeout, "Request timeout (5000) must be larger than session timeout (6000)"); if a
    /// service still runs one of those, allow this rule for its env file.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_REQUEST_TIMEOUT_MS=40000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_REQUEST_TIMEOUT_MS=5000
    /// ```
    ///
    /// ## References
    /// - KIP-735 (session timeout default raised to 45000 ms)
    /// - aiokafka 0.12 consumer: every group request is bounded by `request_timeout_ms`
    id: "request-not-below-session",
    level: Deny,
    summary: "The request (or librdkafka socket) timeout is not below the session timeout",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for relation in &REQUEST_NOT_BELOW_SESSION {
        for (request, session) in relation.violations(cx) {
            // In test env files, the policy's test value when it fits (so the fix does not
            // trip slow-test-teardown); elsewhere a second below the session.
            let policy = policy::test_value(request.setting).filter(|v| request.is_test && *v < session.ms);
            let suggestion = policy.unwrap_or_else(|| session.ms.saturating_sub(1000).max(1));
            let help = format!(
                "set `{}` below the session timeout, such as `{}`: a request that hangs is abandoned \
                 only after this timeout, and the session should not have expired by then",
                request.key,
                assignment_of(&request, suggestion)
            );
            out.extend(relation.diagnostic(&request, &session, help));
        }
    }
}
