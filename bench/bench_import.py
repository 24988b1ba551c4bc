"""Import benchmark: this importer against Neo4j's own LOAD CSV and against one
transaction per row, on the same passages file, side by side in one run.

    .venv/bin/python bench/bench_import.py                      # 100,000 persons
    .venv/bin/python bench/bench_import.py --persons 1000000 --no-whole-sample --graph-rows 500000   # city scale

What runs, each on an emptied database with the schema's constraints and indexes:

- importer: `goldenbell ingest` on checkpoint_passages.csv (the largest source) in its
  own process: normalising and validating every value, rejects, provenance, resumable
  batches. Peak RSS is that process's own, at full size and on a tenth of the file, to
  show memory stays flat as files grow.
- LOAD CSV baseline: the same rows into the same graph shape with
  `LOAD CSV … CALL { … } IN TRANSACTIONS`, run by the server itself, with no
  validation, no normalisation and no provenance; and once more writing the same
  provenance the importer writes, to show how much of the difference that is.
- naive baseline: one write transaction per row through the driver, on a subset.

With `--graph-rows N` the importer and the LOAD CSV baselines take the first N rows of the
file (at city scale the whole file is hours for them): into an empty graph, their fastest
case, so the event store's ratio to them is, if anything, understated.

- event store: `goldenbell events import` on the same file (and on gate_passages.jsonl):
  the same validation, reject reasons and provenance, into Parquet partitions read by
  DuckDB instead of Passage nodes; in its own process, with its peak RSS, on the whole
  file (`--event-runs` times, 3 by default, into an emptied store, each run after a sync
  of what the run before wrote: the median run is quoted, each run's rate printed) and on
  a tenth of it.

The whole sample is also imported once to report the importer's overall rate. A
dedicated local Neo4j is started for the run (or NEO4J_URI is used). Prints figures
and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import admin, ddl, local_server  # noqa: E402
from graph.gateway import Gateway  # noqa: E402
from settings.table import Settings  # noqa: E402
from workspace import Workspace  # noqa: E402

PASSAGES = "checkpoint_passages.csv"
GATE_PASSAGES = "gate_passages.jsonl"
REFERENCE_FILES = ("checkpoints.csv", "compound_gates.csv")

LOAD_CSV = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (p:Passage {passage_id: row.`过车编号`})
  SET p.plate = row.`号牌号码`, p.place_id = row.`检查站编号`,
      p.time = datetime(replace(row.`过车时间`, ' ', 'T') + '+08:00'),
      p.direction = row.`方向`, p.lane = toInteger(row.`车道`)
  MERGE (v:Vehicle {plate: row.`号牌号码`})
  MERGE (p)-[:OF_VEHICLE]->(v)
  WITH p, row
  MATCH (c:Checkpoint {checkpoint_id: row.`检查站编号`})
  MERGE (p)-[:PASSED_AT]->(c)
} IN TRANSACTIONS OF $batch ROWS
"""

# The same, writing the provenance the importer writes: how much of the gap is provenance.
_PROVENANCE = (
    "ON CREATE SET {v}.prov_run = $run, {v}.prov_source = $source, {v}.prov_file = $file, "
    "{v}.prov_row = linenumber(), {v}.first_seen = $now SET {v}.last_seen = $now"
)
LOAD_CSV_PROVENANCE = f"""
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {{
  MERGE (p:Passage {{passage_id: row.`过车编号`}})
  {_PROVENANCE.format(v="p")}
  SET p.plate = row.`号牌号码`, p.place_id = row.`检查站编号`,
      p.time = datetime(replace(row.`过车时间`, ' ', 'T') + '+08:00'),
      p.direction = row.`方向`, p.lane = toInteger(row.`车道`)
  MERGE (v:Vehicle {{plate: row.`号牌号码`}})
  {_PROVENANCE.format(v="v")}
  MERGE (p)-[o:OF_VEHICLE]->(v)
  {_PROVENANCE.format(v="o")}
  WITH p, row
  MATCH (c:Checkpoint {{checkpoint_id: row.`检查站编号`}})
  MERGE (p)-[a:PASSED_AT]->(c)
  {_PROVENANCE.format(v="a")}
}} IN TRANSACTIONS OF $batch ROWS
"""

