use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::{ClientFacts, Model};
use crate::rules::Rule;
use crate::rust::KeyState;
use crate::timeout::TimeoutValue;

declare_rule! {
    /// ## What it does
    /// Checks that every timeout (a `*.ms` integer property) set on an rdkafka client config
    /// lies within the range librdkafka allows for it, such as 10..300000 for
    /// `socket.timeout.ms` and 1..3600000 for `session.timeout.ms`.
    ///
    /// ## Why is this bad?
    /// librdkafka refuses to create the client: `Configuration property "socket.timeout.ms"
    /// value 5 is outside allowed range 10..300000`. The mistake surfaces at start-up, often
    /// only in the environment whose settings differ (a test env file with tiny values).
    ///
    /// ## Example
    /// ```rust,ignore
    /// ClientConfig::new().set("socket.timeout.ms", "5")
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// ClientConfig::new().set("socket.timeout.ms", "5000")
    /// ```
    ///
    /// ## References
    /// - librdkafka `CONFIGURATION.md` (version 2.12.1), `src/rdkafka_conf.c`
    id: "timeout-outside-client-range",
    level: Deny,
    summary: "A timeout is outside the range librdkafka allows for it (creating the client fails)",
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for client in model.clients.iter().filter(|c| c.is_rdkafka_client()) {
        for (name, state) in client.config.entries() {
            let KeyState::Set { value, loc, env, .. } = state else { continue };
            // A literal, or the code default of a value read from the environment.
            let written = match (value, env) {
                (Some(text), _) => Some((text.as_str(), loc)),
                (None, Some(bound)) => bound.default.as_ref().map(|(text, loc)| (text.as_str(), loc)),
                (None, None) => None,
            };
            let Some((text, at)) = written else { continue };
            let Some(message) = outside_range(name, text) else { continue };
            let label = Label::new(at.file, at.span.clone(), "outside the allowed range");
            out.push(Diagnostic::new(Rule::TimeoutOutsideClientRange, message, label).with_help(help(name)));
        }
    }
    for bound in model.bound_values() {
        let entry = &bound.env.entries[bound.entry];
        let Some(message) = outside_range(bound.property, &entry.value) else { continue };
        let label = Label::new(bound.env.file, bound.env.value_span(bound.entry), "outside the allowed range");
        let read = Label::new(bound.read.file, bound.read.span.clone(), format!("read here as `{}`", bound.property));
        out.push(
            Diagnostic::new(Rule::TimeoutOutsideClientRange, format!("`{}`: {message}", entry.key), label)
                .with_label(read)
                .with_help(help(bound.property)),
        );
    }
}

fn help(name: &str) -> String {
    let (low, high) = librdkafka::property(name).and_then(|p| p.range).unwrap_or_default();
    format!("use a value from {low} to {high} ms")
}

/// librdkafka's error for a plain value of a `*.ms` property outside its range.
pub(crate) fn outside_range(name: &str, text: &str) -> Option<String> {
    let property = librdkafka::property(name).filter(|p| p.is_timeout())?;
    let (low, high) = property.range?;
    let value = i64::try_from(TimeoutValue::parse(text).plain()?).ok()?;
    (value < low || value > high).then(|| {
        format!("Configuration property \"{name}\" value {value} is outside allowed range {low}..{high}")
    })
}
