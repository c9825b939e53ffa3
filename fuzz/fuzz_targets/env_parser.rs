//! The env parser never panics, every span lies inside the text on char boundaries, and its
//! keys and values agree with dotenvy's wherever dotenvy accepts the line.
#![no_main]

use cargo_kafka_lint::env::parser::{parse, Item};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let items = parse(&text);
    let check = |span: &std::ops::Range<usize>| {
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    };
    for item in &items {
        match item {
            Ok(entry) => {
                check(&entry.key_span);
                check(&entry.value_span);
                for sub in &entry.substitutions {
                    check(&sub.span);
                    if let Some(cut) = &sub.cut_short {
                        check(&cut.span);
                    }
                }
            }
            Err(error) => check(&error.span),
        }
    }
    // dotenvy, reading the same text as `dotenvy::dotenv()` does, must yield the same keys,
    // values and errors. It substitutes from the process environment, which the linter never
    // reads: inputs naming a variable set in this process are not compared.
    let named_in_env = items
        .iter()
        .flatten()
        .flat_map(|e| &e.substitutions)
        .any(|s| !s.name.is_empty() && std::env::var_os(&s.name).is_some());
    if named_in_env {
        return;
    }
    let ours: Vec<Result<(String, String), ()>> = items
        .into_iter()
        .map(|item: Item| item.map(|e| (e.key, e.value)).map_err(|_| ()))
        .collect();
    let unbommed = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let theirs: Vec<Result<(String, String), ()>> = dotenvy::from_read_iter(unbommed.as_bytes())
        .map(|item| item.map_err(|_| ()))
        .collect();
    assert_eq!(ours, theirs, "{text:?}");
});
