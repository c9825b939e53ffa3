//! The cache of work a run can reuse: which Rust files name rdkafka, and what the analysis of
//! each crate found, so that a second run over an unchanged tree (a pre-commit hook, an editor
//! on save) reads directory entries and file metadata, not every file.
//!
//! Entries live outside the linted tree, under a folder marked with a `CACHEDIR.TAG` (backup
//! tools skip it): `--cache-dir`, `KAFKA_LINT_CACHE_DIR`, else the user's cache folder
//! (`$XDG_CACHE_HOME/cargo-kafka-lint`, `~/.cache/cargo-kafka-lint`). `--no-cache` reads and
//! writes none. Each linted root has its own subfolder.
//!
//! An entry is trusted only when everything it was computed from is unchanged:
//!
//! - it was written by this very build of the tool (the version, the executable's size and
//!   modification time), and in the same mode (`--no-prefilter`);
//! - for a file, its size, modification time (to the nanosecond) and inode are those the
//!   entry records; files modified less than two seconds before an entry was written are never
//!   recorded (their next change could keep the same time stamp);
//! - for a crate, the same holds for every one of its files, and the files its results point
//!   into still hash to what they hashed to when the analysis read them.
//!
//! A corrupt, truncated or foreign entry fails to parse or to match and is ignored (then
//! overwritten); the cache never changes what a run prints. Entries are written to a
//! temporary file and renamed into place, so that parallel runs never read half an entry.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

/// The contents of the `CACHEDIR.TAG` file (<https://bford.info/cachedir/>).
const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by cargo-kafka-lint.\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// Files modified this recently before an entry is written are not recorded in it.
const RACY: Duration = Duration::from_secs(2);

/// The cache folder of one linted root.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    build: u64,
    /// When this run started: files modified after `started - RACY` are not recorded.
    started: SystemTime,
}

/// The default cache folder: `$XDG_CACHE_HOME/cargo-kafka-lint`, else
/// `$HOME/.cache/cargo-kafka-lint`; `None` without either.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })?;
    Some(base.join("cargo-kafka-lint"))
}

/// A stable 64-bit hash (SipHash with fixed keys: the same on every run and machine).
pub(crate) fn hash_of(value: &impl Hash) -> u64 {
    #[allow(deprecated)] // SipHasher is the std hasher with fixed keys; stability is the point.
    let mut hasher = std::hash::SipHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The identity of this build: a cache written by another build is never read.
fn build_id() -> u64 {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
        .map(|m| (m.len(), mtime_nanos(&m)));
    hash_of(&(env!("CARGO_PKG_VERSION"), exe))
}

fn mtime_nanos(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// What identifies a file's contents without reading them: size, modification time, inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Stamp {
    len: u64,
    mtime: u128,
    ino: u64,
}

impl Stamp {
    /// The file's size in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The stamp of a file (not following a final symlink), `None` when it cannot be read.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let ino = 0;
        Some(Stamp {
            len: meta.len(),
            mtime: mtime_nanos(&meta),
            ino,
        })
    }
}

/// Which Rust files name rdkafka, by path, with the stamp each answer belongs to.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ScanEntries {
    build: u64,
    /// By path (as text: hashing a `Path` walks its components).
    files: HashMap<String, (Stamp, bool)>,
}

/// What the analysis of one crate found, and what it was computed from.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CrateEntry {
    pub build: u64,
    /// The mode and the paths of the crate's files.
    pub key: u64,
    /// The stamp of every file of the crate when it was analysed, in order.
    pub stamps: Vec<(PathBuf, Stamp)>,
    /// What the prefilter's closure was computed from, and each file's share of the
    /// crate-wide facts, by path: a changed file the closure did not need may leave the
    /// results as they are (see [`crate::rust::scope::Settled::keeps`]).
    pub settled: Option<crate::rust::scope::Settled>,
    pub shares: HashMap<PathBuf, u64>,
    /// The files the results point into (the ids in `facts` are indexes here), with the hash
    /// of the text the analysis read.
    pub files: Vec<(PathBuf, u64)>,
    /// [`crate::rust::CrateFacts`] as JSON, with file ids renumbered into `files`.
    pub facts: String,
    /// Files whose analysis panicked, by index into `files`, with the message.
    pub internal: Vec<(u32, String)>,
    /// Files of the crate that could not be read as text, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
}

impl Cache {
    /// The cache folder for `root` under `base`, created (with its `CACHEDIR.TAG`) when
    /// missing; `None` when it cannot be created (the run then caches nothing).
    pub fn open(base: &Path, root: &Path) -> Option<Cache> {
        std::fs::create_dir_all(base).ok()?;
        let tag = base.join("CACHEDIR.TAG");
        if !tag.exists() {
            write_atomic(&tag, TAG.as_bytes())?;
        }
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let dir = base.join(format!("{:016x}", hash_of(&root)));
        std::fs::create_dir_all(dir.join("crates")).ok()?;
        Some(Cache {
            dir,
            build: build_id(),
            started: SystemTime::now(),
        })
    }

    /// Whether a file with this stamp may be recorded (it was not modified just now).
    pub(crate) fn settled(&self, stamp: &Stamp) -> bool {
        let limit = self
            .started
            .checked_sub(RACY)
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        stamp.mtime < limit
    }

    fn read<T: for<'de> Deserialize<'de>>(&self, name: &Path) -> Option<T> {
        let bytes = crate::fs::read(&self.dir.join(name), 1 << 30).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn write(&self, name: &Path, value: &impl Serialize) {
        if let Ok(bytes) = serde_json::to_vec(value) {
            let _ = write_atomic(&self.dir.join(name), &bytes);
        }
    }

    /// The scan answers recorded by this build.
    pub(crate) fn scan(&self) -> HashMap<String, (Stamp, bool)> {
        self.read::<ScanEntries>(Path::new("scan.json"))
            .filter(|e| e.build == self.build)
            .map(|e| e.files)
            .unwrap_or_default()
    }

    pub(crate) fn put_scan(&self, files: HashMap<String, (Stamp, bool)>) {
        let files = files
            .into_iter()
            .filter(|(_, (s, _))| self.settled(s))
            .collect();
        self.write(
            Path::new("scan.json"),
            &ScanEntries {
                build: self.build,
                files,
            },
        );
    }

    fn crate_name(package: &Path) -> PathBuf {
        Path::new("crates").join(format!("{:016x}.json", hash_of(&package)))
    }

    /// The recorded analysis of the crate at `package`, when its key matches.
    pub(crate) fn crate_entry(&self, package: &Path, key: u64) -> Option<CrateEntry> {
        self.read::<CrateEntry>(&Self::crate_name(package))
            .filter(|e| e.build == self.build && e.key == key)
    }

    /// Records the analysis of the crate at `package` (`entry.build` is set here).
    pub(crate) fn put_crate(&self, package: &Path, entry: &mut CrateEntry) {
        entry.build = self.build;
        self.write(&Self::crate_name(package), entry);
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Option<()> {
    let dir = path.parent()?;
    let name = path.file_name()?.to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).ok()?;
    if std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return None;
    }
    Some(())
}
