"""Collision rules on the event store (DuckDB over Parquet) beside the same rules on Passage
nodes (Cypher through the query runner), on the same passages, in one run; then the
incremental run of every event alert rule after one more day of passages is stored (with
the graph tables kept in the store, beside reading them from the graph); and
trajectory and companions for one plate at a time, on the lookup copies, on every day's
file of the store, and on Passage nodes. Prints medians and ratios; asserts nothing.

    .venv/bin/python bench/bench_event_rules.py --sample DIR        # a sample made by `goldenbell synth`
    .venv/bin/python bench/bench_event_rules.py --persons 100000
    .venv/bin/python bench/bench_event_rules.py --sample DIR --no-cypher   # the event store alone
    GOLDENBELL_HOME=H .venv/bin/python bench/bench_event_rules.py --sample DIR --loaded

A dedicated local Neo4j is started for the run. It holds the sample's checkpoints and
gates (the event rules read their names and coordinates), and with --cypher (the default)
also the passages as nodes, imported by `goldenbell ingest`, for the Cypher side. The
graph tables the rules join (licences, owners, watch lists) are then empty.

With --loaded, the configured store is used as it is: a whole sample loaded, as
`goldenbell ingest --bulk` of every file leaves it (graph and event store), so the rules
join the real tables. Its server is started if it is not running. "One more day" is then
the sample's last day again, moved to the day after the store's last, under passage IDs of
its own; it stays in the store.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from access.actor import Actor  # noqa: E402
from bench.bench_import import _environment, ingest  # noqa: E402
from events.lookup import Lookups  # noqa: E402
from events.store import EventStore  # noqa: E402
from graph import ddl, local_server  # noqa: E402
from ingest.passages.run import graph_places, import_passages  # noqa: E402
from queries import event_rules  # noqa: E402
from queries.event_alerts import event_hits, run_event_alerts  # noqa: E402
from queries.event_connection import open_events  # noqa: E402
from queries.event_lookups import run_lookup  # noqa: E402
from settings.table import Settings  # noqa: E402
from workspace import Workspace  # noqa: E402

PASSAGE_FILES = ("checkpoint_passages.csv", "gate_passages.jsonl")
PLACE_FILES = ("checkpoints.csv", "compound_gates.csv")


def split_last_day(source: Path, out: Path) -> tuple[Path, Path, str]:
    """The file without its last day's rows, and that day's rows alone: (earlier, last day, day)."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[:1] if source.suffix == ".csv" else []
    rows = lines[len(header) :]
    if source.suffix == ".csv":
        at = header[0].rstrip("\r\n").split(",").index("过车时间")
        day_of = lambda line: (line.split(",")[at : at + 1] or [""])[0][:10]  # noqa: E731
    else:
        day_of = lambda line: line[line.find('"passTime":"') + 12 :][:10]  # noqa: E731
    last = max(d for d in map(day_of, rows) if d[:2] == "20")
    earlier, latest = out / f"earlier_{source.name}", out / f"last_{source.name}"
    earlier.write_text("".join(header + [r for r in rows if day_of(r) != last]), encoding="utf-8")
    latest.write_text("".join(header + [r for r in rows if day_of(r) == last]), encoding="utf-8")
    return earlier, latest, last


