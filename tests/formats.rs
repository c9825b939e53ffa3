//! The machine formats: golden output on the demo workspace, SARIF schema validation, GitHub
//! escaping and multi-line spans, `--output-file` and `--exit-zero`.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-kafka-lint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn demo(format: &str) -> Output {
    let manifest = repo().join("fixtures/demo/Cargo.toml");
    run_in(
        &repo(),
        &[
            "--manifest-path",
            manifest.to_str().unwrap(),
            "--format",
            format,
        ],
    )
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn golden_output_of_every_machine_format() {
    for format in ["short", "github", "sarif"] {
        let out = demo(format);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = if format == "sarif" {
            without_checkout_path(&stdout(&out))
        } else {
            stdout(&out)
        };
        insta::assert_snapshot!(format!("demo_{format}"), text);
    }
}

/// SARIF names the repository root (`originalUriBaseIds`) by its absolute `file:` URI, which
/// depends on where the repository is checked out: checked, then replaced for the snapshot.
fn without_checkout_path(sarif: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(sarif).unwrap();
    let base = &mut doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    let expected = format!("file://{}/", repo().display());
    assert_eq!(base.as_str(), Some(expected.as_str()));
    *base = serde_json::json!("file:///REPOSITORY/");
    let mut text = serde_json::to_string_pretty(&doc).unwrap();
    text.push('\n');
    text
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    // Kept in the repository with its licence notice (tests/data/README.md): the tests read
    // nothing outside it.
    let path = repo().join("tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    let validator = jsonschema::validator_for(&schema).unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&demo("sarif").stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(sarif["runs"][0]["results"][0]["relatedLocations"].is_array());
    // The validator does reject a broken document.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_fingerprints_survive_lines_moving() {
    let text = b"KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_REQUEST_TIMEOUT_MS=40000\n";
    let fingerprint = |dir: &Path| {
        let sarif: serde_json::Value =
            serde_json::from_slice(&run_in(dir, &["--format", "sarif"]).stdout).unwrap();
        sarif["runs"][0]["results"][0]["partialFingerprints"]["kafkaLint/v1"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let before = folder(&[(".env", text)]);
    let mut moved = b"# a comment added above\n\n".to_vec();
    moved.extend_from_slice(text);
    let after = folder(&[(".env", &moved)]);
    assert_eq!(fingerprint(before.path()), fingerprint(after.path()));
}

#[test]
fn github_escapes_properties_and_messages() {
    let dir = folder(&[("a,b:c.env", b"KAFKA_SESSION_TIMEOUT_MS=5%\n")]);
    let out = stdout(&run_in(dir.path(), &["--format", "github"]));
    assert!(out.starts_with("::error file=a%2Cb%3Ac.env,line=1,col=26,endColumn=28,endLine=1,title=malformed-timeout-value::"), "{out}");
    assert!(out.contains("`5%25`"), "{out}");
    assert!(out.contains("%0Ahelp: "), "{out}");
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn github_omits_columns_of_multi_line_spans() {
    let rust = b"use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::BaseConsumer;\nfn f() {\n    let mut cfg = ClientConfig::new();\n    cfg.set(\"group.id\", \"g\");\n    let _c = BaseConsumer::from_config(\n        &cfg,\n    );\n}\n";
    let dir = folder(&[("src/lib.rs", rust)]);
    let out = stdout(&run_in(dir.path(), &["--format", "github"]));
    assert!(
        out.starts_with(
            "::error file=src/lib.rs,line=6,endLine=8,title=consumer-missing-timeouts::"
        ),
        "{out}"
    );
    let short = stdout(&run_in(dir.path(), &["--format", "short"]));
    assert!(
        short.starts_with("src/lib.rs:6:14: error[consumer-missing-timeouts]: "),
        "{short}"
    );
}

#[test]
fn output_file_gets_the_format_and_the_terminal_the_report() {
    let dir = folder(&[(
        ".env",
        b"KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_REQUEST_TIMEOUT_MS=40000\n",
    )]);
    let out = run_in(
        dir.path(),
        &[
            "--format",
            "sarif",
            "--output-file",
            "report.sarif",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("request-not-below-session"));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.sarif")).unwrap())
            .unwrap();
    assert_eq!(written["version"], "2.1.0");
    let zero = run_in(
        dir.path(),
        &[
            "--format",
            "sarif",
            "--output-file",
            "report.sarif",
            "--exit-zero",
        ],
    );
    assert_eq!(zero.status.code(), Some(0));
    let unwritable = run_in(
        dir.path(),
        &["--format", "json", "--output-file", "no/such/dir/out.json"],
    );
    assert_eq!(unwritable.status.code(), Some(2));
}
