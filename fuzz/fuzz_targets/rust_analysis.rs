//! Parsing and analysing any Rust file never panics or overflows the stack, and every span
//! the analysis reports lies inside the file on char boundaries.
#![no_main]

use cargo_kafka_lint::rust::analyze_sources;
use cargo_kafka_lint::rust::config::KeyState;
use cargo_kafka_lint::source::{Files, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The tool analyses on threads with this stack; so does the fuzzer.
    let text = text.to_owned();
    std::thread::Builder::new()
        .stack_size(cargo_kafka_lint::STACK_SIZE)
        .spawn(move || analyse(&text))
        .expect("spawn")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
});

fn analyse(text: &str) {
    let mut files = Files::default();
    let id = files.add(SourceFile::new(
        "fuzz.rs".into(),
        "fuzz.rs".into(),
        text.to_owned(),
    ));
    let facts = analyze_sources(&[(id, text)]);
    let check = |span: &std::ops::Range<usize>| {
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    };
    for (_, failure) in &facts.failures {
        check(&failure.span);
    }
    for (_, ranges) in &facts.statements {
        ranges.iter().for_each(check);
    }
    for construction in &facts.constructions {
        check(&construction.loc.span);
        let config = &construction.config;
        for (_, state) in config.entries() {
            match state {
                KeyState::Set { loc, key, .. } => {
                    check(&loc.span);
                    check(&key.span);
                }
                KeyState::Unknown(unseen) => check(&unseen.loc.span),
                KeyState::Unset => {}
            }
        }
        config.unseen().iter().for_each(|u| check(&u.loc.span));
        config.origin.iter().for_each(|o| check(&o.span));
    }
}
