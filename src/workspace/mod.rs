//! What is being linted: a Cargo workspace or a plain folder (a Python or Node service has
//! `.env.test` files too).
//!
//! Membership is cargo's: `cargo metadata --no-deps` (run as [`cargo`] describes) names the
//! root and the members, members outside the root included. When cargo cannot say (a pinned
//! toolchain that is not installed, a manifest feature it does not know, a member manifest
//! that is a FIFO), the manifests are read instead ([`manifest`]) and the run says so with a
//! `cargo-metadata-failed` warning: a lint never stops because cargo did.

pub mod cargo;
pub(crate) mod manifest;

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use crate::error::Error;

/// A workspace member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The package name; `None` when its manifest could not be read.
    pub name: Option<String>,
    pub version: Option<String>,
    pub dir: PathBuf,
    /// Source files of its targets (`[lib] path`, `[[bin]] path`, ...), absolute.
    pub targets: Vec<PathBuf>,
}

/// The linted root and what to leave out of it.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace root (or the folder): every path inside the run is absolute and
    /// canonical; names of files are relative to this folder.
    pub root: PathBuf,
    /// Cargo's target directory, never walked.
    pub target_dir: Option<PathBuf>,
    /// The manifest of the workspace root, for a Cargo workspace.
    pub manifest: Option<PathBuf>,
    /// The folder of each member; Rust files are analysed per package (crate). A plain
    /// folder is one package.
    pub packages: Vec<PathBuf>,
    /// The members, sorted by folder.
    pub members: Vec<Member>,
    /// The folders of the selected members, when `-p`, `--exclude` or the member the run
    /// started in selected some.
    pub selected: Option<Vec<PathBuf>>,
    /// `[workspace] exclude`: folders that are not part of the workspace.
    pub excluded: Vec<PathBuf>,
    /// When membership was read from the manifests: what went wrong with cargo.
    pub cargo_failure: Option<String>,
    /// The member whose manifest located the workspace (`--manifest-path member/Cargo.toml`,
    /// or a run inside a member's folder): cargo selects that member alone.
    pub current_member: Option<PathBuf>,
}

impl Workspace {
    /// A plain folder linted as one unit, without Cargo.
    pub fn folder(root: PathBuf) -> Self {
        Workspace {
            packages: vec![root.clone()],
            root,
            target_dir: None,
            manifest: None,
            members: Vec::new(),
            selected: None,
            excluded: Vec::new(),
            cargo_failure: None,
            current_member: None,
        }
    }

    /// The workspace of a manifest (a workspace root's or a member's): from `cargo metadata`,
    /// else from the manifests.
    pub fn from_manifest(manifest: &Path, timeout: Duration) -> Self {
        let manifest = canonical(manifest);
        let mut ws = match cargo::metadata(&manifest, timeout) {
            Ok(metadata) => from_metadata(&metadata),
            Err(said) => from_manifests(&manifest, &said),
        };
        ws.current_member = manifest
            .parent()
            .filter(|dir| *dir != ws.root && ws.packages.iter().any(|p| p == dir))
            .map(Path::to_path_buf);
        ws
    }

    /// The folders whose files belong to the run: the root and members outside it.
    pub fn walk_roots(&self) -> Vec<PathBuf> {
        let mut roots = vec![self.root.clone()];
        for dir in &self.packages {
            if !roots.iter().any(|r| dir.starts_with(r)) {
                roots.push(dir.clone());
            }
        }
        // A target outside its member's folder is read only inside the repository.
        let repository = crate::report::paths::repository_root(&self.root);
        for member in &self.members {
            for target in &member.targets {
                if !roots.iter().any(|r| target.starts_with(r)) && target.starts_with(&repository) {
                    roots.push(target.clone());
                }
            }
        }
        roots
    }

    /// Whether a path belongs to this workspace: under its root or a member's folder, and
    /// not in an excluded folder.
    pub fn contains(&self, path: &Path) -> bool {
        let inside =
            path.starts_with(&self.root) || self.packages.iter().any(|p| path.starts_with(p));
        inside && !self.excluded.iter().any(|e| path.starts_with(e))
    }

    /// Keeps only the member the run started in, as cargo does for `cargo build` in a
    /// member's folder.
    pub fn select_current_member(&mut self) {
        if let Some(member) = &self.current_member {
            self.selected = Some(vec![member.clone()]);
        }
    }
}

/// What the user asked for: where the run starts, `--manifest-path`, and the path arguments
/// as typed.
#[derive(Debug)]
pub struct Request<'a> {
    pub cwd: &'a Path,
    pub manifest_path: Option<&'a Path>,
    pub paths: &'a [PathBuf],
    /// How long `cargo metadata` may run.
    pub timeout: Duration,
}

