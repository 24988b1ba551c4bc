"""The links a passage import gives the graph, for a bulk first load: each vehicle seen
gets its Vehicle node, one SEEN_AT link per place it was seen at and, for a known person
captured at the wheel, one DROVE link per vehicle.

`goldenbell events import` writes them through Cypher (ingest/passages/seen_at.py), which
at city scale takes longer than everything else of a first load. Here the same aggregates
over the event store go to Neo4j's importer with the rest of the graph, with the same
provenance: the vehicles no registry named are staged, and DuckDB writes the links' import
files itself (`write_passage_links`), joined to the staged nodes' ids. A city's 2.7 million
links staged in Python and written out cost over a minute; DuckDB writes them in seconds.
When a registry file staged links of these types itself (no built-in spec does), they are
staged instead (`stage_passage_links`), so that each pair stays one link.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from events.store import EventStore
from ingest.bulk.files import PROVENANCE_HEADER
from ingest.bulk.stage import ID, StagedGraph
from ingest.normalize.dates import SHANGHAI
from ingest.passages.seen_at import (
    COUNTING_MEMORY,
    DRIVES,
    PAIRS,
    PLACES,
    SOURCES,
    by_vehicle,
    drive_batches,
    pair_batches,
)
from settings.home import FILE_MODE

KINDS = (*(("SEEN_AT", "Vehicle", label) for label, _ in PLACES.values()), ("DROVE", "Person", "Vehicle"))

# As ingest/bulk/files.py writes a datetime (Python's isoformat, in Beijing time as the
# graph importer stores it): microseconds only when there are some, the offset as +08:00.
_WHEN = (
    "regexp_replace(strftime({0}, CASE WHEN microsecond({0}) % 1000000 = 0 THEN '%Y-%m-%dT%H:%M:%S%z' "
    "ELSE '%Y-%m-%dT%H:%M:%S.%f%z' END), '([+-][0-9][0-9])$', '\\1:00')"
)
_PROVENANCE = ", ".join(
    f'{value} AS "{header}"'
    for value, header in zip(("$run", "{source}", "file", "row", "$now", "$now"), PROVENANCE_HEADER, strict=True)
)
_SEEN_AT_FILE = f"""
COPY (
    SELECT v.id AS ":START_ID", p.id AS ":END_ID", passages AS "passages:long",
           {_WHEN.format("first")} AS "first_passage:datetime", {_WHEN.format("last")} AS "last_passage:datetime",
           days AS "days:long", {_PROVENANCE.format(source="s.name")}
    FROM pairs JOIN vehicle_ids v USING (plate) JOIN place_ids p ON p.source = pairs.source AND p.key = place_id
         JOIN source_names s ON s.source = pairs.source
) TO {{path}} (FORMAT csv, HEADER true)
"""
_DROVE_FILE = f"""
COPY (
    SELECT d.id AS ":START_ID", v.id AS ":END_ID", passages AS "passages:long",
           {_WHEN.format("first")} AS "first_passage:datetime", {_WHEN.format("last")} AS "last_passage:datetime",
           {_PROVENANCE.format(source="$source")}
    FROM drives JOIN person_ids d ON d.key = driver_id JOIN vehicle_ids v USING (plate)
) TO {{path}} (FORMAT csv, HEADER true)
"""
# A vehicle no registry named takes its provenance from its first pair, as `stage_passage_links` gives it.
_NEW_VEHICLES = """
SELECT plate, arg_min(source, (source, place_id)) AS source, arg_min(file, (source, place_id)) AS file,
       arg_min(row, (source, place_id)) AS row
