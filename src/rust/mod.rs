//! The Rust front-end: parse every file of a crate, index the crate, follow `ClientConfig`
//! values through its functions, and lower the clients it creates into the model's sites
//! ([`lower`]). Everything but [`load`], [`analyze_sources`] (for the fuzz target) and the lexer
//! stays inside this folder.

pub(crate) mod bind;
pub(crate) mod config;
mod creators;
pub(crate) mod eval;
pub(crate) mod flow;
pub(crate) mod index;
pub mod lex;
pub mod load;
mod lower;
pub mod parse;
pub(crate) mod scope;
pub(crate) mod types;

use crate::source::FileId;

pub(crate) use bind::EnvRef;
pub(crate) use config::{KeyState, Loc, Unseen};
pub(crate) use flow::Construction;
pub(crate) use types::ClientKind;

pub use load::{Load, load};

/// The name of a file's module, for resolving paths: `helpers` for `src/helpers.rs` and
/// `src/helpers/mod.rs`; `None` for a crate root.
pub(crate) type ModuleOf<'m> = &'m (dyn Fn(FileId) -> Option<String> + Sync);

/// What every file of a crate tells the analysis, parsed or not (from the facts of
/// [`scope`]), so that the prefilter changes nothing.
#[derive(Debug, Default)]
pub(crate) struct CrateWide {
    /// Some file loads settings from the environment.
    pub loads_env: bool,
    /// The structs, enums, unions and traits the crate defines.
    pub local_types: Vec<String>,
    /// How many functions taking `self` it defines, by name.
    pub method_counts: std::collections::HashMap<String, usize>,
    /// The file that first defines a struct field of each name.
    pub field_files: std::collections::HashMap<String, FileId>,
}

impl CrateWide {
    /// What every file of a crate (`sources`, with their facts) tells the analysis.
    fn new(sources: &[(FileId, &str)], lexed: &[scope::Facts]) -> Self {
        CrateWide {
            // Whether the crate loads settings from the environment, from the files that name an
            // env loader (no other file can): settings fields bind env keys only then.
            loads_env: (0..sources.len())
                .filter(|&n| lexed[n].env_loader)
                .any(|n| parse::parse(sources[n].1).is_ok_and(|p| index::file_loads_env(&p))),
            local_types: scope::Closure::local_types(lexed)
                .map(str::to_owned)
                .collect(),
            method_counts: scope::Closure::method_counts(lexed),
            field_files: scope::Closure::field_files(lexed)
                .into_iter()
                .map(|(name, n)| (name, sources[n].0))
                .collect(),
        }
    }

    fn apply(&self, index: &mut index::CrateIndex<'_>) {
        index.loads_env |= self.loads_env;
        index.local_types.extend(self.local_types.iter().cloned());
        index.method_counts.clone_from(&self.method_counts);
        index.field_files.clone_from(&self.field_files);
    }
}

/// Analyses the parsed files of one crate together (`memo`: the scans of the prefilter's
/// rounds, if any).
pub(crate) fn analyze_crate(
    files: &[(FileId, parse::Parsed)],
    module_of: ModuleOf<'_>,
    wide: &CrateWide,
    memo: &mut creators::ScanMemo<'_>,
) -> Vec<Construction> {
    let mut index = index::CrateIndex::new(files, module_of);
    wide.apply(&mut index);
    let mut flow = flow::Flow::new(&index, memo);
    flow.run();
    flow.constructions
}

/// What puts a crate in the scope of the analysis: a file that names `rdkafka` (every path
/// to rdkafka's `ClientConfig` and client types does, and type resolution requires it), or a
/// `kafka-lint:` comment. Other crates cannot create an rdkafka client and are not parsed.
const SCOPE_WORDS: [&str; 2] = ["rdkafka", "kafka-lint:"];

/// Whether a file's bytes put its crate in scope (one pass, SIMD-accelerated).
pub fn in_scope(bytes: &[u8]) -> bool {
    static MATCHER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    MATCHER
        .get_or_init(|| aho_corasick::AhoCorasick::new(SCOPE_WORDS).ok())
        .as_ref()
        .is_none_or(|m| m.is_match(bytes))
}

/// What the analysis of one crate found.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CrateFacts {
    pub(crate) constructions: Vec<Construction>,
    pub failures: Vec<(FileId, parse::ParseFailure)>,
    /// Statement and item ranges of each parsed file with a suppression comment.
    pub statements: Vec<(FileId, Vec<std::ops::Range<usize>>)>,
    /// The files parsed: everything else points into them or into `failures`.
    pub parsed: Vec<FileId>,
    /// What the prefilter's closure was computed from (`None` without the prefilter).
    pub(crate) settled: Option<scope::Settled>,
}

impl CrateFacts {
    /// Lowers the clients the crate creates into the model's sites (`package`: the crate's
    /// folder), leaving the failures and statement ranges.
    pub fn take_sites(&mut self, package: &std::path::Path) -> Vec<crate::model::ClientSite> {
        std::mem::take(&mut self.constructions)
            .into_iter()
            .map(|c| lower::site(c, package))
            .collect()
    }
}

/// Parses and analyses the files of one crate, given as `(file, text)`, all as the crate root
/// (the fuzz target's form).
pub fn analyze_sources(sources: &[(FileId, &str)]) -> CrateFacts {
    analyze_modules(sources, &|_| None, true)
}

