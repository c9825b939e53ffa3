//! Client sites: one Kafka client's configuration, wherever it comes from. A site knows which
//! client library reads it, where it is (a prefix group of an env file, or a construction in
//! code), what the client does (its role), its group protocol, and each setting with its value,
//! the spans of key and value, and the env key a value is read from. Front-ends lower their own
//! facts into sites; rules and renderers read nothing else of a client.

use std::ops::Range;
use std::path::PathBuf;

use crate::setting::Setting;
use crate::source::FileId;

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span { file, range }
    }
}

/// Which client library reads a site's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Library {
    /// librdkafka, through the Rust `rdkafka` crate: properties such as `session.timeout.ms`.
    Librdkafka,
    /// Any client that reads the conventional env keys (`KAFKA_SESSION_TIMEOUT_MS`): an env
    /// file does not say which service, in which language, reads it.
    AnyClient,
}

/// Where a site comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The `<PREFIX>KAFKA_*` keys of one env file.
    Env {
        file: FileId,
        /// `ORDERS_` for `ORDERS_KAFKA_*`, empty for plain `KAFKA_*`.
        prefix: String,
        /// The first key of the group.
        first_key: Span,
    },
    /// A client created in code.
    Code {
        /// The creating call (`create()`, `from_config(..)`).
        at: Span,
        /// The created type as written (`StreamConsumer<Ctx>`), when known.
        type_name: Option<String>,
        /// Where the config starts (`ClientConfig::new()`).
        config_start: Option<Span>,
        /// The folder of the package (crate) the code is in: env files apply by folder.
        package: PathBuf,
        /// For a client a helper creates, reported at the helper's call (`at`): the creating
        /// call inside the helper, and the helper's name.
        created_in: Option<(Span, String)>,
    },
}

/// What a client does, as far as its timeouts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A consumer that joins a group: it sets `group.id` and is not only ever `assign()`ed.
    GroupConsumer,
    /// A consumer that joins no group: no `group.id`, or only `assign()`ed.
    Consumer,
    /// A consumer, or a client of a type the tool cannot tell, whose `group.id` the tool
    /// cannot see: it may join a group, so it is unresolved, never "not a group consumer".
    MaybeGroupConsumer,
    Producer,
    Admin,
    /// A client of a type the tool cannot tell (and without a `group.id`).
    Unknown,
    /// Not a client of the library at all (a crate's own type of the same name).
    NotAClient,
    /// A group of env keys: whichever client reads them.
    EnvConfiguration,
}

impl Role {
    pub fn is_consumer(self) -> bool {
        matches!(
            self,
            Role::GroupConsumer | Role::MaybeGroupConsumer | Role::Consumer
        )
    }

    /// Whether the client joins, or may join, a consumer group (and so needs its timeouts).
    pub fn may_join_group(self) -> bool {
        matches!(self, Role::GroupConsumer | Role::MaybeGroupConsumer)
    }
}

/// The group protocol a consumer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// The classic protocol: the client owns session and heartbeat.
    Classic,
    /// `group.protocol=consumer` (KIP-848): the broker owns session and heartbeat.
    Consumer,
}

/// Something the analysis could not see through, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unseen {
    /// Completes "the tool cannot see ...": "the loop that sets keys from a map".
    pub reason: String,
    pub at: Span,
}

/// An env key a value is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvBinding {
    /// The key named in code, or the upper-cased field name.
    pub key: String,
    /// Whether the key also matches with a prefix (`APP_` + key), as settings-struct fields do.
    pub prefixed: bool,
    /// The code default (the value when no env file sets the key) and where it is written.
    pub default: Option<(String, Span)>,
    /// How the code reads it, for messages: "`std::env::var`", "the field `session_ms`".
    pub via: String,
}

impl EnvBinding {
    /// Whether an env file key is this one (ASCII case ignored, as envy does).
    pub fn matches(&self, env_key: &str) -> bool {
        env_key.eq_ignore_ascii_case(&self.key)
            || (self.prefixed
                && env_key.len() > self.key.len()
                && env_key.as_bytes()[env_key.len() - self.key.len() - 1] == b'_'
                && env_key[env_key.len() - self.key.len()..].eq_ignore_ascii_case(&self.key))
    }
}

/// A value written for a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The value's text when it is known (a literal, a constant, an env file's value); `None`
    /// for an expression the tool cannot evaluate or a value read from the environment.
    pub text: Option<String>,
    pub key_span: Span,
    /// What a fix of the value replaces.
    pub value_span: Span,
    /// The env key the value is read from, when it is read from one.
    pub binding: Option<EnvBinding>,
}

