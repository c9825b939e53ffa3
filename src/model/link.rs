//! The one step that joins env files and code, once per run: which env files apply to each
//! client created in code, which env values reach it through the keys it reads, and the values
//! each client runs with (its *valuations*), which the relation rules compare.
//!
//! An env file applies to a client when it lies in the client's package folder or above it (a
//! file at the root applies to every package), or inside the package but not inside a package
//! nested in it. Broker files configure no client.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::librdkafka;
use crate::setting::Setting;

use super::site::{ClientSite, Library, Origin, Protocol, Span, State};
use super::{EnvFile, Model};

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Written in an env file group or as a literal in code.
    Written,
    /// The fallback in code for an env key (`env::var("K").unwrap_or("6000")`).
    CodeDefault { env_key: String },
    /// An env file's value for a key a client reads; `read` is the key of the `.set` that reads
    /// it.
    EnvFile { read: Span },
    /// The library's default for a key the client leaves unset.
    LibraryDefault,
}

/// A setting's value in one valuation: well-formed, in milliseconds, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub setting: Setting,
    pub ms: u64,
    /// The key as the user wrote it: `ORDERS_KAFKA_SESSION_TIMEOUT_MS` or `session.timeout.ms`.
    pub key: String,
    /// Where the value is written; `None` for a library default.
    pub at: Option<Span>,
    /// Whether the value comes from a test env file.
    pub is_test: bool,
    pub source: Source,
}

impl Known {
    pub fn is_default(&self) -> bool {
        self.source == Source::LibraryDefault
    }

    pub fn is_env_file_value(&self) -> bool {
        matches!(self.source, Source::EnvFile { .. })
    }
}

/// The values one client runs with: an env group's own values; a code consumer's, with code
/// defaults for the keys it reads from the environment; or such a consumer with the values one
/// applicable env file gives those keys.
#[derive(Debug, Clone)]
pub struct Valuation {
    /// Index into `Model::sites`.
    pub site: usize,
    /// The env file whose values are applied (index into `Model::env_files`).
    pub env_file: Option<usize>,
    pub values: BTreeMap<Setting, Known>,
}

impl Valuation {
    pub fn get(&self, setting: Setting) -> Option<&Known> {
        self.values.get(&setting)
    }
}

/// An env file's value for a key a client reads from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// Index into `Model::sites`.
    pub site: usize,
    /// Index into the site's settings.
    pub setting: usize,
    /// Index into `Model::env_files`.
    pub env_file: usize,
    /// Index into the env file's entries.
    pub entry: usize,
}

/// What the join found.
#[derive(Debug, Default)]
pub struct Links {
    /// For each site, the env files that apply to it (code sites only), in file order.
    pub env_files: Vec<Vec<usize>>,
    /// Every env value that reaches a code site through a key it reads, in site, key and file
    /// order.
    pub bound: Vec<Bound>,
    /// What each client runs with, in site order.
    pub valuations: Vec<Valuation>,
}

impl Links {
    /// The valuations of one site (a binary search: they are in site order).
    pub fn valuations_of(&self, site: usize) -> &[Valuation] {
        let start = self.valuations.partition_point(|v| v.site < site);
        let end = self.valuations.partition_point(|v| v.site <= site);
        &self.valuations[start..end]
    }
}

/// Joins the env files and code sites of `model`.
pub fn link(model: &Model) -> Links {
    let index = EnvIndex::new(model);
    let env_files: Vec<Vec<usize>> = model
        .sites
        .iter()
        .map(|site| match site.package() {
            Some(package) => index.applicable(model, package),
            None => Vec::new(),
        })
        .collect();
    let mut bound = Vec::new();
    for (s, site) in model.sites.iter().enumerate() {
        if !site.is_code_of(Library::Librdkafka) {
            continue;
        }
        for (k, setting) in site.settings.iter().enumerate() {
            let State::Set(written) = &setting.state else {
                continue;
            };
            let Some(binding) = &written.binding else {
                continue;
            };
            for &e in &env_files[s] {
                if let Some(entry) = model.env_files[e].lookup(|key| binding.matches(key)) {
                    bound.push(Bound {
                        site: s,
                        setting: k,
                        env_file: e,
                        entry,
                    });
                }
            }
        }
    }
    let mut valuations = Vec::new();
    for (s, site) in model.sites.iter().enumerate() {
        match &site.origin {
            Origin::Env { .. } => valuations.push(Valuation {
                site: s,
                env_file: None,
                values: env_values(site),
            }),
            Origin::Code { .. } if site.may_join_group() => {
                valuations.push(Valuation {
                    site: s,
                    env_file: None,
                    values: code_values(site, None),
                });
                for &e in &env_files[s] {
                    let values = code_values(site, Some(&model.env_files[e]));
                    if values.values().any(Known::is_env_file_value) {
                        valuations.push(Valuation {
                            site: s,
                            env_file: Some(e),
                            values,
                        });
                    }
                }
            }
            Origin::Code { .. } => {}
        }
    }
    Links {
        env_files,
        bound,
        valuations,
    }
}

