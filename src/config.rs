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

use crate::rules::{Level, Rule};
use crate::setting::Setting;
use crate::suggest;

/// The configuration keys as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    exclude: Option<Vec<String>>,
    env_files: Option<Vec<String>>,
    test_env_files: Option<Vec<String>>,
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
    min_session_timeout_ms: Option<u64>,
    max_session_timeout_ms: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Test {
    teardown_budget_ms: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BoundConfig {
    key: String,
    min: Option<i64>,
    max: Option<i64>,
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

/// A custom bound on an env key (`env-value-out-of-bounds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub key: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub files: BoundFiles,
}

/// The effective configuration of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Rule levels set by configuration (command-line flags override them).
    pub rules: BTreeMap<Rule, Level>,
    pub exclude: Vec<String>,
    pub env_files: Vec<String>,
    pub test_env_files: Vec<String>,
    /// Extra env key names per logical setting.
    pub keys: BTreeMap<Setting, Vec<String>>,
    /// The timeouts every consumer and test env file must set.
    pub required: Vec<Setting>,
    pub broker_min_session_ms: u64,
    pub broker_max_session_ms: u64,
    pub teardown_budget_ms: u64,
    pub bounds: Vec<Bound>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: BTreeMap::new(),
            exclude: Vec::new(),
            env_files: Vec::new(),
            test_env_files: Vec::new(),
            keys: BTreeMap::new(),
            required: vec![Setting::Session, Setting::Heartbeat, Setting::Request],
            broker_min_session_ms: 6000,
            broker_max_session_ms: 1_800_000,
            teardown_budget_ms: 10_000,
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
}

impl Configs {
    /// The configuration of the innermost package holding `path`, else the root's.
    pub fn for_path(&self, path: &Path) -> &Config {
        self.packages
            .iter()
            .filter(|(dir, _)| path.starts_with(dir))
            .max_by_key(|(dir, _)| dir.as_os_str().len())
            .map_or(&self.root, |(_, c)| c)
    }

    pub fn all(&self) -> impl Iterator<Item = &Config> {
        std::iter::once(&self.root).chain(self.packages.values())
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
        e.path = PathBuf::from(crate::display_name(root, &e.path));
        e
    })
}

fn load_from(
    explicit: Option<&Path>,
    root: &Path,
    cargo: bool,
    packages: &[PathBuf],
) -> Result<Configs, ConfigError> {
    if let Some(path) = explicit {
        let source = read(path, &[])?.unwrap_or_else(|| Source {
            path: path.into(),
            text: String::new(),
            raw: RawConfig::default(),
        });
        return Ok(Configs {
            root: source.apply(&Config::default())?,
            packages: BTreeMap::new(),
        });
    }
    if cargo {
        let workspace = read_if_exists(
            &root.join("Cargo.toml"),
            &["workspace", "metadata", "kafka-lint"],
        )?;
        let mut own = Vec::new();
        for dir in packages {
            if let Some(source) = read_if_exists(
                &dir.join("Cargo.toml"),
                &["package", "metadata", "kafka-lint"],
            )? {
                own.push((dir.clone(), source));
            }
        }
        if workspace.is_some() || !own.is_empty() {
            let base = match &workspace {
                Some(source) => source.apply(&Config::default())?,
                None => Config::default(),
            };
            let mut configs = Configs {
                root: base.clone(),
                packages: BTreeMap::new(),
            };
            for (dir, source) in own {
                configs.packages.insert(dir, source.apply(&base)?);
            }
            return Ok(configs);
        }
    }
    for name in ["kafka-lint.toml", ".kafka-lint.toml"] {
        if let Some(source) = read_if_exists(&root.join(name), &[])? {
            return Ok(Configs {
                root: source.apply(&Config::default())?,
                packages: BTreeMap::new(),
            });
        }
    }
    Ok(Configs::default())
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid configuration in `{}`: {}",
            self.path.display(),
            self.message
        )
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.span
            .as_ref()
            .map(|_| &self.text as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = miette::LabeledSpan::new_primary_with_span(
            Some(self.message.clone()),
            span.start..span.end,
        );
        Some(Box::new(std::iter::once(label)))
    }
}

fn read_if_exists(path: &Path, table: &[&str]) -> Result<Option<Source>, ConfigError> {
    if path.is_file() {
        read(path, table)
    } else {
        Ok(None)
    }
}

