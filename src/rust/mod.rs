//! Rust sources: parse every file of a crate, index the crate, follow `ClientConfig` values
//! through its functions and return the clients it creates.

pub mod bind;
pub mod config;
pub mod eval;
pub mod flow;
pub mod index;
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

/// Parses and analyses the files of one crate, given as `(file, text)`. Returns the clients
/// created and the files that could not be parsed.
pub fn analyze_sources(
    sources: &[(FileId, &str)],
) -> (Vec<Construction>, Vec<(FileId, ParseFailure)>) {
    let mut parsed = Vec::new();
    let mut failures = Vec::new();
    for (file, text) in sources {
        match parse::parse(text) {
            Ok(p) => parsed.push((*file, p)),
            Err(failure) => failures.push((*file, failure)),
        }
    }
    let constructions = analyze_crate(&parsed);
    drop(parsed);
    // proc-macro2 keeps every parsed file's source map for the life of the thread; nothing
    // holds a span any more (constructions keep byte offsets), so release them.
    proc_macro2::extra::invalidate_current_thread_spans();
    (constructions, failures)
}
