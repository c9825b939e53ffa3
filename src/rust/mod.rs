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

/// Analyses the parsed files of one crate together.
pub(crate) fn analyze_crate(
    files: &[(FileId, parse::Parsed)],
    module_of: ModuleOf<'_>,
) -> Vec<Construction> {
    let index = index::CrateIndex::new(files, module_of);
    let mut flow = flow::Flow::new(&index);
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
#[derive(Debug, Default)]
pub struct CrateFacts {
    pub(crate) constructions: Vec<Construction>,
    pub failures: Vec<(FileId, parse::ParseFailure)>,
    /// Statement and item ranges of each parsed file (for suppression comments).
    pub statements: Vec<(FileId, Vec<std::ops::Range<usize>>)>,
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
    analyze_modules(sources, &|_| None)
}

/// Parses and analyses the files of one crate, each in its module.
pub(crate) fn analyze_modules(sources: &[(FileId, &str)], module_of: ModuleOf<'_>) -> CrateFacts {
    let mut parsed = Vec::new();
    let mut facts = CrateFacts::default();
    for (file, text) in sources {
        match parse::parse(text) {
            Ok(p) => parsed.push((*file, p)),
            Err(failure) => facts.failures.push((*file, failure)),
        }
    }
    facts.statements = parsed
        .iter()
        .map(|(file, p)| (*file, p.statement_ranges()))
        .collect();
    facts.constructions = analyze_crate(&parsed, module_of);
    drop(parsed);
    // proc-macro2 keeps every parsed file's source map for the life of the thread; nothing
    // holds a span any more (constructions keep byte offsets), so release them.
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}
