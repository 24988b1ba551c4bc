"""Search at city scale: p50/p95 of `search.entities` by whole identifiers beside the same
people's fragments (the last four digits of an ID, a phone's middle four, five characters of
a plate), by name and by a name's pinyin initials, through the query runner, on a graph of
a city's people, their phones and vehicles. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_search_city.py --load --persons 1000000   # wipe, load, measure
    .venv/bin/python bench/bench_search_city.py                            # measure what is loaded

The full sample at a million persons takes over an hour to import, most of it passages
that search never reads; `--load` therefore writes only what search reads (persons with
valid ID numbers and generated names and their initials, as the importers store them; one
phone each; a vehicle for every third) straight into the configured database (NEO4J_URI or
the local Neo4j, schema applied), which it empties first. Goal (issue 18): fragment search
p95 ≤ 50 ms at 1,000,000 persons.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import string
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_queries import line, timed  # run from bench/, as bench_concurrent_users imports it

from access.actor import Actor
from graph import admin, ddl
from graph.initials import pinyin_initials
from settings.table import Settings
from synth.citizen_ids import make_id
from synth.names import draw_name
from workspace import Workspace

BENCH = Actor.cli("bench", case_ref="BENCH")
REGIONS = ("330402", "330411", "330421", "330424", "330481", "330482", "330483")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
SERIAL = string.digits + PLATE_LETTERS
CREATE = """
UNWIND $rows AS row
CREATE (p:Person {id_number: row.id, name: row.name, name_initials: row.initials, gender: row.gender,
                  birth_date: row.born})
CREATE (p)-[:HAS_PHONE]->(:Phone {number: row.phone})
FOREACH (plate IN row.plates | CREATE (p)-[:OWNS]->(:Vehicle {plate: plate}))
"""
PICKS = """
MATCH (p:Person)-[:HAS_PHONE]->(ph:Phone)
WITH p, ph ORDER BY p.id_number LIMIT 400
OPTIONAL MATCH (p)-[:OWNS]->(v:Vehicle)
RETURN p.id_number AS person, p.name AS name, p.name_initials AS initials, ph.number AS phone, v.plate AS plate
"""


def people(count: int, rng: random.Random):
    """Rows of synthetic people with unique IDs, phones and plates, in batches."""
    ids: set[str] = set()
    phones: set[str] = set()
    plates: set[str] = set()
    batch = []
    while len(ids) < count:
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(55 * 365))
        number = make_id(rng.choice(REGIONS), born, rng.randrange(1000))
        if number in ids:
            continue
        ids.add(number)
        male = int(number[16]) % 2 == 1
        phone = _unique(phones, lambda: "1" + rng.choice("3456789") + "".join(rng.choices(string.digits, k=9)))
        owned = []
        if len(ids) % 3 == 0:
            owned.append(_unique(plates, lambda: "浙" + rng.choice("FA") + "".join(rng.choices(SERIAL, k=5))))
        name = draw_name(rng, male, rng.random() < 0.7)
        batch.append(
            {
                "id": number,
                "name": name,
                "initials": pinyin_initials(name),
                "gender": "男" if male else "女",
                "born": born,
                "phone": phone,
                "plates": owned,
            }
        )
        if len(batch) == 20_000:
            yield batch
            batch = []
    if batch:
        yield batch


def _unique(seen: set[str], draw) -> str:
    while True:
        value = draw()
        if value not in seen:
            seen.add(value)
            return value


def load(workspace: Workspace, persons: int, seed: int) -> None:
    gateway = workspace.gateway
    began = time.perf_counter()
    admin.wipe(gateway)
    ddl.apply_schema(gateway, workspace.schema)
    written = 0
    for rows in people(persons, random.Random(seed)):
        gateway.write("bench.city_people", CREATE, {"rows": rows}, timeout=600)
        written += len(rows)
        if written % 100_000 == 0:
            print(f"  {written:,} persons written in {time.perf_counter() - began:.0f} s", flush=True)
    gateway.write("bench.await_indexes", "CALL db.awaitIndexes(3600)", timeout=3700)
    print(f"loaded {written:,} persons with phones and vehicles in {time.perf_counter() - began:.0f} s")


def measure(workspace: Workspace, runs: int, seed: int) -> None:
    gateway, runner = workspace.gateway, workspace.runner
    counts = gateway.read(
        "bench.counts", "MATCH (n) WITH labels(n)[0] AS label, count(*) AS n RETURN label, n ORDER BY n DESC"
    ).data()
    print("database holds: " + ", ".join(f"{r['n']:,} {r['label']}" for r in counts))
    picks = gateway.read("bench.picks", PICKS).data()
    if not picks:
        raise SystemExit("the database holds no people with phones: load them with --load")
    rng = random.Random(seed)
    fragment = {"person": lambda v: v[-4:], "phone": lambda v: v[3:7], "plate": lambda v: v[2:7]}

    def texts(whole: bool):
        def make() -> str:
            pick = rng.choice(picks)
            kind = rng.choice([k for k in fragment if pick[k]])
            return pick[kind] if whole else fragment[kind](pick[kind])

        return make

    print(f"\nsearch.entities through the runner, {runs} runs each (one audit line per run):")
    for name, make in (
        ("whole ID, phone or plate", texts(True)),
        ("fragment: last 4 of ID, middle 4 of phone, 5 of plate", texts(False)),
        ("a person's name", lambda: rng.choice(picks)["name"]),
        ("a name's pinyin initials", lambda: rng.choice(picks)["initials"]),
    ):
        rows: list[int] = []

        def once(make=make, rows=rows) -> None:
            rows.append(len(runner.run("search.entities", {"text": make()}, actor=BENCH).rows))

        times = timed(once, runs)
        line(f"search by {name}", times, 50, f"   ({sorted(rows)[len(rows) // 2]} rows median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="wipe the configured database and load people")
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons --load writes")
    parser.add_argument("--runs", type=int, default=200, help="runs per kind of search")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="goldenbell-bench-audit-") as scratch:
        settings = dataclasses.replace(Settings.from_env(), audit_log=Path(scratch) / "a")
        with Workspace.open(settings) as workspace:
            if args.load:
                load(workspace, args.persons, args.seed)
            measure(workspace, args.runs, args.seed)
            workspace.audit.flush()  # the log's last sync done before its folder goes


if __name__ == "__main__":
    main()
