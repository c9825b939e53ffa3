#!/usr/bin/env python3
"""Benchmark how cargo-kafka-lint scales with the size of a workspace and of its findings.

Usage: scripts/bench-scale.py [--binary PATH] [--runs N] [--dir DIR] [--jobs N]

Generates, in a temporary folder (or DIR), trees that the tool must handle in time linear in
their size, then times the tool on each (median of `--runs`, wall time and peak RSS from
`os.wait4`):

- `workspace-10x100` and `workspace-1000x100`: a Cargo workspace of 10 and of 1000 member crates,
  each creating a group consumer that reads its timeouts from the environment, with 100
  `.env.test` files (one at the root, the others in member folders). The 1000-crate run must take
  about as long as the 10-crate run plus the extra files: the work must not grow as
  consumers x env files x packages.
- `findings-10000`: one env file with 10,000 malformed timeouts, rendered in the human format
  and in the short format. Human output must be linear in the findings.
- `kafka-crate-5mb` and `kafka-crate-<N>mb` (`--kafka-mb`, default 50): one crate whose every
  file builds consumers through a helper of its module, among as much code that does not touch
  Kafka; the whole crate is parsed and analysed. Time must be linear in the size; peak memory
  is reported (today it grows with the crate: every syntax tree is held).

The binary defaults to `target/release/cargo-kafka-lint` (build it with `cargo build --release`).
Prints a Markdown table and the targets with PASS or FAIL.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def workspace(root, crates, env_files):
    if root.exists():
        return
    members = ", ".join(f'"crates/c{n}"' for n in range(crates))
    write(root / "Cargo.toml", f"[workspace]\nresolver = \"2\"\nmembers = [{members}]\n")
    for n in range(crates):
        crate = root / "crates" / f"c{n}"
        write(
            crate / "Cargo.toml",
            f'[package]\nname = "c{n}"\nversion = "0.1.0"\nedition = "2021"\n',
        )
        write(
            crate / "src" / "lib.rs",
            "use rdkafka::config::ClientConfig;\n"
            "use rdkafka::consumer::StreamConsumer;\n\n"
            "pub fn consumer() -> StreamConsumer {\n"
            "    ClientConfig::new()\n"
            f'        .set("group.id", "g{n}")\n'
            '        .set("session.timeout.ms", std::env::var("KAFKA_SESSION_TIMEOUT_MS").unwrap())\n'
            '        .set("heartbeat.interval.ms", std::env::var("KAFKA_HEARTBEAT_INTERVAL_MS").unwrap())\n'
            '        .set("socket.timeout.ms", std::env::var("KAFKA_REQUEST_TIMEOUT_MS").unwrap())\n'
            "        .create()\n"
            "        .unwrap()\n"
            "}\n",
        )
    env = (
        "KAFKA_SESSION_TIMEOUT_MS=6000\n"
        "KAFKA_HEARTBEAT_INTERVAL_MS=2000\n"
        "KAFKA_REQUEST_TIMEOUT_MS=40000\n"
    )
    write(root / ".env.test", env)
    step = max(1, crates // max(1, env_files - 1))
    for k in range(env_files - 1):
        write(root / "crates" / f"c{(k * step) % crates}" / f"k{k}" / ".env.test", env)


def kafka_crate(root, megabytes):
    if root.exists():
        return
    write(root / "Cargo.toml", '[package]\nname = "big"\nversion = "0.1.0"\nedition = "2021"\n')
    unit = []
    unit.append("use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::{Consumer, StreamConsumer};\n\n")
    unit.append("fn base(group: &str) -> ClientConfig {\n    let mut c = ClientConfig::new();\n")
    unit.append('    c.set("bootstrap.servers", "localhost:9092").set("group.id", group);\n    c\n}\n\n')
    for n in range(40):
        unit.append(
            f"pub fn consumer_{n}() -> StreamConsumer {{\n"
            f'    let c: StreamConsumer = base("g{n}")\n'
            '        .set("session.timeout.ms", "6000")\n'
            '        .set("heartbeat.interval.ms", "2000")\n'
            "        .create()\n"
            "        .unwrap();\n"
            f'    c.subscribe(&["t{n}"]).unwrap();\n'
            "    c\n}\n\n"
        )
        unit.append(
            f"pub fn work_{n}(xs: &[u64]) -> u64 {{\n"
            "    let mut total = 0;\n"
            "    for (i, x) in xs.iter().enumerate() {\n"
            "        if i % 3 == 0 { total += x * 2; } else { total ^= x.rotate_left(7); }\n"
            "    }\n"
            "    total\n}\n\n"
        )
    text = "".join(unit)
    files = max(1, megabytes * 1024 * 1024 // len(text.encode()))
    mods = "".join(f"pub mod m{k};\n" for k in range(files))
    write(root / "src" / "lib.rs", mods)
    for k in range(files):
        write(root / "src" / f"m{k}.rs", text)


def findings(root, count):
    if root.exists():
        return
    lines = "".join(f"P{n}_KAFKA_SESSION_TIMEOUT_MS=06000\n" for n in range(count))
    write(root / ".env", lines)


def measure(command, cwd, runs):
    walls, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{' '.join(map(str, command))} exited with {code}")
    return statistics.median(walls), max(peaks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(REPO / "target/release/cargo-kafka-lint"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default=None)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated trees")
    parser.add_argument("--kafka-mb", type=int, default=50, help="size of the large Kafka crate")
    args = parser.parse_args()
    base = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="kafka-lint-scale-"))
    small, large, many = base / "workspace-10x100", base / "workspace-1000x100", base / "findings-10000"
    workspace(small, 10, 100)
    workspace(large, 1000, 100)
    findings(many, 10_000)
    crate_small = base / "kafka-crate-5mb"
    crate_large = base / f"kafka-crate-{args.kafka_mb}mb"
    kafka_crate(crate_small, 5)
    kafka_crate(crate_large, args.kafka_mb)
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    binary = [args.binary, "--color", "never", *jobs]
    rows = [
        ("workspace-10x100", binary + ["--format", "json"], small),
        ("workspace-1000x100", binary + ["--format", "json"], large),
        ("findings-10000 (human)", binary, many),
        ("findings-10000 (short)", binary + ["--format", "short"], many),
        ("kafka-crate-5mb", binary + ["--format", "json"], crate_small),
        (f"kafka-crate-{args.kafka_mb}mb", binary + ["--format", "json"], crate_large),
    ]
    results = {}
    print("| tree | wall (median) | peak RSS |")
    print("|---|---|---|")
    for name, command, cwd in rows:
        wall, peak = measure(command, cwd, args.runs)
        results[name] = wall
        print(f"| {name} | {wall * 1000:.0f} ms | {peak:.1f} MiB |")
    ratio = results["workspace-1000x100"] / results["workspace-10x100"]
    human = results["findings-10000 (human)"]
    targets = [
        (
            f"1000 crates take at most 100 x the time of 10 crates (linear in crates): {ratio:.1f} x",
            ratio <= 100,
        ),
        (f"10,000 findings in the human format within 5 s: {human:.2f} s", human <= 5),
        (
            f"a {args.kafka_mb} MB Kafka crate takes at most {args.kafka_mb // 5} x the time of a 5 MB one (linear in size): "
            f"{results[f'kafka-crate-{args.kafka_mb}mb'] / results['kafka-crate-5mb']:.1f} x",
            results[f"kafka-crate-{args.kafka_mb}mb"] / results["kafka-crate-5mb"] <= args.kafka_mb / 5,
        ),
    ]
    for text, ok in targets:
        print(f"- {'PASS' if ok else 'FAIL'}: {text}")
    if not args.dir and not args.keep:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
