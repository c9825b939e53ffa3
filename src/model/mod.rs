//! The facts rules and renderers read, and nothing else: every file of the run, the facts of
//! each env file, every Kafka client as a [`ClientSite`] (from env files and from code, in one
//! language-neutral shape), the join of env files and code ([`Links`]), and what could not be
//! read or checked. Front-ends (`crate::env`, `crate::rust`) fill it; their working types stay
//! private to them.
//!
//! The model is built once from parsed files; rules only read it and never touch the disk.

pub mod env;
pub mod link;
pub mod site;
pub mod suppression;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::source::{FileId, Files, SourceFile};

pub use env::EnvFile;
pub use link::{Bound, Known, Links, Source, Valuation};
pub use site::{
    ClientSite, EnvBinding, Library, Origin, Protocol, Role, SiteSetting, Span, State, Unseen,
    Written,
};
pub use suppression::Suppression;

/// Everything a run knows.
#[derive(Debug, Default)]
pub struct Model {
    pub files: Files,
    pub env_files: Vec<EnvFile>,
    /// Every Kafka client: env groups first (in file order), then clients created in code.
    pub sites: Vec<ClientSite>,
    /// The join of env files and code (see [`link::link`]).
    pub links: Links,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<Unreadable>,
    /// Things left out on purpose, for verbose output.
    pub notes: Vec<Note>,
    /// How many Rust files were read.
    pub rust_files: usize,
    /// Rust files that could not be parsed.
    pub parse_failures: Vec<ParseFailure>,
    /// `cargo metadata` failed and membership came from the manifests.
    pub workspace_failures: Vec<WorkspaceFailure>,
    /// Files whose analysis panicked, with the panic message.
    pub internal_errors: Vec<InternalError>,
    /// The folder of every package (crate) of the run.
    pub packages: Vec<PathBuf>,
    /// Every `kafka-lint: allow(..)` comment (and every malformed one) of the files read.
    pub suppressions: Vec<Suppression>,
    /// Statement and item ranges of each parsed Rust file (a suppression before a statement
    /// covers it).
    pub statements: HashMap<FileId, Vec<Range<usize>>>,
}

/// The workspace whose membership came from its manifests, because cargo could not tell.
#[derive(Debug, Clone)]
pub struct WorkspaceFailure {
    /// The workspace root manifest.
    pub file: FileId,
    /// What cargo said (or why it could not be run), and what the manifests could not say.
    pub cargo_said: String,
}

/// A file whose analysis panicked (a bug in this tool).
#[derive(Debug, Clone)]
pub struct InternalError {
    pub file: FileId,
    pub message: String,
}

/// A source file that could not be parsed, where parsing stopped and why.
#[derive(Debug, Clone)]
pub struct ParseFailure {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

/// A file that exists but could not be read as UTF-8 text, or a folder that could not be listed.
#[derive(Debug)]
pub struct Unreadable {
    pub file: FileId,
    pub reason: String,
    pub folder: bool,
}

/// Something the run chose not to lint, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The file or folder, absolute.
    pub path: PathBuf,
    pub message: String,
}

impl Model {
    /// Adds a file that could be read.
    pub fn add_file(&mut self, name: String, path: PathBuf, text: String) -> FileId {
        self.files.add(SourceFile::new(name, path, text))
    }

    /// Adds a file or folder that could not be read: an empty text (for the location) and why.
    pub fn add_unreadable(&mut self, name: String, path: PathBuf, reason: String, folder: bool) {
        let file = self.files.add(SourceFile::new(name, path, String::new()));
        self.unreadable.push(Unreadable {
            file,
            reason,
            folder,
        });
    }

    /// Reads a file into the model as UTF-8 text (never through a link, see [`crate::fs`]), or
    /// records why it cannot be read.
    pub fn read_file(&mut self, name: String, path: PathBuf) -> Option<FileId> {
        match crate::fs::read_text(&path, crate::fs::MAX_SOURCE_BYTES) {
            Ok(text) => Some(self.add_file(name, path, text)),
            Err(reason) => {
                self.add_unreadable(name, path, reason, false);
                None
            }
        }
    }

    /// The env files that apply to a site (code sites only), in file order.
    pub fn env_files_for(&self, site: usize) -> impl Iterator<Item = &EnvFile> {
        self.links
            .env_files
            .get(site)
            .into_iter()
            .flatten()
            .map(|i| &self.env_files[*i])
    }

    /// The sites of clients created in code with `library`, with their indices.
    pub fn code_sites(&self, library: Library) -> impl Iterator<Item = (usize, &ClientSite)> {
        self.sites
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.is_code_of(library))
    }

    /// Every key that a client created in code with `library` sets, with the key's setting
    /// and what is written for it.
    pub fn written_settings(
        &self,
        library: Library,
    ) -> impl Iterator<Item = (&SiteSetting, &Written)> {
        self.code_sites(library).flat_map(|(_, site)| {
            site.settings
                .iter()
                .filter_map(|setting| match &setting.state {
                    State::Set(written) => Some((setting, written)),
                    _ => None,
                })
        })
    }

    /// The env sites (prefix groups of env files), with their indices.
    pub fn env_sites(&self) -> impl Iterator<Item = (usize, &ClientSite)> {
        self.sites
            .iter()
            .enumerate()
            .filter(|(_, s)| matches!(s.origin, Origin::Env { .. }))
    }
}
