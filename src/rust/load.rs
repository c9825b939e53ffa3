//! Loading the Rust side of a run into the model, crate by crate. First the bytes of every
//! file are scanned for `rdkafka` (in parallel, each file dropped at once, so memory does not
//! grow with the tree): the analysis covers the crates that use rdkafka. Their files are then
//! read as text and added to the model, and the crates are parsed and analysed in parallel,
//! each on one thread (proc-macro2 keeps span information per thread). A panic in a crate's
//! analysis is bisected down to the files that panic alone, which become `internal-error`s,
//! and the crate is analysed again without them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::fs;
use crate::model::{InternalError, Model, ParseFailure};
use crate::source::{FileId, display_name};

use super::{CrateFacts, ModuleOf, analyze_modules, in_scope};

/// What the Rust side needs to know of the run.
pub struct Load<'a> {
    pub root: &'a Path,
    /// Every package folder; each file belongs to the innermost one.
    pub packages: &'a [PathBuf],
    /// Files that belong to a package other than the one their folder says (targets outside
    /// their member's folder).
    pub owners: &'a BTreeMap<PathBuf, PathBuf>,
    /// Parse every file, also of crates out of scope (proves the prefilter only saves time).
    pub no_prefilter: bool,
    /// `--debug-panic-on`.
    pub panics_on: &'a (dyn Fn(&Path) -> bool + Sync),
}

impl std::fmt::Debug for Load<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Load")
            .field("root", &self.root)
            .field("packages", &self.packages.len())
            .field("no_prefilter", &self.no_prefilter)
            .finish_non_exhaustive()
    }
}

/// Reads, parses and analyses the Rust files into the model.
pub fn load(model: &mut Model, files: BTreeSet<PathBuf>, load: &Load<'_>) {
    let groups = by_package(load, files);
    analyze_rust(model, load, &groups);
}

/// Groups Rust files by the package whose folder holds them (the innermost one), so that each
/// crate is analysed as a whole; files outside every package form one more group.
fn by_package(load: &Load<'_>, files: BTreeSet<PathBuf>) -> Vec<(PathBuf, Vec<PathBuf>)> {
    // Walking up a file's folders finds its innermost package in O(depth).
    let dirs: std::collections::HashSet<&Path> =
        load.packages.iter().map(PathBuf::as_path).collect();
    let mut groups: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let owner = match load.owners.get(&file) {
            Some(owner) => owner.clone(),
            None => file
                .ancestors()
                .skip(1)
                .find(|dir| dirs.contains(dir))
                .unwrap_or(load.root)
                .to_path_buf(),
        };
        groups.entry(owner).or_default().push(file);
    }
    groups.into_iter().collect()
}

/// What the scan of one crate found.
struct Scanned {
    package: PathBuf,
    /// Some file of the crate mentions rdkafka (or speaks to this tool).
    in_scope: bool,
    paths: Vec<PathBuf>,
    /// Files that could not be read, with the reason.
    unreadable: Vec<(PathBuf, String)>,
}

