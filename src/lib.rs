//! cargo-kafka-lint: static checks of Kafka client timeout configuration.
//!
//! The pipeline, one way, one stage per line of [`lint_workspace`]: configuration → files →
//! front-ends (env files, Rust sources) lower their facts into one [`Model`] → the join of env
//! files and code → rules → the sink (levels, suppressions, paths, order) → a [`Report`] that
//! renderers turn into text. Nothing here prints; `main` alone writes output and chooses the
//! exit code.

pub mod cache;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod env;
pub mod error;
pub mod fs;
pub mod guard;
pub mod librdkafka;
pub mod model;
pub mod policy;
pub mod report;
pub mod rules;
pub mod rust;
pub mod secret;
pub mod setting;
pub mod snippet;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod text;
pub mod timeout;
pub mod workspace;

use std::path::{Path, PathBuf};

pub use error::Error;
pub use model::Model;
pub use report::Report;
pub use rules::{Level, Rule, RuleLevels};
pub use workspace::Workspace;

/// What to lint and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder relative paths are resolved against, and human output is relative to.
    pub cwd: PathBuf,
    pub manifest_path: Option<PathBuf>,
    /// Files or folders to restrict linting to; empty means the whole root.
    pub paths: Vec<PathBuf>,
    pub levels: RuleLevels,
    pub run: RunSettings,
    /// `-p/--package`: lint only these workspace members.
    pub packages: Vec<String>,
    /// `--exclude`: do not lint these workspace members.
    pub exclude_packages: Vec<String>,
    /// `--workspace`: every member, also when the run starts in a member's folder.
    pub workspace: bool,
}

/// How a run works, beyond what it checks.
#[derive(Debug, Clone, Default)]
pub struct RunSettings {
    /// `--config`: the configuration file to use instead of the manifests' tables.
    pub config: Option<PathBuf>,
    /// `-j/--jobs`: threads to use (default: all cores). Output does not depend on it.
    pub jobs: Option<usize>,
    /// Parse every Rust file, not only the files of crates that mention the rdkafka API that
    /// the analysis needs.
    pub no_prefilter: bool,
    /// Where to keep work for the next run (`None`: no cache; the CLI's `--no-cache`).
    pub cache_dir: Option<PathBuf>,
    /// `--metadata-timeout`: how long `cargo metadata` may run (default 30 s).
    pub metadata_timeout: Option<std::time::Duration>,
    /// Leave the report's `consumer_views` empty: nothing will render them (neither JSON nor
    /// `-v`), and a run with many consumers need not hold a view of each.
    pub without_consumer_views: bool,
    /// Panic in the analysis of the env or Rust file whose path ends with this (tests the
    /// `internal-error` path; hidden `--debug-panic-on`).
    #[doc(hidden)]
    pub debug_panic_on: Option<String>,
}

impl RunSettings {
    /// Whether `--debug-panic-on` asks the analysis of `path` to panic.
    fn panics_on(&self, path: &Path) -> bool {
        self.debug_panic_on
            .as_deref()
            .is_some_and(|suffix| path.to_string_lossy().ends_with(suffix))
    }
}

/// Most threads a run uses (`-j` above it is capped): the analysis is bound by the cores, and
/// each thread reserves [`STACK_SIZE`] of address space.
pub const MAX_JOBS: usize = 64;

/// Stack of each analysis thread: enough for [`rust::parse::MAX_EXPRESSION_DEPTH`] levels of
/// syn's recursion in a debug build, with room to spare. Only the pages used are ever mapped.
pub const STACK_SIZE: usize = 512 << 20;

/// Lints according to `options`: each workspace its path arguments belong to (see
/// [`workspace::plan`]), the reports joined.
pub fn lint(options: &Options) -> Result<Report, Error> {
    let cwd = workspace::canonical(&options.cwd);
    let groups = workspace::plan(&workspace::Request {
        cwd: &options.cwd,
        manifest_path: options.manifest_path.as_deref(),
        paths: &options.paths,
        timeout: options
            .run
            .metadata_timeout
            .unwrap_or(workspace::cargo::DEFAULT_TIMEOUT),
    })?;
    let selecting = !options.packages.is_empty() || !options.exclude_packages.is_empty();
    if selecting && groups.len() > 1 {
        return Err(Error::PackagesOfSeveralWorkspaces);
    }
    let mut run = options.run.clone();
    run.config = run.config.map(|c| options.cwd.join(c));
    let first_root = groups
        .first()
        .map_or_else(|| cwd.clone(), |(ws, _)| ws.root.clone());
    let mut joined: Option<Report> = None;
    for (mut ws, paths) in groups {
        if selecting {
            ws.select(&options.packages, &options.exclude_packages)?;
        } else if paths.is_empty() && !options.workspace {
            ws.select_current_member();
        }
        let report = lint_workspace(&ws, &paths, &options.levels, &run).map_err(|e| match e {
            // Named as the user would type it, like every other path the run prints.
            Error::Config(mut c) => {
                let path = workspace::canonical_link(&c.path);
                c.name(report::Paths::new(&cwd).path_for_terminal(&path));
                Error::Config(c)
            }
            other => other,
        })?;
        joined = Some(match joined {
            Some(mut all) => {
                all.append(report);
                all
            }
            None => report,
        });
    }
    let mut report = joined.ok_or(Error::NothingToLint)?;
    report.paths = report::Paths::for_run(&cwd, &first_root);
    Ok(report)
}

