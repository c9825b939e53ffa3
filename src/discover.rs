//! The walk: which files of the linted root are env files.
//!
//! Never follows symbolic links (a link may point outside the root or into a loop), and never
//! descends into version-control metadata, `node_modules`, Cargo target directories (any folder
//! with a `CACHEDIR.TAG`, which cargo writes) or Python virtual environments (a folder with
//! `pyvenv.cfg` or `conda-meta`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::Configs;
use crate::env::{is_env_file_name, is_test_env_file_name};
use crate::workspace::Workspace;

/// Every file a run lints: the walk of the workspace's roots, with the configuration's globs,
/// left to the selected members; env files with whether each is a test env file.
pub fn files(ws: &Workspace, configs: &Configs) -> Found {
    let matchers = Matchers::new(&ws.root, configs);
    let skip = Skip {
        target_dir: ws.target_dir.as_deref(),
        excluded: &ws.excluded,
        nested_workspaces: ws.manifest.is_some(),
    };
    let mut found = discover(&ws.walk_roots(), &skip, &matchers);
    found.retain(|path| ws.holds_selected(path));
    let env_files = std::mem::take(&mut found.env_files)
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let is_test = matchers.is_test_env_file(&path, &name);
            (path, is_test)
        })
        .collect();
    Found {
        env_files,
        rust_files: std::mem::take(&mut found.rust_files),
        rest: found,
    }
}

/// The files of a run.
#[derive(Debug, Default)]
pub struct Found {
    /// Env files, sorted, each with whether it is a test env file.
    pub env_files: Vec<(PathBuf, bool)>,
    /// Rust files, sorted.
    pub rust_files: BTreeSet<PathBuf>,
    /// What else the walk found: unreadable paths, skipped ones, manifest folders.
    pub rest: Discovered,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Env files to lint, deduplicated and sorted.
    pub env_files: BTreeSet<PathBuf>,
    /// Rust files to analyse, deduplicated and sorted.
    pub rust_files: BTreeSet<PathBuf>,
    /// Paths that could not be listed, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Paths left out on purpose, with the reason (for verbose output).
    pub skipped: Vec<(PathBuf, String)>,
    /// Folders that hold a `Cargo.toml`: in a plain folder, each is a crate of its own.
    pub manifest_dirs: Vec<PathBuf>,
}

const SKIPPED_DIRS: [&str; 4] = [".git", ".hg", ".svn", "node_modules"];

impl Discovered {
    /// Keeps only the files `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) {
        self.env_files.retain(|p| keep(p));
        self.rust_files.retain(|p| keep(p));
        self.unreadable.retain(|(p, _)| keep(p));
    }
}

/// Folders a walk leaves out beyond the usual ones.
#[derive(Debug, Default)]
pub struct Skip<'a> {
    /// Cargo's target directory.
    pub target_dir: Option<&'a Path>,
    /// `[workspace] exclude` folders.
    pub excluded: &'a [PathBuf],
    /// A Cargo workspace is being walked: folders that are workspaces of their own are not
    /// part of it.
    pub nested_workspaces: bool,
}

/// Walks each of `paths` (files or folders; all must exist).
pub fn discover(paths: &[PathBuf], skip: &Skip<'_>, matchers: &Matchers) -> Discovered {
    let mut found = Discovered::default();
    // In walk order (each folder's entries sorted by name: the order of the sets), collected
    // into the sets at once instead of one ordered insertion each.
    let mut rust_files: Vec<PathBuf> = Vec::new();
    for path in paths {
        let walker = WalkDir::new(path).follow_links(false).sort_by_file_name();
        let mut left_out: Vec<(PathBuf, String)> = Vec::new();
        for entry in walker.into_iter().filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if skip_dir(e, skip.target_dir) || matchers.excluded(e.path()) {
                return false;
            }
            match left_out_dir(e, skip) {
                Some(reason) => {
                    left_out.push((e.path().to_path_buf(), reason));
                    false
                }
                None => true,
            }
        }) {
            match entry {
                Ok(entry) => visit(&entry, matchers, &mut found, &mut rust_files),
                Err(err) => {
                    let path = err.path().map_or_else(|| path.clone(), Path::to_path_buf);
                    let reason = err
                        .io_error()
                        .map_or_else(|| err.to_string(), ToString::to_string);
                    found.unreadable.push((path, reason));
                }
            }
        }
        found.skipped.append(&mut left_out);
    }
    found.rust_files = rust_files.into_iter().collect();
    found
}

