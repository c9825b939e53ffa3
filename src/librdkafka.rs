//! librdkafka's configuration properties, shipped as data generated from librdkafka's own
//! property table (`rd_kafka_properties[]` in rdkafka_conf.c, hidden and deprecated properties
//! included) and its CONFIGURATION.md (`scripts/librdkafka-properties.py`), so that rules know
//! every name librdkafka accepts, whether it applies to consumers or producers, the range
//! librdkafka enforces, which ones are deprecated, and which names it refuses.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The librdkafka version the data comes from (bundled by rdkafka 0.38 / rdkafka-sys 4.10).
pub const VERSION: &str = "2.12.1";

const DATA: &str = include_str!("../data/librdkafka-properties.tsv");

/// Which clients a property applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Any,
    Consumer,
    Producer,
}

/// One configuration property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: &'static str,
    pub scope: Scope,
    /// `integer`, `string`, `boolean`, `enum value`, ...
    pub kind: &'static str,
    /// The allowed range of an integer property.
    pub range: Option<(i64, i64)>,
    pub default: &'static str,
    /// Left out of CONFIGURATION.md, still accepted (`metadata.request.timeout.ms`).
    pub hidden: bool,
    /// Deprecated: librdkafka accepts it and logs `Configuration property X is deprecated:
    /// <note>` when the client is created.
    pub deprecated: bool,
    /// Experimental: librdkafka logs that too when it is set.
    pub experimental: bool,
    /// The error `rd_kafka_conf_set` returns for it: the name is known, but never accepted
    /// through a config (callbacks, Java-only properties, internal ones).
    pub refused: Option<&'static str>,
    /// What librdkafka says of a deprecated property (its description), or its refusal.
    pub note: &'static str,
}

impl Property {
    /// An integer property measured in milliseconds (`socket.timeout.ms`).
    pub fn is_timeout(&self) -> bool {
        self.kind == "integer" && self.name.rsplit('.').next() == Some("ms")
    }

    /// A deprecated property librdkafka no longer reads at all ("No longer used.").
    pub fn has_no_effect(&self) -> bool {
        self.deprecated
            && (self.note.starts_with("No longer used") || self.note.starts_with("Not used"))
    }
}

fn table() -> &'static HashMap<&'static str, Property> {
    static TABLE: OnceLock<HashMap<&'static str, Property>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // A few names are both global and (deprecated) topic properties; `ClientConfig::set`
        // sets the global one (`rd_kafka_conf_set` tries global properties first), whose
        // range and default can differ (`auto.commit.interval.ms`: 0.. globally, 10.. per
        // topic). Topic-level lines are used only for names without a global one.
        let lines = || {
            DATA.lines()
                .filter(|line| !line.starts_with('#') && !line.is_empty())
        };
        let global: std::collections::HashSet<&str> = lines()
            .filter(|line| line.split('\t').nth(2) == Some("global"))
            .filter_map(|line| line.split('\t').next())
            .collect();
        lines()
            .filter_map(|line| {
                let cells: Vec<&'static str> = line.split('\t').collect();
                let [name, scope, level, kind, min, max, default, flags, note] = cells[..] else {
                    return None;
                };
                let flag = |f: &str| flags.split(',').any(|x| x == f);
                if level != "global" && global.contains(name) {
                    return None;
                }
                let scope = match scope {
                    "C" => Scope::Consumer,
                    "P" => Scope::Producer,
                    _ => Scope::Any,
                };
                let range = min.parse().ok().zip(max.parse().ok());
                Some((
                    name,
                    Property {
                        name,
                        scope,
                        kind,
                        range,
                        default,
                        hidden: flag("hidden"),
                        deprecated: flag("deprecated"),
                        experimental: flag("experimental"),
                        refused: flag("refused").then_some(note),
                        note,
                    },
                ))
            })
            .collect()
    })
}

/// The property of that name.
pub fn property(name: &str) -> Option<&'static Property> {
    table().get(name)
}

/// Every property name, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = table().keys().copied().collect();
    names.sort_unstable();
    names
}

/// librdkafka's default for an integer property, in its unit (milliseconds for `*.ms`).
pub fn default_value(name: &str) -> Option<u64> {
    property(name)?.default.parse().ok()
}

/// A librdkafka integer property measured in milliseconds.
pub fn is_timeout_property(name: &str) -> bool {
    property(name).is_some_and(Property::is_timeout)
}

