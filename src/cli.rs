//! The command line: clap definitions for `cargo kafka-lint` and `cargo-kafka-lint`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgMatches, Args, Command, FromArgMatches, Parser, ValueEnum};

use cargo_kafka_lint::{Level, Rule, RuleLevels, suggest};

const EXIT_CODES: &str = "\
Exit codes:
  0  no error-level findings
  1  error-level findings
  2  usage, configuration or I/O error (findings are still printed)

Rules: -A/-W/-D take a rule id; later flags override earlier ones. `-D warnings` turns every
warning into an error, `-A warnings` hides warnings.";

/// Lint Kafka client timeouts in .env files and in the Rust sources that build rdkafka
/// consumers, in a Cargo workspace or any folder.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-kafka-lint",
    bin_name = "cargo kafka-lint",
    version,
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Subcommand>,
    #[command(flatten)]
    pub(crate) args: LintArgs,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Subcommand {
    /// List every rule with its default level and summary
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print the documentation of a rule
    Explain {
        /// The rule id, such as `request-not-below-session` (without one: the list of rules)
        #[arg(value_name = "RULE", value_parser = rule_id())]
        rule: Option<String>,
    },
}

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // Command-line switches are booleans.
pub(crate) struct LintArgs {
    /// Files or folders to lint (default: the whole workspace, or the current folder outside
    /// a Cargo project)
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Configuration file to use instead of `[workspace.metadata.kafka-lint]`,
    /// `[package.metadata.kafka-lint]` or `kafka-lint.toml`
    #[arg(long, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// Threads to use (default: all cores; at most 64); the output does not depend on it
    #[arg(short, long, value_name = "N", value_parser = jobs)]
    pub(crate) jobs: Option<usize>,

    /// Parse every Rust file, not only the files of crates that mention the rdkafka API that
    /// the analysis needs (for checking that the prefilter changes nothing)
    #[arg(long, hide = true)]
    pub(crate) no_prefilter: bool,

    /// Read and write no cache of earlier runs' work
    #[arg(long)]
    pub(crate) no_cache: bool,

    /// Where to keep work for the next run [default: $XDG_CACHE_HOME/cargo-kafka-lint or
    /// ~/.cache/cargo-kafka-lint]
    #[arg(long, value_name = "DIR", env = "KAFKA_LINT_CACHE_DIR")]
    pub(crate) cache_dir: Option<std::path::PathBuf>,

    /// Make the analysis of the env or Rust file whose path ends with this panic (for testing the
    /// `internal-error` path)
    #[arg(long, hide = true, value_name = "SUFFIX")]
    pub(crate) debug_panic_on: Option<String>,

    /// Lint only this workspace member (repeatable)
    #[arg(short, long = "package", value_name = "SPEC")]
    pub(crate) package: Vec<String>,

    /// Lint every workspace member, also when run inside a member's folder (there, as
    /// cargo does, only that member is linted by default)
    #[arg(long)]
    pub(crate) workspace: bool,

    /// Stop `cargo metadata` after this many seconds and read the manifests instead
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) metadata_timeout: u64,

    /// Do not lint this workspace member (repeatable)
    #[arg(long, value_name = "SPEC")]
    pub(crate) exclude: Vec<String>,

    /// Path to Cargo.toml of the workspace to lint
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest_path: Option<PathBuf>,

    /// Output format (also accepted as cargo's `--message-format`)
    #[arg(long, value_enum, default_value_t = Format::Human, alias = "message-format")]
    pub(crate) format: Format,

    /// Write the report in the chosen format to this file; human reports still go to the
    /// terminal when the format is a machine format
    #[arg(long, value_name = "PATH")]
    pub(crate) output_file: Option<PathBuf>,

    /// Exit with 0 even when errors are reported (for steps that upload the report)
    #[arg(long)]
    pub(crate) exit_zero: bool,

    /// Coloring of human output [default: CARGO_TERM_COLOR, else auto; NO_COLOR disables auto]
    #[arg(long, value_enum, value_name = "WHEN")]
    pub(crate) color: Option<Color>,

    /// Do not report findings of RULE
    #[arg(short = 'A', long = "allow", value_name = "RULE", value_parser = rule_names())]
    pub(crate) allow: Vec<String>,

    /// Report findings of RULE as warnings
    #[arg(short = 'W', long = "warn", value_name = "RULE", value_parser = rule_names())]
    pub(crate) warn: Vec<String>,

    /// Report findings of RULE as errors (`-D warnings`: every warning)
    #[arg(short = 'D', long = "deny", value_name = "RULE", value_parser = rule_names())]
    pub(crate) deny: Vec<String>,

    /// Print findings only, without the summary line
    #[arg(short, long, conflicts_with = "verbose")]
    pub(crate) quiet: bool,

    /// Also say what was skipped and why
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Graphical reports on stderr
    Human,
    /// One JSON document on stdout
    Json,
    /// `path:line:col: severity[rule]: message` lines on stdout, for editors and reviewdog
    Short,
    /// GitHub Actions annotations (workflow commands) on stdout
    Github,
    /// SARIF 2.1.0 on stdout, for code scanning
    Sarif,
}

