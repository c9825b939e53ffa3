//! The floor the tool is measured against: parse every `.rs` file under a folder with syn
//! (full), on N threads, releasing proc-macro2's span information after each file as the tool
//! does. `scripts/bench.py` runs it on a large corpus; `cargo bench` runs it on `fixtures/`.
//!
//! Usage: `floor [FOLDER] [--threads N]`.

// A benchmark reports on stdout, and megabytes need no more than f64 precision.
#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            rust_files(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut folder = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
    let mut threads = None;
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            threads = args.next().and_then(|n| n.parse::<usize>().ok());
        } else {
            folder = PathBuf::from(arg);
        }
    }
    let mut files = Vec::new();
    rust_files(&folder, &mut files);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .expect("thread pool");
    let start = Instant::now();
    let (bytes, errors) = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                let failed = usize::from(syn::parse_file(&text).is_err());
                proc_macro2::extra::invalidate_current_thread_spans();
                (text.len(), failed)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    let elapsed = start.elapsed();
    println!(
        "parsed {} files, {:.1} MB, {} not parsable, in {:.3} s ({:.1} MB/s)",
        files.len(),
        bytes as f64 / 1e6,
        errors,
        elapsed.as_secs_f64(),
        bytes as f64 / 1e6 / elapsed.as_secs_f64()
    );
}