/// librdkafka's error for a plain value of a `*.ms` property outside its range: `Configuration
/// property "socket.timeout.ms" value 5 is outside allowed range 10..300000`.
pub fn range_error(name: &str, text: &str) -> Option<String> {
    let property = property(name).filter(|p| p.is_timeout())?;
    let (low, high) = property.range?;
    let value = i64::try_from(crate::timeout::TimeoutValue::parse(text).plain()?).ok()?;
    (value < low || value > high).then(|| {
        format!(
            "Configuration property \"{name}\" value {value} is outside allowed range {low}..{high}"
        )
    })
}

/// A value librdkafka accepts for `name`, in milliseconds: malformed and out-of-range values
/// take part in no relation (their own rules report them).
pub fn accepted_ms(name: &str, text: &str) -> Option<u64> {
    crate::timeout::TimeoutValue::parse(text)
        .plain()
        .filter(|_| range_error(name, text).is_none())
}

/// Java client property names that librdkafka spells differently or does not have, with what
/// to write instead.
pub fn java_hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "fetch.max.wait.ms" => "librdkafka spells it `fetch.wait.max.ms`",
        "default.api.timeout.ms" => "librdkafka has no such property; pass a timeout to each call",
        "max.poll.records" => {
            "librdkafka has no such property; consumers poll one message at a time"
        }
        "key.deserializer" | "value.deserializer" | "key.serializer" | "value.serializer" => {
            "librdkafka has no serializers; convert payloads in code"
        }
        "sasl.jaas.config" => "librdkafka takes `sasl.username` and `sasl.password` instead",
        "ssl.truststore.location" => "librdkafka takes a PEM file in `ssl.ca.location` instead",
        "ssl.truststore.password" => {
            "librdkafka takes a PEM file in `ssl.ca.location` and needs no password"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_from_the_table() {
        let socket = property("socket.timeout.ms").unwrap();
        assert_eq!(
            (socket.scope, socket.range, socket.default),
            (Scope::Any, Some((10, 300_000)), "60000")
        );
        assert_eq!(
            property("session.timeout.ms").unwrap().range,
            Some((1, 3_600_000))
        );
        assert_eq!(
            property("request.timeout.ms").unwrap().scope,
            Scope::Producer
        );
        assert_eq!(
            property("fetch.wait.max.ms").unwrap().scope,
            Scope::Consumer
        );
        assert!(property("fetch.max.wait.ms").is_none());
        assert!(names().len() > 150);
        assert_eq!(default_value("session.timeout.ms"), Some(45_000));
        assert_eq!(default_value("heartbeat.interval.ms"), Some(3000));
        assert_eq!(default_value("max.poll.interval.ms"), Some(300_000));
        assert_eq!(default_value("fetch.wait.max.ms"), Some(500));
        assert!(range_error("socket.timeout.ms", "5").is_some());
        assert_eq!(accepted_ms("socket.timeout.ms", "5000"), Some(5000));
    }

    #[test]
    fn global_properties_win_over_topic_properties_of_the_same_name() {
        let commit = property("auto.commit.interval.ms").unwrap();
        assert_eq!(
            (commit.range, commit.default),
            (Some((0, 86_400_000)), "5000")
        );
    }

    #[test]
    fn java_hints_name_properties_librdkafka_lacks() {
        for java in [
            "fetch.max.wait.ms",
            "default.api.timeout.ms",
            "max.poll.records",
            "sasl.jaas.config",
        ] {
            assert!(
                property(java).is_none_or(|p| p.refused.is_some()),
                "{java} is a librdkafka property"
            );
            assert!(java_hint(java).is_some());
        }
    }

    #[test]
    fn hidden_deprecated_and_refused_properties_come_from_the_definitions() {
        let unused = property("metadata.request.timeout.ms").unwrap();
        assert!(unused.hidden && unused.deprecated && unused.has_no_effect());
        assert_eq!(unused.note, "Not used.");
        let legacy = property("api.version.request").unwrap();
        assert!(legacy.deprecated && !legacy.has_no_effect() && !legacy.hidden);
        assert_eq!(
            property("ssl.truststore.location")
                .unwrap()
                .refused
                .map(|r| r.starts_with("Java TrustStores are not supported")),
            Some(true)
        );
        assert_eq!(
            property("opaque").unwrap().refused,
            Some("Property \"opaque\" must be set through dedicated .._set_..() function")
        );
        assert!(property("socket.timeout.ms").unwrap().refused.is_none());
    }
}
