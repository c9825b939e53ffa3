//! The facts rules read: every file of the run and, per env file, its entries, its parse errors
//! and its Kafka client groups with each setting's value and span.
//!
//! The model is built once from parsed files; rules only read it and never touch the disk.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::env::parser::{Entry, LineError};
use crate::rust::{ClientKind, Construction, EnvRef, KeyState, ParseFailure};
use crate::setting::Setting;
use crate::source::{FileId, Files};
use crate::timeout::TimeoutValue;

/// Everything a run knows.
#[derive(Debug, Default)]
pub struct Model {
    pub files: Files,
    pub env_files: Vec<EnvFile>,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<Unreadable>,
    /// Things left out on purpose, for verbose output.
    pub notes: Vec<Note>,
    /// How many Rust files were read.
    pub rust_files: usize,
    /// Rust files syn could not parse.
    pub rust_failures: Vec<RustFailure>,
    /// `cargo metadata` failed and membership came from the manifests.
    pub workspace_failures: Vec<WorkspaceFailure>,
    /// Files whose analysis panicked, with the panic message.
    pub internal_errors: Vec<InternalError>,
    /// Every rdkafka client creation found in Rust sources, in file order.
    pub clients: Vec<Construction>,
    /// The folder of every package (crate) of the run.
    pub packages: Vec<std::path::PathBuf>,
    /// Every `kafka-lint: allow(..)` comment of the files read.
    pub suppressions: Vec<crate::suppress::Suppression>,
    /// Statement and item ranges of each parsed Rust file.
    pub statements: std::collections::HashMap<FileId, Vec<Range<usize>>>,
    /// The configuration of each package.
    pub configs: crate::config::Configs,
    /// Env files by folder and by the package that holds them.
    pub env_index: EnvIndex,
}

/// Where env files are, for [`Model::env_files_for`]: indices into `env_files` by the folder
/// that holds them and by their innermost package.
#[derive(Debug, Default)]
pub struct EnvIndex {
    by_dir: std::collections::HashMap<std::path::PathBuf, Vec<usize>>,
    by_owner: std::collections::HashMap<std::path::PathBuf, Vec<usize>>,
}

/// The workspace whose membership came from its manifests, because cargo could not tell.
#[derive(Debug, Clone)]
pub struct WorkspaceFailure {
    /// The workspace root manifest.
    pub file: FileId,
    /// What cargo said (or why it could not be run), and what the manifests could not say.
    pub cargo_said: String,
}

/// A Rust file whose analysis panicked (a bug in this tool).
#[derive(Debug, Clone)]
pub struct InternalError {
    pub file: FileId,
    pub message: String,
}

/// A Rust file that could not be parsed.
#[derive(Debug)]
pub struct RustFailure {
    pub file: FileId,
    pub failure: ParseFailure,
}

/// The three timeouts the policy requires of every group consumer.
pub const REQUIRED_KEYS: [Setting; 3] = [Setting::Session, Setting::Heartbeat, Setting::Socket];

/// What the rules ask of a client creation.
pub trait ClientFacts {
    /// The state of a librdkafka property.
    fn key(&self, key: &str) -> KeyState;
    /// A consumer: created as `BaseConsumer`/`StreamConsumer`, or of unknown type with a
    /// `group.id` (only consumers have one).
    fn is_consumer(&self) -> bool;
    /// A consumer that joins a group: it sets `group.id` and is not only ever `assign()`ed.
    fn is_group_consumer(&self) -> bool;
    /// `group.protocol=consumer` (KIP-848): the broker owns session and heartbeat.
    fn uses_consumer_protocol(&self) -> bool;
    /// The timeouts the policy requires of this consumer.
    fn required(&self) -> &'static [Setting];
    /// An rdkafka client (not a crate's own type of the same name).
    fn is_rdkafka_client(&self) -> bool;
}

impl ClientFacts for Construction {
    fn key(&self, key: &str) -> KeyState {
        self.config.get(key)
    }

    fn is_consumer(&self) -> bool {
        match self.kind {
            ClientKind::Consumer => true,
            ClientKind::Unknown => matches!(self.key("group.id"), KeyState::Set { .. }),
            ClientKind::Producer | ClientKind::Admin | ClientKind::Other => false,
        }
    }

    fn is_group_consumer(&self) -> bool {
        self.is_consumer()
            && matches!(self.key("group.id"), KeyState::Set { .. })
            && (self.subscribed || !self.assigned)
    }

    fn uses_consumer_protocol(&self) -> bool {
        matches!(self.key("group.protocol"), KeyState::Set { value: Some(v), .. } if v.trim().eq_ignore_ascii_case("consumer"))
    }

    fn is_rdkafka_client(&self) -> bool {
        self.kind != ClientKind::Other
    }

    fn required(&self) -> &'static [Setting] {
        if self.uses_consumer_protocol() {
            &REQUIRED_KEYS[2..]
        } else {
            &REQUIRED_KEYS
        }
    }
}

/// A file that exists but could not be read as UTF-8 text, or a folder that could not be listed.
#[derive(Debug)]
pub struct Unreadable {
    pub file: FileId,
    pub reason: String,
    pub folder: bool,
}

/// Something the run chose not to lint, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The file or folder, absolute.
    pub path: std::path::PathBuf,
    pub message: String,
}

