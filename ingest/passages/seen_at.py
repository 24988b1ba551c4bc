"""The graph's side of a passage import: each vehicle seen gets its Vehicle node (as the
graph importer makes one for every passing plate) and one SEEN_AT link per place it was
seen at, carrying how often, first, last and on how many days, over every passage the
event store holds for that vehicle and place; and a known person whose ID a checkpoint
captured at the wheel gets one DROVE link per vehicle, with how often, first and last.

Only the vehicle-place pairs the imported files touch are counted again, so a day's
batch costs its own pairs, not the year's. Values are absolute (SET, not +=), so a
refresh run twice, or after a killed one, gives the same links.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from time import monotonic

import duckdb

from events.store import EventStore
from graph.changes import declared
from graph.gateway import Gateway
from ingest.normalize.dates import SHANGHAI

BATCH = 10_000
# The pairs are counted in a bounded memory, spilling past it, so an import's peak stays that
# of the store's own work: a city file's 1.46 M pairs in 15 s at 580 MB, against 12.8 s at
# 1.14 GB with 1 GB, where writing them into Neo4j takes minutes either way.
COUNTING_MEMORY = "384MB"
# source in the store → (place label, its key property): both from the schema's own names
PLACES = {"checkpoint": ("Checkpoint", "checkpoint_id"), "gate": ("Gate", "gate_id")}
SOURCES = {"checkpoint": "智慧检查站过车记录", "gate": "智安小区卡口过车记录"}

PAIRS = """
WITH touched AS (
    SELECT DISTINCT plate, place_id, source FROM passages WHERE source_file IN (SELECT unnest($files))
)
SELECT plate, place_id, source, count(*) AS passages, min(time) AS first, max(time) AS last,
       count(DISTINCT day) AS days, arg_min(source_file, time) AS file, arg_min(source_row, time) AS row
FROM passages SEMI JOIN touched USING (plate, place_id, source)
GROUP BY ALL
ORDER BY source, plate, place_id
"""

# One MERGE per vehicle, then one per place it was seen at: a vehicle is seen at several.
_WRITE = """
UNWIND $vehicles AS vehicle
MERGE (v:Vehicle {{plate: vehicle.plate}})
ON CREATE SET v.prov_run = $run, v.prov_source = $source, v.prov_file = vehicle.file, v.prov_row = vehicle.row,
              v.first_seen = $now
SET v.last_seen = $now
WITH v, vehicle
UNWIND vehicle.seen AS row
MATCH (place:{label} {{{key}: row.place}})
MERGE (v)-[s:SEEN_AT]->(place)
ON CREATE SET s.prov_run = $run, s.prov_source = $source, s.prov_file = row.file, s.prov_row = row.row,
              s.first_seen = $now
SET s.last_seen = $now, s.passages = row.passages, s.first_passage = row.first, s.last_passage = row.last,
    s.days = row.days
"""
# What a refresh changes in what was there before (graph/changes.py): the graph tables
# the alert rules read (owners, licences, usages) stay as they were.
WRITES = declared(
    updates=[
        "Vehicle.last_seen",
        *(f"SEEN_AT.{k}" for k in ("last_seen", "passages", "first_passage", "last_passage", "days")),
    ],
    nodes={"Vehicle": ["plate", "prov_run", "prov_source", "prov_file", "prov_row", "first_seen", "last_seen"]},
    relationships=["SEEN_AT"],
)


# A captured driver's ID links only to a person the graph knows, as the graph importer's DRIVEN_BY.
DRIVES = """
WITH touched AS (
    SELECT DISTINCT driver_id, plate FROM passages
    WHERE driver_id IS NOT NULL AND source_file IN (SELECT unnest($files))
)
SELECT driver_id, plate, count(*) AS passages, min(time) AS first, max(time) AS last,
       arg_min(source_file, time) AS file, arg_min(source_row, time) AS row
