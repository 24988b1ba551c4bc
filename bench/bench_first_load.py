"""First-load benchmark: a whole sample from files to queryable, through the bulk path
(`goldenbell ingest --bulk` with every file, passages included), and beside it the online
path (`goldenbell ingest` for the registries, then `goldenbell events import` for the
passages), each into a fresh store of its own.

    .venv/bin/python bench/bench_first_load.py --sample DIR              # both paths
    .venv/bin/python bench/bench_first_load.py --sample DIR --no-online  # the bulk path only

Prints each command's wall time, its peak RSS (the goldenbell process and its mapping
workers, not Neo4j or its import tool) and rows per second, the bulk load's steps with the
second each began, and the ratio of the two paths. "Queryable" is when the last command
returns: the server is up, the constraints and indexes are online, the passages are in the
event store and their links in the graph. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
GOLDENBELL = str(ROOT / ".venv" / "bin" / "goldenbell")
PASSAGES = ("checkpoint_passages.csv", "gate_passages.jsonl")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree_rss(process: psutil.Process) -> int:
    """RSS of a goldenbell process and its Python children (its mapping workers)."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            if "java" not in p.name():
                total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, int, str, str]:
    """(seconds, peak RSS in bytes, stdout, stderr) of one command, which must succeed."""
    began = time.monotonic()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def watch() -> None:
        process = psutil.Process(child.pid)
        while child.poll() is None:
            try:
                peak[0] = max(peak[0], _tree_rss(process))
            except psutil.NoSuchProcess:
                return
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = child.communicate()
    watcher.join()
    if child.returncode != 0:
        sys.exit(f"{' '.join(argv[:3])} failed ({child.returncode}):\n{err[-3000:]}")
    return time.monotonic() - began, peak[0], out, err


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOLDENBELL_", "NEO4J_"))}
    env.update(
        GOLDENBELL_HOME=str(home),
        GOLDENBELL_BOLT_PORT=str(_free_port()),
        GOLDENBELL_HEAP=os.environ.get("GOLDENBELL_HEAP", "4g"),
        GOLDENBELL_PAGECACHE=os.environ.get("GOLDENBELL_PAGECACHE", "6g"),
    )
    return env


def _row(what: str, seconds: float, rss: int, rows: int) -> None:
    print(f"  {what:<34} {seconds:8.1f} s  {rss / 1e6:7.0f} MB  {rows:>11,} rows  {rows / seconds:>9,.0f} rows/s")


def _report(out: str) -> dict:
    return json.loads(out[out.index("{") :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=Path, required=True, help="a folder `goldenbell synth` wrote")
    parser.add_argument("--no-online", action="store_true", help="skip the online importer's run")
    args = parser.parse_args()
    files = sorted(
        str(p) for p in args.sample.iterdir() if p.suffix in (".csv", ".xlsx", ".jsonl") and p.name not in PASSAGES
    )
    passages = [str(args.sample / name) for name in PASSAGES if (args.sample / name).exists()]
    scratch = Path(tempfile.mkdtemp(prefix="goldenbell-first-load-"))
    try:
        cores = os.cpu_count()
        print(f"sample {args.sample}: {len(files)} registry files, {len(passages)} passage files; {cores} cores")
        env = _env(scratch / "bulk")
        print("bulk path (fresh store, one command):")
        bulk_s, bulk_rss, out, err = _timed([GOLDENBELL, "ingest", "--bulk", "--json", *files, *passages], env)
        bulk = _report(out)
        _row("ingest --bulk (every file)", bulk_s, bulk_rss, bulk["rows_read"])
        for line in err.splitlines():
            if line.startswith("bulk load, "):
                print(f"    {line[len('bulk load, ') :]}")
        print(f"  files to queryable: {bulk_s:.0f} s ({bulk_s / 60:.1f} min), {bulk['rows_rejected']:,} rejects")
        subprocess.run([GOLDENBELL, "db", "stop"], env=env, capture_output=True, check=False)
        if not args.no_online:
            env = _env(scratch / "online")
            print("online path (fresh store, same files):")
            subprocess.run([GOLDENBELL, "db", "start", "--no-warmup"], env=env, capture_output=True, check=True)
            subprocess.run([GOLDENBELL, "db", "init"], env=env, capture_output=True, check=True)
            online_s, online_rss, out, _ = _timed([GOLDENBELL, "ingest", "--json", *files], env)
            _row("ingest (registries)", online_s, online_rss, _report(out)["rows_read"])
            events_s, events_rss, out, _ = _timed([GOLDENBELL, "events", "import", "--json", *passages], env)
            events = _report(out)
            _row("events import (passages)", events_s, events_rss, events["rows_read"])
            print(f"    of which seen-at and drove links through Cypher: {events['seen_at_seconds']:.1f} s")
            total = online_s + events_s
            print(f"  files to queryable: {total:.0f} s ({total / 60:.1f} min)")
            print(f"  bulk / online, files to queryable: {total / bulk_s:.2f}x faster")
            subprocess.run([GOLDENBELL, "db", "stop"], env=env, capture_output=True, check=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
