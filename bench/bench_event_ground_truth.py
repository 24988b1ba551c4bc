"""Every event alert rule against the planted scenarios of a sample it was not written on:
a generated sample with another seed (100,000 persons by default), its entities in a
dedicated local Neo4j, its passages in an event store, each rule run on DuckDB and on
Spark (local mode). Prints each rule's hits, precision, recall and decoys hit on both
engines, whether Spark gave DuckDB's rows, and the time each took; asserts nothing.

    .venv/bin/python bench/bench_event_ground_truth.py                       # 100,000 persons, seed 7
    .venv/bin/python bench/bench_event_ground_truth.py --sample DIR         # a sample made by `goldenbell synth`
    .venv/bin/python bench/bench_event_ground_truth.py --no-spark

The tests score the rules on the default sample (tests/queries/test_event_rules.py);
this is the same scoring on other data, too large for the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import _environment, ingest  # noqa: E402
from events.store import EventStore  # noqa: E402
from graph import ddl, local_server  # noqa: E402
from ingest.passages.run import graph_places, import_passages  # noqa: E402
from queries import event_rules, event_tables  # noqa: E402
from queries.event_connection import open_events  # noqa: E402
from settings.table import Settings  # noqa: E402
from tests.queries.ground_truth import RULE_EVIDENCE, SCENARIO_RULES, score  # noqa: E402
from workspace import Workspace  # noqa: E402

PASSAGE_FILES = ("checkpoint_passages.csv", "gate_passages.jsonl")
# What the event rules join with: people, vehicles, licences, lists, registrations, places.
ENTITY_FILES = (
    "household_registry.csv",
    "vehicle_registry.xlsx",
    "driving_licences.csv",
    "watch_list.xlsx",
    "floating_registrations.jsonl",
    "checkpoints.csv",
    "compound_gates.csv",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7, help="any seed but the default sample's")
    parser.add_argument("--sample", type=Path)
    parser.add_argument("--spark", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="4g")
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="goldenbell-bench-ground-truth-"))
    sample = args.sample or workdir / "sample"
    if not (sample / "ground_truth.json").exists():
        from synth import generate

        began = time.perf_counter()
        generate(sample, persons=args.persons, seed=args.seed)
        print(f"sample: {args.persons:,} persons, seed {args.seed}, in {time.perf_counter() - began:.0f} s")
    env, server = _environment(args, workdir)
    try:
        measure(args, env, sample, workdir)
    finally:
        if server is not None:
            local_server.stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


def planted(truth: dict, kinds: dict[str, str]) -> dict:
    """The scenarios the event alert rules answer (as the tests keep them)."""
    kept = []
    for rule_id, kind in kinds.items():
        evidence = RULE_EVIDENCE.get(rule_id)
        for s in truth["scenarios"]:
            if s["kind"] == kind:
                kept.append(
                    {**s, "positives": [p for p in s["positives"] if evidence is None or evidence in p["entities"]]}
                )
    return {"scenarios": kept}


def measure(args: argparse.Namespace, env: dict[str, str], sample: Path, workdir: Path) -> None:
    import json

    with Workspace.open(Settings.from_env(env)) as workspace:
        ddl.apply_schema(workspace.gateway, workspace.schema)
    began = time.perf_counter()
    ingest(env, [sample / f for f in ENTITY_FILES], workdir)
    print(f"entities into the graph (goldenbell ingest): {time.perf_counter() - began:.0f} s", flush=True)
    truth = json.loads((sample / "ground_truth.json").read_text(encoding="utf-8"))
    rules = [r for r in event_rules.rules() if r.alert]
    kinds = {r.id: next(k for k, ids in SCENARIO_RULES.items() if r.id in ids) for r in rules}
    with Workspace.open(Settings.from_env(env)) as workspace:
        store = EventStore(workdir / "events")
        report = import_passages(
            [sample / f for f in PASSAGE_FILES],
            schema=workspace.schema,
            store=store,
            known_places=graph_places(workspace.gateway),
            rejects_path=workdir / "rejects.csv",
            lookups=False,
        )
        print(f"event store: {report.rows_loaded:,} passages ({report.rows_rejected:,} rejected)", flush=True)
        con = open_events(store, workspace.gateway)
        duck_rows, duck_ms = {}, {}
        for rule in rules:
            t = time.perf_counter()
            duck_rows[rule.id] = event_rules.run(con, rule)
            duck_ms[rule.id] = (time.perf_counter() - t) * 1000
        places = con.sql("SELECT * FROM places").to_arrow_table().to_pylist()
        tables = {t.name: con.table(t.name).to_arrow_table() for t in event_tables.declared_in(rules)}
        con.close()

    spark_rows, spark_ms = {}, {}
    if args.spark:
        from pyspark.sql import SparkSession

        from queries.event_spark import open_spark_events, run_on_spark

        session = (
            SparkSession.builder.master("local[2]")
            .appName("goldenbell-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        try:
            open_spark_events(session, store.passages_dir, places, tables=tables, cache=True)
            for rule in rules:
                t = time.perf_counter()
                spark_rows[rule.id] = run_on_spark(session, rule)
                spark_ms[rule.id] = (time.perf_counter() - t) * 1000
        finally:
            session.stop()

    def hits(rows_by_rule: dict) -> dict[str, list[set[str]]]:
        return {
            rule_id: [{f"{e.label}:{row[e.column]}" for e in event_rules.rule(rule_id).alert} for row in rows]
            for rule_id, rows in rows_by_rule.items()
        }

    truth = planted(truth, kinds)
    print(
        f"\n{'rule':<36} {'engine':<7} {'hits':>6} {'precision':>10} {'recall':>9} {'decoys hit':>11}"
        f" {'ms':>8}  same rows as DuckDB"
    )
    for engine, rows_by_rule, times in (("DuckDB", duck_rows, duck_ms), ("Spark", spark_rows, spark_ms)):
        if not rows_by_rule:
            continue
        _, scores = score(truth, hits(rows_by_rule))
        for rule in rules:
            s = scores[rule.id]
            same = "" if engine == "DuckDB" else ("yes" if _same(rows_by_rule[rule.id], duck_rows[rule.id]) else "NO")
            print(
                f"{rule.id:<36} {engine:<7} {s.hits:>6} {s.precision:>10.0%} {s.found:>4}/{s.positives:<4}"
                f" {len(s.decoys_hit):>11} {times[rule.id]:>8,.0f}  {same}",
                flush=True,
            )


def _same(mine: list[dict], theirs: list[dict]) -> bool:
    """The same columns and values in the rule's order (each rule orders its rows totally);
    times compare as instants, as in tests/queries/test_event_rules_spark.py."""
    return [list(r.items()) for r in mine] == [list(r.items()) for r in theirs]


if __name__ == "__main__":
    main()
