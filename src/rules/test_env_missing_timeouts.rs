use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Label};
use crate::model::Origin;
use crate::policy;
use crate::rules::{Cx, Rule};
use crate::setting::Setting;

declare_rule! {
    /// ## What it does
    /// Checks that a test env file that configures a Kafka client sets all three timeouts of
    /// the policy for that client: session timeout, heartbeat interval and request timeout
    /// (`KAFKA_SOCKET_TIMEOUT_MS`, librdkafka's request timeout, counts as the request timeout).
    /// Any `<PREFIX>KAFKA_…` key counts as configuring the client of that prefix,
    /// `KAFKA_BOOTSTRAP_SERVERS` alone included; each prefix is checked on its own and gets one
    /// diagnostic naming every missing key.
    ///
    /// A file is a test env file when a dot- or underscore-separated part of its name is `test`
    /// or `testing` (`.env.test`, `.env.test.local`, `test.env`).
    ///
    /// ## Why is this bad?
    /// Without them, tests run with the production defaults: a 45000 ms session timeout in
    /// librdkafka and Java, and a 40000 ms request timeout in aiokafka, whose `stop()` waits
    /// for a LeaveGroup bounded by that timeout. A test suite's teardown then takes 40 s per
    /// consumer instead of under a second.
    ///
    /// ## Example
    /// ```dotenv
    /// # .env.test
    /// KAFKA_BOOTSTRAP_SERVERS=localhost:9092
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// # .env.test
    /// KAFKA_BOOTSTRAP_SERVERS=localhost:9092
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_HEARTBEAT_INTERVAL_MS=2000
    /// KAFKA_REQUEST_TIMEOUT_MS=5000
    /// ```
    id: "test-env-missing-timeouts",
    level: Deny,
    summary: "A test env file configures a Kafka client without session, heartbeat and request timeouts",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, site) in cx.model.env_sites().filter(|(_, s)| s.is_test) {
        let Origin::Env { file, prefix, first_key } = &site.origin else { continue };
        let required = &cx.config_for(*file).required;
        let given: Vec<Setting> = site.settings.iter().filter_map(|s| s.setting).collect();
        let missing: Vec<Setting> = policy::REQUIRED
            .into_iter()
            .filter(|setting| required.contains(setting))
            .filter(|setting| !given.iter().any(|g| policy::satisfies(*setting, *g)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let keys: Vec<String> = missing.iter().map(|s| format!("`{}`", s.env_key(prefix))).collect();
        let client = if prefix.is_empty() {
            "a Kafka client".to_owned()
        } else {
            format!("the Kafka client `{prefix}KAFKA_*`")
        };
        let message = format!("test env file configures {client} but does not set {}", keys.join(", "));
        let mut help = String::from("add, so that tests do not run with the clients' production defaults:");
        for setting in &missing {
            let value = policy::test_value(*setting).unwrap_or_default();
            let _ = write!(help, "\n  {}={value}  (otherwise {})", setting.env_key(prefix), setting.client_defaults());
        }
        let label = Label::new(first_key.file, first_key.range.clone(), "Kafka client configured here");
        out.push(Diagnostic::new(Rule::TestEnvMissingTimeouts, message, label).with_help(help));
    }
}