NAIVE = """
MERGE (p:Passage {passage_id: $id})
SET p.plate = $plate, p.place_id = $place, p.time = datetime($time), p.direction = $direction
MERGE (v:Vehicle {plate: $plate})
MERGE (p)-[:OF_VEHICLE]->(v)
WITH p
MATCH (c:Checkpoint {checkpoint_id: $place})
MERGE (p)-[:PASSED_AT]->(c)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh(gateway: Gateway, schema) -> None:
    admin.wipe(gateway)
    ddl.apply_schema(gateway, schema)


def rows_in(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f) - 1


def ingest(env: dict[str, str], files: list[Path], workdir: Path) -> tuple[dict, float, float]:
    """Run `goldenbell ingest` in its own process: (report, seconds, that process's peak RSS in MB)."""
    return _command(env, ["ingest", "--json", "--force"], files, workdir)


def store_events(env: dict[str, str], files: list[Path], workdir: Path) -> tuple[dict, float, float]:
    """`goldenbell events import` into an emptied event store, in its own process."""
    empty_event_store(env, workdir)
    return _command(env, ["events", "import", "--json"], files, workdir)


def settle() -> None:
    """What the run before wrote (the store moved aside, the server's files) is on disk before
    the next timed run starts, not written back by the kernel during it. (Neo4j Community has
    no procedure to force its own checkpoint.)"""
    os.sync()


def empty_event_store(env: dict[str, str], workdir: Path) -> None:
    """The event store moved aside, deleted with the work folder at the end. Deleting a year of
    partitions just before a timed run would time the file system reclaiming them: on ext4
    without a journal, a new file or folder skips over every inode freed in the last minute
    or so, which costs the next import up to a second here, and a real store is not emptied
    before each import."""
    events = Path(env["GOLDENBELL_HOME"]) / "events"
    if not events.exists():
        return
    try:
        events.rename(Path(tempfile.mkdtemp(prefix="events-", dir=workdir)) / "events")
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        # A GOLDENBELL_HOME of the caller's (with NEO4J_URI) on another file system: deleted.
        shutil.rmtree(events)


def _command(env: dict[str, str], command: list[str], files: list[Path], workdir: Path) -> tuple[dict, float, float]:
    out, err = workdir / "command.json", workdir / "command.err"
    started = time.perf_counter()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", *command, "--rejects", str(workdir / "rejects.csv"), *map(str, files)],
            env=env,
            stdout=stdout,
            stderr=stderr,
            cwd=ROOT,
        )
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {err.read_text()[-2000:]}")
    return json.loads(out.read_text()), seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def head_of(path: Path, fraction: float, out: Path) -> Path:
    return head_rows(path, max(1, int(rows_in(path) * fraction)), out)


