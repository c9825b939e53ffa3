//! What the relation rules share. A *site* is one client's configuration as the rules see it:
//! a prefix group of an env file, a group consumer created in Rust, or such a consumer with
//! the values an applicable env file gives the keys it reads from the environment. Each site
//! knows, per setting, a well-formed value in milliseconds and where it comes from.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::model::{ClientFacts, EnvFile, Model, REQUIRED_KEYS, SettingValue};
use crate::rust::{Construction, KeyState};
use crate::setting::Setting;
use crate::timeout::TimeoutValue;

use super::Rule;
use super::timeout_outside_client_range::outside_range;

/// Where a value comes from.
#[derive(Debug, Clone)]
pub(super) enum Source {
    /// Written in an env file group or as a literal in code.
    Written,
    /// The fallback in code for an env key (`env::var("K").unwrap_or("6000")`).
    CodeDefault { env_key: String },
    /// An env file's value for a key a consumer reads; `read` is the `.set` that reads it.
    EnvFile { read: Label },
    /// librdkafka's default for a key the consumer leaves unset.
    LibrdkafkaDefault,
}

/// A setting's value at a site.
#[derive(Debug, Clone)]
pub(super) struct Known {
    pub(super) setting: Setting,
    pub(super) ms: u64,
    /// The key as the user wrote it: `ORDERS_KAFKA_SESSION_TIMEOUT_MS` or `session.timeout.ms`.
    pub(super) key: String,
    /// Where the value is written; `None` for librdkafka's default.
    pub(super) at: Option<Label>,
    /// Whether the value comes from a test env file.
    pub(super) is_test: bool,
    pub(super) source: Source,
}

impl Known {
    pub(super) fn key(&self) -> &str {
        &self.key
    }

    pub(super) fn is_default(&self) -> bool {
        matches!(self.source, Source::LibrdkafkaDefault)
    }

    fn is_env_file_value(&self) -> bool {
        matches!(self.source, Source::EnvFile { .. })
    }

    /// A default of a timeout every consumer must set: `consumer-missing-timeouts` reports
    /// relations that involve one, so that one mistake gives one diagnostic.
    pub(super) fn is_required_default(&self) -> bool {
        self.is_default() && REQUIRED_KEYS.contains(&self.setting)
    }

    /// The fix that gives this value `value`, in the form of where it comes from:
    /// `KAFKA_X=5000` for an env value or a code default (set it in the env file),
    /// `.set("session.timeout.ms", "5000")` for code and librdkafka defaults.
    pub(super) fn assignment(&self, value: u64) -> String {
        match &self.source {
            Source::CodeDefault { env_key } => format!("{env_key}={value}"),
            Source::Written | Source::EnvFile { .. } | Source::LibrdkafkaDefault => {
                super::request_not_below_session::assignment(&self.key, value)
            }
        }
    }

    /// A label on the value, with `message`; for a default, `None`.
    pub(super) fn label(&self, message: impl Into<String>) -> Option<Label> {
        self.at.as_ref().map(|l| Label {
            message: message.into(),
            ..l.clone()
        })
    }

    /// How messages name the value: "`KAFKA_SESSION_TIMEOUT_MS` (6000 ms)", "librdkafka's
    /// default `session.timeout.ms` (45000 ms)", "`session.timeout.ms` (6000 ms, the code
    /// default of `KAFKA_SESSION_TIMEOUT_MS`)".
    pub(super) fn describe(&self) -> String {
        match &self.source {
            Source::LibrdkafkaDefault => {
                format!("librdkafka's default `{}` ({} ms)", self.key, self.ms)
            }
            Source::CodeDefault { env_key } => {
                format!(
                    "`{}` ({} ms, the code default of `{env_key}`)",
                    self.key, self.ms
                )
            }
            Source::Written | Source::EnvFile { .. } => format!("`{}` ({} ms)", self.key, self.ms),
        }
    }
}

/// One client's configuration.
#[derive(Debug)]
pub(super) struct Site {
    values: BTreeMap<Setting, Known>,
    /// A consumer with an env file's values: only findings that involve one of them are its
    /// own (the others are the consumer's own site's).
    with_env_file: bool,
}

impl Site {
    pub(super) fn get(&self, setting: Setting) -> Option<&Known> {
        self.values.get(&setting)
    }
}

