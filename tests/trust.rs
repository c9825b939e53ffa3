//! Every edge of the tool is as trustworthy as its rules: a failing `cargo metadata` never
//! stops the lint and cannot be turned against the run, membership is cargo's, paths mean what
//! the user typed, reports name files where they are read, nothing outside the tree is read and
//! nothing in it is overwritten, nothing printed can forge output or leak a secret, resources
//! stay bounded, suppressions are real comments, and the edges of the command line are clear.
//! One test per guarantee (README, Safety), each on a tree made here; each checks that the tree
//! did not change.

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::{Run, checked, command, folder, lint, snapshot};

const PACKAGE: &str = "[package]\nname = \"NAME\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

fn package(name: &str) -> String {
    PACKAGE.replace("NAME", name)
}

/// A test env file with one error (`request-not-below-session` at 2:26).
const ERROR: &[u8] =
    b"KAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_REQUEST_TIMEOUT_MS=40000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\n";

/// Runs `f` and checks that the tree under `root` is byte for byte, mode for mode the same.
fn unchanged<T>(root: &Path, f: impl FnOnce() -> T) -> T {
    let before = snapshot(root);
    let out = f();
    assert_eq!(before, snapshot(root), "the run changed the linted tree");
    out
}

fn rules(run: &Run) -> Vec<String> {
    run.findings().into_iter().map(|f| f.0).collect()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Guarantee 1: A failing `cargo metadata` never stops the lint, never blocks, and the linted tree
/// cannot choose the program that runs.
#[test]
fn a_failing_cargo_metadata_never_stops_the_lint() {
    let members = package("a");
    let broken = folder(&[("Cargo.toml", b"[package\nname = "), (".env.test", ERROR)]);
    let missing = folder(&[
        ("Cargo.toml", b"[workspace]\nmembers = [\"a\", \"gone\"]\n"),
        ("a/Cargo.toml", members.as_bytes()),
        ("a/src/lib.rs", b""),
        ("a/.env.test", ERROR),
    ]);
    for (dir, file) in [(&broken, ".env.test"), (&missing, "a/.env.test")] {
        let run = unchanged(dir.path(), || lint(dir.path(), &[]));
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.has("cargo-metadata-failed", "Cargo.toml", 1, 1),
            "{:?}",
            run.findings()
        );
        assert!(
            run.has("request-not-below-session", file, 2, 26),
            "{:?}",
            run.findings()
        );
    }
    // No cargo at all: the manifests say who the members are.
    let out = command(missing.path(), &["--format", "json"])
        .env("CARGO", "/nonexistent/cargo")
        .output()
        .unwrap();
    let run = checked(&out);
    assert_eq!(
        rules(&run),
        ["cargo-metadata-failed", "request-not-below-session"]
    );
    assert!(
        run.doc["diagnostics"][0]["help"]
            .as_str()
            .unwrap()
            .contains("could not run `/nonexistent/cargo` (from $CARGO)")
    );
}

