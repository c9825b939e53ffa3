//! Configuration: one schema, read from `--config <file>`, else from
//! `[package.metadata.kafka-lint]` of each package merged over `[workspace.metadata.kafka-lint]`
//! (from the manifests themselves, so that errors point into them), else from
//! `kafka-lint.toml` / `.kafka-lint.toml` at the linted root. Every mistake in it is an error
//! with a span into the file it came from.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

mod error;

pub use error::ConfigError;

use crate::diagnostic::Level;
use crate::policy;
use crate::setting::Setting;

/// The configuration keys as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    exclude: Option<Vec<Spanned<String>>>,
    env_files: Option<Vec<Spanned<String>>>,
    test_env_files: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Vec<String>>,
    required: Option<Vec<Spanned<String>>>,
    broker: Option<Broker>,
    test: Option<Test>,
    bounds: Option<Vec<BoundConfig>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Broker {
    min_session_timeout_ms: Option<Spanned<u64>>,
    max_session_timeout_ms: Option<Spanned<u64>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Test {
    teardown_budget_ms: Option<Spanned<u64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BoundConfig {
    key: String,
    min: Option<Spanned<i64>>,
    max: Option<Spanned<i64>>,
    files: Option<Spanned<FilesConfig>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum FilesConfig {
    Word(String),
    Globs(Vec<String>),
}

/// Which env files a bound applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundFiles {
    Test,
    All,
    Globs(Vec<String>),
}

/// Where a configuration value is written: a span of one of the run's configuration files
/// ([`Configs::sources`]), so that a finding can point at the threshold that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigAt {
    /// Index into [`Configs::sources`].
    pub source: usize,
    pub span: Range<usize>,
}

/// A number the configuration may set, and where it set it (`None`: the policy's default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold<T> {
    pub value: T,
    pub at: Option<ConfigAt>,
}

impl<T> Threshold<T> {
    fn default(value: T) -> Self {
        Threshold { value, at: None }
    }
}

/// A custom bound on an env key (`env-value-out-of-bounds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub key: String,
    pub min: Option<Threshold<i64>>,
    pub max: Option<Threshold<i64>>,
    pub files: BoundFiles,
}

/// A rule level set by configuration, by the rule id as written (the registry checks it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetting {
    pub id: String,
    pub level: Level,
    pub at: ConfigAt,
}

/// The effective configuration of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Rule levels set by configuration (command-line flags override them).
    pub rules: Vec<RuleSetting>,
    pub exclude: Vec<String>,
    pub env_files: Vec<String>,
    pub test_env_files: Vec<String>,
    /// Extra env key names per logical setting.
    pub keys: BTreeMap<Setting, Vec<String>>,
    /// The timeouts every consumer and test env file must set.
    pub required: Vec<Setting>,
    pub broker_min_session_ms: Threshold<u64>,
    pub broker_max_session_ms: Threshold<u64>,
    pub teardown_budget_ms: Threshold<u64>,
    pub bounds: Vec<Bound>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: Vec::new(),
            exclude: Vec::new(),
            env_files: Vec::new(),
            test_env_files: Vec::new(),
            keys: BTreeMap::new(),
            required: policy::REQUIRED.to_vec(),
            broker_min_session_ms: Threshold::default(policy::BROKER_MIN_SESSION_MS),
            broker_max_session_ms: Threshold::default(policy::BROKER_MAX_SESSION_MS),
            teardown_budget_ms: Threshold::default(policy::TEARDOWN_BUDGET_MS),
            bounds: Vec::new(),
        }
    }
}

/// The configuration of every package of a run: the root's, and each package's own where it
/// has one.
#[derive(Debug, Clone, Default)]
pub struct Configs {
    pub root: Config,
    /// Package folder → its configuration (already merged over the root's).
    pub packages: BTreeMap<PathBuf, Config>,
    /// Manifests whose tables could not be read, and why (for verbose output).
    pub notes: Vec<(PathBuf, String)>,
    /// The configuration files read, in the order [`ConfigAt::source`] counts them.
    pub sources: Vec<ConfigFile>,
}

/// A configuration file the run read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub text: String,
}

impl Configs {
    /// The configuration of the innermost package holding `path`, else the root's.
    pub fn for_path(&self, path: &Path) -> &Config {
        if self.packages.is_empty() {
            return &self.root;
        }
        path.ancestors()
            .find_map(|dir| self.packages.get(dir))
            .unwrap_or(&self.root)
    }