def head_rows(path: Path, keep: int, out: Path) -> Path:
    """The header and the first `keep` rows of a CSV file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with path.open("rb") as src, out.open("wb") as dst:
        for i, line in enumerate(src):
            if i > keep:
                break
            dst.write(line)
    return out


def load_csv(gateway: Gateway, settings: Settings, passages: Path, batch: int, statement: str = LOAD_CSV) -> float:
    import_dir = settings.neo4j_home / "import"
    import_dir.mkdir(parents=True, exist_ok=True)
    target = import_dir / PASSAGES
    shutil.copyfile(passages, target)
    provenance = {"run": "bench-load-csv", "source": "智慧检查站过车记录", "file": "0" * 64, "now": datetime.now(UTC)}
    started = time.perf_counter()
    gateway.write(
        "bench.load_csv",
        statement,
        {"url": f"file:///{PASSAGES}", "batch": batch, **provenance},
        timeout=24 * 3600,
        autocommit=True,
    )
    seconds = time.perf_counter() - started
    target.unlink()
    return seconds


def naive(gateway: Gateway, passages: Path, limit: int) -> tuple[int, float]:
    import csv

    with passages.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [row for _, row in zip(range(limit), reader, strict=False)]
    started = time.perf_counter()
    for row in rows:
        gateway.write(
            "bench.naive",
            NAIVE,
            {
                "id": row["过车编号"],
                "plate": row["号牌号码"],
                "place": row["检查站编号"],
                "time": row["过车时间"].replace(" ", "T") + "+08:00",
                "direction": row["方向"],
            },
        )
    return len(rows), time.perf_counter() - started


@dataclass
class Figures:
    rows: int
    ours_s: float
    ours_rss: float
    tenth_rss: float
    csv_s: float
    prov_s: float
    naive_rows: int
    naive_s: float
    whole: tuple[dict, float, float] | None  # (report, seconds, peak RSS) of the whole sample
    events: list[tuple[str, int, float, float]]  # (what, rows, seconds, peak RSS) into the event store


def main() -> None:
    args = _arguments()
    workdir = Path(tempfile.mkdtemp(prefix="goldenbell-bench-import-"))
    sample = args.sample or workdir / "sample"
    if not (sample / PASSAGES).exists():
        from synth import generate

        print(f"generating {args.persons:,} persons into {sample} …", flush=True)
        generate(sample, persons=args.persons)
    env, server = _environment(args, workdir)
    try:
        figures = _measure(args, env, sample, workdir)
    finally:
        if server is not None:
            local_server.stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
    _print_figures(figures)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--sample", type=Path, help="reuse generated sample files from this folder")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--naive-rows", type=int, default=2000)
    parser.add_argument("--graph-rows", type=int, help="the graph importers take only the file's first N rows")
    parser.add_argument(
        "--event-runs", type=int, default=3, help="each file into an emptied event store this many times (median)"
    )
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="6g")
    parser.add_argument(
        "--whole-sample",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also import every source once for the overall rate (hours at city scale)",
    )
    return parser.parse_args()


def _environment(args: argparse.Namespace, workdir: Path) -> tuple[dict[str, str], Settings | None]:
    """The environment the importer runs in, and the local server started for the run (None with NEO4J_URI)."""
    env = {**os.environ}
    if os.environ.get("NEO4J_URI"):
        return env, None
    env.update(
        {
            "GOLDENBELL_HOME": str(workdir / "home"),
            "GOLDENBELL_BOLT_PORT": str(free_port()),
            "GOLDENBELL_HEAP": args.heap,
            "GOLDENBELL_PAGECACHE": args.pagecache,
            "GOLDENBELL_TX_TIMEOUT": "86400",
            "GOLDENBELL_BATCH_SIZE": str(args.batch_size),
        }
    )
    server = Settings.from_env(env)
    local_server.start(server)
    return env, server


def _measure(args: argparse.Namespace, env: dict[str, str], sample: Path, workdir: Path) -> Figures:
    passages = sample / PASSAGES
    if args.graph_rows:
        passages = head_rows(passages, args.graph_rows, workdir / "head" / PASSAGES)
    with Workspace.open(Settings.from_env(env)) as workspace:
        settings, gateway, schema = workspace.settings, workspace.gateway, workspace.schema

        def from_references() -> None:
            """An emptied graph holding only the checkpoints the passages refer to."""
            fresh(gateway, schema)
            ingest(env, [sample / f for f in REFERENCE_FILES], workdir)

        rows = rows_in(passages)
        print(f"{PASSAGES}: {rows:,} rows, {passages.stat().st_size / 1e6:.0f} MB; batch {args.batch_size}", flush=True)

        from_references()
        events = _event_store(env, sample, workdir, args.event_runs)
        # `goldenbell ingest` refuses passage files while the event store holds passages.
        empty_event_store(env, workdir)
        print(f"graph importers on {passages.name}: {rows:,} rows", flush=True)
        report, ours_s, ours_rss = ingest(env, [passages], workdir)
        assert report["rows_read"] == rows == report["rows_loaded"] + report["rows_rejected"], report
        print(f"  importer: {ours_s:.1f} s, {rows / ours_s:,.0f} rows/s, peak RSS {ours_rss:.0f} MB", flush=True)
        tenth = head_of(passages, 0.1, workdir / PASSAGES)
        from_references()
        _, _, tenth_rss = ingest(env, [tenth], workdir)

        from_references()
        csv_s = load_csv(gateway, settings, passages, args.batch_size)
        print(f"  LOAD CSV: {csv_s:.1f} s, {rows / csv_s:,.0f} rows/s", flush=True)

        from_references()
        prov_s = load_csv(gateway, settings, passages, args.batch_size, LOAD_CSV_PROVENANCE)
        print(f"  LOAD CSV with provenance: {prov_s:.1f} s, {rows / prov_s:,.0f} rows/s", flush=True)

        from_references()
        naive_rows, naive_s = naive(gateway, passages, args.naive_rows)
        print(f"  one per row: {naive_rows / naive_s:,.0f} rows/s", flush=True)

        whole = None
        if args.whole_sample:
            fresh(gateway, schema)
            everything = sorted(p for p in sample.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))
            whole = ingest(env, everything, workdir)
    return Figures(rows, ours_s, ours_rss, tenth_rss, csv_s, prov_s, naive_rows, naive_s, whole, events)


def _event_store(env: dict[str, str], sample: Path, workdir: Path, runs: int) -> list[tuple[str, int, float, float]]:
    """Both passage files into the event store, each in its own process (the graph holds their
    checkpoints and gates), `runs` times each into an emptied store, the median run kept; and
    a tenth of the checkpoint file, for memory. The rate counts the store's own work
    (reading, checking, rejects, partitions); the lookup copies and writing the SEEN_AT links
    into Neo4j are reported beside it."""
    measured = []
    for name in (PASSAGES, GATE_PASSAGES):
        tried = []
        for _ in range(runs):
            settle()
            report, seconds, rss = store_events(env, [sample / name], workdir)
            assert report["rows_read"] == report["rows_loaded"] + report["rows_rejected"], report
            tried.append((report["files"][0]["seconds"], report, seconds, rss))
        tried.sort(key=lambda run: run[0])
        stored, report, seconds, rss = tried[(len(tried) - 1) // 2]
        each = ", ".join(f"{report['rows_read'] / run[0]:,.0f}" for run in tried)
        measured.append((f"event store: {name}", report["rows_read"], stored, max(run[3] for run in tried)))
        measured.append(("  then the lookup copies (by plate, by place)", 0, report["lookup_seconds"], 0))
        measured.append((f"  then SEEN_AT: {report['seen_at_links']:,} links", 0, report["seen_at_seconds"], 0))
        measured.append(("  the whole command (process start included)", report["rows_read"], seconds, rss))
        print(
            f"  event store, {name}: stored in {stored:.1f} s ({report['rows_read'] / stored:,.0f} rows/s, "
            f"the median of {len(tried)} runs: {each} rows/s); "
            f"lookup copies in {report['lookup_seconds']:.1f} s; "
            f"SEEN_AT {report['seen_at_links']:,} links in {report['seen_at_seconds']:.1f} s; "
            f"command {seconds:.1f} s, peak RSS {rss:.0f} MB",
            flush=True,
        )
    tenth = head_of(sample / PASSAGES, 0.1, workdir / "tenth" / PASSAGES)
    report, seconds, rss = store_events(env, [tenth], workdir)
    measured.append(("event store: a tenth of the checkpoint file", report["rows_read"], seconds, rss))
    return measured


def _print_figures(f: Figures) -> None:
    rows = f.rows
    ours, load, with_provenance, slow = rows / f.ours_s, rows / f.csv_s, rows / f.prov_s, f.naive_rows / f.naive_s
    print()
    print(f"{'method':<44} {'rows':>11} {'seconds':>9} {'rows/s':>9} {'peak RSS':>10}")
    print(
        f"{'importer (validated, provenance, resumable)':<44} {rows:>11,} {f.ours_s:>9.1f} {ours:>9,.0f} "
        f"{f.ours_rss:>8.0f}MB"
    )
    print(f"{'importer on a tenth of the file':<44} {rows // 10:>11,} {'':>9} {'':>9} {f.tenth_rss:>8.0f}MB")
    print(
        f"{'LOAD CSV … IN TRANSACTIONS (server side)':<44} {rows:>11,} {f.csv_s:>9.1f} {load:>9,.0f} {'(server)':>10}"
    )
    print(
        f"{'LOAD CSV, same provenance as the importer':<44} {rows:>11,} {f.prov_s:>9.1f} {with_provenance:>9,.0f} "
        f"{'(server)':>10}"
    )
    print(f"{'one transaction per row (subset)':<44} {f.naive_rows:>11,} {f.naive_s:>9.1f} {slow:>9,.0f}")
    if f.whole is not None:
        full, full_s, full_rss = f.whole
        print(
            f"{'importer, whole sample (all sources)':<44} {full['rows_read']:>11,} {full_s:>9.1f} "
            f"{full['rows_read'] / full_s:>9,.0f} {full_rss:>8.0f}MB"
        )
    for what, n, seconds, rss in f.events:
        rate = f"{n / seconds:>9,.0f}" if n else f"{'':>9}"
        memory = f"{rss:>8.0f}MB" if rss else ""
        count = f"{n:>11,}" if n else f"{'':>11}"
        print(f"{what:<44} {count} {seconds:>9.1f} {rate} {memory}")
    print()
    store_rate = f.events[0][1] / f.events[0][2]
    same = "same file" if f.events[0][1] == rows else f"importer on the file's first {rows:,} rows"
    print(f"event store / importer ({same}, both in their own process) = {store_rate / ours:.1f}x")
    print(
        f"importer / LOAD CSV = {ours / load:.2f}x    importer / LOAD CSV with provenance = "
        f"{ours / with_provenance:.2f}x    importer / one-per-row = {ours / slow:.0f}x"
    )
    print(f"peak RSS full / tenth = {f.ours_rss / f.tenth_rss:.2f}")


if __name__ == "__main__":
    main()
