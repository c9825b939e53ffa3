//! Errors that stop a run before any file is linted (exit code 2). Problems with single files
//! are diagnostics instead, and the run goes on.

use std::path::PathBuf;

/// A usage, configuration or workspace error.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("the path `{}` does not exist", .0.display())]
    #[diagnostic(
        code(usage),
        help("paths are files or folders to lint, relative to the current folder")
    )]
    PathNotFound(PathBuf),

    #[error("the manifest `{}` does not exist", .0.display())]
    #[diagnostic(code(usage), help("--manifest-path takes the path of a Cargo.toml"))]
    ManifestNotFound(PathBuf),

    #[error("the path `{}` is outside the workspace at `{}`", path.display(), root.display())]
    #[diagnostic(
        code(usage),
        help(
            "with --manifest-path, paths must be inside that workspace; leave it out to lint paths of any workspace or folder"
        )
    )]
    PathOutsideWorkspace { path: PathBuf, root: PathBuf },

    #[error(
        "`-p` and `--exclude` select members of one workspace, and the paths belong to several"
    )]
    #[diagnostic(
        code(usage),
        help("run once per workspace, or leave out `-p`/`--exclude`")
    )]
    PackagesOfSeveralWorkspaces,

    #[error("nothing to lint")]
    #[diagnostic(code(usage))]
    NothingToLint,

    #[error("package `{spec}` is not a member of the workspace")]
    #[diagnostic(code(usage), help("{}", hint.as_deref().unwrap_or("`-p` and `--exclude` take the names of workspace members")))]
    PackageNotFound { spec: String, hint: Option<String> },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<crate::config::ConfigError>),

    #[error("cannot start the worker threads: {0}")]
    #[diagnostic(code(io))]
    Threads(String),

    #[error("cannot read the current folder: {0}")]
    #[diagnostic(code(io))]
    CurrentDir(#[source] std::io::Error),
}
