//! Reading `Cargo.toml` files without cargo: what the tool needs of a workspace when `cargo
//! metadata` cannot tell it (a toolchain that is not installed, a manifest feature this cargo
//! does not know, a member manifest that is not a regular file).
//!
//! It follows cargo's rules for the parts that decide membership: `[workspace] members` (paths
//! and globs, also outside the root), `exclude` (path prefixes), `default-members`,
//! `package.workspace`, and the search for the workspace root above a package. Manifests are
//! read like every other file: never through links, never a FIFO, never more than
//! [`crate::fs::MAX_CONFIG_BYTES`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Member, normalize};

/// The parts of a manifest the tool reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) package: Option<Package>,
    pub(crate) workspace: Option<WorkspaceTable>,
    pub(crate) lib: Option<Target>,
    #[serde(default)]
    pub(crate) bin: Vec<Target>,
    #[serde(default)]
    pub(crate) example: Vec<Target>,
    #[serde(default)]
    pub(crate) test: Vec<Target>,
    #[serde(default)]
    pub(crate) bench: Vec<Target>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Package {
    pub(crate) name: Option<String>,
    /// A version, or `{ workspace = true }` (then the workspace's).
    pub(crate) version: Option<toml::Value>,
    /// `package.workspace = "../.."`: where the workspace root is.
    pub(crate) workspace: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct WorkspaceTable {
    #[serde(default)]
    pub(crate) members: Vec<String>,
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
    #[serde(default)]
    pub(crate) default_members: Vec<String>,
    pub(crate) package: Option<WorkspacePackage>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct WorkspacePackage {
    pub(crate) version: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Target {
    pub(crate) path: Option<String>,
}

/// Reads and parses a manifest; the error says why it could not.
pub(crate) fn read(path: &Path) -> Result<Manifest, String> {
    let text = crate::fs::read_text(path, crate::fs::MAX_CONFIG_BYTES)?;
    toml::from_str(&text).map_err(|e| e.message().to_owned())
}

/// What the manifests say about a workspace.
#[derive(Debug, Default)]
pub(crate) struct Membership {
    /// The folder of the workspace root manifest (or of the lone package).
    pub(crate) root: PathBuf,
    pub(crate) members: Vec<Member>,
    /// `[workspace] exclude`, as absolute folders.
    pub(crate) excluded: Vec<PathBuf>,
    /// `default-members` that are not members (cargo refuses them; reported in the note).
    pub(crate) problems: Vec<String>,
}

/// The workspace a manifest belongs to, as cargo would find it: the manifest itself when it
/// has a `[workspace]` table; the one `package.workspace` names; else the nearest folder above
/// with a `[workspace]` that includes the package; else the package alone.
pub(crate) fn membership(manifest: &Path) -> Membership {
    let dir = manifest.parent().unwrap_or(Path::new("/")).to_path_buf();
    let own = read(manifest);
    let root_manifest = match &own {
        Ok(m) if m.workspace.is_some() => Some(manifest.to_path_buf()),
        Ok(Manifest {
            package:
                Some(Package {
                    workspace: Some(rel),
                    ..
                }),
            ..
        }) => Some(normalize(&dir.join(rel)).join("Cargo.toml")),
        Ok(_) => enclosing_workspace(&dir),
        Err(_) => None,
    };
    if let Some(root_manifest) = root_manifest {
        if let Ok(root) = read(&root_manifest) {
            if let Some(table) = &root.workspace {
                return expand(&root_manifest, &root, table);
            }
        }
    }
    let mut out = Membership {
        root: dir.clone(),
        ..Membership::default()
    };
    match own {
        Ok(m) => out.members.extend(member(&dir, &m, None)),
        Err(reason) => out.problems.push(format!(
            "`{}` could not be read either ({reason}): every folder with a `Cargo.toml` is \
             linted as a crate of its own",
            crate::source::display_name(&dir, manifest)
        )),
    }
    out
}

/// The nearest folder above `dir` whose manifest has a `[workspace]` table that includes
/// `dir`.
fn enclosing_workspace(dir: &Path) -> Option<PathBuf> {
    for above in dir.ancestors().skip(1) {
        let candidate = above.join("Cargo.toml");
        if std::fs::symlink_metadata(&candidate).is_err() {
            continue;
        }
        let Ok(manifest) = read(&candidate) else {
            continue;
        };
        let Some(table) = &manifest.workspace else {
            continue;
        };
        // Cargo stops at the first workspace above; it either includes the package or the
        // package is not part of any.
        let found = expand(&candidate, &manifest, table);
        return found
            .members
            .iter()
            .any(|m| m.dir == dir)
            .then_some(candidate);
    }
    None
}

/// The members of a workspace root manifest: the root package, each `members` entry (globs
/// expanded, folders without a `Cargo.toml` left out, as cargo does), minus `exclude`.
fn expand(root_manifest: &Path, root: &Manifest, table: &WorkspaceTable) -> Membership {
    let dir = root_manifest
        .parent()
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    let excluded: Vec<PathBuf> = table
        .exclude
        .iter()
        .map(|e| normalize(&dir.join(e)))
        .collect();
    let workspace_version = table.package.as_ref().and_then(|p| p.version.clone());
    let mut out = Membership {
        root: dir.clone(),
        excluded,
        ..Membership::default()
    };
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for pattern in &table.members {
        for found in glob_dirs(&dir, pattern) {
            if !out.excluded.iter().any(|e| found.starts_with(e)) {
                dirs.insert(found);
            }
        }
    }
    if root.package.is_some() {
        out.members
            .extend(member(&dir, root, workspace_version.as_deref()));
    }
    for member_dir in dirs.into_iter().filter(|d| *d != dir) {
        let manifest = member_dir.join("Cargo.toml");
        match read(&manifest) {
            Ok(m) => out
                .members
                .extend(member(&member_dir, &m, workspace_version.as_deref())),
            Err(reason) => {
                out.problems.push(format!(
                    "the member manifest `{}` could not be read: {reason}; its folder is \
                     linted as a crate without a name",
                    crate::source::display_name(&dir, &manifest)
                ));
                out.members.push(Member {
                    name: None,
                    version: None,
                    dir: member_dir,
                    targets: Vec::new(),
                });
            }
        }
    }
    for default in &table.default_members {
        let wanted = normalize(&dir.join(default));
        if !out.members.iter().any(|m| m.dir == wanted) {
            out.problems.push(format!(
                "`default-members` names `{default}`, which is not a member"
            ));
        }
    }
    out
}

/// A member from its manifest: name, version and the source files of its targets.
fn member(dir: &Path, manifest: &Manifest, workspace_version: Option<&str>) -> Option<Member> {
    let package = manifest.package.as_ref()?;
    let version = match &package.version {
        Some(toml::Value::String(v)) => Some(v.clone()),
        Some(toml::Value::Table(t))
            if t.get("workspace").and_then(toml::Value::as_bool) == Some(true) =>
        {
            workspace_version.map(str::to_owned)
        }
        _ => None,
    };
    let targets = manifest
        .lib
        .iter()
        .chain(&manifest.bin)
        .chain(&manifest.example)
        .chain(&manifest.test)
        .chain(&manifest.bench)
        .filter_map(|t| t.path.as_ref())
        .map(|p| normalize(&dir.join(p)))
        .collect();
    Some(Member {
        name: package.name.clone(),
        version,
        dir: dir.to_path_buf(),
        targets,
    })
}

/// The folders a `members` entry names: a path, or a glob whose components may contain `*`,
/// `?` and `[..]` (cargo uses the `glob` crate's syntax).
fn glob_dirs(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let is_glob = |s: &str| s.contains(['*', '?', '[']);
    if !is_glob(pattern) {
        // A member named by path is one even when its manifest cannot be read (that is
        // reported); a glob only matches folders that hold a manifest.
        let dir = normalize(&root.join(pattern));
        return if dir.is_dir() { vec![dir] } else { Vec::new() };
    }
    // The literal folders before the first glob component, then match the rest level by level.
    let mut base = root.to_path_buf();
    let mut rest: Vec<&str> = Vec::new();
    for part in pattern.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if rest.is_empty() && !is_glob(part) {
            base = normalize(&base.join(part));
        } else {
            rest.push(part);
        }
    }
    let Ok(matcher) = globset::GlobBuilder::new(&rest.join("/"))
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
    else {
        return Vec::new();
    };
    let depth = if rest.contains(&"**") {
        usize::MAX
    } else {
        rest.len()
    };
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&base)
        .min_depth(1)
        .max_depth(depth)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.file_type().is_dir() && e.file_name() != "target" && e.file_name() != ".git"
        })
        .flatten()
    {
        let Ok(relative) = entry.path().strip_prefix(&base) else {
            continue;
        };
        if matcher.is_match(relative) && is_manifest_dir(entry.path()) {
            out.push(entry.path().to_path_buf());
        }
    }
    out
}

