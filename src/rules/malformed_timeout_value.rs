use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::{ClientFacts, Model, SettingValue};
use crate::rules::Rule;
use crate::rules::request_not_below_session::assignment;
use crate::rust::KeyState;
use crate::setting::Setting;
use crate::timeout::{Malformed, MalformedReason, TimeoutValue};

declare_rule! {
    /// ## What it does
    /// Checks that every Kafka timeout value is a plain decimal integer of milliseconds: no
    /// leading zero, sign, unit, `_` separator, `0x` prefix or surrounding spaces, not empty, and
    /// small enough for 32 bits.
    ///
    /// ## Why is this bad?
    /// librdkafka parses integer properties with `strtol(value, &end, 0)` and silently ignores
    /// whatever follows the number. `06000` has a leading zero, so it is read as octal: 3072 ms.
    /// `6s` is read as 6 ms, `6_000` as 6 ms, `08000` as 0. Java and Python clients reject the
    /// same values at start-up instead, so one env file can mean different things to different
    /// services. Values that are not plain numbers take part in no other rule of this tool.
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=06000
    /// KAFKA_HEARTBEAT_INTERVAL_MS=2s
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// KAFKA_HEARTBEAT_INTERVAL_MS=2000
    /// ```
    ///
    /// ## References
    /// - librdkafka `src/rdkafka_conf.c` (integer properties are parsed with `strtol`)
    id: "malformed-timeout-value",
    level: Deny,
    summary: "A timeout value is not a plain decimal integer of milliseconds",
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for env in &model.env_files {
        for group in &env.groups {
            for (setting, s) in &group.settings {
                let SettingValue::Known(TimeoutValue::Malformed(m)) = &s.value else { continue };
                let entry = &env.entries[s.entry];
                let at = Label::new(env.file, env.value_span(s.entry), String::new());
                out.push(diagnostic(&entry.key, &entry.value, &setting.to_string(), m, at));
            }
        }
    }
    for client in model.clients.iter().filter(|c| c.is_rdkafka_client()) {
        for (key, state) in client.config.entries() {
            let KeyState::Set { value, loc, env, .. } = state else { continue };
            if !is_timeout_property(key) {
                continue;
            }
            let what = what(key);
            // A literal, or the code default of a value read from the environment.
            let written = match (value, env) {
                (Some(text), _) => Some((text.as_str(), loc)),
                (None, Some(bound)) => bound.default.as_ref().map(|(text, loc)| (text.as_str(), loc)),
                (None, None) => None,
            };
            if let Some((text, at)) = written {
                if let TimeoutValue::Malformed(m) = TimeoutValue::parse(text) {
                    out.push(diagnostic(key, text, &what, &m, Label::new(at.file, at.span.clone(), String::new())));
                }
            }
        }
    }
    for bound in model.bound_values() {
        let entry = &bound.env.entries[bound.entry];
        if !is_timeout_property(bound.property) || entry.is_unresolved() {
            continue;
        }
        if let TimeoutValue::Malformed(m) = TimeoutValue::parse(&entry.value) {
            let at = Label::new(bound.env.file, bound.env.value_span(bound.entry), String::new());
            let read = Label::new(bound.read.file, bound.read.span.clone(), format!("read here as `{}`", bound.property));
            out.push(diagnostic(&entry.key, &entry.value, &what(bound.property), &m, at).with_label(read));
        }
    }
}

/// How messages name a property: "session timeout", or "`message.timeout.ms`".
fn what(key: &str) -> String {
    Setting::ALL.into_iter().find(|s| s.rdkafka_key() == Some(key)).map_or_else(|| format!("`{key}`"), |s| s.to_string())
}

/// A librdkafka integer property measured in milliseconds.
pub(crate) fn is_timeout_property(key: &str) -> bool {
    librdkafka::property(key).is_some_and(librdkafka::Property::is_timeout)
}

/// The diagnostic of one malformed value of `key` (an env key or a librdkafka property).
fn diagnostic(key: &str, text: &str, what: &str, m: &Malformed, at: Label) -> Diagnostic {
    let shown = text.escape_debug();
    let (message, label) = if m.reason == MalformedReason::TooLarge {
        (format!("`{key}` is `{shown}`: {}", m.reason.describe()), "too large".to_owned())
    } else {
        (
            format!("`{key}` is `{shown}`: {}; librdkafka reads {} ms", m.reason.describe(), m.librdkafka_reads),
            format!("librdkafka reads this {what} as {} ms", m.librdkafka_reads),
        )
    };
    let help = match m.intended {
        Some(v) => format!("write `{}`: a plain decimal number of milliseconds", assignment(key, v)),
        None => format!("write the {what} as a plain decimal number of milliseconds, such as `6000`"),
    };
    Diagnostic::new(Rule::MalformedTimeoutValue, message, Label { message: label, ..at }).with_help(help)
}