/// The workspaces of a run, each with the path arguments it holds. Path arguments mean what
/// the user typed: each is made absolute and canonical (`..`, symbolic links), and belongs to
/// the Cargo workspace that holds it, else to its own folder (never to the tree above it).
pub fn plan(request: &Request<'_>) -> Result<Vec<(Workspace, Vec<PathBuf>)>, Error> {
    let timeout = request.timeout;
    let mut paths = Vec::new();
    for typed in request.paths {
        let path = std::fs::canonicalize(request.cwd.join(typed))
            .map_err(|_| Error::PathNotFound(typed.clone()))?;
        paths.push(path);
    }
    // Folders before what they hold, so that a folder's group takes the paths inside it.
    paths.sort();
    paths.dedup();
    if let Some(manifest) = request.manifest_path {
        let manifest = request.cwd.join(manifest);
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
        let ws = match find_manifest(request.cwd) {
            Some(manifest) => Workspace::from_manifest(&manifest, timeout),
            None => Workspace::folder(canonical(request.cwd)),
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
        let ws = find_manifest(&folder)
            .map(|manifest| Workspace::from_manifest(&manifest, timeout))
            .filter(|ws| ws.contains(&path))
            // Outside every workspace: the folder alone, never the tree above it.
            .unwrap_or_else(|| Workspace::folder(folder));
        groups.push((ws, vec![path]));
    }
    Ok(groups)
}

impl Workspace {
    /// Keeps the selected workspace members (`-p` / `--exclude`), as cargo selects them.
    pub fn select(&mut self, include: &[String], exclude: &[String]) -> Result<(), Error> {
        let names: Vec<&str> = self
            .members
            .iter()
            .filter_map(|m| m.name.as_deref())
            .collect();
        for spec in include.iter().chain(exclude) {
            let name = spec.split('@').next().unwrap_or(spec);
            if !names.contains(&name) {
                let hint = crate::suggest::closest(name, names.iter().copied())
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
        self.selected = Some(
            self.members
                .iter()
                .filter(|m| m.name.as_deref().is_some_and(chosen))
                .map(|m| m.dir.clone())
                .collect(),
        );
        Ok(())
    }

    /// Whether a file belongs to a selected package (the innermost package holding it), or is an
    /// env file at the workspace root, which applies to every package. Without a selection, every
    /// file does.
    pub fn holds_selected(&self, path: &Path) -> bool {
        let Some(selected) = &self.selected else {
            return true;
        };
        if path.parent() == Some(self.root.as_path()) && path.extension().is_none_or(|e| e != "rs")
        {
            return true;
        }
        self.packages
            .iter()
            .filter(|p| path.starts_with(p))
            .max_by_key(|p| p.as_os_str().len())
            .is_some_and(|owner| selected.contains(owner))
    }

    /// Files that belong to a member other than the one their folder says: target source files
    /// outside their member's folder.
    pub fn target_owners(&self) -> std::collections::BTreeMap<PathBuf, PathBuf> {
        self.members
            .iter()
            .flat_map(|m| m.targets.iter().map(|t| (t.clone(), m.dir.clone())))
            .collect()
    }
}

/// The nearest `Cargo.toml` at or above `dir`.
pub fn find_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()))
}

fn from_metadata(metadata: &cargo_metadata::Metadata) -> Workspace {
    let root = canonical(metadata.workspace_root.as_std_path());
    let mut members: Vec<Member> = metadata
        .workspace_packages()
        .iter()
        .filter_map(|p| {
            let dir = canonical(p.manifest_path.parent()?.as_std_path());
            Some(Member {
                name: Some(p.name.to_string()),
                version: Some(p.version.to_string()),
                targets: p
                    .targets
                    .iter()
                    .map(|t| canonical(t.src_path.as_std_path()))
                    .filter(|src| !src.starts_with(&dir))
                    .collect(),
                dir,
            })
        })
        .collect();
    members.sort_by(|a, b| a.dir.cmp(&b.dir));
    // Cargo's metadata does not list `exclude`; the root manifest does.
    let root_manifest = root.join("Cargo.toml");
    let excluded = manifest::read(&root_manifest)
        .ok()
        .and_then(|m| m.workspace)
        .map(|w| w.exclude.iter().map(|e| normalize(&root.join(e))).collect())
        .unwrap_or_default();
    Workspace {
        packages: members.iter().map(|m| m.dir.clone()).collect(),
        target_dir: Some(metadata.target_directory.clone().into_std_path_buf()),
        manifest: Some(root_manifest),
        root,
        members,
        selected: None,
        excluded,
        cargo_failure: None,
        current_member: None,
    }
}

fn from_manifests(manifest: &Path, said: &str) -> Workspace {
    let found = manifest::membership(manifest);
    let root = canonical(&found.root);
    let mut members = found.members;
    for m in &mut members {
        m.dir = canonical(&m.dir);
        m.targets.retain(|t| !t.starts_with(&m.dir));
    }
    members.sort_by(|a, b| a.dir.cmp(&b.dir));
    // Cargo names files by absolute path; the run names them from the root.
    let mut message = said.replace(&format!("{}/", root.display()), "");
    for problem in &found.problems {
        message.push('\n');
        message.push_str(problem);
    }
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |t| root.join(t));
    let mut packages: Vec<PathBuf> = members.iter().map(|m| m.dir.clone()).collect();
    if packages.is_empty() {
        packages.push(root.clone());
    }
    Workspace {
        packages,
        target_dir: Some(target_dir),
        manifest: Some(root.join("Cargo.toml")),
        root,
        members,
        selected: None,
        excluded: found.excluded,
        cargo_failure: Some(message),
        current_member: None,
    }
}

/// The canonical form of a path that exists (links resolved), else its lexical normal form.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

/// The canonical form of the folder holding `path`, joined with its name: where a link is,
/// not where it points.
pub fn canonical_link(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => canonical(dir).join(name),
        _ => normalize(path),
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_normal_form() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("/a/b/../../..")), Path::new("/"));
    }
}