FROM pairs ANTI JOIN vehicle_ids USING (plate)
GROUP BY plate ORDER BY min(source), plate
"""


@dataclass(frozen=True)
class StagedPassageLinks:
    seen_at: int  # vehicle-place links
    drove: int  # person-vehicle links
    vehicles_added: int  # plates no registry file named


def stage_passage_links(graph: StagedGraph, store: EventStore, file_hashes: Iterable[str]) -> StagedPassageLinks:
    """Stage the links of the stored files with these hashes, as seen_at.refresh writes them
    into a graph holding what `graph` holds."""
    hashes = sorted(set(file_hashes))
    if not hashes:
        return StagedPassageLinks(0, 0, 0)
    sources: dict[tuple[str, str], int] = {}

    def at(file: str, source: str, row: int) -> tuple[int, int]:
        index = sources.get((file, source))
        if index is None:
            index = sources[(file, source)] = graph.add_source(file, SOURCES[source])
        return index, row

    vehicles = graph.nodes["Vehicle"]
    before = len(vehicles)
    seen = drove = 0
    con = store.connect()
    try:
        for source, rows in pair_batches(con, hashes):
            label, _ = PLACES[source]
            places, kind = graph.nodes[label], ("SEEN_AT", "Vehicle", label)
            for vehicle in by_vehicle(rows):
                # ON CREATE only: a vehicle a registry brought keeps its own provenance
                vehicle_id = graph.merge_node(
                    "Vehicle", vehicle["plate"], {}, fill=True, at=at(vehicle["file"], source, vehicle["row"])
                )
                for pair in vehicle["seen"]:
                    # The store took only passages at places the staged graph holds.
                    properties = {
                        "passages": pair["passages"],
                        "first_passage": pair["first"],
                        "last_passage": pair["last"],
                        "days": pair["days"],
                    }
                    ends = (vehicle_id, places[pair["place"]][ID], None)
                    graph.merge_link(kind, ends, properties, at(pair["file"], source, pair["row"]))
                    seen += 1
        people, kind = graph.nodes["Person"], ("DROVE", "Person", "Vehicle")
        for drives in drive_batches(con, hashes):
            for drive in drives:
                person = people.get(drive["driver"])
                if person is None:  # as the Cypher's MATCH: only a person the graph knows
                    continue
                properties = {
                    "passages": drive["passages"],
                    "first_passage": drive["first"],
                    "last_passage": drive["last"],
                }
                ends = (person[ID], vehicles[drive["plate"]][ID], None)
                graph.merge_link(kind, ends, properties, at(drive["file"], "checkpoint", drive["row"]))
                drove += 1
    finally:
        con.close()
    return StagedPassageLinks(seen, drove, len(vehicles) - before)


@dataclass(frozen=True)
class PassageLinkFiles:
    links: StagedPassageLinks
    files: list[tuple[str, Path]]  # (relationship type, import file)


def writes_passage_links(graph: StagedGraph) -> bool:
    """Whether DuckDB may write the links: no file of the batch staged links of their types."""
    return not any(graph.links.get(kind) for kind in KINDS)


def write_passage_links(
    graph: StagedGraph, store: EventStore, file_hashes: Iterable[str], folder: Path, *, run_id: str, now: datetime
) -> PassageLinkFiles:
    """Stage the vehicles only passages name, and write the links of the stored files with
    these hashes as import files into `folder`, as `stage_passage_links` then the import
    files would give them."""
    hashes = sorted(set(file_hashes))
    vehicles = graph.nodes["Vehicle"]
    before = len(vehicles)
    seen_at, drove = folder / "passage-seen-at.csv", folder / "passage-drove.csv"
    con = store.connect(memory_limit=COUNTING_MEMORY)
    try:
        con.execute(f"SET TimeZone = '{SHANGHAI.key}'")
        con.execute(f"CREATE TEMP TABLE pairs AS {PAIRS}", {"files": hashes})
        con.execute(f"CREATE TEMP TABLE drives AS {DRIVES}", {"files": hashes})
        con.register("vehicle_ids", _ids(vehicles, "plate"))
        sources: dict[tuple[str, str], int] = {}
        for plate, source, file, row in con.execute(_NEW_VEHICLES).fetchall():
            index = sources.get((file, source))
            if index is None:
                index = sources[(file, source)] = graph.add_source(file, SOURCES[source])
            graph.merge_node("Vehicle", plate, {}, fill=True, at=(index, row))
        con.register("vehicle_ids", _ids(vehicles, "plate"))
        con.register("person_ids", _ids(graph.nodes["Person"], "key"))
        con.register("place_ids", _place_ids(graph))
        con.register("source_names", pa.table({"source": list(SOURCES), "name": list(SOURCES.values())}))
        common = {"run": run_id, "now": now.isoformat()}
        seen = con.execute(_SEEN_AT_FILE.format(path=_quoted(seen_at)), common).fetchall()[0][0]
        params = {**common, "source": SOURCES["checkpoint"]}
        driven = con.execute(_DROVE_FILE.format(path=_quoted(drove)), params).fetchall()[0][0]
    finally:
        con.close()
    for path in (seen_at, drove):
        os.chmod(path, FILE_MODE)  # the folder is the owner's only; DuckDB makes files as the umask says
    links = StagedPassageLinks(seen, driven, len(vehicles) - before)
    return PassageLinkFiles(links, [("SEEN_AT", seen_at), ("DROVE", drove)])


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ids(nodes: dict, key: str) -> pa.Table:
    """A label's staged nodes as (key, id), for DuckDB to join on."""
    keys = pa.array([str(k) for k in nodes], pa.string())
    return pa.table({key: keys, "id": pa.array([node[ID] for node in nodes.values()], pa.int64())})


def _place_ids(graph: StagedGraph) -> pa.Table:
    columns: dict[str, list] = {"source": [], "key": [], "id": []}
    for source, (label, _) in PLACES.items():
        for key, node in graph.nodes[label].items():
            columns["source"].append(source)
            columns["key"].append(str(key))
            columns["id"].append(node[ID])
    return pa.table(
        {
            "source": pa.array(columns["source"], pa.string()),
            "key": pa.array(columns["key"], pa.string()),
            "id": pa.array(columns["id"], pa.int64()),
        }
    )
