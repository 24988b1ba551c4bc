"""The links a passage import gives the graph, staged for a bulk first load: each vehicle
seen gets its Vehicle node, one SEEN_AT link per place it was seen at and, for a known
person captured at the wheel, one DROVE link per vehicle.

`goldenbell events import` writes them through Cypher (ingest/passages/seen_at.py), which
at city scale takes longer than everything else of a first load. Here the same aggregates
over the event store become staged nodes and links, in the same order and with the same
provenance, so Neo4j's importer writes them with the rest of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from events.store import EventStore
from ingest.bulk.stage import ID, StagedGraph
from ingest.passages.seen_at import PLACES, SOURCES, by_vehicle, drive_batches, pair_batches


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