/// Every site of the model: env groups, Rust group consumers, and each consumer with each env
/// file that applies to it and defines a key it reads.
pub(super) fn sites(model: &Model) -> Vec<Site> {
    let mut sites = Vec::new();
    for env in &model.env_files {
        for group in &env.groups {
            let values = group
                .settings
                .iter()
                .filter_map(|(setting, s)| {
                    let SettingValue::Known(TimeoutValue::Plain(ms)) = s.value else {
                        return None;
                    };
                    let at = Label::new(env.file, env.value_span(s.entry), String::new());
                    let key = env.entries[s.entry].key.clone();
                    let known = Known {
                        setting: *setting,
                        ms,
                        key,
                        at: Some(at),
                        is_test: env.is_test,
                        source: Source::Written,
                    };
                    Some((*setting, known))
                })
                .collect();
            sites.push(Site {
                values,
                with_env_file: false,
            });
        }
    }
    for client in model.clients.iter().filter(|c| c.is_group_consumer()) {
        sites.push(client_site(client));
        for env in model.env_files_for(client) {
            let values = client_values(client, Some(env));
            if values.values().any(Known::is_env_file_value) {
                sites.push(Site {
                    values,
                    with_env_file: true,
                });
            }
        }
    }
    sites
}

/// The site of one Rust consumer, with code defaults for the keys it reads from the
/// environment.
pub(super) fn client_site(client: &Construction) -> Site {
    Site {
        values: client_values(client, None),
        with_env_file: false,
    }
}

/// The values a Rust consumer runs with: what it sets, for a key read from the environment
/// the env file's value (else the code default), else librdkafka's default. Under
/// `group.protocol=consumer` the broker owns session and heartbeat, so they are left out.
fn client_values(client: &Construction, env: Option<&EnvFile>) -> BTreeMap<Setting, Known> {
    let mut values = BTreeMap::new();
    for setting in Setting::ALL {
        let Some(key) = setting.rdkafka_key() else {
            continue;
        };
        if client.uses_consumer_protocol()
            && matches!(setting, Setting::Session | Setting::Heartbeat)
        {
            continue;
        }
        let known = match client.key(key) {
            KeyState::Set {
                value: Some(text),
                loc,
                ..
            } => {
                let at = Label::new(loc.file, loc.span, String::new());
                valid_ms(key, &text)
                    .map(|ms| (ms, key.to_owned(), Some(at), false, Source::Written))
            }
            KeyState::Set {
                env: Some(bound),
                key: key_loc,
                ..
            } => {
                let from_file = env.and_then(|e| Some((e, e.lookup(&bound)?)));
                match (from_file, &bound.default) {
                    (Some((e, entry)), _) => {
                        let found = &e.entries[entry];
                        let at = Label::new(e.file, e.value_span(entry), String::new());
                        let read =
                            Label::new(key_loc.file, key_loc.span, format!("read here as `{key}`"));
                        valid_ms(key, &found.value).map(|ms| {
                            (
                                ms,
                                found.key.clone(),
                                Some(at),
                                e.is_test,
                                Source::EnvFile { read },
                            )
                        })
                    }
                    (None, Some((text, loc))) => {
                        let at = Label::new(loc.file, loc.span.clone(), String::new());
                        let source = Source::CodeDefault {
                            env_key: bound.key.clone(),
                        };
                        valid_ms(key, text).map(|ms| (ms, key.to_owned(), Some(at), false, source))
                    }
                    (None, None) => None,
                }
            }
            KeyState::Unset => setting
                .librdkafka_default()
                .map(|ms| (ms, key.to_owned(), None, false, Source::LibrdkafkaDefault)),
            KeyState::Set { .. } | KeyState::Unknown(_) => None,
        };
        if let Some((ms, key, at, is_test, source)) = known {
            values.insert(
                setting,
                Known {
                    setting,
                    ms,
                    key,
                    at,
                    is_test,
                    source,
                },
            );
        }
    }
    values
}

/// A value librdkafka accepts for `key`, in milliseconds: malformed and out-of-range values
/// take part in no relation (their own rules report them).
fn valid_ms(key: &str, text: &str) -> Option<u64> {
    TimeoutValue::parse(text)
        .plain()
        .filter(|_| outside_range(key, text).is_none())
}

/// Every value of `setting` that is written somewhere (defaults are left out).
pub(super) fn known_values(model: &Model, setting: Setting) -> impl Iterator<Item = Known> {
    sites(model)
        .into_iter()
        .filter_map(move |s| s.get(setting).filter(|k| !k.is_default()).cloned())
}

/// A relation between two settings of one client that the policy or a client requires.
#[derive(Debug)]
pub(super) struct Relation {
    pub(super) rule: Rule,
    pub(super) subject: Setting,
    pub(super) other: Setting,
    /// Whether `(subject, other)` breaks the relation.
    pub(super) broken: fn(u64, u64) -> bool,
    /// How the broken relation reads between the two values: "is not below".
    pub(super) phrase: &'static str,
}

