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
mod parts;
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
/// files the analysis needs (see [`scope`]), and each independent part of the crate (see
/// [`parts`]) on its own, the parts in parallel; else all files, as one part.
pub(crate) fn analyze_modules(
    sources: &[(FileId, &str)],
    module_of: ModuleOf<'_>,
    prefilter: bool,
) -> CrateFacts {
    use rayon::prelude::*;
    let lexed: Vec<scope::Facts> = sources
        .par_iter()
        .map(|(_, text)| scope::facts(text))
        .collect();
    let wide = CrateWide::new(sources, &lexed);
    let position: std::collections::HashMap<FileId, usize> = sources
        .iter()
        .enumerate()
        .map(|(n, (file, _))| (*file, n))
        .collect();
    let mut whole = Whole {
        sources,
        lexed: &lexed,
        wide: &wide,
        module_of,
        position: &position,
        live: None,
    };
    if !prefilter {
        let all: Vec<usize> = (0..sources.len()).collect();
        return whole.analyze(&all, false).0;
    }
    // The bodies the analysis cannot read are not parsed (a file with a suppression comment
    // keeps them: its statements scope it).
    let live = scope::Live::new(&lexed, &wide.method_counts);
    whole.live = Some(&live);
    // Each part on one thread from parsing to dropping its trees (proc-macro2 keeps spans
    // per thread); a panic in one is that of the crate.
    let done: Vec<Result<(CrateFacts, scope::Reach), String>> = parts::parts(&lexed, &live)
        .par_iter()
        .map(|members| crate::guard::catch(|| whole.analyze(members, true)))
        .collect();
    let mut facts = CrateFacts::default();
    let mut reaches = Vec::new();
    for part in done {
        let (part, reach) =
            part.unwrap_or_else(|message| std::panic::resume_unwind(Box::new(message)));
        facts.constructions.extend(part.constructions);
        facts.failures.extend(part.failures);
        facts.statements.extend(part.statements);
        facts.parsed.extend(part.parsed);
        reaches.push(reach);
    }
    // As one part would have them (each part's are in this order; a file is in one part).
    facts
        .constructions
        .sort_by_key(|c| (c.loc.file, c.loc.span.start));
    facts.failures.sort_by_key(|(file, _)| *file);
    facts.statements.sort_by_key(|(file, _)| *file);
    facts.parsed.sort_unstable();
    facts.settled = Some(scope::Settled::new(reaches, &lexed));
    facts
}

/// What every part of a crate reads: its files, their facts, what all its files tell the
/// analysis, and (with the prefilter) the bodies the analysis may read.
struct Whole<'s> {
    sources: &'s [(FileId, &'s str)],
    lexed: &'s [scope::Facts],
    wide: &'s CrateWide,
    module_of: ModuleOf<'s>,
    /// Each file's index in `sources`.
    position: &'s std::collections::HashMap<FileId, usize>,
    live: Option<&'s scope::Live>,
}