FROM passages SEMI JOIN touched USING (driver_id, plate)
GROUP BY ALL
ORDER BY driver_id, plate
"""

_WRITE_DROVE = """
UNWIND $drives AS row
MATCH (person:Person {id_number: row.driver})
MATCH (v:Vehicle {plate: row.plate})
MERGE (person)-[d:DROVE]->(v)
ON CREATE SET d.prov_run = $run, d.prov_source = $source, d.prov_file = row.file, d.prov_row = row.row,
              d.first_seen = $now
SET d.last_seen = $now, d.passages = row.passages, d.first_passage = row.first, d.last_passage = row.last
RETURN count(d) AS written
"""
WRITES_DROVE = declared(
    updates=[f"DROVE.{k}" for k in ("last_seen", "passages", "first_passage", "last_passage")], relationships=["DROVE"]
)


@dataclass(frozen=True)
class Refreshed:
    links: int
    seconds: float
    drives: int = 0  # person-vehicle DROVE links written or refreshed


def refresh(gateway: Gateway, store: EventStore, file_hashes: Iterable[str], *, run_id: str) -> Refreshed:
    """SEEN_AT for every vehicle-place pair the files with these hashes hold."""
    began = monotonic()
    hashes = sorted(set(file_hashes))
    if not hashes or not store.partition_files():
        return Refreshed(0, monotonic() - began)
    con = store.connect(memory_limit=COUNTING_MEMORY)
    try:
        links = 0
        now = datetime.now(UTC)
        for source, rows in pair_batches(con, hashes):
            label, key = PLACES[source]
            statement = _WRITE.format(label=label, key=key)
            params = {"vehicles": by_vehicle(rows), "run": run_id, "source": SOURCES[source], "now": now}
            gateway.write("events.seen_at", statement, params, changes=WRITES)
            links += len(rows)
        drives = _refresh_drives(con, gateway, hashes, run_id, now)
    finally:
        con.close()
    return Refreshed(links, monotonic() - began, drives)


def _refresh_drives(con: duckdb.DuckDBPyConnection, gateway: Gateway, hashes: list[str], run_id: str, now) -> int:
    written = 0
    for drives in drive_batches(con, hashes):
        params = {"drives": drives, "run": run_id, "source": SOURCES["checkpoint"], "now": now}
        written += gateway.write("events.drove", _WRITE_DROVE, params, changes=WRITES_DROVE).single_value(0)
    return written


def drive_batches(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> Iterator[list[dict]]:
    """Each captured driver and plate of the files with these hashes, over every passage the
    store holds for them, in batches of at most BATCH."""
    result = con.execute(DRIVES, {"files": hashes})
    while chunk := result.fetchmany(BATCH):
        yield [
            {
                "driver": driver,
                "plate": plate,
                "passages": passages,
                "first": first.astimezone(SHANGHAI),
                "last": last.astimezone(SHANGHAI),
                "file": file,
                "row": row,
            }
            for driver, plate, passages, first, last, file, row in chunk
        ]


def pair_batches(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> Iterator[tuple[str, list[dict]]]:
    """Each vehicle-place pair the files with these hashes hold, counted over every passage the
    store holds for it, as (source, rows) in batches of at most BATCH rows of one source."""
    result = con.execute(PAIRS, {"files": hashes})
    while chunk := result.fetchmany(BATCH):
        by_source: dict[str, list[dict]] = {}
        for plate, place, source, passages, first, last, days, file, row in chunk:
            by_source.setdefault(source, []).append(
                {
                    "plate": plate,
                    "place": place,
                    "passages": passages,
                    # in Beijing time, as the graph importer stores every datetime
                    "first": first.astimezone(SHANGHAI),
                    "last": last.astimezone(SHANGHAI),
                    "days": days,
                    "file": file,
                    "row": row,
                }
            )
        yield from by_source.items()


def by_vehicle(rows: list[dict]) -> list[dict]:
    """The rows (sorted by plate) as one entry per vehicle, with the file and row of its
    first pair for the vehicle's own provenance."""
    vehicles: list[dict] = []
    for row in rows:
        if not vehicles or vehicles[-1]["plate"] != row["plate"]:
            vehicles.append({"plate": row["plate"], "file": row["file"], "row": row["row"], "seen": []})
        vehicles[-1]["seen"].append(row)
    return vehicles