/// The Rust side, crate by crate (see the module documentation).
fn analyze_rust(model: &mut Model, load: &Load<'_>, groups: &[(PathBuf, Vec<PathBuf>)]) {
    use rayon::prelude::*;
    let root = load.root;
    // Files are scanned in parallel one by one (a few huge crates would pin one thread each).
    let files: Vec<(usize, &PathBuf)> = groups
        .iter()
        .enumerate()
        .flat_map(|(n, (_, paths))| paths.iter().map(move |p| (n, p)))
        .collect();
    let results: Vec<Result<bool, fs::ReadError>> = files
        .par_iter()
        .map(|(_, path)| fs::read(path, fs::MAX_SOURCE_BYTES).map(|bytes| in_scope(&bytes)))
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
    if load.no_prefilter {
        parse_out_of_scope(&scanned);
    }
    let mut crates = Vec::new();
    for crate_ in scanned {
        model.rust_files += crate_.paths.len() + crate_.unreadable.len();
        for (path, reason) in crate_.unreadable {
            model.add_unreadable(display_name(root, &path), path, reason, false);
        }
        if !crate_.in_scope {
            continue;
        }
        let ids: Vec<FileId> = crate_
            .paths
            .into_iter()
            .filter_map(|path| model.read_file(display_name(root, &path), path))
            .collect();
        crates.push((crate_.package, ids));
    }
    let files = &model.files;
    let panics_on = |id: FileId| (load.panics_on)(&files.get(id).path);
    let module_of = |id: FileId| module_name(&files.get(id).path);
    let analysed: Vec<(CrateFacts, Vec<InternalError>)> = crates
        .par_iter()
        .map(|(_, ids)| {
            let sources: Vec<(FileId, &str)> = ids
                .iter()
                .map(|id| (*id, files.get(*id).text.as_str()))
                .collect();
            analyze_guarded(&sources, &panics_on, &module_of)
        })
        .collect();
    for ((package, ids), (mut facts, internal)) in crates.into_iter().zip(analysed) {
        model.internal_errors.extend(internal);
        for site in facts.take_sites(&package) {
            mask_secret_values(&mut model.files, &site);
            model.sites.push(site);
        }
        model
            .parse_failures
            .extend(facts.failures.into_iter().map(|(file, f)| ParseFailure {
                file,
                span: f.span,
                message: f.message,
            }));
        model.statements.extend(facts.statements);
        for id in ids {
            let text = &model.files.get(id).text;
            let found = crate::suppress::find(id, text, &crate::suppress::rust_comments(text));
            model.suppressions.extend(found);
        }
    }
}

/// Masks the values set for secret-looking properties (`sasl.password`) in code, so that no
/// snippet prints them.
fn mask_secret_values(files: &mut crate::source::Files, site: &crate::model::ClientSite) {
    for setting in &site.settings {
        if let crate::model::State::Set(written) = &setting.state {
            if crate::secret::looks_secret(&setting.key) {
                let at = &written.value_span;
                files.get_mut(at.file).mask([at.range.clone()]);
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
            let _ = super::parse::parse(&text);
            proc_macro2::extra::invalidate_current_thread_spans();
        }
    });
}

/// Analyses a crate; should the analysis panic, finds the files whose analysis panics on its
/// own, reports each as an internal error, and analyses the crate again without them (when
/// no single file panics, the whole crate is reported).
/// The module a file is, by its name: `helpers` for `helpers.rs` and `helpers/mod.rs`; `None`
/// for `lib.rs`, `main.rs` and other crate roots under `src/bin/`, `tests/`, `examples/`.
pub(crate) fn module_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let parent = path.parent()?;
    let parent_name = parent.file_name().and_then(|n| n.to_str());
    match stem {
        "lib" | "main" | "build" => None,
        "mod" => parent_name.map(str::to_owned),
        _ if matches!(parent_name, Some("bin" | "tests" | "examples" | "benches")) => None,
        _ => Some(stem.to_owned()),
    }
}

fn analyze_guarded(
    sources: &[(FileId, &str)],
    panics_on: &(dyn Fn(FileId) -> bool + Sync),
    module_of: ModuleOf<'_>,
) -> (CrateFacts, Vec<InternalError>) {
    let attempt = |sources: &[(FileId, &str)]| {
        let result = crate::guard::catch(|| {
            assert!(
                !sources.iter().any(|(id, _)| panics_on(*id)),
                "--debug-panic-on matched this file"
            );
            analyze_modules(sources, module_of)
        });
        // Spans of the abandoned syntax trees are gone; free their source maps too.
        proc_macro2::extra::invalidate_current_thread_spans();
        result
    };
    let message = match attempt(sources) {
        Ok(facts) => return (facts, Vec::new()),
        Err(message) => message,
    };
    let mut culprits: Vec<(FileId, String)> = sources
        .iter()
        .filter_map(|s| attempt(std::slice::from_ref(s)).err().map(|m| (s.0, m)))
        .collect();
    if culprits.is_empty() {
        culprits = sources
            .iter()
            .map(|(id, _)| (*id, message.clone()))
            .collect();
    }
    let rest: Vec<(FileId, &str)> = sources
        .iter()
        .filter(|(id, _)| !culprits.iter().any(|(c, _)| c == id))
        .copied()
        .collect();
    let facts = if rest.is_empty() {
        CrateFacts::default()
    } else {
        attempt(&rest).unwrap_or_default()
    };
    let errors = culprits
        .into_iter()
        .map(|(file, message)| InternalError { file, message })
        .collect();
    (facts, errors)
}
