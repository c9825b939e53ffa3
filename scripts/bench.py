#!/usr/bin/env python3
"""Benchmark cargo-kafka-lint against the floors and a peer, on a corpus of real Rust.

Usage: scripts/bench.py [--corpus DIR] [--runs N] [--threads N]

Builds (once) a corpus outside the repository: `cargo vendor` of a list of large crates from
crates.io until it holds at least 50 MB of `.rs`, plus the demo workspace's consumers (known
mistakes), and a half corpus of hard links. Then measures, in the same run, each command
`--runs` times (median): `cat` of every file, `rg -c ClientConfig`, the syn parse-everything
loop (`benches/floor.rs`), the tool with and without the prefilter (and on one thread), and
ast-grep with a rule for `ClientConfig::new()...create()` chains (`pip install ast-grep-cli`;
skipped when missing). Wall time, CPU time and peak RSS come from `os.wait4` of each run.
Prints a Markdown table and the targets of the project with PASS or FAIL.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CRATES = [
    ("tokio", '{ version = "1", features = ["full"] }'),
    ("rdkafka", '"0.38"'),
    ("serde", '{ version = "1", features = ["derive"] }'),
    ("serde_json", '"1"'),
    ("syn", '{ version = "2", features = ["full"] }'),
    ("clap", '{ version = "4", features = ["derive"] }'),
    ("regex", '"1"'),
    ("hyper", '{ version = "1", features = ["full"] }'),
    ("rustls", '"0.23"'),
    ("reqwest", '"0.12"'),
    ("tonic", '"0.12"'),
    ("axum", '"0.7"'),
    ("sqlx", '{ version = "0.8", features = ["postgres", "runtime-tokio"] }'),
    ("aws-sdk-s3", '"1"'),
    ("windows-sys", '{ version = "0.59", features = ["Win32_Foundation", "Win32_System_Threading"] }'),
]
RULE = """id: consumer-chain
language: rust
rule:
  all:
    - pattern: $CONFIG.create()
    - has: { pattern: ClientConfig::new(), stopBy: end }
"""


def rust_bytes(folder):
    total = files = 0
    for path in Path(folder).rglob("*.rs"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return files, total


def build_corpus(base):
    corpus = base / "corpus"
    if corpus.exists():
        return corpus
    manifest = base / "manifest"
    (manifest / "src").mkdir(parents=True, exist_ok=True)
    deps = "\n".join(f"{name} = {spec}" for name, spec in CRATES)
    (manifest / "Cargo.toml").write_text(
        f'[package]\nname = "kafka-lint-bench-corpus"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n{deps}\n'
    )
    (manifest / "src" / "lib.rs").write_text("")
    subprocess.run(
        ["cargo", "vendor", "--versioned-dirs", "--manifest-path", str(manifest / "Cargo.toml"), str(corpus / "vendor")],
        check=True, stdout=subprocess.DEVNULL,
    )
    shutil.copytree(REPO / "fixtures" / "demo", corpus / "kafka-demo")
    return corpus


def build_half(base, corpus):
    """Hard links to crates holding about half of the corpus's bytes of Rust."""
    half = base / "corpus-half"
    if half.exists():
        return half
    crates = sorted((corpus / "vendor").iterdir())
    target = rust_bytes(corpus)[1] / 2
    taken = 0
    # The crates the tool analyses (rdkafka's own) stay in both corpora, so that the half
    # corpus differs only in what the prefilter skips.
    first = [c for c in crates if c.name.startswith("rdkafka")]
    for crate in first + [c for c in crates[::2] + crates[1::2] if c not in first]:
        size = rust_bytes(crate)[1]
        if taken + size > target * 1.05:
            continue
        shutil.copytree(crate, half / "vendor" / crate.name, copy_function=os.link)
        taken += size
    shutil.copytree(corpus / "kafka-demo", half / "kafka-demo", copy_function=os.link)
    return half


def measure(command, cwd, runs):
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        rss.append(usage.ru_maxrss / 1024)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "rss": max(rss)}