#[test]
fn a_member_manifest_that_is_a_fifo_does_not_block_the_run() {
    let dir = folder(&[
        ("Cargo.toml", b"[workspace]\nmembers = [\"a\", \"b\"]\n"),
        ("b/Cargo.toml", package("b").as_bytes()),
        ("b/src/lib.rs", b""),
        ("b/.env.test", ERROR),
    ]);
    std::fs::create_dir(dir.path().join("a")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("a/Cargo.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    let start = Instant::now();
    let run = lint(dir.path(), &["--metadata-timeout", "2"]);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.has("request-not-below-session", "b/.env.test", 2, 26),
        "{:?}",
        run.findings()
    );
    let help = run.doc["diagnostics"][0]["help"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(help.contains("did not finish within 2 s"), "{help}");
    assert!(
        help.contains("`a/Cargo.toml` could not be read: it is not a regular file"),
        "{help}"
    );
}

#[test]
fn cargo_runs_outside_the_tree_so_its_toolchain_file_chooses_nothing() {
    let dir = folder(&[
        ("Cargo.toml", package("p").as_bytes()),
        ("src/lib.rs", b""),
        (".env.test", ERROR),
    ]);
    let root = dir.path();
    // A toolchain "installed" in the tree: rustup's proxy would run its `cargo` here.
    let marker = root.join("the-tree-ran-a-program");
    let fake = format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display());
    for tool in ["cargo", "rustc"] {
        let path = root.join("toolchain/bin").join(tool);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fake).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
    }
    let toolchain = format!(
        "[toolchain]\npath = \"{}\"\n",
        root.join("toolchain").display()
    );
    std::fs::write(root.join("rust-toolchain.toml"), toolchain).unwrap();
    // The `cargo` of the PATH (the rustup proxy where rustup is installed), not `$CARGO`.
    let out = command(root, &["--format", "json"])
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("CARGO_TERM_COLOR", "purple")
        .output()
        .unwrap();
    let run = checked(&out);
    assert!(!marker.exists(), "the tree's toolchain ran");
    assert_eq!(rules(&run), ["request-not-below-session"], "{}", run.stderr);
    // A toolchain pinned and not installed: irrelevant too.
    std::fs::write(
        root.join("rust-toolchain.toml"),
        "[toolchain]\nchannel = \"nightly-2001-01-01\"\n",
    )
    .unwrap();
    let out = command(root, &["--format", "json"])
        .env_remove("CARGO")
        .output()
        .unwrap();
    assert_eq!(rules(&checked(&out)), ["request-not-below-session"]);
    // And cargo runs in the file system root.
    let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let wrapper = root.join("wrapper.sh");
    let record = root.join("cwd-of-cargo");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\npwd > '{}'\nexec '{real}' \"$@\"\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let out = command(root, &["--format", "json"])
        .env("CARGO", &wrapper)
        .output()
        .unwrap();
    assert_eq!(rules(&checked(&out)), ["request-not-below-session"]);
    assert_eq!(std::fs::read_to_string(&record).unwrap().trim(), "/");
}

/// Guarantee 2: Workspace membership is cargo's.
#[test]
fn membership_is_cargos() {
    let dir = folder(&[
        (
            "ws/Cargo.toml",
            b"[workspace]\nmembers = [\"a\", \"../outside\"]\nexclude = [\"vendor\"]\n",
        ),
        ("ws/a/Cargo.toml", package("a").as_bytes()),
        ("ws/a/src/lib.rs", b""),
        ("ws/a/.env.test", ERROR),
        (
            "outside/Cargo.toml",
            package("outside")
                .replace("edition", "workspace = \"../ws\"\nedition")
                .as_bytes(),
        ),
        ("outside/src/lib.rs", b""),
        ("outside/.env.test", ERROR),
        ("ws/vendor/x/.env.test", ERROR),
        ("ws/nested/Cargo.toml", b"[workspace]\n"),
        ("ws/nested/.env.test", ERROR),
    ]);
    let ws = dir.path().join("ws");
    let files = |run: &Run| -> Vec<String> { run.findings().into_iter().map(|f| f.1).collect() };
    let run = unchanged(dir.path(), || lint(&ws, &[]));
    // Without a repository, machine formats name files from the workspace root; a member
    // outside it is named by its absolute path.
    let outside = std::fs::canonicalize(dir.path().join("outside/.env.test")).unwrap();
    assert_eq!(
        files(&run),
        [outside.to_str().unwrap(), "a/.env.test"],
        "{}",
        run.stderr
    );
    let run = lint(&ws, &["-p", "outside"]);
    assert_eq!(files(&run), [outside.to_str().unwrap()]);
    let run = lint(&ws, &["--manifest-path", "a/Cargo.toml"]);
    assert_eq!(files(&run), ["a/.env.test"]);
    let verbose = command(&ws, &["-v", "--color", "never"]).output().unwrap();
    let notes = text(&verbose);
    assert!(
        notes.contains("note: vendor: skipped: excluded from the workspace"),
        "{notes}"
    );
    assert!(
        notes.contains("note: nested: skipped: a workspace of its own"),
        "{notes}"
    );
}

