//! How files are named in each format. Compilers print paths relative to the current folder,
//! so that an editor or a terminal opens them: `human` and `short` do the same. Machine formats
//! are read where the repository is checked out (GitHub annotations, code scanning): `json`,
//! `github` and `sarif` name files relative to the repository root (the folder holding `.git`,
//! else the workspace root), so that they attach when the workspace lives in a subfolder.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use crate::source::SourceFile;
use crate::text::escape_control;

/// The folders file names are relative to.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    /// Human and short output are relative to this folder.
    pub cwd: PathBuf,
    /// Machine formats are relative to this folder.
    pub repository: PathBuf,
}

/// A file's name in a machine format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoPath {
    /// `/`-separated, relative to the repository root (absolute for a file outside it); not
    /// UTF-8 bytes are replaced by U+FFFD here.
    pub text: String,
    /// The exact bytes of `text` when the name is not UTF-8, so that it maps back to the file.
    pub bytes: Option<Vec<u8>>,
    /// Whether the file is inside the repository root.
    pub relative: bool,
}

impl Paths {
    /// Names relative to `root` (current folder and repository root alike) until [`lint`]
    /// (`crate::lint`) knows the current folder.
    pub fn new(root: &Path) -> Paths {
        Paths {
            cwd: root.to_path_buf(),
            repository: repository_root(root),
        }
    }

    /// The name printed by `human` and `short`: relative to the current folder (`../` where
    /// needed), with control characters escaped so that a file name cannot forge a line.
    pub fn for_terminal(&self, file: &SourceFile) -> String {
        if file.path.is_absolute() {
            self.path_for_terminal(&file.path)
        } else {
            escape_control(&file.name).into_owned()
        }
    }

    /// As [`Paths::for_terminal`], for a path of the run (absolute).
    pub fn path_for_terminal(&self, path: &Path) -> String {
        let shown = relative_to(path, &self.cwd).unwrap_or_else(|| path.to_path_buf());
        escape_control(&slashed(&shown)).into_owned()
    }

    /// The name in `json`, `github` and `sarif`.
    pub fn for_repository(&self, file: &SourceFile) -> RepoPath {
        let (path, relative) = match file.path.strip_prefix(&self.repository) {
            Ok(rel) if file.path.is_absolute() => (rel.to_path_buf(), true),
            _ if file.path.is_absolute() => (file.path.clone(), false),
            _ => (PathBuf::from(&file.name), true),
        };
        let text = slashed(&path);
        let bytes = path.to_str().is_none().then(|| raw_bytes(&path));
        RepoPath {
            text: if text.is_empty() {
                ".".into()
            } else {
                text.into_owned()
            },
            bytes,
            relative,
        }
    }
}

impl Paths {
    /// The names of a run started in `cwd` whose (first) workspace is `root`: machine formats
    /// relative to the repository holding `root`; outside a repository, to `cwd` when it
    /// holds `root`, else to `root`.
    pub fn for_run(cwd: &Path, root: &Path) -> Paths {
        let repository = git_root(root).unwrap_or_else(|| {
            if root.starts_with(cwd) {
                cwd.to_path_buf()
            } else {
                root.to_path_buf()
            }
        });
        Paths {
            cwd: cwd.to_path_buf(),
            repository,
        }
    }
}

/// The nearest folder at or above `dir` that holds `.git` (a folder, or a file in a worktree
/// or submodule), else `dir`.
pub fn repository_root(dir: &Path) -> PathBuf {
    git_root(dir).unwrap_or_else(|| dir.to_path_buf())
}

fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// `path` relative to `base`, with `..` where it leaves `base`; `None` when the two share
/// nothing but the file system root (an absolute path reads better then).
pub fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<Component<'_>> = path.components().collect();
    let base: Vec<Component<'_>> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let shares_a_folder = path[..common]
        .iter()
        .any(|c| matches!(c, Component::Normal(_)));
    if !shares_a_folder && common < base.len() {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for c in &path[common..] {
        out.push(c);
    }
    Some(if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    })
}

/// A path with `/` separators.
fn slashed(path: &Path) -> Cow<'_, str> {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text
    } else {
        Cow::Owned(text.replace(std::path::MAIN_SEPARATOR, "/"))
    }
}

#[cfg(unix)]
fn raw_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn raw_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let rel = |p: &str, b: &str| relative_to(Path::new(p), Path::new(b));
        assert_eq!(rel("/r/ws/.env", "/r/ws"), Some(".env".into()));
        assert_eq!(
            rel("/r/ws/.env", "/r/ws/services/orders"),
            Some("../../.env".into())
        );
        assert_eq!(rel("/r/ws", "/r/ws"), Some(".".into()));
        assert_eq!(rel("/tmp/x/.env", "/home/u"), None);
        assert_eq!(rel("/a/.env", "/"), Some("a/.env".into()));
    }
}