/// Parses a file (`live`: of a crate whose closure of readable bodies is known, with the
/// file's facts and index; `only`: the part of the file the analysis reads, when it does not
/// read it whole). Bodies and items the analysis cannot read are not parsed at all; should
/// blanking them ever break the file, it is parsed as it is.
fn parse_blanked(
    live: Option<(&scope::Live, &scope::Facts, usize)>,
    only: Option<&scope::Partial>,
    text: &str,
) -> Result<parse::Parsed, parse::ParseFailure> {
    let blanked = live.and_then(|(live, facts, n)| live.blank((facts, n), text, only));
    match blanked.as_deref().map(parse::parse) {
        Some(Ok(p)) => Ok(p),
        _ => parse::parse(text),
    }
}

/// Parses and analyses the files of one crate, each in its module: with `prefilter`, only the
/// files the analysis needs (see [`scope`]), else all of them.
pub(crate) fn analyze_modules(
    sources: &[(FileId, &str)],
    module_of: ModuleOf<'_>,
    prefilter: bool,
) -> CrateFacts {
    use rayon::prelude::*;
    let mut facts = CrateFacts::default();
    let mut parsed: Vec<(FileId, parse::Parsed)> = Vec::new();
    let lexed: Vec<scope::Facts> = sources
        .par_iter()
        .map(|(_, text)| scope::facts(text))
        .collect();
    let wide = CrateWide::new(sources, &lexed);
    // With the prefilter, the bodies the analysis cannot read are not parsed (a file with a
    // suppression comment keeps them: its statements scope it).
    let live = prefilter.then(|| scope::Live::new(&lexed, &wide.method_counts));
    // `only`: parse this part of the file alone (see `scope::Live::blank`).
    let parse_into = |n: usize,
                      only: Option<&scope::Partial>,
                      parsed: &mut Vec<(FileId, parse::Parsed)>,
                      facts: &mut CrateFacts| {
        let (file, text) = sources[n];
        let usable = live
            .as_ref()
            .filter(|_| !crate::suppress::mentioned(text.as_bytes()));
        match parse_blanked(usable.map(|live| (live, &lexed[n], n)), only, text) {
            Ok(mut p) => {
                if let Some(live) = usable {
                    p.prune(text, &|name, body, header| {
                        live.keeps((&lexed[n], n), name, body, header)
                    });
                }
                parsed.push((file, p));
            }
            Err(failure) => facts.failures.push((file, failure)),
        }
    };
    let position: std::collections::HashMap<FileId, usize> = sources
        .iter()
        .enumerate()
        .map(|(n, (file, _))| (*file, n))
        .collect();
    let mentions = |file: FileId, name: &str| {
        position
            .get(&file)
            .is_none_or(|&n| lexed[n].words.iter().any(|w| w == name))
    };
    let mut memo = creators::ScanMemo::new(&mentions);
    if prefilter {
        let mut closure = scope::Closure::new(&lexed, wide.loads_env);
        // How each file was parsed: `Some(None)` whole, `Some(Some(part))` in part. A file
        // whose reading grows is parsed again.
        let mut done: Vec<Option<Option<scope::Partial>>> = vec![None; sources.len()];
        loop {
            for n in 0..sources.len() {
                if !closure.needed(n) {
                    continue;
                }
                let only = closure.partial(n);
                if done[n].as_ref() == Some(&only) {
                    continue;
                }
                let file = sources[n].0;
                if done[n].replace(only.clone()).is_some() {
                    if facts.failures.iter().any(|(f, _)| *f == file) {
                        continue;
                    }
                    parsed.retain(|(f, _)| *f != file);
                    memo.forget(file);
                }
                parse_into(n, only.as_ref(), &mut parsed, &mut facts);
            }
            parsed.sort_by_key(|(file, _)| *file);
            let mut index = index::CrateIndex::new(&parsed, module_of);
            wide.apply(&mut index);
            let mut known = flow::known(&index, &mut memo);
            // Units are indexes into `parsed`; the closure counts in `sources`.
            known.creating = known
                .creating
                .iter()
                .filter_map(|&u| {
                    let file = parsed.get(u)?.0;
                    sources.iter().position(|(f, _)| *f == file)
                })
                .collect();
            if !closure.grow(&known) {
                break;
            }
        }
        facts.failures.sort_by_key(|(file, _)| *file);
        facts.settled = Some(closure.settled());
    } else {
        for n in 0..sources.len() {
            parse_into(n, None, &mut parsed, &mut facts);
        }
    }
    facts.parsed = parsed.iter().map(|(file, _)| *file).collect();
    // Statement ranges scope suppression comments: only a file with one needs them.
    let text_of = |file: FileId| sources.iter().find(|(f, _)| *f == file).map(|(_, t)| *t);
    facts.statements = parsed
        .iter()
        .filter(|(file, _)| {
            text_of(*file).is_some_and(|t| crate::suppress::mentioned(t.as_bytes()))
        })
        .map(|(file, p)| (*file, p.statement_ranges()))
        .collect();
    facts.constructions = analyze_crate(&parsed, module_of, &wide, &mut memo);
    drop(parsed);
    // proc-macro2 keeps every parsed file's source map for the life of the thread; nothing
    // holds a span any more (constructions keep byte offsets), so release them.
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}