/// Lints a located workspace. The whole workspace is analysed (helpers and env files anywhere
/// count); when `paths` (absolute) are given, only findings in those files or folders are
/// reported, so that each batch of a pre-commit run is correct on its own.
pub fn lint_workspace(
    ws: &Workspace,
    paths: &[PathBuf],
    levels: &RuleLevels,
    run: &RunSettings,
) -> Result<Report, Error> {
    // syn, its syntax trees' destructors and the analysis recurse once per level of nesting;
    // parse.rs bounds the depth, and these threads have the stack that depth needs.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(STACK_SIZE);
    if let Some(jobs) = run.jobs {
        pool = pool.num_threads(jobs.clamp(1, MAX_JOBS));
    }
    pool.build()
        .map_err(|e| Error::Threads(e.to_string()))?
        .install(|| stages(ws, paths, levels, run))
}

/// The stages of a run, in order.
fn stages(
    ws: &Workspace,
    paths: &[PathBuf],
    levels: &RuleLevels,
    run: &RunSettings,
) -> Result<Report, Error> {
    let config_error = |e| Error::Config(Box::new(e));
    let configs = config::load(
        run.config.as_deref(),
        &ws.root,
        ws.manifest.is_some(),
        &ws.packages,
    )
    .map_err(config_error)?;
    let levels = rules::Levels::new(levels, &configs).map_err(|mut e| {
        e.name(source::display_name(&ws.root, &e.path));
        config_error(e)
    })?;
    let found = discover::files(ws, &configs);
    let mut model = Model::default();
    let config_files = run_facts(&mut model, ws, &configs, &found);
    env::load(&mut model, &ws.root, found.env_files, &configs, &|p| {
        run.panics_on(p)
    });
    let packages = model.packages.clone();
    let cache = run
        .cache_dir
        .as_deref()
        .and_then(|dir| cache::Cache::open(dir, &ws.root));
    rust::load(
        &mut model,
        found.rust_files,
        &rust::Load {
            root: &ws.root,
            packages: &packages,
            owners: &ws.target_owners(),
            no_prefilter: run.no_prefilter,
            panics_on: &|p| run.panics_on(p),
            cache: cache.as_ref(),
        },
    );
    model.links = model::link::link(&model);
    let diagnostics = report::sink::collect(&model, &configs, &config_files, &levels, paths);
    let mut report = Report::new(model, diagnostics, !run.without_consumer_views);
    report.paths = report::Paths::new(&ws.root);
    Ok(report)
}

/// Adds what the workspace and the walk know before any file is parsed: notes, unreadable
/// paths, the manifest of a workspace cargo could not describe, every package folder, and
/// the configuration files (whose ids are returned, for labels on thresholds).
fn run_facts(
    model: &mut Model,
    ws: &Workspace,
    configs: &config::Configs,
    found: &discover::Found,
) -> Vec<source::FileId> {
    let root = ws.root.as_path();
    let name = |path: &std::path::Path| source::display_name(root, path);
    for (path, message) in configs.notes.iter().chain(&found.rest.skipped) {
        model.notes.push(model::Note {
            path: path.clone(),
            message: message.clone(),
        });
    }
    for (path, reason) in &found.rest.unreadable {
        let folder = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
        model.add_unreadable(name(path), path.clone(), reason.clone(), folder);
    }
    if let (Some(said), Some(manifest)) = (&ws.cargo_failure, &ws.manifest) {
        let text = fs::read_text(manifest, fs::MAX_CONFIG_BYTES).unwrap_or_default();
        let file = model.add_file(name(manifest), manifest.clone(), text);
        model.workspace_failures.push(model::WorkspaceFailure {
            file,
            cargo_said: said.clone(),
        });
    }
    // Every folder with a `Cargo.toml` is a crate of its own: members, and packages in the
    // tree that are not members (examples, test fixtures), which cargo leaves alone too.
    model.packages.clone_from(&ws.packages);
    let mut known: std::collections::HashSet<PathBuf> = ws.packages.iter().cloned().collect();
    for dir in &found.rest.manifest_dirs {
        if known.insert(dir.clone()) {
            model.packages.push(dir.clone());
        }
    }
    configs
        .sources
        .iter()
        .map(|c| model.add_file(name(&c.path), c.path.clone(), c.text.clone()))
        .collect()
}