/// Guarantee 3: Path arguments mean what the user typed.
#[test]
fn paths_mean_what_the_user_typed() {
    let dir = folder(&[
        (
            "Cargo.toml",
            b"[workspace]\nmembers = [\"services/orders\"]\n",
        ),
        ("services/orders/Cargo.toml", package("orders").as_bytes()),
        ("services/orders/src/lib.rs", b""),
        (".env.test", ERROR),
        ("services/orders/.env.test", ERROR),
    ]);
    let root = dir.path();
    let orders = root.join("services/orders");
    let from_root = lint(root, &[".env.test"]);
    let from_member = lint(&orders, &["../../.env.test"]);
    assert_eq!(from_root.doc["diagnostics"], from_member.doc["diagnostics"]);
    assert_eq!(from_root.findings().len(), 1);
    // Absolute, `.`-laden and through a symbolic link to a folder: the same file.
    std::os::unix::fs::symlink(&orders, root.join("orders-link")).unwrap();
    let absolute = root.join("services/./orders/../orders/.env.test");
    for typed in [
        absolute.to_str().unwrap(),
        "orders-link/.env.test",
        "./services/orders/.env.test",
    ] {
        let run = lint(root, &[typed]);
        assert!(
            run.has(
                "request-not-below-session",
                "services/orders/.env.test",
                2,
                26
            ),
            "{typed}: {:?}",
            run.findings()
        );
        assert_eq!(run.findings().len(), 1, "{typed}");
    }
    // Outside any workspace: that folder alone, not the tree above it.
    let plain = folder(&[
        ("service/.env.test", ERROR),
        ("elsewhere/.env.test", ERROR),
        ("elsewhere/deep/a.env", ERROR),
    ]);
    let run = lint(plain.path(), &["service"]);
    assert_eq!(run.doc["summary"]["files"]["env"], 1);
    assert_eq!(run.findings()[0].1, "service/.env.test");
    // Paths of a Cargo workspace and of a plain folder in one run: each linted as what it is.
    let both = folder(&[
        ("ws/Cargo.toml", package("ws").as_bytes()),
        ("ws/src/lib.rs", b""),
        ("ws/.env.test", ERROR),
        ("python-service/.env.test", ERROR),
    ]);
    let run = lint(both.path(), &["python-service/.env.test", "ws/.env.test"]);
    let files: Vec<String> = run.findings().into_iter().map(|f| f.1).collect();
    assert_eq!(
        files,
        ["python-service/.env.test", "ws/.env.test"],
        "{}",
        run.stderr
    );
    assert_eq!(run.doc["summary"]["files"]["env"], 2);
    let out = command(both.path(), &["-p", "ws", "python-service", "ws"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "-p needs one workspace");
}

/// Guarantee 4: Machine formats name files from the repository root; human and short from the current
/// folder, like compilers.
#[test]
fn reports_name_files_where_they_are_read() {
    let dir = folder(&[
        ("repo/.git/HEAD", b"ref: refs/heads/main\n"),
        ("repo/quickwit/Cargo.toml", package("quickwit").as_bytes()),
        ("repo/quickwit/src/lib.rs", b""),
        ("repo/quickwit/my env/.env.test", ERROR),
    ]);
    let ws = dir.path().join("repo/quickwit");
    let github = command(&ws, &["--format", "github"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&github.stdout)
            .starts_with("::error file=quickwit/my env/.env.test,line=2,"),
        "{}",
        text(&github)
    );
    let sarif: serde_json::Value = serde_json::from_slice(
        &command(&ws, &["--format", "sarif"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let run = &sarif["runs"][0];
    let repo = std::fs::canonicalize(dir.path().join("repo")).unwrap();
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", repo.display())
    );
    let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "quickwit/my%20env/.env.test");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    let json = lint(&ws, &[]);
    assert_eq!(json.findings()[0].1, "quickwit/my env/.env.test");
    let nested = ws.join("my env");
    let short = command(&nested, &["--format", "short", "--workspace"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&short.stdout).starts_with(".env.test:2:26: error"),
        "{}",
        text(&short)
    );
    let src = ws.join("src");
    let human = command(&src, &["--color", "never", "--workspace"])
        .output()
        .unwrap();
    assert!(
        text(&human).contains("[../my env/.env.test:2:26]"),
        "{}",
        text(&human)
    );
}

/// Guarantee 5: Nothing from outside the tree is read, nothing in it is overwritten.
#[test]
fn nothing_outside_is_read_and_nothing_inside_is_overwritten() {
    let dir = folder(&[(".env.test", ERROR)]);
    let root = dir.path();
    for name in ["kafka-lint.toml", ".kafka-lint.toml"] {
        std::os::unix::fs::symlink("/proc/self/environ", root.join(name)).unwrap();
        let out = command(root, &["--color", "never"])
            .env("COLUMNS", "1000")
            .env("KAFKA_LINT_TEST_SECRET", "s3cr3t-value")
            .output()
            .unwrap();
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(2), "{shown}");
        assert!(shown.contains("it is a symbolic link"), "{shown}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        std::fs::remove_file(root.join(name)).unwrap();
    }
    // --output-file: never a linted input or a link; written atomically; the findings are
    // printed even when it cannot be written.
    std::fs::write(root.join("target.json"), b"old").unwrap();
    std::os::unix::fs::symlink(root.join("target.json"), root.join("link.json")).unwrap();
    for refused in [".env.test", "link.json", "new.env"] {
        let out = unchanged(root, || {
            command(root, &["--format", "json", "--output-file", refused])
                .output()
                .unwrap()
        });
        assert_eq!(out.status.code(), Some(2), "{refused}: {}", text(&out));
        assert!(
            text(&out).contains("request-not-below-session"),
            "{refused}: the findings are printed"
        );
    }
    let out = command(
        root,
        &[
            "--format",
            "json",
            "--output-file",
            "missing-folder/report.json",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("request-not-below-session"));
    std::fs::set_permissions(
        root.join("target.json"),
        std::os::unix::fs::PermissionsExt::from_mode(0o640),
    )
    .unwrap();
    let out = command(root, &["--format", "json", "--output-file", "target.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("target.json")).unwrap()).unwrap();
    assert_eq!(
        written["diagnostics"][0]["rule"],
        "request-not-below-session"
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(root.join("target.json"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o640);
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// Guarantee 6: Nothing printed can forge or hijack output.
#[test]
fn file_names_and_text_from_the_tree_cannot_forge_output() {
    let dir = folder(&[]);
    let root = dir.path();
    let forged = "a\n.env.test:1:1: error[forged]: pwned\n.env";
    std::fs::write(root.join(forged), ERROR).unwrap();
    let escape = std::ffi::OsStr::from_bytes(b"\x1b[2Jred\xff.env");
    std::fs::write(root.join(escape), ERROR).unwrap();
    std::fs::write(
        root.join("lib.rs"),
        "use rdkafka::config::ClientConfig;\npub fn f() { let _c: rdkafka::consumer::BaseConsumer = ClientConfig::new().set(\"group.id\", \"g\").set(\"x\\u{1b}[31m.ms\", \"1\").create().unwrap(); }\n",
    )
    .unwrap();
    let short = unchanged(root, || {
        command(root, &["--format", "short"]).output().unwrap()
    });
    let lines = String::from_utf8(short.stdout.clone()).unwrap();
    let findings = lint(root, &[]).findings().len();
    assert_eq!(lines.lines().count(), findings, "{lines}");
    assert!(!lines.contains("[forged]: pwned\n"), "{lines}");
    for format in ["human", "short", "github", "json", "sarif"] {
        let out = command(root, &["--format", format, "--color", "never"])
            .output()
            .unwrap();
        assert!(
            !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
            "{format}: an escape reached the output"
        );
    }
    // A name that is not UTF-8 maps back to its bytes.
    let run = lint(root, &[]);
    let diagnostics = run.doc["diagnostics"].as_array().unwrap();
    let entry = diagnostics
        .iter()
        .find(|d| d.get("file_bytes").is_some())
        .expect("file_bytes");
    assert_eq!(entry["file_bytes"], "G1sySnJlZP8uZW52");
    let sarif = String::from_utf8(
        command(root, &["--format", "sarif"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(sarif.contains("\"uri\": \"%1B%5B2Jred%FF.env\""), "{sarif}");
}

/// Guarantee 7: Secrets stay out of logs.
#[test]
fn secrets_stay_out_of_every_format() {
    let lib = "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\n\npub fn c() -> StreamConsumer {\n    ClientConfig::new()\n        .set(\"group.id\", \"g\")\n        .set(\"sasl.password\", \"hunter2-code\")\n        .create()\n        .unwrap()\n}\n";
    let dir = folder(&[
        (
            ".env.test",
            b"DB_PASSWORD=hunter2-env\nKAFKA_SASL_PASSWORD=hunter2-kafka\nKAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_REQUEST_TIMEOUT_MS=40000\nKAFKA_BOOTSTRAP_SERVERS=sasl://user:hunter2-url@broker:9092\nAPI_TOKEN=hunter2 broken\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\nDB_PASSWORD=again\n",
        ),
        ("svc/src/lib.rs", lib.as_bytes()),
    ]);
    let root = dir.path();
    for format in ["human", "short", "github", "json", "sarif"] {
        let out = unchanged(root, || {
            command(root, &["--format", format, "-v", "--color", "never"])
                .output()
                .unwrap()
        });
        let shown = text(&out);
        assert!(
            shown.contains("request-not-below-session"),
            "{format}: {shown}"
        );
        assert!(
            !shown.contains("hunter2"),
            "{format} printed a secret:\n{shown}"
        );
    }
    let human = text(&command(root, &["--color", "never"]).output().unwrap());
    assert!(human.contains("DB_PASSWORD=***********"), "{human}");
    assert!(human.contains("KAFKA_SESSION_TIMEOUT_MS=6000"), "{human}");
}

/// Guarantee 8: Bounded resources: `-j` is capped, `-j 0` is a usage error, a huge configuration is
/// refused.
#[test]
fn resources_stay_bounded() {
    let dir = folder(&[(".env.test", ERROR)]);
    let root = dir.path();
    let zero = command(root, &["-j", "0"]).output().unwrap();
    assert_eq!(zero.status.code(), Some(2));
    assert!(text(&zero).contains("`-j 0` runs nothing"));
    let capped = lint(root, &["-j", "100000"]);
    assert_eq!(capped.doc, lint(root, &["-j", "1"]).doc);
    let big = format!("exclude = [\"{}\"]\n", "a".repeat(5 << 20));
    std::fs::write(root.join("kafka-lint.toml"), big).unwrap();
    let out = command(root, &["--color", "never"])
        .env("COLUMNS", "1000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let shown = text(&out);
    assert!(
        shown.contains("more than the 4 MiB this tool reads"),
        "{shown}"
    );
    assert!(shown.len() < 2000, "{} bytes", shown.len());
}

/// Guarantee 9: Suppressions only where they are comments; malformed ones are findings.
#[test]
fn suppressions_only_where_they_are_comments() {
    let lib = "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\n\nconst NOTE: &str = \"\n// kafka-lint: allow-file(consumer-missing-timeouts)\n\";\n\npub fn c() -> StreamConsumer {\n    ClientConfig::new().set(\"group.id\", \"g\").create().unwrap()\n}\n";
    let dir = folder(&[
        (".env.test", b"K=\"a\n# kafka-lint: allow-file(request-not-below-session)\n\"\nKAFKA_SESSION_TIMEOUT_MS=6000\nKAFKA_REQUEST_TIMEOUT_MS=40000\nKAFKA_HEARTBEAT_INTERVAL_MS=2000\n"),
        ("svc/src/lib.rs", lib.as_bytes()),
    ]);
    let run = unchanged(dir.path(), || lint(dir.path(), &[]));
    assert_eq!(
        rules(&run),
        ["request-not-below-session", "consumer-missing-timeouts"],
        "{}",
        run.stderr
    );
    let malformed = [
        "// kafka-lint: allow()",
        "// kafka-lint: deny(consumer-missing-timeouts)",
        "// KAFKA-LINT: allow(consumer-missing-timeouts)",
        "// kafka-lint allow(consumer-missing-timeouts)",
        "// kafka-lint: allow(consumer-missing-timeouts",
        "/// kafka-lint: allow(consumer-missing-timeouts)",
        "/* kafka-lint: allow(consumer-missing-timeouts) */",
    ];
    for comment in malformed {
        let lib = format!(
            "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\n\n{comment}\npub fn c() -> StreamConsumer {{\n    ClientConfig::new().set(\"group.id\", \"g\").create().unwrap()\n}}\n"
        );
        let dir = folder(&[("svc/src/lib.rs", lib.as_bytes())]);
        let run = lint(dir.path(), &[]);
        assert!(
            run.has("invalid-suppression", "svc/src/lib.rs", 4, 1),
            "{comment}: {:?}",
            run.findings()
        );
        assert!(
            run.has("consumer-missing-timeouts", "svc/src/lib.rs", 6, 46),
            "{comment}: {:?}",
            run.findings()
        );
    }
}

/// Guarantee 10: Clear output at the edges.
#[test]
fn the_edges_of_the_command_line_are_clear() {
    let dir = folder(&[(".env.test", ERROR)]);
    let root = dir.path();
    let help = text(&command(root, &["--help"]).output().unwrap());
    assert!(help.contains("Rust sources"), "{help}");
    let explain = command(root, &["explain"]).output().unwrap();
    assert_eq!(explain.status.code(), Some(0));
    assert!(text(&explain).contains("request-not-below-session"));
    for typed in [
        "SLOW-TEST-TEARDOWN",
        "slow_test_teardown",
        "slow-test-teardwon",
    ] {
        let out = command(root, &["-A", typed]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out).contains("did you mean `slow-test-teardown`"),
            "{typed}: {}",
            text(&out)
        );
    }
    let dumb = command(root, &["--color", "auto"])
        .env("TERM", "dumb")
        .output()
        .unwrap();
    let shown = text(&dumb);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('╭') && !shown.contains('│'),
        "{shown}"
    );
    assert!(shown.contains("request-not-below-session"));
    // The message wraps at `COLUMNS`.
    let at = |columns: &str| {
        text(
            &command(root, &["--color", "never"])
                .env("COLUMNS", columns)
                .output()
                .unwrap(),
        )
    };
    let (narrow, wide) = (at("50"), at("200"));
    let message_lines = |t: &str| t.lines().take_while(|l| !l.contains("╭─[")).count();
    assert!(
        message_lines(&narrow) > message_lines(&wide),
        "{narrow}\n{wide}"
    );
    assert!(
        narrow
            .lines()
            .take(message_lines(&narrow))
            .all(|l| l.chars().count() <= 50),
        "{narrow}"
    );
    let purple = command(root, &[])
        .env("CARGO_TERM_COLOR", "purple")
        .output()
        .unwrap();
    assert_eq!(purple.status.code(), Some(1));
}

/// Guarantee 10, configuration: no internal type names, a minimum above its maximum points at
/// both, no huge line printed, and the summary says how to see unresolved consumers.
#[test]
fn configuration_errors_and_the_summary_are_clear() {
    let dir = folder(&[(".env.test", ERROR)]);
    let root = dir.path();
    let wide = |root: &Path| {
        text(
            &command(root, &["--color", "never"])
                .env("COLUMNS", "1000")
                .output()
                .unwrap(),
        )
    };
    std::fs::write(
        root.join("kafka-lint.toml"),
        "[[bounds]]\nkey = \"A\"\nfiles = 3\n",
    )
    .unwrap();
    let shown = wide(root);
    assert!(
        !shown.contains("FilesConfig") && !shown.contains("enum"),
        "{shown}"
    );
    std::fs::write(
        root.join("kafka-lint.toml"),
        "[broker]\nmin-session-timeout-ms = 9000\nmax-session-timeout-ms = 8000\n",
    )
    .unwrap();
    let shown = wide(root);
    assert!(shown.contains("is above its maximum"), "{shown}");
    assert!(
        shown.contains("the minimum") && shown.contains("is above this maximum"),
        "{shown}"
    );
    std::fs::write(
        root.join("kafka-lint.toml"),
        format!("exclude = [\"{}\", 1]\n", "x".repeat(200_000)),
    )
    .unwrap();
    let shown = text(&command(root, &["--color", "never"]).output().unwrap());
    assert!(
        shown.len() < 4000,
        "a config error printed {} bytes",
        shown.len()
    );
    std::fs::remove_file(root.join("kafka-lint.toml")).unwrap();
    // The summary says how to see unresolved consumers.
    let lib = "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\npub fn c(m: &[(String, String)]) -> StreamConsumer {\n    let mut c = ClientConfig::new();\n    for (k, v) in m { c.set(k, v); }\n    c.create().unwrap()\n}\n";
    let unresolved = folder(&[("svc/src/lib.rs", lib.as_bytes())]);
    let shown = wide(unresolved.path());
    assert!(
        shown.contains("1 unresolved: `-W unresolved-consumer-config` or `-v` lists them"),
        "{shown}"
    );
}
