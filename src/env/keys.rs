//! Which env keys configure a Kafka client, and which logical setting each one names.
//!
//! The convention is `<PREFIX>KAFKA_[CONSUMER_]<SETTING>`; keys with the same PREFIX belong to
//! one client and are compared with each other only. Matching ignores ASCII case, since the
//! envy and config crates map `kafka_session_timeout_ms` to the same field.

use std::collections::BTreeMap;

use crate::setting::Setting;

/// A key of the form `<PREFIX>KAFKA_<REST>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaKey {
    /// Everything before `KAFKA_`, upper-cased: empty or ending in `_` (`ORDERS_`).
    pub prefix: String,
    /// The logical timeout the key sets, if it is one.
    pub setting: Option<Setting>,
}

/// Splits a key into its client prefix and setting; `None` when it is not a Kafka key. Extra
/// names from the configuration (`[keys]`) name a setting of the unprefixed client.
pub fn classify(key: &str, extra: &BTreeMap<Setting, Vec<String>>) -> Option<KafkaKey> {
    if let Some((setting, _)) = extra
        .iter()
        .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(key)))
    {
        return Some(KafkaKey {
            prefix: String::new(),
            setting: Some(*setting),
        });
    }
    let upper = key.to_ascii_uppercase();
    let at = kafka_segment(&upper)?;
    let rest = &upper[at + "KAFKA_".len()..];
    let rest = rest.strip_prefix("CONSUMER_").unwrap_or(rest);
    let setting = Setting::ALL
        .into_iter()
        .find(|s| s.env_suffixes().contains(&rest));
    Some(KafkaKey {
        prefix: upper[..at].to_owned(),
        setting,
    })
}

/// Where the first `KAFKA_` segment starts (at the start of the key or after `_`).
fn kafka_segment(upper: &str) -> Option<usize> {
    upper
        .match_indices("KAFKA_")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || upper.as_bytes()[i - 1] == b'_')
}

/// Keys that only a Kafka *broker* container reads (Confluent's `KAFKA_*`, Bitnami's
/// `KAFKA_CFG_*`): a file that sets one configures a broker, not a client.
pub fn is_broker_key(key: &str) -> bool {
    const MARKERS: [&str; 6] = [
        "BROKER_ID",
        "NODE_ID",
        "PROCESS_ROLES",
        "ZOOKEEPER_CONNECT",
        "LISTENERS",
        "ADVERTISED_LISTENERS",
    ];
    let upper = key.to_ascii_uppercase();
    let Some(rest) = upper.strip_prefix("KAFKA_") else {
        return false;
    };
    let rest = rest.strip_prefix("CFG_").unwrap_or(rest);
    MARKERS.contains(&rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_settings() {
        let k = classify("ORDERS_KAFKA_SESSION_TIMEOUT_MS", &BTreeMap::new()).unwrap();
        assert_eq!(
            (k.prefix.as_str(), k.setting),
            ("ORDERS_", Some(Setting::Session))
        );
        let k = classify("KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS", &BTreeMap::new()).unwrap();
        assert_eq!(
            (k.prefix.as_str(), k.setting),
            ("", Some(Setting::Heartbeat))
        );
        let k = classify("kafka_fetch_wait_max_ms", &BTreeMap::new()).unwrap();
        assert_eq!(k.setting, Some(Setting::FetchWait));
        let k = classify("KAFKA_BOOTSTRAP_SERVERS", &BTreeMap::new()).unwrap();
        assert_eq!((k.prefix.as_str(), k.setting), ("", None));
        assert_eq!(
            classify("MYKAFKA_SESSION_TIMEOUT_MS", &BTreeMap::new()),
            None
        );
        assert_eq!(classify("DATABASE_URL", &BTreeMap::new()), None);
    }

    #[test]
    fn broker_keys() {
        assert!(is_broker_key("KAFKA_BROKER_ID"));
        assert!(is_broker_key("KAFKA_CFG_PROCESS_ROLES"));
        assert!(!is_broker_key("KAFKA_BOOTSTRAP_SERVERS"));
        assert!(!is_broker_key("APP_KAFKA_LISTENERS"));
    }
}