pub(super) const REQUEST_NOT_BELOW_SESSION: [Relation; 2] = [
    Relation {
        rule: Rule::RequestNotBelowSession,
        subject: Setting::Request,
        other: Setting::Session,
        broken: |request, session| request >= session,
        phrase: "is not below",
    },
    Relation {
        rule: Rule::RequestNotBelowSession,
        subject: Setting::Socket,
        other: Setting::Session,
        broken: |socket, session| socket >= session,
        phrase: "is not below",
    },
];

pub(super) const HEARTBEAT_NOT_BELOW_SESSION: Relation = Relation {
    rule: Rule::HeartbeatNotBelowSession,
    subject: Setting::Heartbeat,
    other: Setting::Session,
    broken: |heartbeat, session| heartbeat >= session,
    phrase: "is not below",
};

/// Only when the heartbeat is below the session: otherwise the stronger
/// `heartbeat-not-below-session` reports it.
pub(super) const HEARTBEAT_ABOVE_THIRD_OF_SESSION: Relation = Relation {
    rule: Rule::HeartbeatAboveThirdOfSession,
    subject: Setting::Heartbeat,
    other: Setting::Session,
    broken: |heartbeat, session| heartbeat < session && heartbeat.saturating_mul(3) > session,
    phrase: "is more than a third of",
};

pub(super) const MAX_POLL_BELOW_SESSION: Relation = Relation {
    rule: Rule::MaxPollBelowSession,
    subject: Setting::MaxPoll,
    other: Setting::Session,
    broken: |max_poll, session| max_poll < session,
    phrase: "is below",
};

pub(super) const FETCH_WAIT_TOO_CLOSE_TO_SOCKET_TIMEOUT: Relation = Relation {
    rule: Rule::FetchWaitTooCloseToSocketTimeout,
    subject: Setting::FetchWait,
    other: Setting::Socket,
    broken: |fetch, socket| fetch.saturating_add(1000) > socket,
    phrase: "is not at least 1000 ms below",
};

/// Every relation, for the rule that folds those involving a missing timeout into its own
/// diagnostic.
pub(super) const ALL: [&Relation; 6] = [
    &REQUEST_NOT_BELOW_SESSION[0],
    &REQUEST_NOT_BELOW_SESSION[1],
    &HEARTBEAT_NOT_BELOW_SESSION,
    &HEARTBEAT_ABOVE_THIRD_OF_SESSION,
    &MAX_POLL_BELOW_SESSION,
    &FETCH_WAIT_TOO_CLOSE_TO_SOCKET_TIMEOUT,
];

impl Relation {
    /// The broken instances of the relation: `(subject, other)` of one site, at least one of
    /// them written somewhere, neither a default of a required timeout.
    pub(super) fn violations(&self, model: &Model) -> Vec<(Known, Known)> {
        sites(model)
            .iter()
            .filter_map(|site| {
                let (s, o) = (site.get(self.subject)?, site.get(self.other)?);
                let reported_elsewhere = s.is_required_default() || o.is_required_default();
                let visible = !(s.is_default() && o.is_default());
                let own = !site.with_env_file || s.is_env_file_value() || o.is_env_file_value();
                (visible && own && !reported_elsewhere && (self.broken)(s.ms, o.ms))
                    .then(|| (s.clone(), o.clone()))
            })
            .collect()
    }

    /// "`KAFKA_REQUEST_TIMEOUT_MS` (40000 ms) is not below `KAFKA_SESSION_TIMEOUT_MS` (6000 ms)".
    pub(super) fn message(&self, subject: &Known, other: &Known) -> String {
        format!(
            "{} {} {}",
            subject.describe(),
            self.phrase,
            other.describe()
        )
    }

    /// The diagnostic of a violation: the primary label on the subject's value (or on the
    /// other value when the subject is a default), a secondary label on the other one.
    pub(super) fn diagnostic(
        &self,
        subject: &Known,
        other: &Known,
        help: String,
    ) -> Option<Diagnostic> {
        let message = self.message(subject, other);
        // The primary label goes on an env file's value when one is involved (that is what the
        // user edits), else on the subject; a default has no place to point at.
        let subject_first =
            subject.at.is_some() && (subject.is_env_file_value() || !other.is_env_file_value());
        let (first, second) = if subject_first {
            (subject, other)
        } else {
            (other, subject)
        };
        let primary = first.label(format!("{} {} ms", first.setting, first.ms))?;
        let mut d = Diagnostic::new(self.rule, message, primary).with_help(help);
        let second_label = match &second.source {
            Source::CodeDefault { .. } => {
                format!("code default of the {} ({} ms)", second.setting, second.ms)
            }
            _ => format!("{} set here ({} ms)", second.setting, second.ms),
        };
        if let Some(label) = second.label(second_label) {
            d = d.with_label(label);
        }
        for known in [subject, other] {
            if let Source::EnvFile { read } = &known.source {
                d = d.with_label(read.clone());
            }
        }
        Some(d)
    }
}
