//! What the relation rules share: the relations between two settings of one client that the
//! policy or a client requires, checked on the model's valuations (an env group's values, a
//! code consumer's, and such a consumer with an applicable env file's values), and how a
//! value is named and labelled in their messages.

use crate::diagnostic::{Diagnostic, Label};
use crate::model::{Known, Source, Valuation};
use crate::policy;
use crate::setting::Setting;

use super::{Cx, Rule};

/// A label on a value, with `message`; `None` for a default, which is written nowhere.
pub(super) fn label(known: &Known, message: impl Into<String>) -> Option<Label> {
    known
        .at
        .as_ref()
        .map(|at| Label::new(at.file, at.range.clone(), message))
}

/// A default of a timeout every librdkafka consumer must set: `consumer-missing-timeouts`
/// reports relations that involve one, so that one mistake gives one diagnostic.
pub(super) fn is_required_default(known: &Known) -> bool {
    known.is_default() && policy::LIBRDKAFKA_REQUIRED.contains(&known.setting)
}

/// How messages name a value: "`KAFKA_SESSION_TIMEOUT_MS` (6000 ms)", "librdkafka's default
/// `session.timeout.ms` (45000 ms)", "`session.timeout.ms` (6000 ms, the code default of
/// `KAFKA_SESSION_TIMEOUT_MS`)".
pub(super) fn describe(known: &Known) -> String {
    match &known.source {
        Source::LibraryDefault => {
            format!("librdkafka's default `{}` ({} ms)", known.key, known.ms)
        }
        Source::CodeDefault { env_key } => format!(
            "`{}` ({} ms, the code default of `{env_key}`)",
            known.key, known.ms
        ),
        Source::Written | Source::EnvFile { .. } => format!("`{}` ({} ms)", known.key, known.ms),
    }
}

/// `KEY=value` for env keys, `.set("key", "value")` for librdkafka properties.
pub(super) fn assignment(key: &str, value: u64) -> String {
    if key.contains('.') {
        format!(".set(\"{key}\", \"{value}\")")
    } else {
        format!("{key}={value}")
    }
}

/// The fix that gives a value `value`, in the form of where it comes from: `KAFKA_X=5000` for
/// an env value or a code default (set it in the env file), `.set("session.timeout.ms",
/// "5000")` for code and librdkafka defaults.
pub(super) fn assignment_of(known: &Known, value: u64) -> String {
    match &known.source {
        Source::CodeDefault { env_key } => format!("{env_key}={value}"),
        Source::Written | Source::EnvFile { .. } | Source::LibraryDefault => {
            assignment(&known.key, value)
        }
    }
}

/// Every value of `setting` that is written somewhere (defaults are left out).
pub(super) fn known_values<'a>(
    cx: &'a Cx<'_>,
    setting: Setting,
) -> impl Iterator<Item = &'a Known> {
    cx.model
        .links
        .valuations
        .iter()
        .filter_map(move |v| v.get(setting).filter(|k| !k.is_default()))
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
    /// Whether the relation breaks between two values.
    pub(super) fn breaks(&self, valuation: &Valuation) -> Option<(Known, Known)> {
        let (s, o) = (valuation.get(self.subject)?, valuation.get(self.other)?);
        (self.broken)(s.ms, o.ms).then(|| (s.clone(), o.clone()))
    }

    /// The broken instances of the relation: `(subject, other)` of one valuation, at least one
    /// of them written somewhere, neither a default of a required timeout. A valuation with an
    /// env file's values owns only the findings that involve one of them (the others are the
    /// consumer's own valuation's).
    pub(super) fn violations<'a>(
        &'a self,
        cx: &'a Cx<'_>,
    ) -> impl Iterator<Item = (Known, Known)> + 'a {
        cx.model.links.valuations.iter().filter_map(|valuation| {
            let (s, o) = self.breaks(valuation)?;
            let reported_elsewhere = is_required_default(&s) || is_required_default(&o);
            let visible = !(s.is_default() && o.is_default());
            let own =
                valuation.env_file.is_none() || s.is_env_file_value() || o.is_env_file_value();
            (visible && own && !reported_elsewhere).then_some((s, o))
        })
    }

    /// "`KAFKA_REQUEST_TIMEOUT_MS` (40000 ms) is not below `KAFKA_SESSION_TIMEOUT_MS` (6000 ms)".
    pub(super) fn message(&self, subject: &Known, other: &Known) -> String {
        format!("{} {} {}", describe(subject), self.phrase, describe(other))
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
        let primary = label(first, format!("{} {} ms", first.setting, first.ms))?;
        let mut d = Diagnostic::new(self.rule, message, primary).with_help(help);
        let second_label = match &second.source {
            Source::CodeDefault { .. } => {
                format!("code default of the {} ({} ms)", second.setting, second.ms)
            }
            _ => format!("{} set here ({} ms)", second.setting, second.ms),
        };
        if let Some(l) = label(second, second_label) {
            d = d.with_label(l);
        }
        for known in [subject, other] {
            if let Source::EnvFile { read } = &known.source {
                let key = match known.setting.rdkafka_key() {
                    Some(key) => key,
                    None => known.key.as_str(),
                };
                d = d.with_label(Label::new(
                    read.file,
                    read.range.clone(),
                    format!("read here as `{key}`"),
                ));
            }
        }
        Some(d)
    }
}