def next_day(source: Path, out: Path, after: date) -> Path:
    """The file's last day's rows moved to the day after `after` (the store's last day), under
    passage IDs of their own."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    later = out / f"next_{source.name}"
    if source.suffix == ".csv":
        header = next(csv.reader(lines[:1]))
        rows = [row for row in csv.reader(lines[1:]) if len(row) == len(header)]
        at, key = header.index("过车时间"), header.index("过车编号")
        last = max(row[at][:10] for row in rows if row[at][:2] == "20")
        shift, suffix = _shift(last, after)
        with later.open("w", encoding="utf-8", newline="") as f:
            out_rows = csv.writer(f)
            out_rows.writerow(header)
            for row in rows:
                if row[at][:10] == last and (moved := _moved(row[at], "%Y-%m-%d %H:%M:%S", shift)):
                    out_rows.writerow(
                        [
                            *row[:key],
                            row[key] + suffix,
                            *row[key + 1 : at],
                            f"{moved:%Y-%m-%d %H:%M:%S}",
                            *row[at + 1 :],
                        ]
                    )
    else:
        rows = []
        for line in lines:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a dirty sample's malformed line: not part of the day moved
            if isinstance(row, dict) and isinstance(row.get("passTime"), str):
                rows.append(row)
        last = max(row["passTime"][:10] for row in rows if row["passTime"][:2] == "20")
        shift, suffix = _shift(last, after)
        with later.open("w", encoding="utf-8") as f:
            for row in rows:
                if row["passTime"][:10] == last and (moved := _moved(row["passTime"], None, shift)):
                    row = {
                        **row,
                        "recordId": row["recordId"] + suffix,
                        "passTime": moved.isoformat(timespec="milliseconds"),
                    }
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return later


def _shift(last: str, after: date) -> tuple[timedelta, str]:
    shift = after + timedelta(days=1) - date.fromisoformat(last)
    return shift, f"N{shift.days}"


def _moved(text: str, form: str | None, shift: timedelta) -> datetime | None:
    """The time moved, or None for a dirty sample's unreadable time."""
    try:
        return (datetime.strptime(text, form) if form else datetime.fromisoformat(text)) + shift
    except ValueError:
        return None


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def p95_ms(function, args: list, warmup: int = 3) -> tuple[float, float]:
    for a in args[:warmup]:
        function(a)
    times = []
    for a in args:
        began = time.perf_counter()
        function(a)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--sample", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="runs of each whole-history rule")
    parser.add_argument("--lookups", type=int, default=50, help="plates for trajectory and companions")
    parser.add_argument("--cypher", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--loaded", action="store_true", help="the configured store, loaded whole by `ingest --bulk` (no Cypher side)"
    )
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="6g")
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="goldenbell-bench-event-rules-"))
    sample = args.sample or workdir / "sample"
    if not (sample / PASSAGE_FILES[0]).exists():
        from synth import generate

        generate(sample, persons=args.persons)
    if args.loaded:
        try:
            measure_loaded(args, sample, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    env, server = _environment(args, workdir)
    try:
        measure(args, env, sample, workdir)
    finally:
        if server is not None:
            local_server.stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


def measure(args: argparse.Namespace, env: dict[str, str], sample: Path, workdir: Path) -> None:
    with Workspace.open(Settings.from_env(env)) as workspace:
        ddl.apply_schema(workspace.gateway, workspace.schema)  # constraints and indexes, as `db init`
    ingest(env, [sample / f for f in PLACE_FILES], workdir)
    if args.cypher:
        began = time.perf_counter()
        ingest(env, [sample / f for f in PASSAGE_FILES], workdir)
        print(f"passages as nodes (goldenbell ingest): {time.perf_counter() - began:.0f} s", flush=True)
    with Workspace.open(Settings.from_env(env)) as workspace:
        gateway, schema = workspace.gateway, workspace.schema
        places = graph_places(gateway)
        store = EventStore(workdir / "events")
        earlier, latest = [], []
        for name in PASSAGE_FILES:
            before, last, day = split_last_day(sample / name, workdir)
            earlier.append(before)
            latest.append(last)
        report = import_passages(earlier, schema=schema, store=store, known_places=places, rejects_path=None)
        print(
            f"event store: {report.rows_loaded:,} passages before {day}; "
            f"lookup copies made in {report.lookup_seconds:.1f} s",
            flush=True,
        )
        phases(args, workspace, store, places, latest, day, cypher=args.cypher)


def measure_loaded(args: argparse.Namespace, sample: Path, workdir: Path) -> None:
    settings = Settings.from_env(dict(os.environ))
    if not os.environ.get("NEO4J_URI") and local_server.read_state(settings) is None:
        local_server.start(settings)
    with Workspace.open(settings) as workspace:
        store = workspace.events
        print(f"the loaded store at {settings.home}: {len(store.receipts())} passage files stored", flush=True)
        with store.connect() as con:
            after = con.execute("SELECT max(day) FROM passages").fetchone()[0]
        latest = [next_day(sample / name, workdir, after) for name in PASSAGE_FILES]
        day = (after + timedelta(days=1)).isoformat()
        phases(args, workspace, store, graph_places(workspace.gateway), latest, day, cypher=False)


def phases(
    args: argparse.Namespace,
    workspace: Workspace,
    store: EventStore,
    places: dict[str, set[str]],
    latest: list[Path],
    day: str,
    *,
    cypher: bool,
) -> None:
    """Every alert rule over the whole store, then one more day stored and the rules run on it
    incrementally, then trajectory and companions for one plate at a time."""
    gateway, schema, catalog = workspace.gateway, workspace.schema, workspace.catalog
    began = time.perf_counter()
    con = open_events(store, gateway)
    opened = time.perf_counter() - began
    print(
        f"DuckDB opened with the graph tables the rules join (kept copies where they hold): {opened:.1f} s", flush=True
    )
    actor = Actor.cli("bench", case_ref="bench")
    alert_rules = [r for r in event_rules.rules() if r.alert]
    print(f"\n{'whole history':<36} {'DuckDB ms':>10} {'Cypher ms':>10} {'ratio':>7}  (median of {args.runs})")
    total = 0.0
    for rule in alert_rules:
        duck = median_ms(lambda rule=rule: event_hits(con, gateway, schema, catalog, rule), args.runs)
        total += duck
        beside = ""
        if cypher:
            ms = median_ms(lambda rule=rule: workspace.runner.run(rule.id, None, actor=actor), args.runs)
            beside = f"{ms:>10,.0f} {ms / duck:>6.1f}x"
        print(f"{rule.id:<36} {duck:>10,.0f} {beside}", flush=True)
    print(f"{'all event alert rules':<36} {total:>10,.0f}")
    con.close()

    # As `goldenbell events alerts` before an import: a run over everything stores the alerts
    # and each rule's watermark (and keeps the graph tables).
    began = time.perf_counter()
    con = open_events(store, gateway, alert_rules)
    first = run_event_alerts(con, gateway, schema, catalog, workspace.audit, actor, store=store)
    con.close()
    hits = sum(r.hits for r in first)
    print(f"\na run of the alert rules over everything, {hits:,} alerts stored: {time.perf_counter() - began:.1f} s")

    report = import_passages(
        latest, schema=schema, store=store, known_places=places, rejects_path=None, gateway=gateway
    )
    print(
        f"one more day ({day}): {report.rows_loaded:,} passages stored in {report.seconds:.1f} s "
        f"(lookup copies {report.lookup_seconds:.1f} s, SEEN_AT and DROVE links {report.seen_at_seconds:.1f} s of it)"
    )
    opened = time.perf_counter()
    open_events(store, gateway, alert_rules, fresh=True).close()
    graph_s = time.perf_counter() - opened
    opened = time.perf_counter()
    con = open_events(store, gateway, alert_rules)
    kept_s = time.perf_counter() - opened
    print(
        f"DuckDB opened with the alert rules' graph tables: {kept_s:.1f} s kept copies, {graph_s:.1f} s from the graph"
    )
    began = time.perf_counter()
    reports = run_event_alerts(con, gateway, schema, catalog, workspace.audit, actor, store=store, incremental=True)
    rules_s = time.perf_counter() - began
    for r in reports:
        looked = "whole history" if r.scope == "all" else f"{r.scope} looked at again"
        print(f"  {r.rule}: {looked}, {r.elapsed_ms:,.0f} ms, {r.hits:,} hits")
    print(f"incremental run of all event alert rules, alerts stored: {rules_s * 1000:,.0f} ms")
    print(
        f"  end to end: {kept_s + rules_s:.1f} s with the kept graph tables, "
        f"{graph_s + rules_s:.1f} s reading them from the graph"
    )

    plates = [r[0] for r in con.execute("SELECT DISTINCT plate FROM stored_passages ORDER BY plate").fetchall()]
    picked = random.Random(7).sample(plates, min(args.lookups, len(plates)))
    lookups = Lookups(store)
    print(f"\n{'p50 / p95 ms':<36} {'lookup copies':>18} {'every day file':>18} {'Cypher':>18}  ({len(picked)} plates)")
    for rule_id in ("vehicles.trajectory", "vehicles.companions"):
        rule = event_rules.rule(rule_id)
        l50, l95 = p95_ms(lambda plate, rule=rule: run_lookup(con, lookups, rule, {"plate": plate}), picked)
        d50, d95 = p95_ms(lambda plate, rule=rule: event_rules.run(con, rule, {"plate": plate}), picked)
        beside = ""
        if cypher:
            c50, c95 = p95_ms(
                lambda plate, rule_id=rule_id: workspace.runner.run(rule_id, {"plate": plate}, actor=actor),
                picked,
            )
            beside = f"{c50:>9,.0f} /{c95:>6,.0f}"
        print(f"{rule_id:<36} {l50:>9,.1f} /{l95:>6,.1f} {d50:>9,.0f} /{d95:>6,.0f} {beside}", flush=True)
    con.close()


if __name__ == "__main__":
    main()