fn is_manifest_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join("Cargo.toml")).is_ok()
}

/// Whether a folder's `Cargo.toml` has a `[workspace]` table of its own (a nested workspace).
pub(crate) fn is_workspace_root(dir: &Path) -> bool {
    let manifest = dir.join("Cargo.toml");
    if !std::fs::symlink_metadata(&manifest).is_ok_and(|m| m.is_file()) {
        return false;
    }
    read(&manifest).is_ok_and(|m| m.workspace.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const PKG: &str = "[package]\nname = \"NAME\"\nversion = \"0.1.0\"\n";

    fn pkg(name: &str) -> String {
        PKG.replace("NAME", name)
    }

    #[test]
    fn members_globs_exclude_and_outside_members() {
        let (a, b, c, x) = (pkg("a"), pkg("b"), pkg("c"), pkg("x"));
        let dir = tree(&[
            (
                "ws/Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\", \"../outside\"]\nexclude = [\"crates/c\"]\ndefault-members = [\"crates/nope\"]\n",
            ),
            ("ws/crates/a/Cargo.toml", &a),
            ("ws/crates/b/Cargo.toml", &b),
            ("ws/crates/c/Cargo.toml", &c),
            ("ws/crates/empty/README.md", ""),
            ("outside/Cargo.toml", &x),
        ]);
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let found = membership(&root.join("ws/Cargo.toml"));
        let names: Vec<_> = found
            .members
            .iter()
            .map(|m| m.name.clone().unwrap())
            .collect();
        // By folder: `outside` sorts before `ws`.
        assert_eq!(names, ["x", "a", "b"]);
        assert_eq!(found.excluded, [root.join("ws/crates/c")]);
        assert_eq!(found.root, root.join("ws"));
        assert!(
            found.problems[0].contains("crates/nope"),
            "{:?}",
            found.problems
        );
    }

    #[test]
    fn a_member_finds_its_workspace_and_a_lone_package_is_its_own() {
        let a = pkg("a");
        let dir = tree(&[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"a\"]\n[workspace.package]\nversion = \"2.0.0\"\n",
            ),
            (
                "a/Cargo.toml",
                &a.replace("version = \"0.1.0\"", "version.workspace = true"),
            ),
            ("lone/Cargo.toml", &pkg("lone")),
        ]);
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let found = membership(&root.join("a/Cargo.toml"));
        assert_eq!(found.root, root);
        assert_eq!(found.members[0].version.as_deref(), Some("2.0.0"));
        // Not listed in the workspace above it: a package of its own.
        let lone = membership(&root.join("lone/Cargo.toml"));
        assert_eq!(lone.root, root.join("lone"));
        assert_eq!(lone.members.len(), 1);
    }
}
