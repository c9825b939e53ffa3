//! The rule registry: one enum from which every list of rules is derived (command-line values,
//! documentation, `explain`), and one file per rule whose doc comment is its documentation.
//!
//! To add a rule: create `rules/<rule_name>.rs` with a `declare_rule!` block and a `check`
//! function, then add one line to `registry!` below. Tests check that every rule is documented,
//! has fixtures that fire and fixtures that stay silent, and appears in README.md.

use std::fmt;
use std::str::FromStr;

use crate::config::{ConfigAt, Configs};
use crate::diagnostic::{Diagnostic, Label};
use crate::model::Model;
use crate::source::FileId;

pub use crate::diagnostic::Level;
pub use levels::{Levels, RuleLevels};

mod levels;
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

            /// Runs the rule.
            pub(crate) fn check(self, cx: &Cx<'_>, sink: &mut Vec<Diagnostic>) {
                match self {
                    $(Rule::$variant => $module::check(cx, sink)),*
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
    DeprecatedClientProperty => deprecated_client_property,
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

/// What a rule reads: the model, the configuration of each package (with the files it came
/// from, for labels on thresholds), and which suppressions the other rules' findings used.
#[derive(Debug)]
pub struct Cx<'a> {
    pub model: &'a Model,
    pub configs: &'a Configs,
    /// The file of each configuration source (`ConfigAt::source` indexes it).
    pub config_files: &'a [FileId],
    /// `(suppression, entry)` indices that covered a reported finding.
    pub used: &'a std::collections::HashSet<(usize, usize)>,
}

impl Cx<'_> {
    /// The configuration that applies to a file (its package's).
    pub fn config_for(&self, file: FileId) -> &crate::config::Config {
        self.configs.for_path(&self.model.files.get(file).path)
    }

    /// A label on the configuration value at `at`.
    pub fn config_label(&self, at: &ConfigAt, message: impl Into<String>) -> Option<Label> {
        let file = *self.config_files.get(at.source)?;
        Some(Label::new(file, at.span.clone(), message))
    }

    /// A "set here" label on a threshold that configuration set (none for a policy default).
    pub fn threshold_label<T>(
        &self,
        threshold: &crate::config::Threshold<T>,
        message: impl Into<String>,
    ) -> Option<Label> {
        self.config_label(threshold.at.as_ref()?, message)
    }
}

/// The parts of an env value that reaches a code site: the site's setting and how it reads it,
/// the env file and the entry.
pub(crate) struct BoundValue<'m> {
    pub(crate) setting: &'m crate::model::SiteSetting,
    pub(crate) written: &'m crate::model::Written,
    pub(crate) env: &'m crate::model::EnvFile,
    pub(crate) entry: &'m crate::model::env::Entry,
}

/// Every env value that reaches a code site through a key it reads ([`crate::model::Bound`]).
pub(crate) fn bound_values(
    model: &Model,
) -> impl Iterator<Item = (&crate::model::Bound, BoundValue<'_>)> {
    model.links.bound.iter().filter_map(|bound| {
        let setting = model.sites.get(bound.site)?.settings.get(bound.setting)?;
        let crate::model::State::Set(written) = &setting.state else {
            return None;
        };
        let env = model.env_files.get(bound.env_file)?;
        let entry = env.entries.get(bound.entry)?;
        Some((
            bound,
            BoundValue {
                setting,
                written,
                env,
                entry,
            },
        ))
    })
}

impl Rule {
    /// Rules about the suppressions themselves: they run once the others' findings are
    /// filtered.
    pub fn reads_suppressions(self) -> bool {
        matches!(self, Rule::UnusedSuppression | Rule::InvalidSuppression)
    }
}

/// Runs the rules `enabled` selects and returns their findings at their default severities.
pub fn run(cx: &Cx<'_>, enabled: impl Fn(Rule) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &rule in Rule::ALL.iter().filter(|r| enabled(**r)) {
        let start = out.len();
        rule.check(cx, &mut out);
        debug_assert!(
            out[start..].iter().all(|d| d.rule == rule),
            "a rule must only report itself"
        );
    }
    out
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
}
