//! Loading the Rust side of a run into the model, crate by crate. First the bytes of every
//! file are scanned for `rdkafka` (in parallel, each file dropped at once, so memory does not
//! grow with the tree): the analysis covers the crates that use rdkafka. Their files are then
//! read as text and added to the model, and the crates are parsed and analysed in parallel,
//! each on one thread (proc-macro2 keeps span information per thread), the largest first (by
//! the bytes of their files) so that the longest analysis does not start last. A panic in a crate's
//! analysis is bisected down to the files that panic alone, which become `internal-error`s,
//! and the crate is analysed again without them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::cache::{Cache, CrateEntry, Stamp};
use crate::fs;
use crate::model::{InternalError, Model, ParseFailure};
use crate::source::{FileId, display_name, renumber};

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
    /// Where work of earlier runs is kept (`None`: `--no-cache`).
    pub cache: Option<&'a Cache>,
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

/// Files with their stamps (when they could be taken).
type Stamped = Vec<(PathBuf, Option<Stamp>)>;

/// What the scan of one crate found.
struct Scanned {
    package: PathBuf,
    /// Some file of the crate mentions rdkafka (or speaks to this tool).
    in_scope: bool,
    /// Its readable files, with their stamps (when they could be taken).
    paths: Vec<(PathBuf, Option<Stamp>)>,
    /// Files that could not be read, with the reason.
    unreadable: Vec<(PathBuf, String)>,
    /// The size of its readable files, in bytes: what its analysis roughly costs.
    bytes: u64,
}

/// What the analysis of one crate produced, before it joins the model: the files its results
/// point into (with their text), and the results with ids numbered into that list.
struct Analysed {
    files: Vec<(PathBuf, String)>,
    entry: CrateEntry,
}

/// The Rust side, crate by crate (see the module documentation).
fn analyze_rust(model: &mut Model, load: &Load<'_>, groups: &[(PathBuf, Vec<PathBuf>)]) {
    use rayon::prelude::*;
    let root = load.root;
    let scanned = scan(load, groups);
    if load.no_prefilter {
        parse_out_of_scope(&scanned);
    }
    let mut crates: Vec<(PathBuf, Stamped, u64)> = Vec::new();
    let mut sizes: Vec<u64> = Vec::new();
    for crate_ in scanned {
        model.rust_files += crate_.paths.len() + crate_.unreadable.len();
        for (path, reason) in crate_.unreadable {
            model.add_unreadable(display_name(root, &path), path, reason, false);
        }
        if !crate_.in_scope {
            continue;
        }
        let key = crate::cache::hash_of(&(
            load.no_prefilter,
            crate_.paths.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        ));
        crates.push((crate_.package, crate_.paths, key));
        sizes.push(crate_.bytes);
    }
    // Crates the cache knows are not analysed; the others are, in parallel, each on one
    // thread (proc-macro2 keeps span information per thread).
    let hits: Vec<Option<CrateEntry>> = crates
        .par_iter()
        .map(|(package, paths, key)| {
            let entry = load.cache?.crate_entry(package, *key)?;
            still_valid(entry, paths)
        })
        .collect();
    // Largest first, one crate per task: the big crate that takes longest starts at once,
    // and the other threads share the rest meanwhile. Results keep the crates' order.
    let mut order: Vec<usize> = (0..crates.len()).collect();
    order.sort_by_key(|&n| std::cmp::Reverse(sizes[n]));
    let mut analysed: Vec<Option<Analysed>> = (0..crates.len()).map(|_| None).collect();
    let done: Vec<(usize, Option<Analysed>)> = order
        .par_iter()
        .with_max_len(1)
        .map(|&n| {
            let fresh = hits[n].is_none().then(|| analyze_files(load, &crates[n].1));
            (n, fresh)
        })
        .collect();
    for (n, fresh) in done {
        analysed[n] = fresh;
    }
    for (((package, paths, key), hit), fresh) in crates.into_iter().zip(hits).zip(analysed) {
        // The ids the crate's files get in the model, in order.
        let next = u32::try_from(model.files.len()).unwrap_or(u32::MAX);
        let cached = hit
            .and_then(|entry| reread(entry, &paths))
            .and_then(|done| Some((resolve(&done.entry, next)?, done)));
        let from_cache = cached.is_some();
        // Not in the cache, or its files changed since it was written: analysed.
        let (facts, mut done) = cached.unwrap_or_else(|| {
            let mut done = fresh.unwrap_or_else(|| analyze_files(load, &paths));
            let facts = resolve(&done.entry, next).unwrap_or_else(|| {
                // Cannot happen (the results were just written): say so, never drop them.
                if let Some(k) = (!done.files.is_empty()).then_some(0) {
                    done.entry
                        .internal
                        .push((k, "the analysis' results could not be read back".into()));
                }
                CrateFacts::default()
            });
            (facts, done)
        });
        let settled = |(_, s): &(PathBuf, Option<Stamp>)| {
            s.is_some_and(|s| load.cache.is_some_and(|c| c.settled(&s)))
        };
        let restamped = from_cache && done.entry.stamps.is_empty();
        if let Some(cache) = load.cache {
            if (!from_cache || restamped) && paths.iter().all(settled) {
                done.entry.key = key;
                done.entry.stamps = paths
                    .iter()
                    .filter_map(|(p, s)| Some((p.clone(), (*s)?)))
                    .collect();
                cache.put_crate(&package, &mut done.entry);
            }
        }
        attach(model, root, &package, done, facts);
    }
}

