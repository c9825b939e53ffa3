use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Label};
use crate::model::{ClientFacts, Model};
use crate::rules::Rule;
use crate::rules::relation::{self, client_site};
use crate::rust::KeyState;
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

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for client in model.clients.iter().filter(|c| c.is_group_consumer()) {
        let configured = &model.config_for(client.loc.file).required;
        // The configuration names the logical request timeout; an rdkafka consumer's is
        // `socket.timeout.ms`.
        let wanted = |s: &Setting| configured.contains(if *s == Setting::Socket { &Setting::Request } else { s });
        let missing: Vec<(Setting, &str)> = client
            .required()
            .iter()
            .filter(|s| wanted(s))
            .filter_map(|s| Some((*s, s.rdkafka_key()?)))
            .filter(|(_, key)| matches!(client.key(key), KeyState::Unset))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let keys: Vec<String> = missing.iter().map(|(_, k)| format!("`{k}`")).collect();
        let defaults: Vec<String> =
            missing.iter().filter_map(|(s, _)| s.librdkafka_default()).map(|ms| ms.to_string()).collect();
        let message = format!(
            "consumer does not set {}; librdkafka uses {} ms instead",
            join(&keys),
            join(&defaults)
        );
        let created = client.type_name.as_deref().map_or("consumer".to_owned(), |t| format!("`{t}`"));
        let primary = Label::new(client.loc.file, client.loc.span.clone(), format!("{created} created here"));
        let mut help = String::from("set them on the config, with the test values coming from the environment:");
        for (setting, key) in &missing {
            let value = setting.test_value().unwrap_or_default();
            let _ = write!(help, "\n  .set(\"{key}\", \"{value}\")");
        }
        let site = client_site(client);
        for relation in relation::ALL {
            let (Some(s), Some(o)) = (site.get(relation.subject), site.get(relation.other)) else { continue };
            let involves_missing = [s, o].iter().any(|k| k.is_required_default());
            if involves_missing && (relation.broken)(s.ms, o.ms) {
                let _ = write!(help, "\nalso: {}", relation.message(s, o));
            }
        }
        let mut diagnostic = Diagnostic::new(Rule::ConsumerMissingTimeouts, message, primary).with_help(help);
        if let Some(origin) = &client.config.origin {
            diagnostic = diagnostic.with_label(Label::new(origin.file, origin.span.clone(), "config starts here"));
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
