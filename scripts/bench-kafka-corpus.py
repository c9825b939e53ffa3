#!/usr/bin/env python3
"""Benchmark cargo-kafka-lint where Kafka code lives in big crates, cold, warm and after edits.

Usage: scripts/bench-kafka-corpus.py [--corpus DIR] [--runs N] [--threads N]

The corpus is seven public repositories, outside this one: vectordotdev/vector,
risingwavelabs/risingwave, ArroyoSystems/arroyo, fede1024/rust-rdkafka, getsentry/arroyo
(Kafka code in big crates), and rust-lang/cargo, tokio-rs/tokio (none). Missing ones are
cloned with `git clone --depth 1` into DIR (default $TMPDIR/kafka-lint-corpus); any checkout
of them works (the figures in README.md were taken on the snapshots this project's search tool
fetched, with only `*.rs`, `Cargo.toml` and `Cargo.lock` files: 64.6 MB of Rust).

Measured in the same run, `--runs` times each (median), from inside the corpus folder: the
syn parse-everything loop (`benches/floor.rs`), `rg -c ClientConfig` (Debian's `ripgrep`), the
tool with `--no-cache` (cold), with a cache that holds the previous run (warm), after editing
one file that the analysis does not need in the largest crate (Vector's remap transform) and
after editing one that it does (Vector's Kafka source), the same with `--no-prefilter`, and
the tool cold on the two repositories without Kafka code against `rg` there. Wall time, CPU
time and peak RSS come from `os.wait4`. Edits append a comment and date the file ten seconds
back (files changed in the last two seconds are never cached), and are undone at the end.
Prints a Markdown table and the targets of the project with PASS or FAIL.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from bench import measure, setup  # noqa: E402

REPOS = [
    "vectordotdev/vector",
    "risingwavelabs/risingwave",
    "ArroyoSystems/arroyo",
    "fede1024/rust-rdkafka",
    "getsentry/arroyo",
    "rust-lang/cargo",
    "tokio-rs/tokio",
]
WITHOUT_KAFKA = ["rust-lang+cargo", "tokio-rs+tokio"]
NOT_NEEDED = "vectordotdev+vector/src/transforms/remap.rs"
NEEDED = "vectordotdev+vector/src/sources/kafka.rs"


def folder(repo):
    return repo.replace("/", "+")


def build_corpus(corpus):
    corpus.mkdir(parents=True, exist_ok=True)
    for repo in REPOS:
        target = corpus / folder(repo)
        if not target.exists():
            subprocess.run(
                ["git", "clone", "--quiet", "--depth", "1", f"https://github.com/{repo}", str(target)],
                check=True,
            )
    return corpus


def rust_bytes(root):
    return sum(p.stat().st_size for p in Path(root).rglob("*.rs") if p.is_file() and not p.is_symlink())


class Edit:
    """Appends a comment to a file and dates it back; undone on exit."""

    def __init__(self, path):
        self.path = path
        self.saved = path.read_bytes()
        self.stat = path.stat()

    def __enter__(self):
        self.path.write_bytes(self.saved + b"\n// edited by bench-kafka-corpus.py\n")
        past = time.time() - 10
        os.utime(self.path, (past, past))

    def __exit__(self, *_):
        self.path.write_bytes(self.saved)
        os.utime(self.path, ns=(self.stat.st_atime_ns, self.stat.st_mtime_ns))


def main():
    args, tool, floor = setup(__doc__, "kafka-lint-corpus")
    corpus = build_corpus(Path(args.corpus))
    threads = str(args.threads)
    cache = Path(tempfile.mkdtemp(prefix="kafka-lint-bench-cache-"))
    lint = [tool, "--format", "json", "-j", threads]
    cached = lint + ["--cache-dir", str(cache)]
    rows = {}
    rows["syn parse-everything loop"] = measure([floor, ".", "--threads", threads], corpus, args.runs)
    if shutil.which("rg"):
        rows["rg -c ClientConfig"] = measure(["rg", "-c", "ClientConfig", "-j", threads, "."], corpus, args.runs)
    rows["cargo-kafka-lint, cold (--no-cache)"] = measure(lint + ["--no-cache"], corpus, args.runs)
    rows["cargo-kafka-lint, --no-prefilter --no-cache"] = measure(lint + ["--no-cache", "--no-prefilter"], corpus, 1)
    subprocess.run(cached, cwd=corpus, stdout=subprocess.DEVNULL)
    rows["cargo-kafka-lint, warm (nothing changed)"] = measure(cached, corpus, args.runs)

    def after_edit(relative):
        walls = []
        for _ in range(args.runs):
            with Edit(corpus / relative):
                walls.append(measure(cached, corpus, 1))
            subprocess.run(cached, cwd=corpus, stdout=subprocess.DEVNULL)
        return {k: statistics.median(w[k] for w in walls) if k != "rss" else max(w[k] for w in walls) for k in walls[0]}

    rows["cargo-kafka-lint, one file the analysis does not need changed (Vector)"] = after_edit(NOT_NEEDED)
    rows["cargo-kafka-lint, one Kafka file changed (Vector)"] = after_edit(NEEDED)
    for name in WITHOUT_KAFKA:
        rows[f"cargo-kafka-lint, cold, {name}"] = measure(lint + ["--no-cache"], corpus / name, args.runs)
        if shutil.which("rg"):
            rows[f"rg -c ClientConfig, {name}"] = measure(["rg", "-c", "ClientConfig", "-j", threads, "."], corpus / name, args.runs)
    shutil.rmtree(cache, ignore_errors=True)

    size = rust_bytes(corpus)
    cpu = subprocess.run(["bash", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    print(f"Corpus: {size / 1e6:.1f} MB of Rust; {os.cpu_count()} cores ({cpu}); {args.threads} threads; median of {args.runs} runs.\n")
    print("| command | wall (ms) | CPU (ms) | peak RSS (MiB) |")
    print("|---|---:|---:|---:|")
    for name, r in rows.items():
        print(f"| {name} | {r['wall'] * 1000:.0f} | {r['cpu'] * 1000:.0f} | {r['rss']:.1f} |")

    floor_wall = rows["syn parse-everything loop"]["wall"]
    checks = []
    cold = rows["cargo-kafka-lint, cold (--no-cache)"]
    checks.append((f"cold ≤ 0.25 × the syn floor: {cold['wall'] / floor_wall:.2f} ×", cold["wall"] <= 0.25 * floor_wall))
    checks.append((f"cold peak RSS ≤ 150 MiB: {cold['rss']:.1f} MiB", cold["rss"] <= 150))
    warm = rows["cargo-kafka-lint, warm (nothing changed)"]
    checks.append((f"warm ≤ 0.05 × the syn floor: {warm['wall'] / floor_wall:.3f} ×", warm["wall"] <= 0.05 * floor_wall))
    for label, key in [("a file it does not need", "cargo-kafka-lint, one file the analysis does not need changed (Vector)"),
                       ("a Kafka file", "cargo-kafka-lint, one Kafka file changed (Vector)")]:
        r = rows[key]
        checks.append((f"{label} changed in the largest crate ≤ 0.1 × the syn floor: {r['wall'] / floor_wall:.3f} ×", r["wall"] <= 0.1 * floor_wall))
    for name in WITHOUT_KAFKA:
        key = f"rg -c ClientConfig, {name}"
        if key in rows:
            ratio = rows[f"cargo-kafka-lint, cold, {name}"]["wall"] / rows[key]["wall"]
            checks.append((f"{name} (no Kafka code) ≤ 3 × rg: {ratio:.2f} ×", ratio <= 3))
    print()
    for text, ok in checks:
        print(f"- {'PASS' if ok else 'FAIL'}: {text}")


if __name__ == "__main__":
    main()
