"""Query benchmark: p50/p95 of a full-text search, of a search by whole identifiers beside one
by fragments of them (the last four digits of an ID, …), a 2-hop neighbourhood with a degree
cap, shortest paths of up to 6 hops and every built-in pack query, each run through the
query runner; and the runner's overhead beside the raw driver calls with the same Cypher
and parameters (`execute_query`, and an auto-commit `session.run` as the runner sends it),
with the ratios. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_queries.py                        # whatever the database holds
    .venv/bin/python bench/bench_queries.py --load --persons 30000 # wipe it, load a generated sample
    .venv/bin/python bench/bench_queries.py --load --sample DIR    # …or a sample made by `goldenbell synth`

`--load` empties the configured database (NEO4J_URI or the local Neo4j) and imports a
sample generated with `--persons`. Goals: search and 2-hop p95 ≤ 50 ms, shortest path
p95 ≤ 200 ms, runner overhead ≤ 10 % against `execute_query` — the driver's documented
call for running one query. The ratio against the bare `session.run` underneath is
printed beside it: it is what the runner's own work (the audit line above all) costs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import neo4j

from access.actor import Actor
from graph import admin
from graph.errors import MemoryLimitExceeded, QueryTimeout
from settings.table import Settings
from workspace import Workspace

PICKS = """
MATCH (p:Person)-[:HAS_PHONE]->(ph:Phone)
WITH p, ph ORDER BY p.id_number LIMIT 400
OPTIONAL MATCH (p)-[:OWNS]->(v:Vehicle)
RETURN p.id_number AS person, p.name AS name, ph.number AS phone, v.plate AS plate
"""
WINDOW = "MATCH (p:Passage) RETURN min(p.time) AS first, max(p.time) AS last"
# Passages kept in the event store: their span as the graph's seen-at links carry it.
STORED_WINDOW = "MATCH ()-[s:SEEN_AT]->() RETURN min(s.first_passage) AS first, max(s.last_passage) AS last"
# Pairs an analyst would ask about: people who share a phone or a registered address.
PAIRS = """
MATCH (a:Person)-[:HAS_PHONE]->(:Phone)<-[:HAS_PHONE]-(b:Person) WHERE a.id_number < b.id_number
RETURN a.id_number AS a, b.id_number AS b LIMIT 100
UNION
MATCH (a:Person)-[:REGISTERED]->(:Registration)-[:REGISTERED_AT]->(:Address)<-[:REGISTERED_AT]-(:Registration)
      <-[:REGISTERED]-(b:Person) WHERE a.id_number < b.id_number