/// One parsed env file.
#[derive(Debug)]
pub struct EnvFile {
    pub file: FileId,
    /// A dot- or underscore-separated part of the name is `test` or `testing`.
    pub is_test: bool,
    /// Every entry dotenvy yields, in file order (duplicates included).
    pub entries: Vec<Entry>,
    /// Lines dotenvy rejects, in file order.
    pub errors: Vec<LineError>,
    /// Kafka clients configured by the file, one per key prefix, in order of first appearance.
    /// Empty for a file that configures a broker.
    pub groups: Vec<EnvGroup>,
    /// The file configures a Kafka broker container, not a client.
    pub is_broker: bool,
    /// Byte ranges of values a report must not print (see [`crate::secret`]).
    pub masked: Vec<Range<usize>>,
}

/// The Kafka keys of one prefix in one env file: one client's configuration.
#[derive(Debug)]
pub struct EnvGroup {
    /// `ORDERS_` for `ORDERS_KAFKA_*`, empty for plain `KAFKA_*`.
    pub prefix: String,
    /// Index (into `entries`) of the first Kafka key of this prefix.
    pub first_key: usize,
    /// Each timeout setting the group defines, at its first definition (the one
    /// `dotenvy::dotenv()` keeps).
    pub settings: BTreeMap<Setting, EnvSetting>,
}

/// A timeout setting defined in an env file.
#[derive(Debug)]
pub struct EnvSetting {
    /// Index into the file's `entries`.
    pub entry: usize,
    pub value: SettingValue,
}

/// What is known of a setting's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingValue {
    /// The value text is known; it may still be malformed.
    Known(TimeoutValue),
    /// The value depends on something the linter does not see (the process environment) or on
    /// a substitution that is itself a mistake; it takes part in no rule.
    Unresolved,
}

impl EnvSetting {
    /// The value in milliseconds when it is known and well-formed: only such values take part
    /// in relations.
    pub fn millis(&self) -> Option<u64> {
        match &self.value {
            SettingValue::Known(v) => v.plain(),
            SettingValue::Unresolved => None,
        }
    }
}

/// An env file's value for a key a client reads from the environment.
#[derive(Debug)]
pub struct Bound<'m> {
    pub client: &'m Construction,
    /// The librdkafka property the value is set as.
    pub property: &'m str,
    pub via: &'m EnvRef,
    /// The key expression of the `.set` that reads it.
    pub read: &'m crate::rust::Loc,
    pub env: &'m EnvFile,
    /// Index into the env file's entries.
    pub entry: usize,
}

impl Model {
    /// The configuration that applies to a file (its package's).
    pub fn config_for(&self, file: FileId) -> &crate::config::Config {
        self.configs.for_path(&self.files.get(file).path)
    }

    /// Every env file value that reaches an rdkafka client through a key it reads.
    pub fn bound_values(&self) -> Vec<Bound<'_>> {
        let mut out = Vec::new();
        for client in self.clients.iter().filter(|c| c.is_rdkafka_client()) {
            for (property, state) in client.config.entries() {
                let KeyState::Set {
                    env: Some(via),
                    key: read,
                    ..
                } = state
                else {
                    continue;
                };
                for env in self.env_files_for(client) {
                    if let Some(entry) = env.lookup(via) {
                        out.push(Bound {
                            client,
                            property,
                            via,
                            read,
                            env,
                            entry,
                        });
                    }
                }
            }
        }
        out
    }

    /// The env files that apply to a client: those in its package's folder or above it (a file
    /// at the root applies to every package), and those inside its package but not inside a
    /// package nested in it. Broker files do not configure clients. In file order, found
    /// through [`EnvIndex`] in time proportional to the folder depth, not to the tree.
    pub fn env_files_for<'m>(
        &'m self,
        client: &'m Construction,
    ) -> impl Iterator<Item = &'m EnvFile> {
        let mut found: Vec<usize> = client
            .package
            .ancestors()
            .filter_map(|dir| self.env_index.by_dir.get(dir))
            .chain(self.env_index.by_owner.get(&client.package))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|i| &self.env_files[i])
            .filter(|env| !env.is_broker)
    }

    /// Builds [`EnvIndex`] once the env files and packages are known.
    pub fn index_env_files(&mut self) {
        let packages: std::collections::HashSet<&std::path::Path> = self
            .packages
            .iter()
            .map(std::path::PathBuf::as_path)
            .collect();
        let mut index = EnvIndex::default();
        for (i, env) in self.env_files.iter().enumerate() {
            let path = &self.files.get(env.file).path;
            let dir = path.parent().unwrap_or(path);
            index.by_dir.entry(dir.to_path_buf()).or_default().push(i);
            if let Some(owner) = dir.ancestors().find(|d| packages.contains(d)) {
                index
                    .by_owner
                    .entry(owner.to_path_buf())
                    .or_default()
                    .push(i);
            }
        }
        self.env_index = index;
    }
}

impl EnvFile {
    /// The first definition of the key a value is read from, when its value is known.
    pub fn lookup(&self, env: &EnvRef) -> Option<usize> {
        let index = self.entries.iter().position(|e| env.matches(&e.key))?;
        (!self.entries[index].is_unresolved()).then_some(index)
    }

    /// The span of an entry's value, or of its key when the value is empty.
    pub fn value_span(&self, entry: usize) -> Range<usize> {
        let e = &self.entries[entry];
        if e.value_span.is_empty() {
            e.key_span.clone()
        } else {
            e.value_span.clone()
        }
    }
}