    pub fn all(&self) -> impl Iterator<Item = &Config> {
        std::iter::once(&self.root).chain(self.packages.values())
    }

    /// An error at a configuration value (`message` labels it).
    pub fn error_at(&self, at: &ConfigAt, message: String, help: Option<String>) -> ConfigError {
        let file = &self.sources[at.source];
        ConfigError::new(
            &file.path,
            &file.text,
            vec![(at.span.clone(), message.clone())],
            message,
            help,
        )
    }
}

/// Reads the configuration of a run from the first source that has one: `--config`, the
/// manifests' `metadata.kafka-lint` tables, `kafka-lint.toml` / `.kafka-lint.toml`.
pub fn load(
    explicit: Option<&Path>,
    root: &Path,
    cargo: bool,
    packages: &[PathBuf],
) -> Result<Configs, ConfigError> {
    load_from(explicit, root, cargo, packages).map_err(|mut e| {
        e.name(crate::source::display_name(root, &e.path));
        e
    })
}

fn load_from(
    explicit: Option<&Path>,
    root: &Path,
    cargo: bool,
    packages: &[PathBuf],
) -> Result<Configs, ConfigError> {
    let mut configs = Configs::default();
    if let Some(path) = explicit {
        let source = read(path, &[], true)?.unwrap_or_else(|| Source {
            path: path.into(),
            text: String::new(),
            raw: RawConfig::default(),
        });
        configs.root = configs.apply(source, &Config::default())?;
        return Ok(configs);
    }
    if cargo {
        let workspace = read_manifest_table(
            &root.join("Cargo.toml"),
            &["workspace", "metadata", "kafka-lint"],
            &mut configs.notes,
        )?;
        let mut own = Vec::new();
        for dir in packages {
            if let Some(source) = read_manifest_table(
                &dir.join("Cargo.toml"),
                &["package", "metadata", "kafka-lint"],
                &mut configs.notes,
            )? {
                own.push((dir.clone(), source));
            }
        }
        if workspace.is_some() || !own.is_empty() {
            let base = match workspace {
                Some(source) => configs.apply(source, &Config::default())?,
                None => Config::default(),
            };
            for (dir, source) in own {
                let config = configs.apply(source, &base)?;
                configs.packages.insert(dir, config);
            }
            configs.root = base;
            return Ok(configs);
        }
    }
    for name in ["kafka-lint.toml", ".kafka-lint.toml"] {
        if let Some(source) = read_if_exists(&root.join(name), &[])? {
            configs.root = configs.apply(source, &Config::default())?;
            return Ok(configs);
        }
    }
    Ok(configs)
}

impl Configs {
    /// Applies a table over `base` and keeps its file, for labels that point into it.
    fn apply(&mut self, source: Source, base: &Config) -> Result<Config, ConfigError> {
        let config = source.apply(base, self.sources.len())?;
        self.sources.push(ConfigFile {
            path: source.path,
            text: source.text,
        });
        Ok(config)
    }
}

/// The `kafka-lint` table of a manifest. A manifest that cannot be read or is not TOML is
/// left out with a note (cargo reports it, or `cargo-metadata-failed` does): a broken
/// manifest never stops the lint. Mistakes inside the table are configuration errors.
fn read_manifest_table(
    path: &Path,
    table: &[&str],
    notes: &mut Vec<(PathBuf, String)>,
) -> Result<Option<Source>, ConfigError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let name = table.join(".");
    let text = match crate::fs::read_text(path, crate::fs::MAX_CONFIG_BYTES) {
        Ok(text) => text,
        Err(reason) => {
            notes.push((
                path.to_path_buf(),
                format!("its `[{name}]` table was not read: {reason}"),
            ));
            return Ok(None);
        }
    };
    if let Err(e) = toml::from_str::<toml::Table>(&text) {
        notes.push((
            path.to_path_buf(),
            format!(
                "its `[{name}]` table was not read: not valid TOML ({})",
                e.message()
            ),
        ));
        return Ok(None);
    }
    source(path, text, table)
}

