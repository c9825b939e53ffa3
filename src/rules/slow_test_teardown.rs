use crate::diagnostic::Diagnostic;
use crate::policy;
use crate::rules::relation::label;
use crate::rules::{Cx, Rule};
use crate::setting::Setting;

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

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for valuation in &cx.model.links.valuations {
        let session = valuation.get(Setting::Session).map(|s| s.ms);
        for setting in policy::TEARDOWN_SETTINGS {
            let Some(value) = valuation.get(setting) else { continue };
            let Some(at) = &value.at else { continue };
            let config = cx.config_for(at.file);
            let budget = config.teardown_budget_ms.value;
            if !value.is_test || value.ms <= budget {
                continue;
            }
            // Stronger findings of the same value: session-outside-broker-range, and
            // request-not-below-session.
            if setting == Setting::Session && value.ms > config.broker_max_session_ms.value {
                continue;
            }
            if setting != Setting::Session && session.is_some_and(|s| value.ms >= s) {
                continue;
            }
            let Some(label) = label(value, format!("more than {budget} ms")) else { continue };
            let message = format!(
                "`{}` is {} ms in a test env file: stopping each consumer can wait that long",
                value.key, value.ms
            );
            let fix = policy::test_value(setting).unwrap_or(budget).min(budget);
            let help = format!(
                "use `{}={fix}` in test env files ({} keep teardown under a second)",
                value.key,
                policy::test_values()
            );
            let mut diagnostic = Diagnostic::new(Rule::SlowTestTeardown, message, label).with_help(help);
            if let Some(set_here) = cx.threshold_label(&config.teardown_budget_ms, "teardown budget set here") {
                diagnostic = diagnostic.with_label(set_here);
            }
            out.push(diagnostic);
        }
    }
}
