//! librdkafka is the oracle: every claim the linter makes about it is checked against the
//! library it describes (librdkafka 2.12.1, bundled by rdkafka-sys 4.10.0). For each
//! configuration of the table, the test asks librdkafka for its verdict (creation error,
//! configuration warning, or the value it actually stores) and the linter for its findings on
//! the same configuration written as Rust, and requires the two to agree.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::sync::{Arc, Mutex};

use cargo_kafka_lint::librdkafka;
use cargo_kafka_lint::report::Report;
use cargo_kafka_lint::{lint_workspace, RuleLevels, RunSettings, Workspace};
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, ConsumerContext};
use rdkafka::ClientContext;

/// Every log line librdkafka emits while a client is created.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<String>>>);

impl ClientContext for Logs {
    fn log(&self, _level: RDKafkaLogLevel, fac: &str, message: &str) {
        self.0.lock().unwrap().push(format!("{fac}: {message}"));
    }
}

impl ConsumerContext for Logs {}

/// What librdkafka makes of a consumer configuration.
#[derive(Debug)]
enum Verdict {
    /// Creation failed with this message.
    Rejected(String),
    /// Created; these are the CONFWARN lines it logged.
    Created(Vec<String>),
}

/// Settings every configuration starts with: no broker is contacted (port 9 is closed).
const BASE: [(&str, &str); 2] = [("bootstrap.servers", "127.0.0.1:9"), ("group.id", "oracle")];

fn librdkafka_verdict(settings: &[(&str, &str)]) -> Verdict {
    let mut config = ClientConfig::new();
    for (key, value) in BASE.iter().chain(settings) {
        config.set(*key, *value);
    }
    config.set_log_level(RDKafkaLogLevel::Warning);
    let logs = Logs::default();
    match config.create_with_context::<_, BaseConsumer<Logs>>(logs.clone()) {
        Err(error) => Verdict::Rejected(error.to_string()),
        Ok(consumer) => {
            // rdkafka sets `log.queue=true`: the CONFWARN lines librdkafka logs while creating
            // the client wait on the queue until it is served. Serve it before reading them
            // (dropping the client without polling loses them now and then).
            for _ in 0..3 {
                let _ = consumer.poll(std::time::Duration::from_millis(50));
            }
            drop(consumer);
            let lines = logs.0.lock().unwrap().clone();
            Verdict::Created(
                lines
                    .into_iter()
                    .filter(|l| l.starts_with("CONFWARN"))
                    .collect(),
            )
        }
    }
}

/// The value librdkafka stores for `key` after parsing `value`.
fn librdkafka_reads(key: &str, value: &str) -> String {
    let native = ClientConfig::new()
        .set(key, value)
        .create_native_config()
        .unwrap();
    native.get(key).unwrap()
}

/// `(rule, message and help)` of each finding of the linter on a `BaseConsumer` built from
/// these settings in Rust.
fn linter_findings(settings: &[(&str, &str)]) -> Vec<(String, String)> {
    let sets: String = BASE
        .iter()
        .chain(settings)
        .map(|(k, v)| format!("\n        .set({k:?}, {v:?})"))
        .collect();
    let source = format!(
        "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::BaseConsumer;\n\n\
         pub fn consumer() -> BaseConsumer {{\n    ClientConfig::new(){sets}\n        .create()\n        .unwrap()\n}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("svc/src")).unwrap();
    std::fs::write(dir.path().join("svc/src/lib.rs"), source).unwrap();
    let mut ws = Workspace::folder(dir.path().to_path_buf());
    ws.packages.push(dir.path().join("svc"));
    let report: Report =
        lint_workspace(&ws, &[], &RuleLevels::default(), &RunSettings::default()).unwrap();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let text = format!("{}\n{}", d.message, d.help.as_deref().unwrap_or(""));
            (d.rule.id().to_owned(), text)
        })
        .collect()
}