/// Reads a configuration file the tool found (not one named on the command line): never
/// through a symbolic link, never a FIFO, never more than [`crate::fs::MAX_CONFIG_BYTES`].
fn read_if_exists(path: &Path, table: &[&str]) -> Result<Option<Source>, ConfigError> {
    if std::fs::symlink_metadata(path).is_ok() {
        read(path, table, false)
    } else {
        Ok(None)
    }
}

/// The configuration names of the logical settings (`[keys]`, `required`).
fn setting_names() -> [(&'static str, Setting); 6] {
    [
        ("session", Setting::Session),
        ("heartbeat", Setting::Heartbeat),
        ("request", Setting::Request),
        ("socket", Setting::Socket),
        ("max-poll", Setting::MaxPoll),
        ("fetch-wait", Setting::FetchWait),
    ]
}

/// A configuration table read from a file, with where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    pub raw: RawConfig,
}

impl Source {
    fn error(
        &self,
        span: Option<Range<usize>>,
        message: String,
        help: Option<String>,
    ) -> ConfigError {
        let labels = span.map(|s| (s, message.clone())).into_iter().collect();
        ConfigError::new(&self.path, &self.text, labels, message, help)
    }

    /// Applies this table over `base` (keys it sets replace the base's; rules merge per rule).
    /// `source` is the index the file will have in [`Configs::sources`].
    pub fn apply(&self, base: &Config, source: usize) -> Result<Config, ConfigError> {
        let raw = &self.raw;
        let mut config = base.clone();
        let at = |span: Range<usize>| ConfigAt { source, span };
        for (id, level) in &raw.rules {
            let Some(level_value) = Level::from_name(level.get_ref()) else {
                return Err(self.error(
                    Some(level.span()),
                    format!("`{}` is not a level", level.get_ref()),
                    Some("use \"allow\", \"warn\" or \"deny\"".into()),
                ));
            };
            config.rules.retain(|r| r.id != *id.get_ref());
            config.rules.push(RuleSetting {
                id: id.get_ref().clone(),
                level: level_value,
                at: at(id.span()),
            });
        }
        for (target, value) in [
            (&mut config.exclude, &raw.exclude),
            (&mut config.env_files, &raw.env_files),
            (&mut config.test_env_files, &raw.test_env_files),
        ] {
            let Some(globs) = value else { continue };
            for glob in globs {
                globset::Glob::new(glob.get_ref()).map_err(|e| {
                    let kind = e.kind().to_string();
                    self.error(
                        Some(glob.span()),
                        format!("invalid glob `{}`: {kind}", glob.get_ref()),
                        None,
                    )
                })?;
            }
            *target = globs.iter().map(|g| g.get_ref().clone()).collect();
        }
        for (name, keys) in &raw.keys {
            let setting = self.setting(name)?;
            config.keys.insert(setting, keys.clone());
        }
        if let Some(required) = &raw.required {
            config.required = required
                .iter()
                .map(|name| self.setting(name).and_then(|s| self.requirable(name, s)))
                .collect::<Result<_, _>>()?;
        }
        if let Some(broker) = &raw.broker {
            let (min, max) = (
                &broker.min_session_timeout_ms,
                &broker.max_session_timeout_ms,
            );
            if let Some(v) = min {
                config.broker_min_session_ms = threshold(v, source);
            }
            if let Some(v) = max {
                config.broker_max_session_ms = threshold(v, source);
            }
            let (low, high) = (
                config.broker_min_session_ms.value,
                config.broker_max_session_ms.value,
            );
            if low > high {
                return Err(self.disagree(
                    min.as_ref().map(Spanned::span),
                    max.as_ref().map(Spanned::span),
                    format!(
                        "the broker's minimum session timeout ({low} ms) is above its maximum ({high} ms)"
                    ),
                ));
            }
        }
        if let Some(budget) = raw
            .test
            .as_ref()
            .and_then(|t| t.teardown_budget_ms.as_ref())
        {
            config.teardown_budget_ms = threshold(budget, source);
        }
        if let Some(bounds) = &raw.bounds {
            config.bounds = bounds
                .iter()
                .map(|b| self.bound(b, source))
                .collect::<Result<_, _>>()?;
        }
        Ok(config)
    }

