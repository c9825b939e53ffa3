//! Parsing and analysing any Rust file never panics or overflows the stack, and every span
//! of the sites it lowers into the model lies inside the file on char boundaries.
#![no_main]

use cargo_kafka_lint::model::{ClientSite, Origin, Span, State};
use cargo_kafka_lint::rust::analyze_sources;
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
    let mut facts = analyze_sources(&[(id, text)]);
    let check = |span: &std::ops::Range<usize>| {
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    };
    let check_at = |at: &Span| {
        assert_eq!(at.file, id);
        check(&at.range);
    };
    for (_, failure) in &facts.failures {
        check(&failure.span);
    }
    for (_, ranges) in &facts.statements {
        ranges.iter().for_each(check);
    }
    for site in facts.take_sites(std::path::Path::new("")) {
        check_site(&site, &check_at);
    }
}

fn check_site(site: &ClientSite, check: &impl Fn(&Span)) {
    if let Origin::Code { at, config_start, .. } = &site.origin {
        check(at);
        config_start.iter().for_each(check);
    }
    site.unseen.iter().for_each(|u| check(&u.at));
    for setting in &site.settings {
        match &setting.state {
            State::Set(written) => {
                check(&written.key_span);
                check(&written.value_span);
                if let Some((_, at)) = written.binding.as_ref().and_then(|b| b.default.as_ref()) {
                    check(at);
                }
            }
            State::Unknown(unseen) => check(&unseen.at),
            State::Unset => {}
        }
    }
}