impl Whole<'_> {
    /// Parses and analyses the files `members` (indexes into `sources`, ascending): with
    /// `prefilter`, those the closure of needed files takes (and the closure's last reach).
    fn analyze(&self, members: &[usize], prefilter: bool) -> (CrateFacts, scope::Reach) {
        let (sources, lexed) = (self.sources, self.lexed);
        let mut facts = CrateFacts::default();
        let mut parsed: Vec<(FileId, parse::Parsed)> = Vec::new();
        // `only`: parse this part of the file alone (see `scope::Live::blank`).
        let parse_into = |n: usize,
                          only: Option<&scope::Partial>,
                          parsed: &mut Vec<(FileId, parse::Parsed)>,
                          facts: &mut CrateFacts| {
            let (file, text) = sources[n];
            let usable = self
                .live
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
        let mentions = |file: FileId, name: &str| {
            self.position
                .get(&file)
                .is_none_or(|&n| lexed[n].words.iter().any(|w| w == name))
        };
        let mut memo = creators::ScanMemo::new(&mentions);
        let mut reach = scope::Reach::default();
        if prefilter {
            let mut closure = scope::Closure::new(
                members.iter().map(|&n| &lexed[n]).collect(),
                self.wide.loads_env,
            );
            // How each file was parsed: `Some(None)` whole, `Some(Some(part))` in part. A file
            // whose reading grows is parsed again.
            let mut done: Vec<Option<Option<scope::Partial>>> = vec![None; members.len()];
            loop {
                for (k, &n) in members.iter().enumerate() {
                    if !closure.needed(k) {
                        continue;
                    }
                    let only = closure.partial(k);
                    if done[k].as_ref() == Some(&only) {
                        continue;
                    }
                    let file = sources[n].0;
                    if done[k].replace(only.clone()).is_some() {
                        if facts.failures.iter().any(|(f, _)| *f == file) {
                            continue;
                        }
                        parsed.retain(|(f, _)| *f != file);
                        memo.forget(file);
                    }
                    parse_into(n, only.as_ref(), &mut parsed, &mut facts);
                }
                parsed.sort_by_key(|(file, _)| *file);
                let mut index = index::CrateIndex::new(&parsed, self.module_of);
                self.wide.apply(&mut index);
                let mut known = flow::known(&index, &mut memo);
                // Units are indexes into `parsed`; the closure counts in `members`.
                known.creating = known
                    .creating
                    .iter()
                    .filter_map(|&u| {
                        let n = self.position.get(&parsed.get(u)?.0)?;
                        members.binary_search(n).ok()
                    })
                    .collect();
                if !closure.grow(&known) {
                    break;
                }
            }
            facts.failures.sort_by_key(|(file, _)| *file);
            reach = closure.reach();
        } else {
            for &n in members {
                parse_into(n, None, &mut parsed, &mut facts);
            }
        }
        facts.parsed = parsed.iter().map(|(file, _)| *file).collect();
        // Statement ranges scope suppression comments: only a file with one needs them.
        facts.statements = parsed
            .iter()
            .filter(|(file, _)| {
                self.position
                    .get(file)
                    .is_some_and(|&n| crate::suppress::mentioned(sources[n].1.as_bytes()))
            })
            .map(|(file, p)| (*file, p.statement_ranges()))
            .collect();
        facts.constructions = analyze_crate(&parsed, self.module_of, self.wide, &mut memo);
        drop(parsed);
        // proc-macro2 keeps every parsed file's source map for the life of the thread; nothing
        // holds a span any more (constructions keep byte offsets), so release them.
        proc_macro2::extra::invalidate_current_thread_spans();
        (facts, reach)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate in parts gives what the crate read whole gives: the same clients, in the same
    /// order, from the same helpers.
    #[test]
    fn parts_analysed_apart_find_what_the_whole_crate_finds() {
        let module = |name: &str, group: &str, extra: &str| {
            format!(
                "// “{name}” ✓\nuse rdkafka::config::ClientConfig;\n\
                 fn base(group: &str) -> ClientConfig {{\n    let mut c = ClientConfig::new();\n    \
                 c.set(\"group.id\", group);\n    c\n}}\n\
                 pub fn consumer() -> rdkafka::consumer::StreamConsumer {{\n    \
                 base(\"{group}\"){extra}.create().unwrap()\n}}\n\
                 pub fn second() -> rdkafka::consumer::StreamConsumer {{\n    \
                 base(\"{group}-2\").create().unwrap()\n}}\n"
            )
        };
        let texts = [
            module(
                "orders",
                "o",
                ".set(\"session.timeout.ms\", crate::limits::SESSION)",
            ),
            "pub const SESSION: &str = \"6000\";\n".to_owned(),
            module("payments", "p", ""),
            "pub fn base() -> u64 { 1 }\n".to_owned(),
        ];
        let mut files = crate::source::Files::default();
        let sources: Vec<(FileId, &str)> = texts
            .iter()
            .enumerate()
            .map(|(n, text)| {
                let name = format!("m{n}.rs");
                let id = files.add(crate::source::SourceFile::new(
                    name.clone(),
                    name.into(),
                    text.clone(),
                ));
                (id, texts[n].as_str())
            })
            .collect();
        let lexed: Vec<scope::Facts> = texts.iter().map(|t| scope::facts(t)).collect();
        let live = scope::Live::new(&lexed, &scope::Closure::method_counts(&lexed));
        assert_eq!(parts::parts(&lexed, &live), [vec![0, 1], vec![2]]);
        let modules = ["orders", "limits", "payments", "other"];
        let module_of = |id: FileId| {
            let n = sources.iter().position(|(f, _)| *f == id)?;
            Some(modules[n].to_owned())
        };
        let apart = analyze_modules(&sources, &module_of, true);
        let whole = analyze_modules(&sources, &module_of, false);
        // Everything but `root`, an address in the syntax tree of the run.
        let json = |facts: &CrateFacts| {
            let mut value = serde_json::to_value(&facts.constructions).unwrap_or_default();
            for c in value.as_array_mut().into_iter().flatten() {
                c.as_object_mut().map(|c| c.remove("root"));
            }
            value
        };
        assert_eq!(apart.constructions.len(), 4);
        assert_eq!(json(&apart), json(&whole));
        assert_eq!(apart.parsed, [sources[0].0, sources[1].0, sources[2].0]);
    }
}