impl Written {
    /// The text the code gives the value, and where it is written: a literal, or the code
    /// default of a value read from the environment.
    pub fn code_text(&self) -> Option<(&str, &Span)> {
        match (&self.text, &self.binding) {
            (Some(text), _) => Some((text.as_str(), &self.value_span)),
            (None, Some(binding)) => binding
                .default
                .as_ref()
                .map(|(text, at)| (text.as_str(), at)),
            (None, None) => None,
        }
    }
}

/// The state of one setting of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Set(Written),
    /// Never set, or removed.
    Unset,
    /// Maybe set: something the tool cannot see could have set it.
    Unknown(Unseen),
}

/// One setting of a site, named as the client names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSetting {
    /// As written: `session.timeout.ms`, `ORDERS_KAFKA_SESSION_TIMEOUT_MS`.
    pub key: String,
    /// The logical timeout, when the key is one.
    pub setting: Option<Setting>,
    pub state: State,
}

/// One client's configuration.
#[derive(Debug, Clone)]
pub struct ClientSite {
    pub library: Library,
    pub origin: Origin,
    pub role: Role,
    pub protocol: Protocol,
    /// The settings the site sets or removes (or could not see), in key order for code sites
    /// and in file order for env sites.
    pub settings: Vec<SiteSetting>,
    /// Once set, keys not in `settings` are unknown rather than unset.
    pub unseen: Option<Unseen>,
    /// Test configuration: an env group of a test env file.
    pub is_test: bool,
}

impl ClientSite {
    /// The state of a key: what the site says, else unknown when it could not see everything,
    /// else unset.
    pub fn get(&self, key: &str) -> State {
        match (self.settings.iter().find(|s| s.key == key), &self.unseen) {
            (Some(s), _) => s.state.clone(),
            (None, Some(unseen)) => State::Unknown(unseen.clone()),
            (None, None) => State::Unset,
        }
    }

    /// The setting of a logical timeout, as the site names it.
    pub fn setting(&self, setting: Setting) -> Option<&SiteSetting> {
        self.settings.iter().find(|s| s.setting == Some(setting))
    }

    /// The file and span a finding about the site as a whole points at: the creating call, or
    /// the first key of an env group.
    pub fn at(&self) -> &Span {
        match &self.origin {
            Origin::Env { first_key, .. } => first_key,
            Origin::Code { at, .. } => at,
        }
    }

    /// A label at the creating call inside the helper a code site was reported for (at
    /// the call of the helper).
    pub fn created_in_label(&self) -> Option<crate::diagnostic::Label> {
        match &self.origin {
            Origin::Code {
                created_in: Some((inner, helper)),
                ..
            } => Some(crate::diagnostic::Label::new(
                inner.file,
                inner.range.clone(),
                format!("created inside `{helper}`, here"),
            )),
            _ => None,
        }
    }

    /// The package a code site belongs to.
    pub fn package(&self) -> Option<&std::path::Path> {
        match &self.origin {
            Origin::Code { package, .. } => Some(package),
            Origin::Env { .. } => None,
        }
    }

    /// A client of `library` created in code.
    pub fn is_code_of(&self, library: Library) -> bool {
        self.library == library
            && matches!(self.origin, Origin::Code { .. })
            && self.role != Role::NotAClient
    }

    pub fn is_consumer(&self) -> bool {
        self.role.is_consumer()
    }

    pub fn is_group_consumer(&self) -> bool {
        self.role == Role::GroupConsumer
    }

    /// A consumer whose timeouts matter: it joins, or may join, a group.
    pub fn may_join_group(&self) -> bool {
        self.role.may_join_group()
    }

    /// The watched properties the tool cannot see, with why, of a consumer that may join a
    /// group: empty when it was checked (everything that matters is known, or it needs no
    /// group timeouts).
    pub fn unresolved(&self) -> Vec<(&'static str, Unseen)> {
        if !self.may_join_group() {
            return Vec::new();
        }
        crate::policy::WATCHED_PROPERTIES
            .iter()
            .filter_map(|k| match self.get(k) {
                State::Unknown(unseen) => Some((*k, unseen)),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_keys() {
        let exact = EnvBinding {
            key: "KAFKA_SESSION_TIMEOUT_MS".into(),
            prefixed: false,
            default: None,
            via: String::new(),
        };
        assert!(exact.matches("KAFKA_SESSION_TIMEOUT_MS"));
        assert!(!exact.matches("APP_KAFKA_SESSION_TIMEOUT_MS"));
        let field = EnvBinding {
            key: "SESSION_TIMEOUT_MS".into(),
            prefixed: true,
            ..exact
        };
        assert!(field.matches("KAFKA_SESSION_TIMEOUT_MS"));
        assert!(field.matches("session_timeout_ms"));
        assert!(!field.matches("KAFKA_SESSION_TIMEOUT_MS_X"));
        assert!(!field.matches("KAFKASESSION_TIMEOUT_MS"));
    }
}