/// A crate's results with the ids its files get in the model (`next` onwards, in order).
fn resolve(entry: &CrateEntry, next: u32) -> Option<CrateFacts> {
    let count = u32::try_from(entry.files.len()).ok()?;
    let map = (0..count).map(|k| (k, next.saturating_add(k))).collect();
    renumber::with(map, || serde_json::from_str(&entry.facts).ok())
}

/// What the scan saw of a file: whether it names rdkafka, and its size in bytes.
type Seen = (bool, u64);

/// Which crates mention rdkafka: every file's bytes are scanned (in parallel, one by one: a
/// few huge crates would pin one thread each), except those whose stamp the cache knows.
fn scan(load: &Load<'_>, groups: &[(PathBuf, Vec<PathBuf>)]) -> Vec<Scanned> {
    use rayon::prelude::*;
    let cached = load.cache.map(Cache::scan).unwrap_or_default();
    let files: Vec<(usize, &PathBuf)> = groups
        .iter()
        .enumerate()
        .flat_map(|(n, (_, paths))| paths.iter().map(move |p| (n, p)))
        .collect();
    let results: Vec<(Option<Stamp>, Result<Seen, fs::ReadError>)> = files
        .par_iter()
        .map(|(_, path)| {
            let stamp = load.cache.and_then(|_| Stamp::of(path));
            let known = path.to_str().and_then(|p| cached.get(p));
            if let (Some(stamp), Some((seen, found))) = (stamp, known) {
                if stamp == *seen {
                    return (Some(stamp), Ok((*found, stamp.len())));
                }
            }
            let found = fs::read(path, fs::MAX_SOURCE_BYTES)
                .map(|bytes| (in_scope(&bytes), bytes.len() as u64));
            (stamp, found)
        })
        .collect();
    let mut scanned: Vec<Scanned> = groups
        .iter()
        .map(|(package, _)| Scanned {
            package: package.clone(),
            in_scope: false,
            paths: Vec::new(),
            unreadable: Vec::new(),
            bytes: 0,
        })
        .collect();
    let mut answers = HashMap::new();
    let mut changed = false;
    for ((n, path), (stamp, result)) in files.into_iter().zip(results) {
        let group = &mut scanned[n];
        match result {
            Ok((found, bytes)) => {
                group.in_scope |= found;
                group.bytes += bytes;
                group.paths.push((path.clone(), stamp));
                if let (Some(stamp), Some(name)) = (stamp, path.to_str()) {
                    changed |= cached.get(name) != Some(&(stamp, found));
                    answers.insert(name.to_owned(), (stamp, found));
                }
            }
            Err(e) => group.unreadable.push((path.clone(), e.to_string())),
        }
    }
    if let Some(cache) = load.cache {
        if changed || answers.len() != cached.len() {
            cache.put_scan(answers);
        }
    }
    scanned
}

/// A crate's cached entry, when it still holds: every file has the stamp it had then, or
/// each file whose stamp changed was one the analysis did not need and, read again, still
/// adds nothing to it ([`super::scope::Settled::keeps`]). A kept entry's stamps are cleared,
/// so that it is written again with the new ones.
fn still_valid(mut entry: CrateEntry, paths: &[(PathBuf, Option<Stamp>)]) -> Option<CrateEntry> {
    if entry.stamps.len() != paths.len() {
        return None;
    }
    let changed: Vec<&PathBuf> = paths
        .iter()
        .zip(&entry.stamps)
        .filter(|((path, stamp), (was, then))| path != was || *stamp != Some(*then))
        .map(|((path, _), _)| path)
        .collect();
    if changed.is_empty() {
        return Some(entry);
    }
    let settled = entry.settled.as_ref()?;
    let keeps = changed.iter().all(|path| {
        !entry.files.iter().any(|(needed, _)| needed == *path)
            && !entry.unreadable.iter().any(|(bad, _)| bad == *path)
            && fs::read_text(path, fs::MAX_SOURCE_BYTES).is_ok_and(|text| {
                settled.keeps(
                    entry.shares.get(*path).copied(),
                    &super::scope::facts(&text),
                )
            })
    });
    keeps.then(|| {
        entry.stamps.clear();
        entry
    })
}

