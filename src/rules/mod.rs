//! The rule registry: one enum from which every list of rules is derived (command-line values,
//! documentation, `explain`), and one file per rule whose doc comment is its documentation.
//!
//! To add a rule: create `rules/<rule_name>.rs` with a `declare_rule!` block and a `check`
//! function, then add one line to `registry!` below. Tests check that every rule is documented,
//! has fixtures that fire and fixtures that stay silent, and appears in README.md.

use std::fmt;
use std::str::FromStr;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;

mod relation;

/// Declares a rule's metadata. The doc comment becomes the text `explain` prints.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        id: $id:literal,
        level: $level:ident,
        summary: $summary:literal $(,)?
    ) => {
        $(#[doc = $doc])*
        pub(crate) const META: $crate::rules::Meta = $crate::rules::Meta {
            id: $id,
            default_level: $crate::rules::Level::$level,
            summary: $summary,
            docs: &[$($doc),*],
        };
    };
}

/// What a rule module declares about itself.
#[derive(Debug)]
pub struct Meta {
    pub id: &'static str,
    pub default_level: Level,
    pub summary: &'static str,
    /// Doc comment lines, each with the space that follows `///`.
    pub docs: &'static [&'static str],
}

/// Builds the `Rule` enum and everything derived from the list of rule modules.
macro_rules! registry {
    ($($variant:ident => $module:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every rule of the tool.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant),*
        }

        impl Rule {
            /// Every rule, in registry order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            fn meta(self) -> &'static Meta {
                match self {
                    $(Rule::$variant => &$module::META),*
                }
            }

            /// Runs the rule over the model.
            pub(crate) fn check(self, model: &Model, sink: &mut Vec<Diagnostic>) {
                match self {
                    $(Rule::$variant => $module::check(model, sink)),*
                }
            }
        }
    };
}

registry! {
    MalformedTimeoutValue => malformed_timeout_value,
    RequestNotBelowSession => request_not_below_session,
    HeartbeatNotBelowSession => heartbeat_not_below_session,
    HeartbeatAboveThirdOfSession => heartbeat_above_third_of_session,
    SessionOutsideBrokerRange => session_outside_broker_range,
    MaxPollBelowSession => max_poll_below_session,
    FetchWaitTooCloseToSocketTimeout => fetch_wait_too_close_to_socket_timeout,
    TestEnvMissingTimeouts => test_env_missing_timeouts,
    SlowTestTeardown => slow_test_teardown,
    DuplicateEnvKey => duplicate_env_key,
    UnbracedEnvSubstitution => unbraced_env_substitution,
    UnparsableEnvLine => unparsable_env_line,
    UnreadableFile => unreadable_file,
    CargoMetadataFailed => cargo_metadata_failed,
    ConsumerMissingTimeouts => consumer_missing_timeouts,
    UnresolvedConsumerConfig => unresolved_consumer_config,
    UnparsableRustSource => unparsable_rust_source,
    UnknownClientProperty => unknown_client_property,
    TimeoutOutsideClientRange => timeout_outside_client_range,
    ProducerOnlySettingOnConsumer => producer_only_setting_on_consumer,
    ClassicSettingWithConsumerProtocol => classic_setting_with_consumer_protocol,
    EnvValueOutOfBounds => env_value_out_of_bounds,
    UnusedSuppression => unused_suppression,
    InvalidSuppression => invalid_suppression,
    InternalError => internal_error,
}

impl Rule {
    /// The kebab-case id users write (`request-not-below-session`).
    pub fn id(self) -> &'static str {
        self.meta().id
    }

    pub fn default_level(self) -> Level {
        self.meta().default_level
    }

    /// One line for `rules` listings.
    pub fn summary(self) -> &'static str {
        self.meta().summary
    }

    /// The rule's documentation as Markdown (its doc comment).
    pub fn docs(self) -> String {
        let mut out = String::new();
        for line in self.meta().docs {
            let line = line.strip_prefix(' ').unwrap_or(line);
            // `ignore` keeps rustdoc from compiling examples that need rdkafka; readers see Rust.
            out.push_str(if line == "```rust,ignore" {
                "```rust"
            } else {
                line
            });
            out.push('\n');
        }
        out
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::from_id(s).ok_or_else(|| UnknownRule(s.to_owned()))
    }
}

/// A rule id that is not in the registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{0}`")]
pub struct UnknownRule(pub String);

/// The level a rule runs at, as users configure it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    /// The severity of the findings of a rule at this level; `None` when it does not run.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// What `-D warnings` / `-A warnings` did to every finding that ends up a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WarningsLevel {
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

/// Runs every enabled rule and returns their findings at the configured severities.
pub fn run(model: &Model, levels: &RuleLevels) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let (after, before): (Vec<Rule>, Vec<Rule>) = Rule::ALL
        .iter()
        .partition(|r| AFTER_SUPPRESSIONS.contains(r));
    for rule in before {
        check(rule, model, levels, &mut out);
    }
    out.retain(|d| !suppressed(model, d));
    for rule in after {
        check(rule, model, levels, &mut out);
    }
    out
}

/// Rules about the suppressions themselves: they run once the others' findings are filtered.
const AFTER_SUPPRESSIONS: [Rule; 2] = [Rule::UnusedSuppression, Rule::InvalidSuppression];

fn check(rule: Rule, model: &Model, levels: &RuleLevels, out: &mut Vec<Diagnostic>) {
    // A rule runs when some package enables it; each finding then takes the level of the
    // package its file belongs to.
    let enabled = model.configs.all().any(|c| {
        levels
            .severity_with(rule, c.rules.get(&rule).copied())
            .is_some()
    });
    if !enabled {
        return;
    }
    let start = out.len();
    rule.check(model, out);
    let mut kept = start;
    for i in start..out.len() {
        debug_assert_eq!(out[i].rule, rule, "a rule must only report itself");
        let configured = model
            .config_for(out[i].primary.file)
            .rules
            .get(&rule)
            .copied();
        if let Some(severity) = levels.severity_with(rule, configured) {
            out[i].severity = severity;
            out.swap(kept, i);
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// Whether a suppression comment covers the finding (and marks it used).
fn suppressed(model: &Model, d: &Diagnostic) -> bool {
    let file = model.files.get(d.primary.file);
    let line = file.line_col(d.primary.span.start).line;
    let statement_lines: Vec<usize> = model
        .statements
        .get(&d.primary.file)
        .into_iter()
        .flatten()
        .filter(|r| r.start <= d.primary.span.start && d.primary.span.start < r.end)
        .map(|r| file.line_col(r.start).line)
        .collect();
    // Every covering suppression is marked used (no short-circuit), so none of them is
    // reported as unused.
    let mut hit = false;
    for suppression in model
        .suppressions
        .iter()
        .filter(|s| s.file == d.primary.file)
    {
        hit |= suppression.covers(d.rule, line, &statement_lines);
    }
    hit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for &rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "{id} is not kebab-case"
            );
            let docs = rule.docs();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(docs.contains(section), "{id} docs lack {section}");
            }
            assert!(
                !rule.summary().is_empty() && !rule.summary().ends_with('.'),
                "{id} summary"
            );
            assert_eq!(Rule::from_id(id), Some(rule));
        }
    }

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
}