def executable(bench):
    out = subprocess.run(
        ["cargo", "bench", "--bench", bench, "--no-run", "--message-format", "json"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable") and message["target"]["name"] == bench:
            return message["executable"]
    sys.exit(f"no executable for bench {bench}")


def setup(doc, corpus_name):
    """The arguments every benchmark takes, the release build of the tool and the syn floor."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--corpus", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), corpus_name))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=REPO, check=True)
    return args, str(REPO / "target" / "release" / "cargo-kafka-lint"), executable("floor")


def main():
    args, tool, floor = setup(__doc__, "kafka-lint-bench")
    base = Path(args.corpus)
    base.mkdir(parents=True, exist_ok=True)
    corpus = build_corpus(base)
    half = build_half(base, corpus)
    files, size = rust_bytes(corpus)
    half_files, half_size = rust_bytes(half)
    if size < 50e6:
        print(f"warning: the corpus holds {size / 1e6:.1f} MB of Rust, less than 50 MB", file=sys.stderr)
    threads = str(args.threads)
    rule = base / "consumer-chain.yml"
    rule.write_text(RULE)
    ast_grep = shutil.which("ast-grep")
    commands = {
        "cat every file": ["bash", "-c", "find . -name '*.rs' -type f -print0 | xargs -0 cat > /dev/null"],
        "rg -c ClientConfig": ["rg", "-c", "ClientConfig", "-j", threads, "."],
        "syn parse-everything loop": [floor, ".", "--threads", threads],
        "cargo-kafka-lint": [tool, "--format", "json", "-j", threads],
        "cargo-kafka-lint, no prefilter": [tool, "--format", "json", "-j", threads, "--no-prefilter"],
        "cargo-kafka-lint, no prefilter, 1 thread": [tool, "--format", "json", "-j", "1", "--no-prefilter"],
    }
    if shutil.which("rg") is None:
        del commands["rg -c ClientConfig"]
    if ast_grep:
        commands["ast-grep scan (consumer chains)"] = [ast_grep, "scan", "-r", str(rule), "-j", threads, "."]
    results = {name: measure(cmd, corpus, args.runs) for name, cmd in commands.items()}
    half_tool = measure(commands["cargo-kafka-lint"], half, args.runs)
    half_no_prefilter = measure(commands["cargo-kafka-lint, no prefilter"], half, args.runs)
    demo = measure([tool, "--manifest-path", str(REPO / "fixtures" / "demo" / "Cargo.toml")], REPO, max(args.runs, 10))

    cpu = subprocess.run(["bash", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    print(f"Corpus: {files} Rust files, {size / 1e6:.1f} MB ({half_files} files, {half_size / 1e6:.1f} MB in the half corpus); "
          f"{os.cpu_count()} cores ({cpu}); {args.threads} threads; median of {args.runs} runs.\n")
    print("| command | wall (ms) | CPU (ms) | peak RSS (MiB) | files/s | MB/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['wall'] * 1000:.0f} | {r['cpu'] * 1000:.0f} | {r['rss']:.1f} | {files / r['wall']:.0f} | {size / 1e6 / r['wall']:.1f} |")
    print(f"| cargo-kafka-lint on the half corpus | {half_tool['wall'] * 1000:.0f} | {half_tool['cpu'] * 1000:.0f} | {half_tool['rss']:.1f} | | |")
    print(f"| cargo-kafka-lint on the demo workspace (with `cargo metadata`) | {demo['wall'] * 1000:.1f} | {demo['cpu'] * 1000:.1f} | {demo['rss']:.1f} | | |")

    tool_r = results["cargo-kafka-lint"]
    checks = []
    if "rg -c ClientConfig" in results:
        ratio = tool_r["wall"] / results["rg -c ClientConfig"]["wall"]
        checks.append((f"wall ≤ 3 × rg: {ratio:.2f} ×", ratio <= 3))
    if ast_grep:
        ratio = tool_r["wall"] / results["ast-grep scan (consumer chains)"]["wall"]
        checks.append((f"wall ≤ 0.1 × ast-grep: {ratio:.3f} ×", ratio <= 0.1))
    ratio = results["cargo-kafka-lint, no prefilter"]["wall"] / results["syn parse-everything loop"]["wall"]
    checks.append((f"no prefilter ≤ 1.15 × the syn loop: {ratio:.2f} ×", ratio <= 1.15))
    checks.append((f"peak RSS ≤ 100 MiB: {tool_r['rss']:.1f} MiB", tool_r["rss"] <= 100))
    spread = abs(tool_r["rss"] - half_tool["rss"]) / tool_r["rss"]
    checks.append((f"peak RSS within 10 % of the half corpus: {spread * 100:.1f} %", spread <= 0.10))
    checks.append((f"demo end to end ≤ 150 ms: {demo['wall'] * 1000:.1f} ms", demo["wall"] <= 0.150))
    ratio = results["cargo-kafka-lint, no prefilter"]["wall"] / half_no_prefilter["wall"]
    growth = size / half_size
    checks.append((f"{growth:.2f} × the Rust takes at most {growth:.2f} × the time (no prefilter): {ratio:.2f} ×", ratio <= growth))
    speedup = results["cargo-kafka-lint, no prefilter, 1 thread"]["wall"] / results["cargo-kafka-lint, no prefilter"]["wall"]
    checks.append((f"2 threads ≥ 1.7 × faster than 1 (no prefilter): {speedup:.2f} ×", speedup >= 1.7))
    print()
    for text, ok in checks:
        print(f"- {'PASS' if ok else 'FAIL'}: {text}")


if __name__ == "__main__":
    main()
