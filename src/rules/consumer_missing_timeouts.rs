use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Label};
use crate::librdkafka;
use crate::model::{Library, Origin, State};
use crate::policy;
use crate::rules::relation;
use crate::rules::{Cx, Rule};
use crate::setting::Setting;

declare_rule! {
    /// ## What it does
    /// Checks that every rdkafka group consumer sets the three timeouts of the policy:
    /// `session.timeout.ms`, `heartbeat.interval.ms` and `socket.timeout.ms`, which is
    /// librdkafka's request timeout for consumers (`request.timeout.ms` is a producer property
    /// that consumers ignore). One diagnostic per consumer names every missing key and the
    /// librdkafka default that applies instead (45000, 3000 and 60000 ms), and any relation
    /// that the default breaks (a `session.timeout.ms` of 6000 with the default socket timeout
    /// of 60000, say).
    ///
    /// A group consumer is a `BaseConsumer` or `StreamConsumer` (or a client of unknown type)
    /// whose config sets `group.id`, unless it is only ever `assign()`ed in the function that
    /// creates it. Metadata clients (no `group.id`), producers and admin clients are not
    /// checked. Under `group.protocol=consumer` (KIP-848) the broker owns session and
    /// heartbeat, so only `socket.timeout.ms` is required. Keys the tool cannot see (set in a
    /// loop over a map, by code outside the crate) are never reported as missing; see
    /// `unresolved-consumer-config`.
    ///
    /// ## Why is this bad?
    /// The defaults are production values: a 45 s session and a 60 s socket timeout. A test
    /// suite whose consumers keep them waits up to that long for every consumer to leave its
    /// group at teardown, and an env file's test values never reach a consumer that does not
    /// pass them through.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let consumer: StreamConsumer = ClientConfig::new()
    ///     .set("bootstrap.servers", brokers)
    ///     .set("group.id", "orders")
    ///     .create()?;
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// let consumer: StreamConsumer = ClientConfig::new()
    ///     .set("bootstrap.servers", brokers)
    ///     .set("group.id", "orders")
    ///     .set("session.timeout.ms", &settings.kafka_session_timeout_ms)
    ///     .set("heartbeat.interval.ms", &settings.kafka_heartbeat_interval_ms)
    ///     .set("socket.timeout.ms", &settings.kafka_request_timeout_ms)
    ///     .create()?;
    /// ```
    id: "consumer-missing-timeouts",
    level: Deny,
    summary: "An rdkafka group consumer does not set session, heartbeat and socket timeouts",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (index, site) in cx.model.code_sites(Library::Librdkafka) {
        let Origin::Code { at, type_name, config_start, .. } = &site.origin else { continue };
        if !site.is_group_consumer() {
            continue;
        }
        let configured = &cx.config_for(at.file).required;
        let missing: Vec<(Setting, &str)> = policy::REQUIRED
            .into_iter()
            .filter(|s| configured.contains(s))
            .filter_map(|s| policy::required_as(site.library, site.protocol, s))
            .filter_map(|s| Some((s, s.rdkafka_key()?)))
            .filter(|(_, key)| site.get(key) == State::Unset)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let keys: Vec<String> = missing.iter().map(|(_, k)| format!("`{k}`")).collect();
        let defaults: Vec<String> = missing
            .iter()
            .filter_map(|(_, key)| librdkafka::default_value(key))
            .map(|ms| ms.to_string())
            .collect();
        let message = format!(
            "consumer does not set {}; librdkafka uses {} ms instead",
            join(&keys),
            join(&defaults)
        );
        let created = type_name.as_deref().map_or("consumer".to_owned(), |t| format!("`{t}`"));
        let primary = Label::new(at.file, at.range.clone(), format!("{created} created here"));
        let mut help = String::from("set them on the config, with the test values coming from the environment:");
        for (setting, key) in &missing {
            let value = policy::test_value(*setting).unwrap_or_default();
            let _ = write!(help, "\n  .set(\"{key}\", \"{value}\")");
        }
        let own = cx
            .model
            .links
            .valuations_of(index)
            .iter()
            .find(|v| v.env_file.is_none());
        for relation in own.into_iter().flat_map(|v| relation::ALL.iter().filter_map(move |r| Some((r, r.breaks(v)?)))) {
            let (r, (s, o)) = relation;
            if [&s, &o].iter().any(|k| relation::is_required_default(k)) {
                let _ = write!(help, "\nalso: {}", r.message(&s, &o));
            }
        }
        let mut diagnostic = Diagnostic::new(Rule::ConsumerMissingTimeouts, message, primary).with_help(help);
        if let Some(label) = site.created_in_label() {
            diagnostic = diagnostic.with_label(label);
        }
        if let Some(origin) = config_start {
            diagnostic = diagnostic.with_label(Label::new(origin.file, origin.range.clone(), "config starts here"));
        }
        out.push(diagnostic);
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
