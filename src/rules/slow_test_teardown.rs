use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::rules::relation::{REQUEST_SETTINGS, known, known_values};
use crate::rules::session_outside_broker_range::BROKER_MAX_SESSION_MS;
use crate::rules::Rule;
use crate::setting::Setting;

/// Longest request or session timeout a test env file may set.
pub(crate) const TEARDOWN_BUDGET_MS: u64 = 10_000;

declare_rule! {
    /// ## What it does
    /// Warns when a test env file sets a request, socket or session timeout above 10000 ms.
    ///
    /// ## Why is this bad?
    /// Stopping a consumer waits on these timeouts. aiokafka's `stop()` sends a LeaveGroup
    /// bounded by the request timeout; librdkafka's consumer close "is roughly limited to
    /// session.timeout.ms". With production values (45000 ms session, 40000 ms request) every
    /// consumer of a test suite can add 40 s to its teardown. The project's test values
    /// (session 6000, heartbeat 2000, request 5000) bring that under a second.
    ///
    /// The rule stays silent where a stronger finding covers the same value:
    /// `request-not-below-session` for a request timeout not below the session timeout, and
    /// `session-outside-broker-range` for a session timeout above the broker's maximum.
    ///
    /// ## Example
    /// ```dotenv
    /// # .env.test
    /// KAFKA_SESSION_TIMEOUT_MS=45000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// # .env.test
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// ```
    id: "slow-test-teardown",
    level: Warn,
    summary: "A test env file sets a request or session timeout above 10000 ms",
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for setting in [Setting::Session, Setting::Request, Setting::Socket] {
        for value in known_values(model, setting).filter(|v| v.env.is_test && v.ms > TEARDOWN_BUDGET_MS) {
            if setting == Setting::Session && value.ms > BROKER_MAX_SESSION_MS {
                continue;
            }
            let session = known(value.env, value.group, Setting::Session);
            if REQUEST_SETTINGS.contains(&setting) && session.is_some_and(|s| value.ms >= s.ms) {
                continue;
            }
            let message = format!(
                "`{}` is {} ms in a test env file: stopping each consumer can wait that long",
                value.key(),
                value.ms
            );
            let fix = setting.test_value().unwrap_or(TEARDOWN_BUDGET_MS);
            out.push(
                Diagnostic::new(
                    Rule::SlowTestTeardown,
                    message,
                    value.label(format!("more than {TEARDOWN_BUDGET_MS} ms")),
                )
                .with_help(format!(
                    "use `{}={fix}` in test env files (session 6000, heartbeat 2000, request 5000 keep teardown under a second)",
                    value.key()
                )),
            );
        }
    }
}
