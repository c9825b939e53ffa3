use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka::{self, Scope};
use crate::model::{Library, State};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Warns when a consumer's config sets a producer-only librdkafka property
    /// (`request.timeout.ms`, `message.timeout.ms`, `delivery.timeout.ms`, `linger.ms`,
    /// `acks`, ...).
    ///
    /// ## Why is this bad?
    /// librdkafka ignores it: "Configuration property request.timeout.ms is a producer
    /// property and will be ignored by this consumer instance", a warning that is only
    /// logged. The classic case is a request timeout meant for the consumer: in librdkafka the
    /// consumer's network request timeout is `socket.timeout.ms`, so a
    /// `KAFKA_REQUEST_TIMEOUT_MS` wired into `request.timeout.ms` changes nothing and tests
    /// still wait for the 60 s default.
    ///
    /// ## Example
    /// ```rust,ignore
    /// ClientConfig::new()
    ///     .set("group.id", "orders")
    ///     .set("request.timeout.ms", "5000")
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// ClientConfig::new()
    ///     .set("group.id", "orders")
    ///     .set("socket.timeout.ms", "5000")
    /// ```
    ///
    /// ## References
    /// - librdkafka `CONFIGURATION.md`: the `C/P` column marks producer-only properties
    id: "producer-only-setting-on-consumer",
    level: Warn,
    summary: "A consumer sets a producer-only property, which librdkafka ignores",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let sites = cx.model.code_sites(Library::Librdkafka);
    for (index, site) in sites.filter(|(_, s)| s.is_consumer()) {
        for setting in &site.settings {
            let name = setting.key.as_str();
            let State::Set(written) = &setting.state else { continue };
            let (key, env) = (&written.key_span, &written.binding);
            if librdkafka::property(name).is_none_or(|p| p.scope != Scope::Producer) {
                continue;
            }
            let mut message = format!("`{name}` is a producer property and will be ignored by this consumer instance");
            let knob = if name == "request.timeout.ms" {
                "a librdkafka consumer's request timeout is `socket.timeout.ms`"
            } else {
                "it has no effect on consumers"
            };
            let help = match env {
                Some(bound) => {
                    let _ = write!(message, ": `{}` has no effect on this consumer", bound.key);
                    format!("{knob}: read `{}` into that instead", bound.key)
                }
                None if name == "request.timeout.ms" => format!("{knob}: set that instead"),
                None => format!("remove `{name}` from the consumer's config; {knob}"),
            };
            let label = Label::new(key.file, key.range.clone(), "ignored by consumers");
            let mut diagnostic = Diagnostic::new(Rule::ProducerOnlySettingOnConsumer, message, label).with_help(help);
            if let Some(bound) = env {
                for file in cx.model.env_files_for(index) {
                    if let Some(entry) = file.lookup(|k| bound.matches(k)) {
                        let note = format!("`{}` has no effect on this consumer", file.entries[entry].key);
                        diagnostic = diagnostic.with_label(Label::new(file.file, file.value_span(entry), note));
                    }
                }
            }
            out.push(diagnostic);
        }
    }
}
