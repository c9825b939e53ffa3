//! Differential test: the span-keeping parser must yield exactly what dotenvy 0.15.7 yields
//! (the same keys and values, and errors at the same positions in the sequence), on every env
//! file under `fixtures/` and on generated inputs.
//!
//! dotenvy reads the process environment first when it substitutes `$NAME`; the linter never
//! does. Inputs that reference a name set in this process are skipped (fixtures) or cannot
//! occur except for `$_`, `$0`-style names built from fragments; those inputs are skipped too.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::{Path, PathBuf};

use cargo_kafka_lint::env::{is_env_file_name, parser};
use proptest::prelude::*;

/// What a parser yields for one logical line: a key and value, or an error.
type Outcome = Vec<Result<(String, String), ()>>;

fn ours(text: &str) -> Outcome {
    parser::parse(text)
        .into_iter()
        .map(|item| item.map(|e| (e.key, e.value)).map_err(|_| ()))
        .collect()
}

/// dotenvy as `dotenvy::dotenv()` reads a file: byte-order mark removed, then iterated.
fn oracle(text: &str) -> Outcome {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    dotenvy::from_read_iter(text.as_bytes())
        .map(|item| item.map_err(|_| ()))
        .collect()
}

fn references_process_env(text: &str) -> Option<String> {
    parser::parse(text)
        .into_iter()
        .flatten()
        .flat_map(|e| e.substitutions)
        .map(|s| s.name)
        .find(|name| !name.is_empty() && std::env::var_os(name).is_some())
}

fn env_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            env_files(&path, out);
        } else if kind.is_file() && is_env_file_name(&entry.file_name().to_string_lossy()) {
            out.push(path);
        }
    }
}

#[test]
fn agrees_with_dotenvy_on_every_fixture() {
    let mut files = Vec::new();
    env_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    files.sort();
    let mut compared = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        }; // not UTF-8: unreadable-file
        if let Some(name) = references_process_env(&text) {
            eprintln!(
                "skipped {}: `${name}` is set in this process",
                path.display()
            );
            continue;
        }
        assert_eq!(ours(&text), oracle(&text), "{}", path.display());
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} fixture files compared");
}

#[test]
fn agrees_with_dotenvy_on_documented_quirks() {
    let cases = [
        "A=1\nK=\"$A\"\n",
        "K=1 ",
        "K=a\\",
        "K=a\\\n",
        "K='a\\'\nb'\nL=2\n",
        "K=\"a\nb\"\r\nL=2",
        "K=#x\nL=v#x\nM=v #x\n",
        "export K=1\nexport=2\nexport\n",
        "K=${A\n",
        "A=x\nB=$A_y ${A}_y $A$A\n",
        "\u{feff}K=1\n",
        "K=a\rb\n",
        "  # comment\n\t\nK = 'x y' \n",
        "K=é\u{3000}\n",
        "K=\\f\n",
        "K=a b\n",
        "K=\"unterminated\nL=2\n",
        ".K=1\nK-2=1\nK\n",
    ];
    for text in cases {
        assert_eq!(ours(text), oracle(text), "{text:?}");
    }
}

/// Pieces that exercise every branch of dotenvy's two state machines.
fn fragment() -> impl Strategy<Value = String> {
    let pieces = vec![
        "'",
        "\"",
        "\\",
        "\\ ",
        "\\n",
        "\\$",
        "\\\"",
        "\\'",
        "\\\\",
        "\\f",
        "$",
        "{",
        "}",
        "#",
        " #c",
        "_",
        ".",
        "-",
        "=",
        " ",
        "\t",
        " \t",
        "\t ",
        "#c",
        "\n",
        "\r\n",
        "\r",
        "\u{a0}",
        "\u{3000}",
        "é",
        "☕",
        "$KLXA",
        "${KLXB}",
        "$KLXA_C",
        "${",
        "$KLXA$KLXB",
        "0",
        "6000",
        "export ",
    ];
    prop_oneof![
        3 => prop::sample::select(pieces).prop_map(str::to_owned),
        1 => "KLX[A-C_]{0,2}",
        1 => "[a-z0-9]{1,3}",
    ]
}

/// A line: mostly `[export ]KEY = value` with a value built from fragments (so that value
/// parsing is reached), sometimes fragments alone (so that key and line errors are too).
fn line() -> impl Strategy<Value = String> {
    let value = || prop::collection::vec(fragment(), 0..6).prop_map(|parts| parts.concat());
    prop_oneof![
        3 => ("(export )?KLX[A-C]", "[ \t]{0,2}=[ \t]{0,2}", value()).prop_map(|(k, eq, v)| format!("{k}{eq}{v}")),
        1 => value(),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(line(), 0..6),
        any::<bool>(),
    )
        .prop_map(|(bom, lines, newline)| {
            let mut text = if bom {
                "\u{feff}".to_owned()
            } else {
                String::new()
            };
            text.push_str(&lines.join("\n"));
            if newline {
                text.push('\n');
            }
            text
        })
}

/// Lines that look like real env files, so that most of them parse.
fn realistic_document() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        "[a-z0-9:/._-]{0,8}",
        "\"[a-z0-9 $_{}]{0,8}\"",
        "'[a-z0-9 $\"\\\\]{0,8}'",
        Just("${KLXA}".to_owned()),
        Just("$KLXA_B".to_owned()),
    ];
    let line = (
        "(export )?KLX[A-Z]{1,2}",
        " ?= ?",
        value,
        prop_oneof![Just(""), Just(" # c"), Just("#c")],
    )
        .prop_map(|(k, eq, v, c)| format!("{k}{eq}{v}{c}"));
    prop::collection::vec(line, 0..8).prop_map(|lines| lines.join("\n") + "\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn agrees_with_dotenvy_on_generated_input(text in document()) {
        prop_assume!(references_process_env(&text).is_none());
        prop_assert_eq!(ours(&text), oracle(&text), "{:?}", text);
    }

    #[test]
    fn agrees_with_dotenvy_on_realistic_input(text in realistic_document()) {
        prop_assume!(references_process_env(&text).is_none());
        prop_assert_eq!(ours(&text), oracle(&text), "{:?}", text);
    }

    #[test]
    fn spans_lie_on_character_boundaries(text in document()) {
        for item in parser::parse(&text) {
            let spans = match &item {
                Ok(e) => vec![e.key_span.clone(), e.value_span.clone()],
                Err(e) => vec![e.span.clone()],
            };
            for span in spans {
                prop_assert!(span.start <= span.end && span.end <= text.len());
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
        }
    }
}
