use crate::diagnostic::Diagnostic;
use crate::rules::Cx;
use crate::rules::relation::FETCH_WAIT_TOO_CLOSE_TO_SOCKET_TIMEOUT;

declare_rule! {
    /// ## What it does
    /// Warns when the fetch wait is not at least 1000 ms below librdkafka's socket timeout
    /// (`fetch.wait.max.ms + 1000 > socket.timeout.ms`).
    ///
    /// ## Why is this bad?
    /// A librdkafka consumer's fetch request may legitimately wait `fetch.wait.max.ms` at the
    /// broker; if the socket timeout is not comfortably longer, the request times out while the
    /// broker is still waiting, and the following requests on the connection are delayed.
    /// librdkafka logs "Configuration property `fetch.wait.max.ms` (%d) should be set lower than
    /// `socket.timeout.ms` (%d) by at least 1000ms to avoid blocking and timing out sub-sequent
    /// requests" but creates the consumer anyway.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_FETCH_WAIT_MAX_MS=500
    /// KAFKA_SOCKET_TIMEOUT_MS=1000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_FETCH_WAIT_MAX_MS=500
    /// KAFKA_SOCKET_TIMEOUT_MS=5000
    /// ```
    ///
    /// ## References
    /// - librdkafka `src/rdkafka_conf.c` (the warning above)
    id: "fetch-wait-too-close-to-socket-timeout",
    level: Warn,
    summary: "The fetch wait is not at least 1000 ms below the socket timeout",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let relation = &FETCH_WAIT_TOO_CLOSE_TO_SOCKET_TIMEOUT;
    for (fetch, socket) in relation.violations(cx) {
        let help = format!(
            "raise `{}` to at least {} ms or lower the fetch wait: librdkafka warns that fetches would \
             otherwise time out and block the requests after them",
            socket.key,
            fetch.ms.saturating_add(1000)
        );
        out.extend(relation.diagnostic(&fetch, &socket, help));
    }
}