    /// A minimum above its maximum: labels on both where this table sets them.
    fn disagree(
        &self,
        min: Option<Range<usize>>,
        max: Option<Range<usize>>,
        message: String,
    ) -> ConfigError {
        let mut labels: Vec<(Range<usize>, String)> = Vec::new();
        labels.extend(min.map(|s| (s, "the minimum".to_owned())));
        labels.extend(max.map(|s| (s, "is above this maximum".to_owned())));
        let help = (labels.len() < 2).then(|| {
            format!(
                "the other value comes from a table this one is merged over \
                 (`[workspace.metadata.kafka-lint]`), or is the default ({}..={})",
                policy::BROKER_MIN_SESSION_MS,
                policy::BROKER_MAX_SESSION_MS
            )
        });
        ConfigError::new(&self.path, &self.text, labels, message, help)
    }

    fn setting(&self, name: &Spanned<String>) -> Result<Setting, ConfigError> {
        setting_names()
            .into_iter()
            .find(|(n, _)| n == name.get_ref())
            .map(|(_, s)| s)
            .ok_or_else(|| {
                let names: Vec<&str> = setting_names().iter().map(|(n, _)| *n).collect();
                self.error(
                    Some(name.span()),
                    format!("unknown setting `{}`", name.get_ref()),
                    Some(format!("settings are {}", names.join(", "))),
                )
            })
    }

    fn requirable(&self, name: &Spanned<String>, setting: Setting) -> Result<Setting, ConfigError> {
        match setting {
            _ if policy::REQUIRED.contains(&setting) => Ok(setting),
            _ => Err(self.error(
                Some(name.span()),
                format!("`{}` cannot be required", name.get_ref()),
                Some("`required` takes \"session\", \"heartbeat\" and \"request\"".into()),
            )),
        }
    }

    fn bound(&self, b: &BoundConfig, source: usize) -> Result<Bound, ConfigError> {
        let files = match b.files.as_ref().map(|f| (f.get_ref(), f.span())) {
            None => BoundFiles::All,
            Some((FilesConfig::Word(w), _)) if w == "test" => BoundFiles::Test,
            Some((FilesConfig::Word(w), _)) if w == "all" => BoundFiles::All,
            Some((FilesConfig::Word(w), span)) => {
                return Err(self.error(
                    Some(span),
                    format!("`{w}` is not a file selection"),
                    Some("use \"test\", \"all\" or a list of globs".into()),
                ));
            }
            Some((FilesConfig::Globs(globs), _)) => BoundFiles::Globs(globs.clone()),
        };
        let (min, max) = (b.min.as_ref(), b.max.as_ref());
        if let (Some(low), Some(high)) = (min, max) {
            if low.get_ref() > high.get_ref() {
                return Err(self.disagree(
                    Some(low.span()),
                    Some(high.span()),
                    format!(
                        "the bound on `{}` has its minimum ({}) above its maximum ({})",
                        b.key,
                        low.get_ref(),
                        high.get_ref()
                    ),
                ));
            }
        }
        Ok(Bound {
            key: b.key.clone(),
            min: min.map(|v| threshold(v, source)),
            max: max.map(|v| threshold(v, source)),
            files,
        })
    }
}

/// Parses a configuration table. `table` is the path of the table inside the file
/// (`["workspace", "metadata", "kafka-lint"]`); an empty path is the whole file. A file named
/// on the command line (`explicit`) is read through links; one the tool found is not.
pub fn read(path: &Path, table: &[&str], explicit: bool) -> Result<Option<Source>, ConfigError> {
    let limit = crate::fs::MAX_CONFIG_BYTES;
    let text = if explicit {
        read_followed(path, limit)
    } else {
        crate::fs::read_text(path, limit)
    }
    .map_err(|reason| {
        let linked = !explicit && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
        ConfigError::new(
            path,
            "",
            Vec::new(),
            format!("cannot read the configuration: {reason}"),
            linked.then(|| {
                "a link in the tree may point outside it, so it is not read; name the file it \
                 points to with `--config`"
                    .to_owned()
            }),
        )
    })?;
    source(path, text, table)
}

/// The table at `table` of a configuration file's text; TOML and schema errors point into it.
fn source(path: &Path, text: String, table: &[&str]) -> Result<Option<Source>, ConfigError> {
    let raw = parse(&text, table).map_err(|e| {
        let labels = e
            .span()
            .map(|s| (s, e.message().to_owned()))
            .into_iter()
            .collect();
        ConfigError::new(path, &text, labels, e.message(), None)
    })?;
    Ok(raw.map(|raw| Source {
        path: path.to_path_buf(),
        text,
        raw,
    }))
}

