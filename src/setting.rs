//! The logical Kafka consumer settings the rules reason about (KAFKA-FACTS §1).

use std::fmt;

/// A logical timeout setting, independent of how a client or an env file spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Setting {
    Session,
    Heartbeat,
    /// The request timeout of Java, aiokafka and kafka-python (`request.timeout.ms`).
    Request,
    /// librdkafka's network request timeout (`socket.timeout.ms`): the request timeout of an
    /// rdkafka consumer (KAFKA-FACTS §2.3).
    Socket,
    MaxPoll,
    FetchWait,
}

impl Setting {
    pub const ALL: [Setting; 6] = [
        Setting::Session,
        Setting::Heartbeat,
        Setting::Request,
        Setting::Socket,
        Setting::MaxPoll,
        Setting::FetchWait,
    ];

    /// The words after `KAFKA_` in the conventional env key (`SESSION_TIMEOUT_MS`).
    pub fn env_suffixes(self) -> &'static [&'static str] {
        match self {
            Setting::Session => &["SESSION_TIMEOUT_MS"],
            Setting::Heartbeat => &["HEARTBEAT_INTERVAL_MS"],
            Setting::Request => &["REQUEST_TIMEOUT_MS"],
            Setting::Socket => &["SOCKET_TIMEOUT_MS"],
            Setting::MaxPoll => &["MAX_POLL_INTERVAL_MS"],
            Setting::FetchWait => &["FETCH_MAX_WAIT_MS", "FETCH_WAIT_MAX_MS"],
        }
    }

    /// The conventional env key for a prefix: `ORDERS_` + `KAFKA_SESSION_TIMEOUT_MS`.
    pub fn env_key(self, prefix: &str) -> String {
        format!("{prefix}KAFKA_{}", self.env_suffixes()[0])
    }

    /// The librdkafka property a consumer sets for this setting. `Request` has none: on a
    /// consumer, `request.timeout.ms` is a producer property that librdkafka ignores, and the
    /// request timeout is `socket.timeout.ms` (KAFKA-FACTS §2.3).
    pub fn rdkafka_key(self) -> Option<&'static str> {
        match self {
            Setting::Session => Some("session.timeout.ms"),
            Setting::Heartbeat => Some("heartbeat.interval.ms"),
            Setting::Request => None,
            Setting::Socket => Some("socket.timeout.ms"),
            Setting::MaxPoll => Some("max.poll.interval.ms"),
            Setting::FetchWait => Some("fetch.wait.max.ms"),
        }
    }

    /// librdkafka's default for the property (KAFKA-FACTS §2.1, librdkafka 2.12).
    pub fn librdkafka_default(self) -> Option<u64> {
        match self {
            Setting::Session => Some(45_000),
            Setting::Heartbeat => Some(3000),
            Setting::Request => None,
            Setting::Socket => Some(60_000),
            Setting::MaxPoll => Some(300_000),
            Setting::FetchWait => Some(500),
        }
    }

    /// The value the project's policy recommends for test env files (KAFKA-FACTS §5).
    pub fn test_value(self) -> Option<u64> {
        match self {
            Setting::Session => Some(6000),
            Setting::Heartbeat => Some(2000),
            Setting::Request | Setting::Socket => Some(5000),
            Setting::MaxPoll | Setting::FetchWait => None,
        }
    }

    /// What clients use when the setting is not given, for messages (KAFKA-FACTS §2.1, §3).
    pub fn client_defaults(self) -> &'static str {
        match self {
            Setting::Session => "45000 ms in librdkafka and Java, 10000 ms in aiokafka",
            Setting::Heartbeat => "3000 ms in every client",
            Setting::Request => {
                "30000 ms in Java, 40000 ms in aiokafka; librdkafka consumers use `socket.timeout.ms`, 60000 ms"
            }
            Setting::Socket => "60000 ms in librdkafka",
            Setting::MaxPoll => "300000 ms in every client",
            Setting::FetchWait => "500 ms in librdkafka and Java",
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Setting::Session => "session timeout",
            Setting::Heartbeat => "heartbeat interval",
            Setting::Request => "request timeout",
            Setting::Socket => "socket timeout",
            Setting::MaxPoll => "max poll interval",
            Setting::FetchWait => "fetch wait",
        })
    }
}
