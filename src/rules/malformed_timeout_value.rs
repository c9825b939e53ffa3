use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::{Library, State};
use crate::rules::relation::assignment;
use crate::rules::{BoundValue, Cx, Rule, bound_values};
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

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (_, site) in model.env_sites() {
        for setting in &site.settings {
            let (Some(logical), State::Set(written)) = (setting.setting, &setting.state) else { continue };
            let Some(text) = &written.text else { continue };
            let TimeoutValue::Malformed(m) = TimeoutValue::parse(text) else { continue };
            let at = &written.value_span;
            out.push(diagnostic(&setting.key, text, &logical.to_string(), &m, Label::new(at.file, at.range.clone(), String::new())));
        }
    }
    for (setting, written) in model.written_settings(Library::Librdkafka) {
        if !librdkafka::is_timeout_property(&setting.key) {
            continue;
        }
        if let Some((text, at)) = written.code_text() {
            if let TimeoutValue::Malformed(m) = TimeoutValue::parse(text) {
                out.push(diagnostic(&setting.key, text, &what(&setting.key), &m, Label::new(at.file, at.range.clone(), String::new())));
            }
        }
    }
    for (bound, BoundValue { setting, written, env, entry }) in bound_values(model) {
        if !librdkafka::is_timeout_property(&setting.key) || entry.is_unresolved() {
            continue;
        }
        if let TimeoutValue::Malformed(m) = TimeoutValue::parse(&entry.value) {
            let at = Label::new(env.file, env.value_span(bound.entry), String::new());
            let read = Label::new(written.key_span.file, written.key_span.range.clone(), format!("read here as `{}`", setting.key));
            out.push(diagnostic(&entry.key, &entry.value, &what(&setting.key), &m, at).with_label(read));
        }
    }
}

/// How messages name a property: "session timeout", or "`message.timeout.ms`".
fn what(key: &str) -> String {
    Setting::ALL.into_iter().find(|s| s.rdkafka_key() == Some(key)).map_or_else(|| format!("`{key}`"), |s| s.to_string())
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
