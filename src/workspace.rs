//! What is being linted: a Cargo workspace (root from `cargo metadata --no-deps`) or a plain
//! folder (a Python or Node service has `.env.test` files too).

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The linted root and what to leave out of it.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// All reported paths are relative to this folder.
    pub root: PathBuf,
    /// Cargo's target directory, never walked.
    pub target_dir: Option<PathBuf>,
    /// The manifest `cargo metadata` read, for a Cargo workspace.
    pub manifest: Option<PathBuf>,
    /// The folder of each package; Rust files are analysed per package (crate). A plain
    /// folder is one package.
    pub packages: Vec<PathBuf>,
    /// Workspace members by name, for `-p/--package` and `--exclude`.
    pub members: Vec<(String, PathBuf)>,
    /// The folders of the selected members, when `-p` or `--exclude` selected some.
    pub selected: Option<Vec<PathBuf>>,
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
        }
    }
}

/// Finds the workspace from `--manifest-path`, else from the nearest `Cargo.toml` at or above
/// `cwd`; without one, the current folder is the root.
pub fn locate(manifest_path: Option<&Path>, cwd: &Path) -> Result<Workspace, Error> {
    let manifest = match manifest_path {
        Some(path) => {
            let path = cwd.join(path);
            if !path.exists() {
                return Err(Error::ManifestNotFound(path));
            }
            Some(path)
        }
        None => cwd
            .ancestors()
            .map(|dir| dir.join("Cargo.toml"))
            .find(|p| p.is_file()),
    };
    match manifest {
        Some(manifest) => cargo_workspace(manifest),
        None => Ok(Workspace::folder(cwd.to_path_buf())),
    }
}

/// Runs `cargo metadata --no-deps` (never without `--no-deps`: that resolves dependencies and
/// may use the network; `--offline` makes sure). It runs no build scripts and no project code.
fn cargo_workspace(manifest: PathBuf) -> Result<Workspace, Error> {
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(&manifest)
        .no_deps()
        .other_options(vec!["--offline".to_owned()])
        .exec()
        .map_err(|e| Error::CargoMetadata {
            manifest: manifest.clone(),
            message: cargo_message(e),
        })?;
    let mut members: Vec<(String, PathBuf)> = metadata
        .workspace_packages()
        .iter()
        .filter_map(|p| {
            Some((
                p.name.to_string(),
                p.manifest_path.parent()?.as_std_path().to_path_buf(),
            ))
        })
        .collect();
    members.sort_by(|a, b| a.1.cmp(&b.1));
    let packages = members.iter().map(|(_, dir)| dir.clone()).collect();
    Ok(Workspace {
        root: metadata.workspace_root.into_std_path_buf(),
        target_dir: Some(metadata.target_directory.into_std_path_buf()),
        manifest: Some(manifest),
        packages,
        members,
        selected: None,
    })
}

fn cargo_message(error: cargo_metadata::Error) -> String {
    match error {
        cargo_metadata::Error::CargoMetadata { stderr } => stderr.trim().to_owned(),
        cargo_metadata::Error::Io(e) => {
            // cargo_metadata runs `$CARGO`, or `cargo` from the PATH.
            let cargo = std::env::var_os("CARGO").map_or_else(
                || "`cargo` (from the PATH)".to_owned(),
                |c| format!("`{}` (from $CARGO)", c.to_string_lossy()),
            );
            format!(
                "could not run {cargo}: {e}\n(install Rust with rustup, or set CARGO to the path \
                 of a cargo binary)"
            )
        }
        other => other.to_string(),
    }
}