/// An env group's well-formed values.
fn env_values(site: &ClientSite) -> BTreeMap<Setting, Known> {
    site.settings
        .iter()
        .filter_map(|s| {
            let setting = s.setting?;
            let State::Set(written) = &s.state else {
                return None;
            };
            let ms = crate::timeout::TimeoutValue::parse(written.text.as_deref()?).plain()?;
            let known = Known {
                setting,
                ms,
                key: s.key.clone(),
                at: Some(written.value_span.clone()),
                is_test: site.is_test,
                source: Source::Written,
            };
            Some((setting, known))
        })
        .collect()
}

/// The values a librdkafka consumer runs with: what it sets; for a key read from the
/// environment, the env file's value (else the code default); else librdkafka's default.
/// Under `group.protocol=consumer` the broker owns session and heartbeat, so they are left out.
fn code_values(site: &ClientSite, env: Option<&EnvFile>) -> BTreeMap<Setting, Known> {
    let mut values = BTreeMap::new();
    for setting in Setting::ALL {
        let Some(key) = setting.rdkafka_key() else {
            continue;
        };
        if site.protocol == Protocol::Consumer
            && matches!(setting, Setting::Session | Setting::Heartbeat)
        {
            continue;
        }
        let known = |ms, key: &str, at, is_test, source| Known {
            setting,
            ms,
            key: key.to_owned(),
            at,
            is_test,
            source,
        };
        let value = match site.get(key) {
            State::Set(written) => match (&written.text, &written.binding) {
                (Some(text), _) => librdkafka::accepted_ms(key, text).map(|ms| {
                    known(
                        ms,
                        key,
                        Some(written.value_span.clone()),
                        false,
                        Source::Written,
                    )
                }),
                (None, Some(binding)) => {
                    let from_file = env.and_then(|e| Some((e, e.lookup(|k| binding.matches(k))?)));
                    match (from_file, &binding.default) {
                        (Some((e, entry)), _) => {
                            let found = &e.entries[entry];
                            let at = Span::new(e.file, e.value_span(entry));
                            let read = Source::EnvFile {
                                read: written.key_span.clone(),
                            };
                            librdkafka::accepted_ms(key, &found.value)
                                .map(|ms| known(ms, &found.key, Some(at), e.is_test, read))
                        }
                        (None, Some((text, at))) => {
                            let source = Source::CodeDefault {
                                env_key: binding.key.clone(),
                            };
                            librdkafka::accepted_ms(key, text)
                                .map(|ms| known(ms, key, Some(at.clone()), false, source))
                        }
                        (None, None) => None,
                    }
                }
                (None, None) => None,
            },
            State::Unset => librdkafka::default_value(key)
                .map(|ms| known(ms, key, None, false, Source::LibraryDefault)),
            State::Unknown(_) => None,
        };
        if let Some(value) = value {
            values.insert(setting, value);
        }
    }
    values
}

/// Env files by the folder that holds them and by their innermost package, so that the files
/// of a client are found in time proportional to its folder depth, not to the tree.
struct EnvIndex {
    by_dir: HashMap<PathBuf, Vec<usize>>,
    by_owner: HashMap<PathBuf, Vec<usize>>,
}

impl EnvIndex {
    fn new(model: &Model) -> EnvIndex {
        let packages: HashSet<&Path> = model.packages.iter().map(PathBuf::as_path).collect();
        let mut index = EnvIndex {
            by_dir: HashMap::new(),
            by_owner: HashMap::new(),
        };
        for (i, env) in model.env_files.iter().enumerate() {
            let path = &model.files.get(env.file).path;
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
        index
    }

    /// The env files that apply to a client of `package`, in file order.
    fn applicable(&self, model: &Model, package: &Path) -> Vec<usize> {
        let mut found: Vec<usize> = package
            .ancestors()
            .filter_map(|dir| self.by_dir.get(dir))
            .chain(self.by_owner.get(package))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found.retain(|i| !model.env_files[*i].is_broker);
        found
    }
}