/// Why a folder is not part of the workspace being walked, if it is not.
fn left_out_dir(entry: &DirEntry, skip: &Skip<'_>) -> Option<String> {
    if !entry.file_type().is_dir() {
        return None;
    }
    if skip.excluded.iter().any(|e| e == entry.path()) {
        return Some("skipped: excluded from the workspace (`[workspace] exclude`)".into());
    }
    if skip.nested_workspaces && crate::workspace::manifest::is_workspace_root(entry.path()) {
        return Some(
            "skipped: a workspace of its own (lint it with `--manifest-path` of its `Cargo.toml`)"
                .into(),
        );
    }
    None
}

fn visit(
    entry: &DirEntry,
    matchers: &Matchers,
    found: &mut Discovered,
    rust_files: &mut Vec<PathBuf>,
) {
    let name = entry.file_name().to_string_lossy();
    if name == "Cargo.toml" && entry.file_type().is_file() {
        if let Some(dir) = entry.path().parent() {
            found.manifest_dirs.push(dir.to_path_buf());
        }
    }
    let rust = name.ends_with(".rs");
    if !rust && !matchers.is_env_file(entry.path(), &name) {
        return;
    }
    let file_type = entry.file_type();
    if file_type.is_symlink() {
        found.skipped.push((
            entry.path().to_path_buf(),
            "skipped: symbolic links are not followed".into(),
        ));
    } else if file_type.is_file() && rust {
        rust_files.push(entry.path().to_path_buf());
    } else if file_type.is_file() {
        found.env_files.insert(entry.path().to_path_buf());
    } else if !file_type.is_dir() {
        found.skipped.push((
            entry.path().to_path_buf(),
            "skipped: not a regular file".into(),
        ));
    }
}

fn skip_dir(entry: &DirEntry, target_dir: Option<&Path>) -> bool {
    if !entry.file_type().is_dir() {
        return false;
    }
    let path = entry.path();
    let name = entry.file_name().to_string_lossy();
    SKIPPED_DIRS.contains(&name.as_ref())
        || target_dir.is_some_and(|t| t == path)
        || path.join("CACHEDIR.TAG").is_file()
        || path.join("pyvenv.cfg").is_file()
        || path.join("conda-meta").is_dir()
}

/// The globs of the configuration, as paths relative to the linted root: `exclude`,
/// `env-files` (in addition to the default names) and `test-env-files`. A package's own globs
/// are relative to its folder.
#[derive(Debug)]
pub struct Matchers {
    root: PathBuf,
    exclude: GlobSet,
    env: GlobSet,
    test: GlobSet,
}

impl Matchers {
    pub fn new(root: &Path, configs: &Configs) -> Self {
        let mut sets = [
            GlobSetBuilder::new(),
            GlobSetBuilder::new(),
            GlobSetBuilder::new(),
        ];
        let packages = configs
            .packages
            .iter()
            .map(|(dir, c)| (dir.strip_prefix(root).ok(), c));
        for (prefix, config) in
            std::iter::once((Some(Path::new("")), &configs.root)).chain(packages)
        {
            let Some(prefix) = prefix else { continue };
            let prefix = crate::source::display_name(Path::new(""), prefix);
            for (set, globs) in
                sets.iter_mut()
                    .zip([&config.exclude, &config.env_files, &config.test_env_files])
            {
                for glob in globs {
                    let full = if prefix == "." || prefix.is_empty() {
                        glob.clone()
                    } else {
                        format!("{prefix}/{glob}")
                    };
                    // Globs were checked when the configuration was read.
                    if let Ok(glob) = Glob::new(&full) {
                        set.add(glob);
                    }
                }
            }
        }
        let [exclude, env, test] = sets.map(|b| b.build().unwrap_or_else(|_| GlobSet::empty()));
        Matchers {
            root: root.to_path_buf(),
            exclude,
            env,
            test,
        }
    }

    fn relative(&self, path: &Path) -> String {
        crate::source::display_name(&self.root, path)
    }

    pub fn excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.is_match(self.relative(path))
    }

    pub fn is_env_file(&self, path: &Path, name: &str) -> bool {
        is_env_file_name(name) || (!self.env.is_empty() && self.env.is_match(self.relative(path)))
    }

    pub fn is_test_env_file(&self, path: &Path, name: &str) -> bool {
        is_test_env_file_name(name)
            || (!self.test.is_empty() && self.test.is_match(self.relative(path)))
    }
}
