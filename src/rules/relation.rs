//! What the relation rules share. A *site* is one client's configuration as the rules see it:
//! a prefix group of an env file, or a group consumer created in Rust. Each site knows, per
//! setting, a well-formed value in milliseconds, where it is written, and whether it is only
//! librdkafka's default (for an unset key of a Rust consumer).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::model::{ClientFacts, Model, REQUIRED_KEYS, SettingValue};
use crate::rust::{Construction, KeyState};
use crate::setting::Setting;
use crate::timeout::TimeoutValue;

use super::Rule;
use super::timeout_outside_client_range::outside_range;

/// A setting's value at a site.
#[derive(Debug, Clone)]
pub(super) struct Known {
    pub(super) setting: Setting,
    pub(super) ms: u64,
    /// The key as the user wrote it: `ORDERS_KAFKA_SESSION_TIMEOUT_MS` or `session.timeout.ms`.
    pub(super) key: String,
    /// Where the value is written; `None` for librdkafka's default.
    pub(super) at: Option<Label>,
    /// Whether the site is a test env file.
    pub(super) is_test: bool,
}

impl Known {
    pub(super) fn key(&self) -> &str {
        &self.key
    }

    pub(super) fn is_default(&self) -> bool {
        self.at.is_none()
    }

    /// A default of a timeout every consumer must set: `consumer-missing-timeouts` reports
    /// relations that involve one, so that one mistake gives one diagnostic.
    pub(super) fn is_required_default(&self) -> bool {
        self.is_default() && REQUIRED_KEYS.contains(&self.setting)
    }

    /// A label on the value, with `message`; for a default, `None`.
    pub(super) fn label(&self, message: impl Into<String>) -> Option<Label> {
        self.at.as_ref().map(|l| Label {
            message: message.into(),
            ..l.clone()
        })
    }

    /// How messages name the value: "`KAFKA_SESSION_TIMEOUT_MS` (6000 ms)", or for a default
    /// "librdkafka's default `session.timeout.ms` (45000 ms)".
    pub(super) fn describe(&self) -> String {
        if self.is_default() {
            format!("librdkafka's default `{}` ({} ms)", self.key, self.ms)
        } else {
            format!("`{}` ({} ms)", self.key, self.ms)
        }
    }
}

/// One client's configuration.
#[derive(Debug)]
pub(super) struct Site {
    values: BTreeMap<Setting, Known>,
}

impl Site {
    pub(super) fn get(&self, setting: Setting) -> Option<&Known> {
        self.values.get(&setting)
    }
}

/// Every site of the model: env groups first, then Rust group consumers.
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
                    Some((
                        *setting,
                        Known {
                            setting: *setting,
                            ms,
                            key,
                            at: Some(at),
                            is_test: env.is_test,
                        },
                    ))
                })
                .collect();
            sites.push(Site { values });
        }
    }
    for client in model.clients.iter().filter(|c| c.is_group_consumer()) {
        sites.push(client_site(client));
    }
    sites
}

/// The site of one Rust consumer.
pub(super) fn client_site(client: &Construction) -> Site {
    Site {
        values: client_values(client),
    }
}

/// The values a Rust consumer runs with: what it sets, else librdkafka's default. Under
/// `group.protocol=consumer` the broker owns session and heartbeat, so they are left out.
fn client_values(client: &Construction) -> BTreeMap<Setting, Known> {
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
                // Values librdkafka rejects (malformed, out of range) take part in no relation.
                let valid = outside_range(key, &text).is_none();
                TimeoutValue::parse(&text)
                    .plain()
                    .filter(|_| valid)
                    .map(|ms| (ms, Some(loc)))
            }
            KeyState::Unset => setting.librdkafka_default().map(|ms| (ms, None)),
            KeyState::Set { value: None, .. } | KeyState::Unknown(_) => None,
        };
        if let Some((ms, loc)) = known {
            let at = loc.map(|l| Label::new(l.file, l.span, String::new()));
            values.insert(
                setting,
                Known {
                    setting,
                    ms,
                    key: key.to_owned(),
                    at,
                    is_test: false,
                },
            );
        }
    }
    values
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
                (visible && !reported_elsewhere && (self.broken)(s.ms, o.ms))
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
    pub(super) fn diagnostic(&self, subject: &Known, other: &Known, help: String) -> Diagnostic {
        let message = self.message(subject, other);
        let subject_label = subject.label(format!("{} {} ms", subject.setting, subject.ms));
        let other_label = other.label(format!("{} set here ({} ms)", other.setting, other.ms));
        let (primary, secondary) = match (subject_label, other_label) {
            (Some(s), o) => (s, o),
            (None, Some(o)) => (
                Label {
                    message: format!("{} {} ms", other.setting, other.ms),
                    ..o
                },
                None,
            ),
            (None, None) => unreachable!("violations have at least one written value"),
        };
        let mut d = Diagnostic::new(self.rule, message, primary).with_help(help);
        if let Some(label) = secondary {
            d = d.with_label(label);
        }
        d
    }
}
