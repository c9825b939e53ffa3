//! `cargo kafka-lint`: parses the command line, runs the library, writes the output and chooses
//! the exit code. The only place that prints.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use cargo_kafka_lint::report::{github, human, json, sarif, short};
use cargo_kafka_lint::{Options, Rule, docs, lint};

use cli::{Color, Format, ListFormat, Subcommand};

fn main() -> ExitCode {
    cargo_kafka_lint::guard::install_panic_hook();
    let (cli, levels) = match cli::parse(cli::normalize_args(std::env::args_os())) {
        Ok(parsed) => parsed,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    if let Some(command) = cli.command {
        return run_subcommand(command);
    }
    let args = cli.args;
    let color = use_color(args.color);
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return fail(&cargo_kafka_lint::Error::CurrentDir(err), color),
    };
    let options = Options {
        cwd,
        manifest_path: args.manifest_path,
        paths: args.paths,
        run: cargo_kafka_lint::RunSettings {
            config: args.config,
            jobs: args.jobs,
            no_prefilter: args.no_prefilter,
            cache_dir: if args.no_cache {
                None
            } else {
                args.cache_dir.or_else(cargo_kafka_lint::cache::default_dir)
            },
            metadata_timeout: Some(std::time::Duration::from_secs(args.metadata_timeout)),
            debug_panic_on: args.debug_panic_on,
            without_consumer_views: args.format != Format::Json && !args.verbose,
        },
        packages: args.package,
        exclude_packages: args.exclude,
        workspace: args.workspace,
        levels,
    };
    let report = match lint(&options) {
        Ok(report) => report,
        Err(err) => return fail(&err, color),
    };
    let style = human::Style {
        color,
        unicode: !dumb_terminal(),
        width: terminal_width(),
        summary: !args.quiet,
        notes: args.verbose,
    };
    // JSON on stdout is written as it is serialized (a document of many findings is never
    // held whole); every other output is rendered first.
    let streamed = args.format == Format::Json && args.output_file.is_none();
    let machine = (!streamed)
        .then(|| machine_render(args.format, &report))
        .flatten();
    let written = match (&args.output_file, machine) {
        // The file gets the chosen format; a person at the terminal still gets the report.
        (Some(path), machine) => {
            let text = machine.unwrap_or_else(|| {
                human::render(
                    &report,
                    human::Style {
                        color: false,
                        ..style
                    },
                )
            });
            let target = options.cwd.join(path);
            let stored = match report.reads(&target) {
                Some(why) => Err(why),
                None => cargo_kafka_lint::fs::write_atomically(&target, text.as_bytes())
                    .map_err(|e| e.to_string()),
            };
            // The findings reach the terminal even when the file cannot be written.
            let shown = write_all(&mut io::stderr().lock(), &human::render(&report, style));
            if let Err(reason) = stored {
                return fail(
                    &OutputFileError {
                        path: path.clone(),
                        reason,
                    },
                    color,
                );
            }
            shown
        }
        (None, _) if streamed => json::write(&report, &mut io::BufWriter::new(io::stdout().lock())),
        (None, Some(text)) => write_all(&mut io::stdout().lock(), &text),
        (None, None) => write_all(&mut io::stderr().lock(), &human::render(&report, style)),
    };
    if let Err(err) = written {
        if err.kind() != io::ErrorKind::BrokenPipe {
            return fail(&IoError(err), color);
        }
    }
    match report.exit_code() {
        1 if args.exit_zero => ExitCode::SUCCESS,
        code => ExitCode::from(code),
    }
}

/// The report in a machine format (`None`: the human one).
fn machine_render(format: Format, report: &cargo_kafka_lint::Report) -> Option<String> {
    match format {
        Format::Human => None,
        Format::Json => Some(json::render(report)),
        Format::Short => Some(short::render(report)),
        Format::Github => Some(github::render(report)),
        Format::Sarif => Some(sarif::render(report)),
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write `{}`: {reason}", path.display())]
#[diagnostic(
    code(io),
    help(
        "--output-file takes a new file or a report written before, outside the files the tool reads"
    )
)]
struct OutputFileError {
    path: std::path::PathBuf,
    reason: String,
}

/// `rules` and `explain`: documentation from the registry, on stdout.
fn run_subcommand(command: Subcommand) -> ExitCode {
    let text = match command {
        Subcommand::Rules {
            format: ListFormat::Human,
        } => docs::rules_table(),
        Subcommand::Rules {
            format: ListFormat::Json,
        } => docs::rules_json(),
        Subcommand::Explain { rule: None } => format!(
            "{}\n`cargo kafka-lint explain <RULE>` prints the documentation of one rule\n",
            docs::rules_table()
        ),
        Subcommand::Explain { rule: Some(rule) } => match Rule::from_id(&rule) {
            Some(rule) => docs::explain(rule),
            None => return ExitCode::from(2),
        },
    };
    match write_all(&mut io::stdout().lock(), &text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => fail(&IoError(err), false),
    }
}

fn write_all(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Renders an error that stops the run, and exits with 2.
fn fail(err: &dyn miette::Diagnostic, color: bool) -> ExitCode {
    let theme = human::theme(color, !dumb_terminal());
    // Snippets are named `path:line:column` already.
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(terminal_width())
        .with_links(false)
        .without_primary_span_start();
    let mut out = String::new();
    if handler.render_report(&mut out, err).is_err() {
        out = format!("error: {err}\n");
    }
    let _ = write_all(&mut io::stderr().lock(), &out);
    ExitCode::from(2)
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write the output: {0}")]
#[diagnostic(code(io))]
struct IoError(io::Error);

/// `TERM=dumb`: a terminal that shows neither colours nor box drawing.
fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// `--color`, else `CARGO_TERM_COLOR`, else auto: colors on a terminal unless `NO_COLOR` is
/// set or `TERM=dumb`. A `CARGO_TERM_COLOR` value other than `always`/`never` means auto.
fn use_color(flag: Option<Color>) -> bool {
    let choice = flag.or_else(|| match std::env::var("CARGO_TERM_COLOR").ok()?.as_str() {
        "always" => Some(Color::Always),
        "never" => Some(Color::Never),
        _ => None,
    });
    match choice {
        Some(Color::Always) => true,
        Some(Color::Never) => false,
        Some(Color::Auto) | None => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && !dumb_terminal()
                && io::stderr().is_terminal()
        }
    }
}

/// `COLUMNS` when set (as other command-line tools honour it), else the terminal's width,
/// else 100; never below 40.
fn terminal_width() -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    columns
        .or_else(|| terminal_size::terminal_size_of(io::stderr()).map(|(w, _)| usize::from(w.0)))
        .unwrap_or(100)
        .clamp(40, 1000)
}
