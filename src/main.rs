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
            debug_panic_on: args.debug_panic_on,
        },
        packages: args.package,
        exclude_packages: args.exclude,
        levels,
    };
    let report = match lint(&options) {
        Ok(report) => report,
        Err(err) => return fail(&err, color),
    };
    let style = human::Style {
        color,
        width: terminal_width(),
        summary: !args.quiet,
        notes: args.verbose,
    };
    let machine = match args.format {
        Format::Human => None,
        Format::Json => Some(json::render(&report)),
        Format::Short => Some(short::render(&report)),
        Format::Github => Some(github::render(&report)),
        Format::Sarif => Some(sarif::render(&report)),
    };
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
            if let Err(err) = std::fs::write(path, text) {
                return fail(
                    &OutputFileError {
                        path: path.clone(),
                        error: err,
                    },
                    color,
                );
            }
            write_all(&mut io::stderr().lock(), &human::render(&report, style))
        }
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

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write `{}`: {error}", path.display())]
#[diagnostic(code(io))]
struct OutputFileError {
    path: std::path::PathBuf,
    error: io::Error,
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
        Subcommand::Explain { rule } => match Rule::from_id(&rule) {
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
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(terminal_width())
        .with_links(false);
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

/// `--color`, else `CARGO_TERM_COLOR`, else auto: colors on a terminal unless `NO_COLOR` is set.
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
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stderr().is_terminal()
        }
    }
}

fn terminal_width() -> usize {
    terminal_size::terminal_size_of(io::stderr()).map_or(100, |(w, _)| usize::from(w.0).max(60))
}
