//! Every bad input the tool can meet becomes a diagnostic with a location (or a clear error),
//! the run goes on, and nothing panics, overflows or hangs. Each test builds its input in a
//! temporary folder and runs the binary on it.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

mod common;

use std::fmt::Write as _;
use std::io::Read as _;
use std::process::Stdio;

use common::{command, folder, lint};

/// An env line whose request timeout is not below the session timeout: a finding to look
/// for after the bad part of a file, proving the rest was read with the right positions.
const AFTER: &str = "KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_REQUEST_TIMEOUT_MS=40000\n";

#[test]
fn env_files_with_bad_bytes_and_line_endings() {
    let long_value = "x".repeat(10 << 20);
    let many_keys = (0..100_000).fold(String::new(), |mut s, n| {
        let _ = writeln!(s, "KEY_{n}=value");
        s
    });
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("utf8/.env", b"KAFKA_CLIENT_ID=caf\xe9\n".to_vec()),
        (
            "nul/.env",
            format!("KAFKA_CLIENT_ID=a\0b\n{AFTER}").into_bytes(),
        ),
        ("bom/.env", format!("\u{feff}{AFTER}").into_bytes()),
        ("crlf/.env", AFTER.replace('\n', "\r\n").into_bytes()),
        ("cr/.env", AFTER.replace('\n', "\r").into_bytes()),
        (
            "long/.env",
            format!("KAFKA_CLIENT_ID={long_value}\n{AFTER}").into_bytes(),
        ),
        (
            "quote/.env",
            format!("{AFTER}KAFKA_CLIENT_ID=\"never closed\n").into_bytes(),
        ),
        ("keys/.env", format!("{many_keys}{AFTER}").into_bytes()),
    ];
    let files: Vec<(&str, &[u8])> = cases.iter().map(|(n, c)| (*n, c.as_slice())).collect();
    let dir = folder(&files);
    let run = lint(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let cases = [
        // Not UTF-8: cannot be read, said where.
        ("unreadable-file", "utf8/.env", 1, 1),
        // NUL: read as dotenvy reads it, and reported (setting the variable panics).
        ("unparsable-env-line", "nul/.env", 1, 18),
        ("request-not-below-session", "nul/.env", 3, 26),
        // A byte-order mark takes no column.
        ("request-not-below-session", "bom/.env", 2, 26),
        ("request-not-below-session", "crlf/.env", 2, 26),
        // dotenvy splits lines on `\n` only: a lone CR stays in the value.
        ("malformed-timeout-value", "cr/.env", 1, 26),
        // 10 MB of one line, then the usual positions.
        ("request-not-below-session", "long/.env", 3, 26),
        ("unparsable-env-line", "quote/.env", 3, 17),
        ("request-not-below-session", "quote/.env", 2, 26),
        ("request-not-below-session", "keys/.env", 100_002, 26),
    ];
    for (rule, file, line, column) in cases {
        assert!(
            run.has(rule, file, line, column),
            "{rule} at {file}:{line}:{column} in {:#?}",
            run.findings()
        );
    }
    assert!(run.message_of("unreadable-file").contains("not UTF-8"));
}

const USES_RDKAFKA: &str =
    "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\n";

/// A consumer without timeouts, whose `create` is on line 2 of the snippet, at column 46.
const CONSUMER: &str = "pub fn c() -> StreamConsumer {\n    ClientConfig::new().set(\"group.id\", \"g\").create().unwrap()\n}\n";

