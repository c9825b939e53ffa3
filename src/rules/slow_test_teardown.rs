use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::rules::Rule;
use crate::rules::relation::sites;
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

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for site in sites(model) {
        let session = site.get(Setting::Session).map(|s| s.ms);
        for setting in [Setting::Session, Setting::Request, Setting::Socket] {
            let Some(value) = site.get(setting) else { continue };
            let Some(at) = &value.at else { continue };
            let config = model.config_for(at.file);
            let budget = config.teardown_budget_ms;
            if !value.is_test || value.ms <= budget {
                continue;
            }
            // Stronger findings of the same value: session-outside-broker-range, and
            // request-not-below-session.
            if setting == Setting::Session && value.ms > config.broker_max_session_ms {
                continue;
            }
            if setting != Setting::Session && session.is_some_and(|s| value.ms >= s) {
                continue;
            }
            let Some(label) = value.label(format!("more than {budget} ms")) else { continue };
            let message = format!(
                "`{}` is {} ms in a test env file: stopping each consumer can wait that long",
                value.key(),
                value.ms
            );
            let fix = setting.test_value().unwrap_or(budget).min(budget);
            let help = format!(
                "use `{}={fix}` in test env files (session 6000, heartbeat 2000, request 5000 keep teardown under a second)",
                value.key()
            );
            out.push(Diagnostic::new(Rule::SlowTestTeardown, message, label).with_help(help));
        }
    }
}