/// What librdkafka is expected to do with a configuration.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Creation fails with a message containing this text.
    Rejects(&'static str),
    /// Creation succeeds with a CONFWARN line containing this text.
    Warns(&'static str),
    /// `.0` is stored as `.1` (librdkafka reads integers with `strtol(.., 0)`).
    Reads(&'static str, &'static str),
    /// Creation succeeds without a configuration warning.
    Accepts,
}

struct Case {
    /// The rule that reports the configuration, and a text its message or help must hold
    /// (relations with a missing required timeout are reported by `consumer-missing-timeouts`).
    rule: (&'static str, &'static str),
    settings: &'static [(&'static str, &'static str)],
    librdkafka: Expect,
    /// Whether the linter reports `rule` on it.
    fires: bool,
}

const fn case(
    rule: (&'static str, &'static str),
    settings: &'static [(&'static str, &'static str)],
    librdkafka: Expect,
    fires: bool,
) -> Case {
    Case {
        rule,
        settings,
        librdkafka,
        fires,
    }
}

use Expect::{Accepts, Reads, Rejects, Warns};

const CASES: &[Case] = &[
    // max-poll-below-session: librdkafka refuses a classic consumer whose max poll interval
    // is below its session timeout; equal is fine.
    case(
        ("max-poll-below-session", ""),
        &[("session.timeout.ms", "6000"), ("max.poll.interval.ms", "5999")],
        Rejects("`max.poll.interval.ms`must be >= `session.timeout.ms`"),
        true,
    ),
    case(
        ("consumer-missing-timeouts", "`max.poll.interval.ms` (44999 ms) is below librdkafka's default"),
        &[("max.poll.interval.ms", "44999")],
        Rejects("`max.poll.interval.ms`must be >= `session.timeout.ms`"),
        true,
    ),
    case(
        ("max-poll-below-session", ""),
        &[("session.timeout.ms", "6000"), ("max.poll.interval.ms", "6000")],
        Accepts,
        false,
    ),
    // classic-setting-with-consumer-protocol: KIP-848 consumers reject classic group settings,
    // even at their defaults.
    case(
        ("classic-setting-with-consumer-protocol", ""),
        &[("group.protocol", "consumer"), ("session.timeout.ms", "45000")],
        Rejects("`session.timeout.ms` is not supported for `group.protocol=consumer`"),
        true,
    ),
    case(
        ("classic-setting-with-consumer-protocol", ""),
        &[("group.protocol", "consumer"), ("heartbeat.interval.ms", "3000")],
        Rejects("`heartbeat.interval.ms` is not supported for `group.protocol=consumer`"),
        true,
    ),
    case(
        ("classic-setting-with-consumer-protocol", ""),
        &[("group.protocol", "consumer"), ("partition.assignment.strategy", "range")],
        Rejects("`partition.assignment.strategy` is not supported for `group.protocol=consumer`"),
        true,
    ),
    case(
        ("classic-setting-with-consumer-protocol", ""),
        &[("group.protocol", "classic"), ("session.timeout.ms", "45000")],
        Accepts,
        false,
    ),
    case(("classic-setting-with-consumer-protocol", ""), &[("group.protocol", "consumer")], Accepts, false),
    // unknown-client-property: Java spellings and typos do not exist in librdkafka.
    case(
        ("unknown-client-property", ""),
        &[("fetch.max.wait.ms", "500")],
        Rejects("No such configuration property: \"fetch.max.wait.ms\""),
        true,
    ),
    case(
        ("unknown-client-property", ""),
        &[("default.api.timeout.ms", "5000")],
        Rejects("No such configuration property: \"default.api.timeout.ms\""),
        true,
    ),
    case(
        ("unknown-client-property", ""),
        &[("sesion.timeout.ms", "6000")],
        Rejects("No such configuration property: \"sesion.timeout.ms\""),
        true,
    ),
    case(("unknown-client-property", ""), &[("fetch.wait.max.ms", "500")], Accepts, false),
    // timeout-outside-client-range: librdkafka's ranges, at their edges.
    case(
        ("timeout-outside-client-range", ""),
        &[("socket.timeout.ms", "9")],
        Rejects("value 9 is outside allowed range 10..300000"),
        true,
    ),
    case(
        ("timeout-outside-client-range", ""),
        &[("socket.timeout.ms", "300001")],
        Rejects("value 300001 is outside allowed range 10..300000"),
        true,
    ),
    case(
        ("timeout-outside-client-range", ""),
        &[("session.timeout.ms", "0")],
        Rejects("is outside allowed range"),
        true,
    ),
    case(("timeout-outside-client-range", ""), &[("session.timeout.ms", "1")], Accepts, false),
    case(("timeout-outside-client-range", ""), &[("socket.timeout.ms", "300000"), ("fetch.wait.max.ms", "100")], Accepts, false),
    // producer-only-setting-on-consumer: ignored with a warning.
    case(
        ("producer-only-setting-on-consumer", ""),
        &[("request.timeout.ms", "5000")],
        Warns("request.timeout.ms is a producer property and will be ignored by this consumer instance"),
        true,
    ),
    case(
        ("producer-only-setting-on-consumer", ""),
        &[("socket.timeout.ms", "5000"), ("fetch.wait.max.ms", "100")],
        Accepts,
        false,
    ),
    // fetch-wait-too-close-to-socket-timeout: a warning below 1000 ms of margin.
    case(
        ("fetch-wait-too-close-to-socket-timeout", ""),
        &[("fetch.wait.max.ms", "500"), ("socket.timeout.ms", "1499")],
        Warns("`fetch.wait.max.ms` (500) should be set lower than `socket.timeout.ms` (1499) by at least 1000ms"),
        true,
    ),
    case(
        ("fetch-wait-too-close-to-socket-timeout", ""),
        &[("fetch.wait.max.ms", "500"), ("socket.timeout.ms", "1500")],
        Accepts,
        false,
    ),
    // malformed-timeout-value: strtol with base 0 and trailing garbage ignored.
    case(("malformed-timeout-value", ""), &[("session.timeout.ms", "06000")], Reads("06000", "3072"), true),
    case(("malformed-timeout-value", ""), &[("session.timeout.ms", "0x1770")], Reads("0x1770", "6000"), true),
    case(("malformed-timeout-value", ""), &[("session.timeout.ms", "6000ms")], Reads("6000ms", "6000"), true),
    case(("malformed-timeout-value", ""), &[("session.timeout.ms", "6_000")], Reads("6_000", "6"), true),
    case(("malformed-timeout-value", ""), &[("session.timeout.ms", "6000")], Reads("6000", "6000"), false),
];

#[test]
fn every_librdkafka_claim_of_the_rules_holds() {
    let mut failures = Vec::new();
    for case in CASES {
        let (rule, mention) = case.rule;
        let found = linter_findings(case.settings)
            .iter()
            .any(|(id, text)| id == rule && text.contains(mention));
        if found != case.fires {
            failures.push(format!(
                "{} on {:?}: the linter {} it",
                rule,
                case.settings,
                if found { "reports" } else { "does not report" }
            ));
        }
        let verdict = librdkafka_verdict(case.settings);
        let agrees = match (case.librdkafka, &verdict) {
            (Rejects(text), Verdict::Rejected(message)) => message.contains(text),
            (Warns(text), Verdict::Created(warnings)) => warnings.iter().any(|w| w.contains(text)),
            (Accepts, Verdict::Created(warnings)) => warnings.is_empty(),
            (Reads(value, stored), Verdict::Created(_)) => {
                let key = case.settings[0].0;
                librdkafka_reads(key, value) == stored
            }
            _ => false,
        };
        if !agrees {
            failures.push(format!(
                "{rule} on {:?}: expected librdkafka to {:?}, it said {verdict:?}",
                case.settings, case.librdkafka
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_shipped_property_exists_and_unknown_ones_do_not() {
    let mut failures = Vec::new();
    for name in librdkafka::names() {
        // Set to a value of its type: librdkafka must know the name.
        let value = value_for(name);
        if let Err(error) = ClientConfig::new().set(name, &value).create_native_config() {
            if error.to_string().contains("No such configuration property") {
                failures.push(format!("{name}: {error}"));
            }
        }
    }
    for name in [
        "fetch.max.wait.ms",
        "default.api.timeout.ms",
        "max.poll.records",
        "sesion.timeout.ms",
        "kafka.lint",
    ] {
        assert!(
            librdkafka::property(name).is_none(),
            "{name} is in the shipped list"
        );
        let error = ClientConfig::new()
            .set(name, "1")
            .create_native_config()
            .err();
        if !error.is_some_and(|e| e.to_string().contains("No such configuration property")) {
            failures.push(format!("{name}: librdkafka knows it"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_shipped_ranges_are_the_ones_enforced_at_their_edges() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for name in librdkafka::names() {
        let property = librdkafka::property(name).unwrap();
        let Some((min, max)) = property.range else {
            continue;
        };
        let verdict = |value: i64| {
            ClientConfig::new()
                .set(name, value.to_string())
                .create_native_config()
                .err()
                .map(|e| e.to_string())
        };
        // Properties of features this build lacks (OAuth/OIDC without libcurl) are known but
        // refuse every value.
        if verdict(min).is_some_and(|e| e.contains("not supported in this build")) {
            continue;
        }
        let accepts = |value: i64| verdict(value).is_none();
        for (value, expected) in [(min - 1, false), (min, true), (max, true), (max + 1, false)] {
            // Values beyond a C int cannot be outside the range as librdkafka stores it.
            if !(i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&value) {
                continue;
            }
            if accepts(value) != expected {
                failures.push(format!(
                    "{name}={value}: shipped range {min}..{max}, librdkafka {}",
                    if expected { "rejects it" } else { "accepts it" }
                ));
            }
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} ranges");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A value of a property's type, for setting it: its default, else something of its kind.
fn value_for(name: &str) -> String {
    let Some(property) = librdkafka::property(name) else {
        return "1".to_owned();
    };
    match property.kind {
        "integer" => property
            .default
            .parse::<i64>()
            .map_or("1".to_owned(), |d| d.to_string()),
        "boolean" => "true".to_owned(),
        _ if property.default.is_empty() => "x".to_owned(),
        _ => property.default.to_owned(),
    }
}

#[test]
fn every_property_verdict_holds_on_names_seen_in_code() {
    let mut failures = Vec::new();
    let names = include_str!("property-names.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    for name in names {
        let value = value_for(name);
        let linter = linter_findings(&[(name, value.as_str())]);
        let fired =
            |rule: &str, text: &str| linter.iter().any(|(id, t)| id == rule && t.contains(text));
        let set = ClientConfig::new()
            .set(name, &value)
            .create_native_config()
            .err()
            .map(|e| e.to_string());
        let no_such = format!("No such configuration property: \"{name}\"");
        match librdkafka::property(name) {
            None => {
                if !set.as_deref().is_some_and(|e| e.contains(&no_such)) {
                    failures.push(format!(
                        "{name}: the linter calls it unknown, librdkafka said {set:?}"
                    ));
                }
                if !fired("unknown-client-property", &no_such) {
                    failures.push(format!("{name}: unknown to librdkafka, not reported"));
                }
            }
            Some(p) => match p.refused {
                Some(refusal) => {
                    // A build without the feature a property belongs to (OpenSSL for `ssl_key`)
                    // refuses it before its type is looked at, with another text.
                    let refused =
                        |e: &str| e.contains(refusal) || e.contains("not supported in this build");
                    if !set.as_deref().is_some_and(refused) {
                        failures.push(format!("{name}: the linter says librdkafka refuses it with {refusal:?}, librdkafka said {set:?}"));
                    }
                    if !fired("unknown-client-property", refusal) {
                        failures.push(format!("{name}: refused by librdkafka, not reported"));
                    }
                }
                None => {
                    if set.as_deref().is_some_and(|e| {
                        e.contains("No such configuration property")
                            || e.contains("must be set through")
                            || e.contains("not settable")
                    }) {
                        failures.push(format!(
                            "{name}: the linter knows it, librdkafka said {set:?}"
                        ));
                    }
                    if fired("unknown-client-property", "") {
                        failures.push(format!("{name}: a librdkafka property, reported unknown"));
                    }
                    if p.deprecated != fired("deprecated-client-property", "") {
                        failures.push(format!(
                            "{name}: deprecated {}, reported {}",
                            p.deprecated, !p.deprecated
                        ));
                    }
                }
            },
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_deprecation_claim_holds() {
    let mut failures = Vec::new();
    for name in librdkafka::names() {
        let property = librdkafka::property(name).unwrap();
        if !property.deprecated || property.refused.is_some() || property.kind == "pointer" {
            continue;
        }
        let value = value_for(name);
        let expected = format!("Configuration property {name} is deprecated");
        match librdkafka_verdict(&[(name, value.as_str())]) {
            Verdict::Created(warnings) => {
                if !warnings.iter().any(|w| w.contains(&expected)) {
                    failures.push(format!("{name}: no deprecation warning, only {warnings:?}"));
                }
            }
            // A value the build cannot use (`ssl.engine.location` needs an engine): the name
            // itself was accepted, which is all the rule claims.
            Verdict::Rejected(error) if !error.contains("No such configuration property") => {}
            Verdict::Rejected(error) => failures.push(format!("{name}: {error}")),
        }
        let found = linter_findings(&[(name, value.as_str())])
            .iter()
            .any(|(id, text)| id == "deprecated-client-property" && text.contains(&expected));
        if !found {
            failures.push(format!("{name}: deprecated, not reported"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