/// A value set by the table of `source`, with where it is written.
fn threshold<T: Copy>(value: &Spanned<T>, source: usize) -> Threshold<T> {
    Threshold {
        value: *value.get_ref(),
        at: Some(ConfigAt {
            source,
            span: value.span(),
        }),
    }
}

/// A file named on the command line: links followed, still at most `limit` bytes.
fn read_followed(path: &Path, limit: u64) -> Result<String, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(crate::fs::ReadError::TooLarge {
            size: std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len()),
            limit,
        }
        .to_string());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The table at `table` in the document, deserialized with spans into the whole document.
fn parse(text: &str, table: &[&str]) -> Result<Option<RawConfig>, toml::de::Error> {
    #[derive(Deserialize)]
    struct Workspace {
        workspace: Option<Metadata>,
    }
    #[derive(Deserialize)]
    struct Package {
        package: Option<Metadata>,
    }
    #[derive(Deserialize)]
    struct Metadata {
        metadata: Option<Tool>,
    }
    #[derive(Deserialize)]
    struct Tool {
        #[serde(rename = "kafka-lint")]
        kafka_lint: Option<RawConfig>,
    }
    let lookup = |m: Option<Metadata>| m.and_then(|m| m.metadata).and_then(|t| t.kafka_lint);
    match table {
        [] => toml::from_str::<RawConfig>(text).map(Some),
        ["workspace", ..] => toml::from_str::<Workspace>(text).map(|w| lookup(w.workspace)),
        _ => toml::from_str::<Package>(text).map(|p| lookup(p.package)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            path: "kafka-lint.toml".into(),
            text: text.into(),
            raw: parse(text, &[]).unwrap().unwrap(),
        }
    }

    #[test]
    fn every_key() {
        let text = r#"
exclude = ["legacy/**"]
env-files = ["config/*.envfile"]
test-env-files = ["ci/*.env"]
required = ["session", "request"]
[rules]
slow-test-teardown = "deny"
[keys]
session = ["APP_SESSION_MS"]
[broker]
min-session-timeout-ms = 3000
[test]
teardown-budget-ms = 20000
[[bounds]]
key = "SSE_CONSUMER_POOL_SIZE"
max = 1
files = "test"
"#;
        let config = source(text).apply(&Config::default(), 0).unwrap();
        assert_eq!(
            (config.rules[0].id.as_str(), config.rules[0].level),
            ("slow-test-teardown", Level::Deny)
        );
        assert_eq!(config.required, [Setting::Session, Setting::Request]);
        assert_eq!(config.keys[&Setting::Session], ["APP_SESSION_MS"]);
        assert_eq!(
            (
                config.broker_min_session_ms.value,
                config.broker_max_session_ms.value
            ),
            (3000, 1_800_000)
        );
        // Where a threshold is set is kept, for labels; a default has no place.
        let at = config.broker_min_session_ms.at.clone().unwrap();
        assert_eq!(&text[at.span], "3000");
        assert!(config.broker_max_session_ms.at.is_none());
        assert_eq!(config.teardown_budget_ms.value, 20000);
        assert_eq!(config.bounds[0].files, BoundFiles::Test);
        assert_eq!(config.exclude, ["legacy/**"]);
    }

    #[test]
    fn errors_point_at_the_mistake() {
        let text = "[rules]\nslow-test-teardown = \"error\"\n";
        let err = source(text).apply(&Config::default(), 0).unwrap_err();
        assert_eq!(&text[err.spans()[0].0.clone()], "\"error\"");
        let err = parse("colour = 1\n", &[]).unwrap_err();
        assert!(err.message().contains("unknown field `colour`"), "{err}");
        let err = parse("[test]\nteardown-budget-ms = \"ten\"\n", &[]).unwrap_err();
        assert!(err.span().is_some());
    }

    #[test]
    fn tables_inside_manifests() {
        let text = "[package]\nname = \"x\"\n[package.metadata.kafka-lint.rules]\nslow-test-teardown = \"allow\"\n";
        let raw = parse(text, &["package", "metadata", "kafka-lint"])
            .unwrap()
            .unwrap();
        assert_eq!(raw.rules.len(), 1);
        assert!(
            parse(text, &["workspace", "metadata", "kafka-lint"])
                .unwrap()
                .is_none()
        );
    }
}