RETURN a.id_number AS a, b.id_number AS b LIMIT 100
"""


BENCH = Actor.cli("bench", case_ref="BENCH")


def load_sample(workspace: Workspace, persons: int, sample: Path | None) -> None:
    from ingest.api import import_files
    from synth.generate import generate

    with tempfile.TemporaryDirectory(prefix="goldenbell-bench-") as scratch:
        gateway = workspace.gateway
        began = time.perf_counter()
        folder = sample or Path(scratch)
        if sample is None:
            generate(folder, persons=persons)
        truth = json.loads(Path(folder, "ground_truth.json").read_text(encoding="utf-8"))
        admin.wipe(gateway)
        report = import_files(
            [Path(folder, name) for name in truth["generated_files"]],
            schema=workspace.schema,
            gateway=gateway,
            rejects_path=Path(scratch, "rejects.csv"),
            batch_size=workspace.settings.batch_size,
        )
        seconds = time.perf_counter() - began
        persons = truth["persons"]
        print(f"loaded {report.rows_loaded:,} of {report.rows_read:,} rows ({persons:,} persons) in {seconds:.0f} s")


def describe(workspace: Workspace) -> None:
    gateway = workspace.gateway
    rows = gateway.read(
        "bench.counts", "MATCH (n) WITH labels(n)[0] AS label, count(*) AS n RETURN label, n ORDER BY n DESC"
    ).data()
    rels = gateway.read("bench.rels", "MATCH ()-[r]->() RETURN count(r) AS n").single_value(0)
    print("database holds: " + ", ".join(f"{r['n']:,} {r['label']}" for r in rows) + f"; {rels:,} relationships")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        function()
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        out.append((time.perf_counter() - began) * 1000)
    return out


def line(name: str, times: list[float], goal: float | None = None, rows: str = "") -> None:
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    verdict = "" if goal is None else ("  meets" if p95 <= goal else "  MISSES") + f" the {goal:g} ms goal"
    print(f"  {name:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms{verdict}{rows}")


class Bench:
    def __init__(self, workspace: Workspace, runs: int, seed: int):
        self.settings = workspace.settings
        self.runs = runs
        self.rng = random.Random(seed)
        self.gateway = workspace.gateway
        self.runner = workspace.runner
        self.people = self.gateway.read("bench.picks", PICKS).data()
        window = self.gateway.read("bench.window", WINDOW).records[0]
        if window["first"] is None:
            window = self.gateway.read("bench.window", STORED_WINDOW).records[0]
        self.first, self.last = window["first"], window["last"]
        self.pairs = self.gateway.read("bench.pairs", PAIRS).data()
        if not self.people or not self.pairs or self.first is None:
            raise SystemExit("the database holds no people with phones or no passages: load a sample with --load")

    def run(self, query_id: str, params: dict) -> int:
        return len(self.runner.run(query_id, params, actor=BENCH).rows)

    def cycle(self, query_id: str, make: Callable[[], dict], runs: int, goal: float | None = None, name: str = ""):
        rows: list[int] = []
        warmup = 1 if self.runner.catalog.query(query_id).alert else 2  # a batch rule can take minutes
        try:
            times = timed(lambda: rows.append(self.run(query_id, make())), runs, warmup)
        except QueryTimeout:
            limit = self.runner.catalog.query(query_id).timeout_s or self.settings.query_timeout
            print(f"  {name or query_id:<44} stopped by its {limit:g} s time limit")
            return
        except MemoryLimitExceeded:
            print(f"  {name or query_id:<44} stopped: needs more memory than one transaction may use")
            return
        line(name or query_id, times, goal, f"   ({statistics.median(rows):.0f} rows median)" if rows else "")

    def person(self) -> dict:
        return self.rng.choice(self.people)

    def search_text(self) -> str:
        pick = self.person()
        return self.rng.choice([pick["name"], pick["name"][:2], pick["plate"] or pick["name"], pick["phone"]])

    def identifier(self, whole: bool) -> Callable[[], dict]:
        def make() -> dict:
            pick = self.person()
            kind = self.rng.choice([k for k in ("person", "phone", "plate") if pick[k]])
            value = pick[kind]
            if not whole:
                value = {"person": value[-4:], "phone": value[3:7], "plate": value[2:7]}[kind]
            return {"text": value}

        return make

    def week(self) -> tuple[str, str]:
        span = (self.last - self.first).days
        start = self.first.to_native().date().toordinal() + self.rng.randrange(max(span - 7, 1))
        return date.fromordinal(start).isoformat(), date.fromordinal(start + 7).isoformat()

    def params(self, query_id: str) -> Callable[[], dict] | None:
        """Plausible parameters for each built-in query (None: run it with its defaults)."""
        p = self.person
        week = self.week
        table: dict[str, Callable[[], dict]] = {
            "search.entities": lambda: {"text": self.search_text()},
            "links.neighbourhood": lambda: {"start": f"Person:{p()['person']}", "hops": 2},
            "links.shortest_paths": lambda: {
                "a": f"Person:{p()['person']}",
                "b": f"Person:{p()['person']}",
                "max_hops": 6,
            },
            "links.common_neighbours": lambda: {"a": f"Person:{p()['person']}", "b": f"Person:{p()['person']}"},
            "links.co_residents": lambda: {"person": f"Person:{p()['person']}"},
            "links.pivots": lambda: {"start": f"Phone:{p()['phone']}"},
            "links.timeline": lambda: {"entity": f"Person:{p()['person']}"},
            "vehicles.trajectory": lambda: {"plate": self.plate()},
            "vehicles.companions": lambda: dict(zip(("since", "until"), week(), strict=True)) | {"plate": self.plate()},
            "floating_population.expired_still_seen": lambda: {},
        }
        return table.get(query_id)

    def linked_pair(self) -> dict:
        pair = self.rng.choice(self.pairs)
        return {"a": f"Person:{pair['a']}", "b": f"Person:{pair['b']}", "max_hops": 6}

    def plate(self) -> str:
        plates = [x["plate"] for x in self.people if x["plate"]]
        return self.rng.choice(plates)

    def overhead(self, query_id: str, make: Callable[[], dict], name: str = "") -> None:
        """Runner vs the raw driver calls with the same Cypher and the same (resolved) parameters:
        `execute_query` (the driver's own shortcut: a read transaction, BEGIN … COMMIT) and
        `session.run` (an auto-commit query, one round trip, as the runner sends it); also the
        runner with the sub-graph built, as the map asks for it."""
        query = self.runner.catalog.query(query_id)
        cases = []
        for _ in range(self.runs):
            values = self.runner.coerce(query, make())
            cases.append((values, self.runner.cypher_parameters(query, values)))
        driver, db = self.gateway.driver, self.gateway.database

        def execute_query(raw: dict) -> None:
            driver.execute_query(query.compiled, raw, database_=db, routing_=neo4j.RoutingControl.READ)

        def session_run(raw: dict) -> None:
            with driver.session(database=db, default_access_mode=neo4j.READ_ACCESS) as session:
                list(session.run(query.compiled, raw))

        def drawn(values: dict) -> None:
            outcome = self.runner.run(query_id, values, actor=BENCH)
            len(outcome.rows) + len(outcome.nodes)

        for values, raw in cases[:2]:  # warm every path
            self.run(query_id, values)
            drawn(values)
            execute_query(raw)
            session_run(raw)
        timings: list[list[float]] = [[], [], [], []]
        paths = (
            lambda values, raw: self.run(query_id, values),
            lambda values, raw: drawn(values),
            lambda values, raw: execute_query(raw),
            lambda values, raw: session_run(raw),
        )
        order = list(range(len(paths)))
        for i, (values, raw) in enumerate(cases):  # interleaved, each first in turn: all see the same load
            for k in order[i % 4 :] + order[: i % 4]:
                began = time.perf_counter()
                paths[k](values, raw)
                timings[k].append((time.perf_counter() - began) * 1000)
        ours, mapped, executed, autocommit = (statistics.median(t) for t in timings)
        print(
            f"  {name or query_id:<36} execute_query {executed:5.1f} ms  session.run {autocommit:5.1f} ms"
            f"   runner {ours:5.1f} ms = {ours / executed:4.2f}x / {ours / autocommit:4.2f}x"
            f"   runner + sub-graph {mapped:5.1f} ms = {mapped / executed:4.2f}x / {mapped / autocommit:4.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="wipe the configured database and load a sample")
    parser.add_argument("--persons", type=int, default=30_000, help="persons in the sample --load generates")
    parser.add_argument("--sample", type=Path, help="with --load: import this generated sample instead")
    parser.add_argument("--runs", type=int, default=50, help="runs per interactive query")
    parser.add_argument("--alert-runs", type=int, default=5, help="runs per alert rule")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--restart",
        action="store_true",
        help="only search and 2-hop: warm, right after a restart, and 2 minutes after a restart with the warm-up",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="goldenbell-bench-audit-") as scratch:
        # The runs are audited as the workbench's are, in a log of their own.
        settings = dataclasses.replace(Settings.from_env(), audit_log=Path(scratch) / "a")
        with Workspace.open(settings) as workspace:
            run(workspace, args)
            workspace.audit.flush()  # the log's last sync done before its folder goes


def run(workspace: Workspace, args: argparse.Namespace) -> None:
    if args.load:
        load_sample(workspace, args.persons, args.sample)
    bench = Bench(workspace, args.runs, args.seed)
    if args.restart:
        restarts(workspace, bench, args)
        return
    describe(workspace)
    print(f"\nheadline queries ({args.runs} runs each, through the runner, one audit line per run):")
    bench.cycle("search.entities", bench.params("search.entities"), args.runs, 50, "full-text search")
    # A tip's identifiers whole (before fragments were searched, the only way they were found)
    # beside the fragments of them a tip gives: the same people, side by side in one run.
    for whole, name in (
        (True, "whole ID, phone or plate"),
        (False, "fragment: last 4 of ID, middle 4 of phone, 5 of plate"),
    ):
        bench.cycle("search.entities", bench.identifier(whole), args.runs, 50, f"search by {name}")
    bench.cycle(
        "links.neighbourhood", bench.params("links.neighbourhood"), args.runs, 50, "2-hop neighbourhood, degree cap 25"
    )
    shortest = "links.shortest_paths"
    bench.cycle(shortest, bench.params(shortest), args.runs, 200, "shortest paths ≤ 6 hops, random pairs")
    bench.cycle(shortest, bench.linked_pair, args.runs, 200, "shortest paths ≤ 6 hops, linked pairs")
    print("\nevery built-in query:")
    for query in bench.runner.catalog.queries.values():
        make = bench.params(query.id) or (lambda: {})
        bench.cycle(query.id, make, args.alert_runs if query.alert else args.runs)
    print(
        "\nrunner overhead against the raw driver calls (same Cypher, same parameters; p50 of interleaved runs;"
        " ratios against execute_query / session.run):"
    )
    for query_id in ("search.entities", "links.neighbourhood", "links.shortest_paths", "vehicles.trajectory"):
        bench.overhead(query_id, bench.params(query_id))
    bench.overhead(shortest, bench.linked_pair, "links.shortest_paths (linked pairs)")


def restarts(workspace: Workspace, bench: Bench, args: argparse.Namespace) -> None:
    """Search and 2-hop p95 warm, then after a restart of the local Neo4j with the operating
    system's file cache dropped (where this process may): measured at once without the
    warm-up, and 2 minutes after the start with it running from the start."""
    import threading

    from graph import local_server
    from graph.warmup import warm
    from workspace.warmup import warm_workspace

    def headline(label: str) -> None:
        # The same terms and start nodes in every phase, so the phases differ only in the caches.
        bench.rng = random.Random(args.seed)
        print(f"\n{label}:")
        bench.cycle("search.entities", bench.params("search.entities"), args.runs, 50, "full-text search")
        bench.cycle("links.neighbourhood", bench.params("links.neighbourhood"), args.runs, 50, "2-hop neighbourhood")

    def restart() -> Workspace:
        local_server.stop(workspace.settings)
        try:
            Path("/proc/sys/vm/drop_caches").write_text("3\n")
            dropped = "file cache dropped"
        except OSError:
            dropped = "file cache kept (no right to drop it)"
        local_server.start(workspace.settings)
        fresh = Workspace.open(workspace.settings)
        bench.gateway, bench.runner = fresh.gateway, fresh.runner
        print(f"\nrestarted, {dropped}")
        return fresh

    # Warm means warm: the store read and the headline queries answered once before timing.
    warm(workspace.gateway, workspace.schema, lambda line: None, workspace.settings.neo4j_home / "data" / "databases")
    headline("settling (not the warm figures)")
    headline("warm (store read, each query answered before)")
    cold = restart()
    headline("right after the start, no warm-up")
    cold.close()
    began = time.monotonic()
    warming = restart()
    lines: list[str] = []
    worker = threading.Thread(target=warm_workspace, args=(warming, lines.append), daemon=True)
    worker.start()
    time.sleep(max(0.0, 120 - (time.monotonic() - began)))
    print(f"warm-up after 2 minutes: {lines[-1] if lines else 'nothing read yet'} ({len(lines)} steps)")
    headline("2 minutes after the start, warm-up running from the start")
    worker.join()
    print(f"warm-up: {lines[-1]}")
    warming.close()


if __name__ == "__main__":
    main()
