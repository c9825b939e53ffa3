use crate::diagnostic::Diagnostic;
use crate::rules::relation::{assignment_of, describe, known_values, label};
use crate::rules::{Cx, Rule};
use crate::setting::Setting;


declare_rule! {
    /// ## What it does
    /// Checks that the session timeout lies within the range brokers accept by default:
    /// 6000 ms (`group.min.session.timeout.ms`) to 1800000 ms (`group.max.session.timeout.ms`).
    ///
    /// ## Why is this bad?
    /// With the classic group protocol, the broker rejects a JoinGroup whose session timeout
    /// is outside its range with `INVALID_SESSION_TIMEOUT` ("The session timeout is not within
    /// the range allowed by the broker"). No client checks this before talking to the broker,
    /// so the consumer starts, fails to join its group, and consumes nothing. Brokers before
    /// Apache Kafka 2.3 allowed at most 300000 ms.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=3000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// ```
    ///
    /// ## References
    /// - Apache Kafka broker configuration: `group.min.session.timeout.ms`,
    ///   `group.max.session.timeout.ms`
    id: "session-outside-broker-range",
    level: Deny,
    summary: "The session timeout is outside the range brokers accept by default (6000..=1800000 ms)",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for session in known_values(cx, Setting::Session) {
        let Some(at) = &session.at else { continue };
        let config = cx.config_for(at.file);
        let (min, max) = (config.broker_min_session_ms.value, config.broker_max_session_ms.value);
        let (bound, word, fix, threshold) = if session.ms < min {
            ("group.min.session.timeout.ms", "below", min, &config.broker_min_session_ms)
        } else if session.ms > max {
            ("group.max.session.timeout.ms", "above", max, &config.broker_max_session_ms)
        } else {
            continue;
        };
        let origin = if threshold.at.is_some() { "configured" } else { "default" };
        let Some(label) = label(session, format!("{word} {fix} ms")) else { continue };
        let message = format!("{} is {word} the broker's {origin} `{bound}` ({fix} ms)", describe(session));
        let help = format!(
            "brokers reject JoinGroup with INVALID_SESSION_TIMEOUT outside \
             {min}..={max} ms; use `{}` or a value in between",
            assignment_of(session, fix)
        );
        let mut diagnostic = Diagnostic::new(Rule::SessionOutsideBrokerRange, message, label).with_help(help);
        if let Some(set_here) = cx.threshold_label(threshold, format!("`{bound}` of the test broker set here")) {
            diagnostic = diagnostic.with_label(set_here);
        }
        out.push(diagnostic);
    }
}