/// A mistake in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
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
        ConfigError {
            path: self.path.clone(),
            text: self.text.clone(),
            span,
            message,
            help,
        }
    }

    /// Applies this table over `base` (keys it sets replace the base's; rules merge per rule).
    pub fn apply(&self, base: &Config) -> Result<Config, ConfigError> {
        let raw = &self.raw;
        let mut config = base.clone();
        for (id, level) in &raw.rules {
            let rule = Rule::from_id(id.get_ref()).ok_or_else(|| {
                let hint = suggest::closest(id.get_ref(), Rule::ALL.iter().map(|r| r.id()))
                    .map(|c| format!("did you mean `{c}`?"));
                self.error(
                    Some(id.span()),
                    format!("unknown rule `{}`", id.get_ref()),
                    hint,
                )
            })?;
            let level = match level.get_ref().as_str() {
                "allow" => Level::Allow,
                "warn" => Level::Warn,
                "deny" => Level::Deny,
                other => {
                    return Err(self.error(
                        Some(level.span()),
                        format!("`{other}` is not a level"),
                        Some("use \"allow\", \"warn\" or \"deny\"".into()),
                    ));
                }
            };
            config.rules.insert(rule, level);
        }
        let replace = |target: &mut Vec<String>, value: &Option<Vec<String>>| {
            if let Some(v) = value {
                target.clone_from(v);
            }
        };
        replace(&mut config.exclude, &raw.exclude);
        replace(&mut config.env_files, &raw.env_files);
        replace(&mut config.test_env_files, &raw.test_env_files);
        for globs in [&config.exclude, &config.env_files, &config.test_env_files] {
            for glob in globs {
                globset::Glob::new(glob)
                    .map_err(|e| self.error(None, format!("invalid glob `{glob}`: {e}"), None))?;
            }
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
            config.broker_min_session_ms = broker
                .min_session_timeout_ms
                .unwrap_or(config.broker_min_session_ms);
            config.broker_max_session_ms = broker
                .max_session_timeout_ms
                .unwrap_or(config.broker_max_session_ms);
        }
        if let Some(budget) = raw.test.as_ref().and_then(|t| t.teardown_budget_ms) {
            config.teardown_budget_ms = budget;
        }
        if let Some(bounds) = &raw.bounds {
            config.bounds = bounds
                .iter()
                .map(|b| self.bound(b))
                .collect::<Result<_, _>>()?;
        }
        Ok(config)
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
            Setting::Session | Setting::Heartbeat | Setting::Request => Ok(setting),
            _ => Err(self.error(
                Some(name.span()),
                format!("`{}` cannot be required", name.get_ref()),
                Some("`required` takes \"session\", \"heartbeat\" and \"request\"".into()),
            )),
        }
    }

    fn bound(&self, b: &BoundConfig) -> Result<Bound, ConfigError> {
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
        Ok(Bound {
            key: b.key.clone(),
            min: b.min,
            max: b.max,
            files,
        })
    }
}

/// Parses a configuration table. `table` is the path of the table inside the file
/// (`["workspace", "metadata", "kafka-lint"]`); an empty path is the whole file.
pub fn read(path: &Path, table: &[&str]) -> Result<Option<Source>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: String::new(),
        span: None,
        message: format!("cannot read the configuration: {e}"),
        help: None,
    })?;
    let raw = parse(&text, table).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: text.clone(),
        span: e.span(),
        message: e.message().to_owned(),
        help: None,
    })?;
    Ok(raw.map(|raw| Source {
        path: path.to_path_buf(),
        text,
        raw,
    }))
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
        let config = source(text).apply(&Config::default()).unwrap();
        assert_eq!(
            config.rules.get(&Rule::SlowTestTeardown),
            Some(&Level::Deny)
        );
        assert_eq!(config.required, [Setting::Session, Setting::Request]);
        assert_eq!(config.keys[&Setting::Session], ["APP_SESSION_MS"]);
        assert_eq!(
            (config.broker_min_session_ms, config.broker_max_session_ms),
            (3000, 1_800_000)
        );
        assert_eq!(config.teardown_budget_ms, 20000);
        assert_eq!(config.bounds[0].files, BoundFiles::Test);
        assert_eq!(config.exclude, ["legacy/**"]);
    }

    #[test]
    fn errors_point_at_the_mistake() {
        let text = "[rules]\nslow-test-teardwn = \"deny\"\n";
        let err = source(text).apply(&Config::default()).unwrap_err();
        assert_eq!(&text[err.span.unwrap()], "slow-test-teardwn");
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `slow-test-teardown`?")
        );
        let text = "[rules]\nslow-test-teardown = \"error\"\n";
        let err = source(text).apply(&Config::default()).unwrap_err();
        assert_eq!(&text[err.span.unwrap()], "\"error\"");
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
