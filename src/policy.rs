//! The project's Kafka policy (KAFKA-FACTS §5), in one place: which timeouts every consumer
//! and every test env file must set, the values recommended for tests, the teardown budget and
//! the session range brokers accept by default. Rules, configuration defaults and messages
//! read it from here.

use crate::model::{Library, Protocol};
use crate::setting::Setting;

/// The logical timeouts the policy requires, as configuration names them (`required`):
/// session, heartbeat and request.
pub const REQUIRED: [Setting; 3] = [Setting::Session, Setting::Heartbeat, Setting::Request];

/// The settings a client must set for the required `setting`, in its own terms: an rdkafka
/// consumer's request timeout is `socket.timeout.ms` (KAFKA-FACTS §2.3), and under
/// `group.protocol=consumer` the broker owns session and heartbeat.
pub fn required_as(library: Library, protocol: Protocol, setting: Setting) -> Option<Setting> {
    let broker_owned = matches!(setting, Setting::Session | Setting::Heartbeat);
    match library {
        Library::Librdkafka if protocol == Protocol::Consumer && broker_owned => None,
        Library::Librdkafka if setting == Setting::Request => Some(Setting::Socket),
        Library::Librdkafka | Library::AnyClient => Some(setting),
    }
}

/// Whether `given` satisfies the required `setting` in an env file: the socket timeout is
/// librdkafka's request timeout, so `KAFKA_SOCKET_TIMEOUT_MS` counts as the request timeout.
pub fn satisfies(setting: Setting, given: Setting) -> bool {
    given == setting || (setting == Setting::Request && given == Setting::Socket)
}

/// The timeouts whose defaults `consumer-missing-timeouts` reports for a librdkafka client,
/// whatever the configuration requires: a relation that involves one of them is reported
/// there, not by the relation rules.
pub const LIBRDKAFKA_REQUIRED: [Setting; 3] =
    [Setting::Session, Setting::Heartbeat, Setting::Socket];

/// The value recommended for tests: session 6000, heartbeat 2000, request 5000 keep a
/// consumer's teardown under a second.
pub fn test_value(setting: Setting) -> Option<u64> {
    match setting {
        Setting::Session => Some(6000),
        Setting::Heartbeat => Some(2000),
        Setting::Request | Setting::Socket => Some(5000),
        Setting::MaxPoll | Setting::FetchWait => None,
    }
}

/// "session 6000, heartbeat 2000, request 5000", for messages.
pub fn test_values() -> String {
    REQUIRED
        .iter()
        .filter_map(|s| Some(format!("{} {}", short_name(*s), test_value(*s)?)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn short_name(setting: Setting) -> &'static str {
    match setting {
        Setting::Session => "session",
        Setting::Heartbeat => "heartbeat",
        Setting::Request => "request",
        Setting::Socket => "socket",
        Setting::MaxPoll => "max poll",
        Setting::FetchWait => "fetch wait",
    }
}

/// A test env file's timeouts that stopping a consumer waits on, and the default budget for
/// each (`[test] teardown-budget-ms`).
pub const TEARDOWN_SETTINGS: [Setting; 3] = [Setting::Session, Setting::Request, Setting::Socket];

pub const TEARDOWN_BUDGET_MS: u64 = 10_000;

/// The session timeouts brokers accept by default: `group.min.session.timeout.ms` and
/// `group.max.session.timeout.ms` (KAFKA-FACTS §4).
pub const BROKER_MIN_SESSION_MS: u64 = 6000;
pub const BROKER_MAX_SESSION_MS: u64 = 1_800_000;

/// The librdkafka properties whose state decides whether a consumer is checked: its group, and
/// the timeouts the policy requires. A consumer with any of them unknown is unresolved.
pub const WATCHED_PROPERTIES: [&str; 4] = [
    "group.id",
    "session.timeout.ms",
    "heartbeat.interval.ms",
    "socket.timeout.ms",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_reads_as_the_facts_say() {
        assert_eq!(test_values(), "session 6000, heartbeat 2000, request 5000");
        assert_eq!(
            required_as(Library::Librdkafka, Protocol::Classic, Setting::Request),
            Some(Setting::Socket)
        );
        assert_eq!(
            required_as(Library::Librdkafka, Protocol::Consumer, Setting::Session),
            None
        );
        assert!(satisfies(Setting::Request, Setting::Socket));
        assert!(!satisfies(Setting::Session, Setting::Socket));
    }
}