#[test]
fn rust_files_with_bad_syntax_marks_and_line_endings() {
    let huge = (0..1_500_000).fold(String::new(), |mut s, n| {
        let _ = writeln!(s, "pub fn f{n}() -> u64 {{ {n} }}");
        s
    });
    assert!(huge.len() > 50 << 20, "{} bytes", huge.len());
    let cases: Vec<(&str, String)> = vec![
        (
            "syntax/src/lib.rs",
            format!("{USES_RDKAFKA}fn main(_: ClientConfig) {{ let = 1; }}\n"),
        ),
        // A body the analysis does not read is not parsed: its error keeps nothing from
        // being checked, and the file's consumer is.
        (
            "unread/src/lib.rs",
            format!("{USES_RDKAFKA}fn helper() {{ let = 1; }}\n{CONSUMER}"),
        ),
        (
            "marks/src/main.rs",
            format!("\u{feff}#!/usr/bin/env run-cargo-script\n{USES_RDKAFKA}{CONSUMER}"),
        ),
        (
            "crlf/src/lib.rs",
            format!("{USES_RDKAFKA}{CONSUMER}").replace('\n', "\r\n"),
        ),
        ("huge/src/lib.rs", format!("{USES_RDKAFKA}{huge}{CONSUMER}")),
        (
            "parens/src/lib.rs",
            format!(
                "{USES_RDKAFKA}fn f(_: ClientConfig) {{ let x = {}1{}; }}\n",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
        ),
        (
            "blocks/src/lib.rs",
            format!(
                "{USES_RDKAFKA}fn f(_: ClientConfig) {}{}\n",
                "{".repeat(100_000),
                "}".repeat(100_000)
            ),
        ),
        (
            "chain/src/lib.rs",
            format!(
                "{USES_RDKAFKA}fn f() {{ let c = ClientConfig::new(){}; }}\n",
                ".set(\"a\", \"b\")".repeat(100_000)
            ),
        ),
        (
            "sum/src/lib.rs",
            format!(
                "{USES_RDKAFKA}const N: u8 = {};\n",
                vec!["1"; 100_000].join("+")
            ),
        ),
    ];
    let files: Vec<(&str, &[u8])> = cases.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
    let dir = folder(&files);
    let run = lint(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = [
        ("unparsable-rust-source", "syntax/src/lib.rs", 3, 32),
        ("consumer-missing-timeouts", "unread/src/lib.rs", 5, 46),
        // The shebang and the byte-order mark move nothing.
        ("consumer-missing-timeouts", "marks/src/main.rs", 5, 46),
        ("consumer-missing-timeouts", "crlf/src/lib.rs", 4, 46),
        (
            "consumer-missing-timeouts",
            "huge/src/lib.rs",
            1_500_004,
            46,
        ),
        ("unparsable-rust-source", "parens/src/lib.rs", 3, 288),
        ("unparsable-rust-source", "blocks/src/lib.rs", 3, 279),
        ("unparsable-rust-source", "chain/src/lib.rs", 3, 0),
        ("unparsable-rust-source", "sum/src/lib.rs", 3, 0),
    ];
    for (rule, file, line, column) in expected {
        let found = run
            .findings()
            .into_iter()
            .any(|f| f.0 == rule && f.1 == file && f.2 == line && (column == 0 || f.3 == column));
        assert!(
            found,
            "{rule} at {file}:{line}:{column} in {:#?}",
            run.findings()
        );
    }
    let deep = run.doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("levels deep"))
        .count();
    assert_eq!(deep, 4, "each too-deep file says why");
    assert!(
        !run.findings()
            .iter()
            .any(|f| f.1 == "unread/src/lib.rs" && f.0 == "unparsable-rust-source"),
        "{:#?}",
        run.findings()
    );
}

#[test]
fn a_tree_of_100_000_files_with_loops_and_links_outside() {
    let dir = folder(&[(".env.test", AFTER.as_bytes())]);
    for n in 0..1000 {
        let sub = dir.path().join(format!("d{n}"));
        std::fs::create_dir(&sub).unwrap();
        for m in 0..100 {
            std::fs::write(sub.join(format!("f{m}.txt")), b"x").unwrap();
        }
    }
    let outside = folder(&[(".env.test", AFTER.as_bytes())]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("d0/loop")).unwrap();
    std::os::unix::fs::symlink("missing", dir.path().join("dangling.env")).unwrap();
    let run = lint(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.findings(),
        [
            (
                "test-env-missing-timeouts".to_owned(),
                ".env.test".to_owned(),
                1,
                1
            ),
            (
                "request-not-below-session".to_owned(),
                ".env.test".to_owned(),
                2,
                26
            )
        ]
    );
}

#[test]
fn files_that_vanish_during_the_run() {
    let dir = folder(&[(".env.test", AFTER.as_bytes())]);
    let churn = dir.path().join("churn");
    std::fs::create_dir(&churn).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let churn = churn.clone();
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let sub = churn.join(format!("s{}", n % 50));
                let _ = std::fs::create_dir_all(sub.join("src"));
                let _ = std::fs::write(sub.join(".env.test"), AFTER);
                let _ = std::fs::write(sub.join("src/lib.rs"), USES_RDKAFKA);
                let _ = std::fs::remove_dir_all(churn.join(format!("s{}", (n + 25) % 50)));
                n += 1;
            }
        })
    };
    for _ in 0..20 {
        let run = lint(dir.path(), &[]);
        // A file gone before it is read is reported as unreadable (exit 2) or not seen at all.
        assert!(matches!(run.code, 1 | 2), "{}", run.stderr);
        assert!(run.has("request-not-below-session", ".env.test", 2, 26));
        for (rule, ..) in run.findings() {
            assert!(
                [
                    "request-not-below-session",
                    "test-env-missing-timeouts",
                    "unreadable-file",
                    "unparsable-rust-source",
                ]
                .contains(&rule.as_str()),
                "{rule}"
            );
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // Enough findings that the report does not fit in the pipe's buffer.
    let files: Vec<(String, &[u8])> = (0..2000)
        .map(|n| (format!("s{n}/.env.test"), AFTER.as_bytes()))
        .collect();
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (n.as_str(), *c)).collect();
    let dir = folder(&files);
    for format in ["json", "human", "short", "github", "sarif"] {
        let mut child = command(dir.path(), &["--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The human report goes to stderr, the others to stdout: read 10 bytes of the report
        // and close its pipe, as `| head -c 10` does; read all of the other stream.
        let (report, mut other): (Box<dyn std::io::Read>, Box<dyn std::io::Read>) =
            if format == "human" {
                (
                    Box::new(child.stderr.take().unwrap()),
                    Box::new(child.stdout.take().unwrap()),
                )
            } else {
                (
                    Box::new(child.stdout.take().unwrap()),
                    Box::new(child.stderr.take().unwrap()),
                )
            };
        let mut head = [0u8; 10];
        let mut report = report;
        report.read_exact(&mut head).unwrap();
        drop(report);
        let mut rest = String::new();
        other.read_to_string(&mut rest).unwrap();
        let status = child.wait().unwrap();
        assert!(!rest.contains("panicked"), "{format}: {rest}");
        // A panic exits with 101, a signal with no code.
        assert!(matches!(status.code(), Some(0..=2)), "{format}: {status:?}");
    }
}

#[test]
fn a_panic_in_one_file_is_an_internal_error_and_the_run_goes_on() {
    let lib = format!("{USES_RDKAFKA}{CONSUMER}");
    let dir = folder(&[
        ("a/.env.test", AFTER.as_bytes()),
        ("b/.env.test", AFTER.as_bytes()),
        ("svc/src/lib.rs", lib.as_bytes()),
        ("svc/src/boom.rs", USES_RDKAFKA.as_bytes()),
    ]);
    for (suffix, file) in [
        ("a/.env.test", "a/.env.test"),
        ("src/boom.rs", "svc/src/boom.rs"),
    ] {
        let run = lint(dir.path(), &["--debug-panic-on", suffix]);
        // The panic is a finding, printed as one: nothing on stderr says "panicked".
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.has("internal-error", file, 1, 1),
            "{:#?}",
            run.findings()
        );
        assert!(
            run.message_of("internal-error")
                .contains("--debug-panic-on matched this file")
        );
        // The other files, the rest of the crate included, are still linted.
        assert!(run.has("request-not-below-session", "b/.env.test", 2, 26));
        assert!(run.has("consumer-missing-timeouts", "svc/src/lib.rs", 4, 46));
    }
}
