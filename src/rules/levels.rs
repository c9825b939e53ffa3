//! Rule levels: the rule's default, then the configuration of the package a finding is in,
//! then `-A/-W/-D` on the command line (which win), then `-D warnings` / `-A warnings`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{ConfigError, Configs};
use crate::diagnostic::{Level, Severity};
use crate::suggest;

use super::Rule;

/// What `-D warnings` / `-A warnings` did to every finding that ends up a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum WarningsLevel {
    /// Warnings stay warnings.
    #[default]
    Keep,
    /// `-A warnings`: warnings are not reported.
    Allow,
    /// `-D warnings`: warnings become errors.
    Deny,
}

/// The level of every rule for one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLevels {
    levels: Vec<Level>,
    /// Set on the command line: overrides configuration.
    explicit: Vec<bool>,
    warnings: WarningsLevel,
}

impl Default for RuleLevels {
    fn default() -> Self {
        RuleLevels {
            levels: Rule::ALL.iter().map(|r| r.default_level()).collect(),
            explicit: vec![false; Rule::ALL.len()],
            warnings: WarningsLevel::Keep,
        }
    }
}

impl RuleLevels {
    /// Sets a rule's level from the command line.
    pub fn set(&mut self, rule: Rule, level: Level) {
        self.levels[rule as usize] = level;
        self.explicit[rule as usize] = true;
    }

    /// Applies `-A/-W/-D warnings`.
    pub fn set_warnings(&mut self, level: Level) {
        self.warnings = match level {
            Level::Allow => WarningsLevel::Allow,
            Level::Warn => WarningsLevel::Keep,
            Level::Deny => WarningsLevel::Deny,
        };
    }

    pub fn get(&self, rule: Rule) -> Level {
        self.levels[rule as usize]
    }

    /// The severity a finding of `rule` is reported with, or `None` when it is not reported.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.severity_with(rule, None)
    }

    /// The severity of a finding of `rule` where configuration sets `configured`: the
    /// command line wins, then configuration, then the rule's default.
    pub fn severity_with(&self, rule: Rule, configured: Option<Level>) -> Option<Severity> {
        let level = if self.explicit[rule as usize] {
            self.get(rule)
        } else {
            configured.unwrap_or(self.get(rule))
        };
        match (level.severity()?, self.warnings) {
            (Severity::Warning, WarningsLevel::Allow) => None,
            (Severity::Warning, WarningsLevel::Deny) => Some(Severity::Error),
            (severity, _) => Some(severity),
        }
    }
}

/// The levels of a run: the command line's and each package's configuration, with every rule
/// id of the configuration checked against the registry.
#[derive(Debug, Clone)]
pub struct Levels {
    cli: RuleLevels,
    root: BTreeMap<Rule, Level>,
    packages: BTreeMap<PathBuf, BTreeMap<Rule, Level>>,
}

impl Levels {
    /// Resolves the configuration's rule ids; an unknown one is an error at its place.
    pub fn new(cli: &RuleLevels, configs: &Configs) -> Result<Levels, ConfigError> {
        let resolve =
            |config: &crate::config::Config| -> Result<BTreeMap<Rule, Level>, ConfigError> {
                let mut out = BTreeMap::new();
                for setting in &config.rules {
                    let Some(rule) = Rule::from_id(&setting.id) else {
                        let hint = suggest::closest(&setting.id, Rule::ALL.iter().map(|r| r.id()))
                            .map(|c| format!("did you mean `{c}`?"));
                        return Err(configs.error_at(
                            &setting.at,
                            format!("unknown rule `{}`", setting.id),
                            hint,
                        ));
                    };
                    out.insert(rule, setting.level);
                }
                Ok(out)
            };
        let mut packages = BTreeMap::new();
        for (dir, config) in &configs.packages {
            packages.insert(dir.clone(), resolve(config)?);
        }
        Ok(Levels {
            cli: cli.clone(),
            root: resolve(&configs.root)?,
            packages,
        })
    }

    /// The severity of a finding of `rule` in the file at `path`, or `None` when it is not
    /// reported there.
    pub fn severity(&self, rule: Rule, path: &Path) -> Option<Severity> {
        let table = path
            .ancestors()
            .find_map(|dir| self.packages.get(dir))
            .unwrap_or(&self.root);
        self.cli.severity_with(rule, table.get(&rule).copied())
    }

    /// Whether some package reports `rule` (a rule that none does is not run at all).
    pub fn enabled_anywhere(&self, rule: Rule) -> bool {
        std::iter::once(&self.root)
            .chain(self.packages.values())
            .any(|table| {
                self.cli
                    .severity_with(rule, table.get(&rule).copied())
                    .is_some()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_group() {
        let mut levels = RuleLevels::default();
        levels.set_warnings(Level::Deny);
        assert_eq!(
            levels.severity(Rule::DuplicateEnvKey),
            Some(Severity::Error)
        );
        levels.set(Rule::DuplicateEnvKey, Level::Allow);
        assert_eq!(levels.severity(Rule::DuplicateEnvKey), None);
        levels.set_warnings(Level::Allow);
        assert_eq!(levels.severity(Rule::SlowTestTeardown), None);
        assert_eq!(
            levels.severity(Rule::RequestNotBelowSession),
            Some(Severity::Error)
        );
    }

    #[test]
    fn unknown_rule_ids_in_configuration_point_at_themselves() {
        let text = "[rules]\nslow-test-teardwn = \"deny\"\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("kafka-lint.toml"), text).unwrap();
        let configs = crate::config::load(None, dir.path(), false, &[]).unwrap();
        let err = Levels::new(&RuleLevels::default(), &configs).unwrap_err();
        assert_eq!(&text[err.spans()[0].0.clone()], "slow-test-teardwn");
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `slow-test-teardown`?")
        );
    }
}
