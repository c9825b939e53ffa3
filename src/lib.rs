//! cargo-kafka-lint: static checks of Kafka client timeout configuration.
//!
//! The pipeline, one way: locate the workspace → discover files → parse them into one [`Model`]
//! of spanned facts → run the rules → a [`Report`] that renderers turn into text. Nothing here
//! prints; `main` alone writes output and chooses the exit code.

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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use error::Error;
pub use model::Model;
pub use report::Report;
pub use rules::{Level, Rule, RuleLevels};

use model::{Note, Unreadable};
use source::SourceFile;
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

/// Lints according to `options`.
///
/// Path arguments mean what the user typed: each is made absolute and canonical (`..`,
/// symbolic links), and belongs to the Cargo workspace that holds it, else to its own folder.
/// Paths of several workspaces are linted workspace by workspace, and the reports joined.
pub fn lint(options: &Options) -> Result<Report, Error> {
    let groups = plan(options)?;
    let selecting = !options.packages.is_empty() || !options.exclude_packages.is_empty();
    if selecting && groups.len() > 1 {
        return Err(Error::PackagesOfSeveralWorkspaces);
    }
    let cwd = workspace::canonical(&options.cwd);
    let mut run = options.run.clone();
    run.config = run.config.map(|c| options.cwd.join(c));
    let mut joined: Option<Report> = None;
    let first_root = groups
        .first()
        .map_or_else(|| cwd.clone(), |(ws, _)| ws.root.clone());
    for (mut ws, paths) in groups {
        if selecting {
            select_packages(&mut ws, &options.packages, &options.exclude_packages)?;
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

/// The workspaces of a run, each with the path arguments it holds.
fn plan(options: &Options) -> Result<Vec<(Workspace, Vec<PathBuf>)>, Error> {
    let timeout = options
        .run
        .metadata_timeout
        .unwrap_or(workspace::cargo::DEFAULT_TIMEOUT);
    let mut paths = Vec::new();
    for typed in &options.paths {
        let path = std::fs::canonicalize(options.cwd.join(typed))
            .map_err(|_| Error::PathNotFound(typed.clone()))?;
        paths.push(path);
    }
    // Folders before what they hold, so that a folder's group takes the paths inside it.
    paths.sort();
    paths.dedup();
    if let Some(manifest) = &options.manifest_path {
        let manifest = options.cwd.join(manifest);
        if std::fs::symlink_metadata(&manifest).is_err() {
            return Err(Error::ManifestNotFound(manifest));
        }
        let ws = Workspace::from_manifest(&manifest, timeout);
        if let Some(outside) = paths.iter().find(|p| !ws.contains(p)) {
            return Err(Error::PathOutsideWorkspace {
                path: outside.clone(),
                root: ws.root.clone(),
            });
        }
        return Ok(vec![(ws, paths)]);
    }
    if paths.is_empty() {
        let ws = match workspace::find_manifest(&options.cwd) {
            Some(manifest) => Workspace::from_manifest(&manifest, timeout),
            None => Workspace::folder(workspace::canonical(&options.cwd)),
        };
        return Ok(vec![(ws, paths)]);
    }
    let mut groups: Vec<(Workspace, Vec<PathBuf>)> = Vec::new();
    for path in paths {
        if let Some((_, held)) = groups.iter_mut().find(|(ws, _)| ws.contains(&path)) {
            held.push(path);
            continue;
        }
        let folder = if path.is_dir() {
            path.clone()
        } else {
            path.parent()
                .map_or_else(|| path.clone(), Path::to_path_buf)
        };
        let ws = workspace::find_manifest(&folder)
            .map(|manifest| Workspace::from_manifest(&manifest, timeout))
            .filter(|ws| ws.contains(&path))
            // Outside every workspace: the folder alone, never the tree above it.
            .unwrap_or_else(|| Workspace::folder(folder));
        groups.push((ws, vec![path]));
    }
    Ok(groups)
}

/// Keeps the selected workspace members (`-p` / `--exclude`), as cargo selects them.
fn select_packages(
    ws: &mut Workspace,
    include: &[String],
    exclude: &[String],
) -> Result<(), Error> {
    let names: Vec<&str> = ws
        .members
        .iter()
        .filter_map(|m| m.name.as_deref())
        .collect();
    for spec in include.iter().chain(exclude) {
        let name = spec.split('@').next().unwrap_or(spec);
        if !names.contains(&name) {
            let hint = suggest::closest(name, names.iter().copied())
                .map(|c| format!("did you mean `{c}`?"));
            return Err(Error::PackageNotFound {
                spec: spec.clone(),
                hint,
            });
        }
    }
    let chosen = |name: &str| {
        let listed = |specs: &[String]| specs.iter().any(|s| s.split('@').next() == Some(name));
        (include.is_empty() || listed(include)) && !listed(exclude)
    };
    ws.selected = Some(
        ws.members
            .iter()
            .filter(|m| m.name.as_deref().is_some_and(chosen))
            .map(|m| m.dir.clone())
            .collect(),
    );
    Ok(())
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
        .install(|| lint_in_pool(ws, paths, levels, run))
}

/// Most threads a run uses (`-j` above it is capped): the analysis is bound by the cores, and
/// each thread reserves [`STACK_SIZE`] of address space.
pub const MAX_JOBS: usize = 64;

/// Stack of each analysis thread: enough for [`rust::parse::MAX_EXPRESSION_DEPTH`] levels of
/// syn's recursion in a debug build, with room to spare. Only the pages used are ever mapped.
pub const STACK_SIZE: usize = 512 << 20;

/// How a run works, beyond what it checks.
#[derive(Debug, Clone, Default)]
pub struct RunSettings {
    /// `--config`: the configuration file to use instead of the manifests' tables.
    pub config: Option<PathBuf>,
    /// `-j/--jobs`: threads to use (default: all cores). Output does not depend on it.
    pub jobs: Option<usize>,
    /// Parse every Rust file, not only the crates that mention the rdkafka API.
    pub no_prefilter: bool,
    /// `--metadata-timeout`: how long `cargo metadata` may run (default 30 s).
    pub metadata_timeout: Option<std::time::Duration>,
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

fn lint_in_pool(
    ws: &Workspace,
    paths: &[PathBuf],
    levels: &RuleLevels,
    run: &RunSettings,
) -> Result<Report, Error> {
    let config = run.config.as_deref();
    let configs = config::load(config, &ws.root, ws.manifest.is_some(), &ws.packages)
        .map_err(|e| Error::Config(Box::new(e)))?;
    let matchers = discover::Matchers::new(&ws.root, &configs);
    let skip = discover::Skip {
        target_dir: ws.target_dir.as_deref(),
        excluded: &ws.excluded,
        nested_workspaces: ws.manifest.is_some(),
    };
    let mut found = discover::discover(&ws.walk_roots(), &skip, &matchers);
    if let Some(selected) = &ws.selected {
        found.retain(|path| in_selection(ws, selected, path));
    }
    let model = build_model(ws, found, configs, &matchers, run);
    let mut diagnostics = rules::run(&model, levels);
    if !paths.is_empty() {
        diagnostics.retain(|d| {
            let file = &model.files.get(d.primary.file).path;
            paths.iter().any(|p| file.starts_with(p))
        });
    }
    let mut report = Report::new(model, diagnostics);
    report.paths = report::Paths::new(&ws.root);
    Ok(report)
}

/// Whether a file belongs to a selected package (the innermost package holding it), or is an
/// env file at the workspace root, which applies to every package.
fn in_selection(ws: &Workspace, selected: &[PathBuf], path: &Path) -> bool {
    if path.parent() == Some(ws.root.as_path()) && path.extension().is_none_or(|e| e != "rs") {
        return true;
    }
    ws.packages
        .iter()
        .filter(|p| path.starts_with(p))
        .max_by_key(|p| p.as_os_str().len())
        .is_some_and(|owner| selected.contains(owner))
}

/// Reads and parses every discovered file.
fn build_model(
    ws: &Workspace,
    found: discover::Discovered,
    configs: config::Configs,
    matchers: &discover::Matchers,
    run: &RunSettings,
) -> Model {
    let root = ws.root.as_path();
    let mut model = Model {
        configs,
        ..Model::default()
    };
    for (path, reason) in std::mem::take(&mut model.configs.notes) {
        model.notes.push(Note {
            path,
            message: reason,
        });
    }
    for (path, reason) in found.skipped {
        model.notes.push(Note {
            path,
            message: reason,
        });
    }
    for (path, reason) in found.unreadable {
        let folder = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        add_unreadable(&mut model, display_name(root, &path), path, reason, folder);
    }
    for path in found.env_files {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_test = matchers.is_test_env_file(&path, &file_name);
        let Some(file) = read_source(&mut model, root, path) else {
            continue;
        };
        let source = model.files.get(file);
        let config = model.configs.for_path(&source.path);
        let bounded: Vec<String> = config.bounds.iter().map(|b| b.key.clone()).collect();
        let panics = run.panics_on(&source.path);
        let analysed = guard::catch(|| {
            assert!(!panics, "--debug-panic-on matched this file");
            let suppressions =
                suppress::find(file, &source.text, &suppress::env_comments(&source.text));
            (
                env::analyze(
                    file,
                    is_test,
                    &source.path,
                    &source.text,
                    &config.keys,
                    &bounded,
                ),
                suppressions,
            )
        });
        match analysed {
            Ok(((env, note), suppressions)) => {
                model.files.get_mut(file).mask(env.masked.iter().cloned());
                model.suppressions.extend(suppressions);
                model.env_files.push(env);
                model.notes.extend(note);
            }
            Err(message) => model
                .internal_errors
                .push(model::InternalError { file, message }),
        }
    }
    if let (Some(said), Some(manifest)) = (&ws.cargo_failure, &ws.manifest) {
        let text = fs::read_text(manifest, fs::MAX_CONFIG_BYTES).unwrap_or_default();
        let name = display_name(root, manifest);
        let file = model
            .files
            .add(SourceFile::new(name, manifest.clone(), text));
        model.workspace_failures.push(model::WorkspaceFailure {
            file,
            cargo_said: said.clone(),
        });
    }
    // Every folder with a `Cargo.toml` is a crate of its own: members, and packages in the
    // tree that are not members (examples, test fixtures), which cargo leaves alone too.
    let mut packages = ws.packages.clone();
    for dir in found.manifest_dirs {
        if !packages.contains(&dir) {
            packages.push(dir);
        }
    }
    model.packages.clone_from(&packages);
    model.index_env_files();
    analyze_rust(
        &mut model,
        root,
        &by_package(&packages, root, found.rust_files),
        run,
    );
    model
}

/// Groups Rust files by the package whose folder holds them (the innermost one), so that each
/// crate is analysed as a whole; files outside every package form one more group.
fn by_package(
    packages: &[PathBuf],
    root: &Path,
    files: BTreeSet<PathBuf>,
) -> Vec<(PathBuf, Vec<PathBuf>)> {
    // Walking up a file's folders finds its innermost package in O(depth).
    let dirs: std::collections::HashSet<&Path> = packages.iter().map(PathBuf::as_path).collect();
    let mut groups: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let owner = file
            .ancestors()
            .skip(1)
            .find(|dir| dirs.contains(dir))
            .unwrap_or(root)
            .to_path_buf();
        groups.entry(owner).or_default().push(file);
    }
    groups.into_iter().collect()
}

/// Reads, parses and analyses the Rust files of one crate.
/// What the scan of one crate found.
struct Scanned {
    package: PathBuf,
    /// Some file of the crate mentions rdkafka (or speaks to this tool).
    in_scope: bool,
    paths: Vec<PathBuf>,
    /// Files that could not be read, with the reason.
    unreadable: Vec<(PathBuf, String)>,
}

/// The Rust side, crate by crate. First the bytes of every file are scanned for `rdkafka` (in
/// parallel, each file dropped at once, so memory does not grow with the tree): the analysis
/// covers the crates that use rdkafka. Their files are then read as text and added to the
/// model, and the crates are parsed and analysed in parallel, each on one thread (proc-macro2
/// keeps span information per thread). With `prefilter` off, the files of the other crates
/// are parsed too (and dropped), to prove the prefilter only saves time.
fn analyze_rust(
    model: &mut Model,
    root: &Path,
    groups: &[(PathBuf, Vec<PathBuf>)],
    run: &RunSettings,
) {
    use rayon::prelude::*;
    // Files are scanned in parallel one by one (a few huge crates would pin one thread each).
    let files: Vec<(usize, &PathBuf)> = groups
        .iter()
        .enumerate()
        .flat_map(|(n, (_, paths))| paths.iter().map(move |p| (n, p)))
        .collect();
    let results: Vec<Result<bool, fs::ReadError>> = files
        .par_iter()
        .map(|(_, path)| fs::read(path, fs::MAX_SOURCE_BYTES).map(|bytes| rust::in_scope(&bytes)))
        .collect();
    let mut scanned: Vec<Scanned> = groups
        .iter()
        .map(|(package, _)| Scanned {
            package: package.clone(),
            in_scope: false,
            paths: Vec::new(),
            unreadable: Vec::new(),
        })
        .collect();
    for ((n, path), result) in files.into_iter().zip(results) {
        let group = &mut scanned[n];
        match result {
            Ok(found) => {
                group.in_scope |= found;
                group.paths.push(path.clone());
            }
            Err(e) => group.unreadable.push((path.clone(), e.to_string())),
        }
    }
    if run.no_prefilter {
        parse_out_of_scope(&scanned);
    }
    let mut crates = Vec::new();
    for crate_ in scanned {
        model.rust_files += crate_.paths.len() + crate_.unreadable.len();
        for (path, reason) in crate_.unreadable {
            add_unreadable(model, display_name(root, &path), path, reason, false);
        }
        if !crate_.in_scope {
            continue;
        }
        let ids: Vec<source::FileId> = crate_
            .paths
            .into_iter()
            .filter_map(|path| read_source(model, root, path))
            .collect();
        crates.push((crate_.package, ids));
    }
    let files = &model.files;
    let panics_on = |id: source::FileId| run.panics_on(&files.get(id).path);
    let analysed: Vec<(rust::CrateFacts, Vec<model::InternalError>)> = crates
        .par_iter()
        .map(|(_, ids)| {
            let sources: Vec<(source::FileId, &str)> = ids
                .iter()
                .map(|id| (*id, files.get(*id).text.as_str()))
                .collect();
            analyze_guarded(&sources, &panics_on)
        })
        .collect();
    for ((package, ids), (facts, internal)) in crates.into_iter().zip(analysed) {
        model.internal_errors.extend(internal);
        mask_secret_values(&mut model.files, &facts.constructions);
        model
            .clients
            .extend(facts.constructions.into_iter().map(|mut c| {
                package.clone_into(&mut c.package);
                c
            }));
        model.rust_failures.extend(
            facts
                .failures
                .into_iter()
                .map(|(file, failure)| model::RustFailure { file, failure }),
        );
        model.statements.extend(facts.statements);
        for id in ids {
            let text = &model.files.get(id).text;
            let found = suppress::find(id, text, &suppress::rust_comments(text));
            model.suppressions.extend(found);
        }
    }
}

/// Masks the values set for secret-looking properties (`sasl.password`) in code, so that no
/// snippet prints them.
fn mask_secret_values(files: &mut source::Files, constructions: &[rust::Construction]) {
    for c in constructions {
        for (name, state) in c.config.entries() {
            if let rust::KeyState::Set { loc, .. } = state {
                if secret::looks_secret(name) {
                    files.get_mut(loc.file).mask([loc.span.clone()]);
                }
            }
        }
    }
}

/// Parses (and drops) the files of crates out of scope, for `--no-prefilter`.
fn parse_out_of_scope(scanned: &[Scanned]) {
    use rayon::prelude::*;
    let out_of_scope: Vec<&PathBuf> = scanned
        .iter()
        .filter(|c| !c.in_scope)
        .flat_map(|c| &c.paths)
        .collect();
    out_of_scope.par_iter().for_each(|path| {
        if let Ok(text) = fs::read_text(path, fs::MAX_SOURCE_BYTES) {
            let _ = rust::parse::parse(&text);
            proc_macro2::extra::invalidate_current_thread_spans();
        }
    });
}

/// Analyses a crate; should the analysis panic, finds the files whose analysis panics on its
/// own, reports each as an internal error, and analyses the crate again without them (when
/// no single file panics, the whole crate is reported).
fn analyze_guarded(
    sources: &[(source::FileId, &str)],
    panics_on: &(dyn Fn(source::FileId) -> bool + Sync),
) -> (rust::CrateFacts, Vec<model::InternalError>) {
    let attempt = |sources: &[(source::FileId, &str)]| {
        let result = guard::catch(|| {
            assert!(
                !sources.iter().any(|(id, _)| panics_on(*id)),
                "--debug-panic-on matched this file"
            );
            rust::analyze_sources(sources)
        });
        // Spans of the abandoned syntax trees are gone; free their source maps too.
        proc_macro2::extra::invalidate_current_thread_spans();
        result
    };
    let message = match attempt(sources) {
        Ok(facts) => return (facts, Vec::new()),
        Err(message) => message,
    };
    let mut culprits: Vec<(source::FileId, String)> = sources
        .iter()
        .filter_map(|s| attempt(std::slice::from_ref(s)).err().map(|m| (s.0, m)))
        .collect();
    if culprits.is_empty() {
        culprits = sources
            .iter()
            .map(|(id, _)| (*id, message.clone()))
            .collect();
    }
    let rest: Vec<(source::FileId, &str)> = sources
        .iter()
        .filter(|(id, _)| !culprits.iter().any(|(c, _)| c == id))
        .copied()
        .collect();
    let facts = if rest.is_empty() {
        rust::CrateFacts::default()
    } else {
        attempt(&rest).unwrap_or_default()
    };
    let errors = culprits
        .into_iter()
        .map(|(file, message)| model::InternalError { file, message })
        .collect();
    (facts, errors)
}

/// Adds a file to the model: its text, or an `Unreadable` entry saying why there is none.
fn read_source(model: &mut Model, root: &Path, path: PathBuf) -> Option<source::FileId> {
    let name = display_name(root, &path);
    match fs::read_text(&path, fs::MAX_SOURCE_BYTES) {
        Ok(text) => Some(model.files.add(SourceFile::new(name, path, text))),
        Err(reason) => {
            add_unreadable(model, name, path, reason, false);
            None
        }
    }
}

/// Adds a file or folder that could not be read: an empty text (for the location) and why.
fn add_unreadable(model: &mut Model, name: String, path: PathBuf, reason: String, folder: bool) {
    let file = model.files.add(SourceFile::new(name, path, String::new()));
    model.unreadable.push(Unreadable {
        file,
        reason,
        folder,
    });
}

/// The path relative to the root with `/` separators; paths outside the root stay as they are.
pub fn display_name(root: &Path, path: &Path) -> String {
    let Ok(relative) = path.strip_prefix(root) else {
        return path.to_string_lossy().into_owned();
    };
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}