/// Formats of the `rules` listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// A table
    Human,
    /// A JSON array
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

/// `-j N`: at least 1; more than [`cargo_kafka_lint::MAX_JOBS`] threads are that many (the
/// work is bound by the cores, and every thread reserves a deep stack).
fn jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("`-j 0` runs nothing: use 1 or more".to_owned()),
        Ok(n) => Ok(n.min(cargo_kafka_lint::MAX_JOBS)),
        Err(_) if text.starts_with('-') => {
            Err("the number of threads cannot be negative".to_owned())
        }
        Err(_) => Err(format!("`{text}` is not a number of threads")),
    }
}

/// A rule id or the `warnings` group; anything else is a usage error with a suggestion.
fn rule_names() -> fn(&str) -> Result<String, String> {
    |name| check_rule_name(name, true)
}

/// A rule id; anything else is a usage error with a suggestion.
fn rule_id() -> fn(&str) -> Result<String, String> {
    |name| check_rule_name(name, false)
}

fn check_rule_name(name: &str, with_group: bool) -> Result<String, String> {
    let group: &[&str] = if with_group { &["warnings"] } else { &[] };
    let names = || {
        Rule::ALL
            .iter()
            .map(|r| r.id())
            .chain(group.iter().copied())
    };
    if names().any(|n| n == name) {
        return Ok(name.to_owned());
    }
    let hint = match suggest::closest(name, names()) {
        Some(close) => format!("did you mean `{close}`? "),
        None => String::new(),
    };
    let all = names().collect::<Vec<_>>().join(", ");
    Err(format!("unknown rule `{name}`; {hint}rules: {all}"))
}

/// Drops the `kafka-lint` that cargo passes when run as `cargo kafka-lint`.
pub(crate) fn normalize_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "kafka-lint") {
        args.remove(1);
    }
    args
}

pub(crate) fn command() -> Command {
    <Cli as clap::CommandFactory>::command()
}

/// Parses arguments; clap's error carries its own exit code (2 for usage, 0 for `--help`).
pub(crate) fn parse(args: Vec<OsString>) -> Result<(Cli, RuleLevels), clap::Error> {
    let matches = command().try_get_matches_from(args)?;
    let cli = Cli::from_arg_matches(&matches)?;
    Ok((cli, levels(&matches)))
}

/// Applies `-A/-W/-D` in command-line order, so that later flags win as in rustc.
fn levels(matches: &ArgMatches) -> RuleLevels {
    let mut flags: Vec<(usize, Level, &String)> = Vec::new();
    for (id, level) in [
        ("allow", Level::Allow),
        ("warn", Level::Warn),
        ("deny", Level::Deny),
    ] {
        if let (Some(indices), Some(values)) =
            (matches.indices_of(id), matches.get_many::<String>(id))
        {
            flags.extend(indices.zip(values).map(|(i, v)| (i, level, v)));
        }
    }
    flags.sort_by_key(|(i, _, _)| *i);
    let mut levels = RuleLevels::default();
    for (_, level, name) in flags {
        match Rule::from_id(name) {
            Some(rule) => levels.set(rule, level),
            None => levels.set_warnings(level),
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;
    use cargo_kafka_lint::diagnostic::Severity;

    fn parse_str(args: &[&str]) -> Result<(Cli, RuleLevels), clap::Error> {
        parse(normalize_args(args.iter().map(OsString::from)))
    }

    #[test]
    fn cli_is_well_formed() {
        command().debug_assert();
    }

    #[test]
    fn both_invocation_forms() {
        let (a, _) = parse_str(&["cargo-kafka-lint", "kafka-lint", "x"]).unwrap();
        let (b, _) = parse_str(&["cargo-kafka-lint", "x"]).unwrap();
        assert_eq!(a.args.paths, b.args.paths);
    }

    #[test]
    fn later_level_flags_win() {
        let (_, levels) = parse_str(&[
            "k",
            "-A",
            "slow-test-teardown",
            "--warn",
            "slow-test-teardown",
            "-D",
            "warnings",
        ])
        .unwrap();
        assert_eq!(
            levels.severity(Rule::SlowTestTeardown),
            Some(Severity::Error)
        );
        let (_, levels) =
            parse_str(&["k", "-D", "slow-test-teardown", "-A", "slow-test-teardown"]).unwrap();
        assert_eq!(levels.severity(Rule::SlowTestTeardown), None);
    }

    #[test]
    fn unknown_rules_are_usage_errors() {
        let err = parse_str(&["k", "-A", "request-not-below-sesion"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string().contains("request-not-below-session"),
            "{err}"
        );
    }
}
