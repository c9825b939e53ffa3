//! Rust sources: parse every file of a crate, index the crate, follow `ClientConfig` values
//! through its functions and return the clients it creates.

pub mod bind;
pub mod config;
pub mod eval;
pub mod flow;
pub mod index;
pub mod lex;
pub mod parse;
pub mod types;

use crate::source::FileId;

pub use bind::EnvRef;
pub use config::{Config, KeyState, Loc, Unseen};
pub use flow::Construction;
pub use parse::ParseFailure;
pub use types::ClientKind;

/// Analyses the parsed files of one crate together.
pub fn analyze_crate(files: &[(FileId, parse::Parsed)]) -> Vec<Construction> {
    let index = index::CrateIndex::new(files);
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
    pub constructions: Vec<Construction>,
    pub failures: Vec<(FileId, ParseFailure)>,
    /// Statement and item ranges of each parsed file (for suppression comments).
    pub statements: Vec<(FileId, Vec<std::ops::Range<usize>>)>,
}

/// Parses and analyses the files of one crate, given as `(file, text)`.
pub fn analyze_sources(sources: &[(FileId, &str)]) -> CrateFacts {
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
    facts.constructions = analyze_crate(&parsed);
    drop(parsed);
    // proc-macro2 keeps every parsed file's source map for the life of the thread; nothing
    // holds a span any more (constructions keep byte offsets), so release them.
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}