/// Reads, parses and analyses the files of one crate (see [`super::analyze_modules`]),
/// keeping the texts of the files its results point into.
fn analyze_files(load: &Load<'_>, paths: &[(PathBuf, Option<Stamp>)]) -> Analysed {
    let mut texts: Vec<(PathBuf, String)> = Vec::new();
    let mut unreadable = Vec::new();
    for (path, _) in paths {
        match fs::read_text(path, fs::MAX_SOURCE_BYTES) {
            Ok(text) => texts.push((path.clone(), text)),
            Err(e) => unreadable.push((path.clone(), e.clone())),
        }
    }
    let local = |n: usize| FileId(u32::try_from(n).unwrap_or(u32::MAX));
    let path_of = |id: FileId| texts.get(id.0 as usize).map(|(p, _)| p.as_path());
    let sources: Vec<(FileId, &str)> = texts
        .iter()
        .enumerate()
        .map(|(n, (_, text))| (local(n), text.as_str()))
        .collect();
    let panics_on = |id: FileId| path_of(id).is_some_and(|p| (load.panics_on)(p));
    let module_of = |id: FileId| path_of(id).and_then(module_name);
    let (mut facts, internal) =
        analyze_guarded(&sources, &panics_on, &module_of, !load.no_prefilter);
    let mut settled = facts.settled.take();
    let shares = settled
        .as_mut()
        .map(|s| std::mem::take(&mut s.shares))
        .unwrap_or_default();
    let shares = texts.iter().map(|(p, _)| p.clone()).zip(shares).collect();
    drop(sources);
    // The files the results point into: those parsed (or refused), and those that panicked.
    let used: BTreeSet<u32> = facts
        .parsed
        .iter()
        .map(|f| f.0)
        .chain(facts.failures.iter().map(|(f, _)| f.0))
        .chain(internal.iter().map(|e| e.file.0))
        .collect();
    let order: Vec<u32> = used.into_iter().collect();
    let map: HashMap<u32, u32> = order
        .iter()
        .enumerate()
        .map(|(k, id)| (*id, u32::try_from(k).unwrap_or(u32::MAX)))
        .collect();
    let internal = internal
        .into_iter()
        .map(|e| (map.get(&e.file.0).copied().unwrap_or(u32::MAX), e.message))
        .collect();
    let value = renumber::with(map, || serde_json::to_string(&facts)).unwrap_or_default();
    let mut texts: Vec<Option<(PathBuf, String)>> = texts.into_iter().map(Some).collect();
    let files: Vec<(PathBuf, String)> = order
        .iter()
        .filter_map(|id| texts.get_mut(*id as usize).and_then(Option::take))
        .collect();
    let entry = CrateEntry {
        build: 0,
        key: 0,
        stamps: Vec::new(),
        settled,
        shares,
        files: files
            .iter()
            .map(|(p, t)| (p.clone(), crate::cache::hash_of(t)))
            .collect(),
        facts: value,
        internal,
        unreadable,
    };
    Analysed { files, entry }
}

/// The texts of a cached crate's files, when each is still one of the crate's `paths` and
/// hashes as it did.
fn reread(entry: CrateEntry, paths: &Stamped) -> Option<Analysed> {
    let mut files = Vec::new();
    let inside: std::collections::HashSet<&Path> = paths.iter().map(|(p, _)| p.as_path()).collect();
    for (path, hash) in &entry.files {
        // Only files of the crate as walked now: an entry never makes the run read elsewhere.
        if !inside.contains(path.as_path()) {
            return None;
        }
        let text = fs::read_text(path, fs::MAX_SOURCE_BYTES).ok()?;
        if crate::cache::hash_of(&text) != *hash {
            return None;
        }
        files.push((path.clone(), text));
    }
    if entry
        .internal
        .iter()
        .any(|(k, _)| *k as usize >= files.len())
    {
        return None;
    }
    Some(Analysed { files, entry })
}

/// Adds a crate's files, sites, failures, statement ranges and suppressions to the model
/// (`facts` already names the files by the ids they get here).
fn attach(model: &mut Model, root: &Path, package: &Path, done: Analysed, mut facts: CrateFacts) {
    let ids: Vec<FileId> = done
        .files
        .into_iter()
        .map(|(path, text)| model.add_file(display_name(root, &path), path, text))
        .collect();
    for (path, reason) in done.entry.unreadable {
        model.add_unreadable(display_name(root, &path), path, reason, false);
    }
    model
        .internal_errors
        .extend(done.entry.internal.into_iter().filter_map(|(k, message)| {
            Some(InternalError {
                file: *ids.get(k as usize)?,
                message,
            })
        }));
    for site in facts.take_sites(package) {
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
        // Most files have no suppression comment to look for.
        let text = &model.files.get(id).text;
        if crate::suppress::mentioned(text.as_bytes()) {
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
        .flat_map(|c| c.paths.iter().map(|(p, _)| p))
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
    prefilter: bool,
) -> (CrateFacts, Vec<InternalError>) {
    let attempt = |sources: &[(FileId, &str)]| {
        let result = crate::guard::catch(|| {
            assert!(
                !sources.iter().any(|(id, _)| panics_on(*id)),
                "--debug-panic-on matched this file"
            );
            analyze_modules(sources, module_of, prefilter)
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
