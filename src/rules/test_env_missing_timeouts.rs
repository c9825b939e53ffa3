use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Label};
use crate::model::Model;
use crate::rules::Rule;
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

/// The settings a test env file must set, each satisfied by any of its alternatives.
const REQUIRED: [(Setting, &[Setting]); 3] = [
    (Setting::Session, &[Setting::Session]),
    (Setting::Heartbeat, &[Setting::Heartbeat]),
    (Setting::Request, &[Setting::Request, Setting::Socket]),
];

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for env in model.env_files.iter().filter(|e| e.is_test) {
        for group in &env.groups {
            let required = &model.config_for(env.file).required;
            let missing: Vec<Setting> = REQUIRED
                .iter()
                .filter(|(setting, _)| required.contains(setting))
                .filter(|(_, any_of)| !any_of.iter().any(|s| group.settings.contains_key(s)))
                .map(|(setting, _)| *setting)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let keys: Vec<String> = missing.iter().map(|s| format!("`{}`", s.env_key(&group.prefix))).collect();
            let client = if group.prefix.is_empty() {
                "a Kafka client".to_owned()
            } else {
                format!("the Kafka client `{}KAFKA_*`", group.prefix)
            };
            let message = format!("test env file configures {client} but does not set {}", keys.join(", "));
            let mut help = String::from("add, so that tests do not run with the clients' production defaults:");
            for setting in &missing {
                let value = setting.test_value().unwrap_or_default();
                let _ = write!(
                    help,
                    "\n  {}={value}  (otherwise {})",
                    setting.env_key(&group.prefix),
                    setting.client_defaults()
                );
            }
            let first = &env.entries[group.first_key];
            let label = Label::new(env.file, first.key_span.clone(), "Kafka client configured here");
            out.push(Diagnostic::new(Rule::TestEnvMissingTimeouts, message, label).with_help(help));
        }
    }
}
