"""The map's "seen at" links: a vehicle's passages at one checkpoint or gate drawn as one link
with their count and first and last time, instead of a node per passage (a busy plate has
hundreds). They come from the `links.seen_at` query, live on the map beside real links
(marked `aggregate`), and open into their passages (`links.passages_between`).

A seen-at link is not a relationship in the graph: saved investigations keep it as it was
drawn (`SavedMap.aggregates`) rather than reading it again by type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SEEN_AT = "SEEN_AT"
PREFIX = "seen:"


def edge_id(vehicle_id: str, place_id: str) -> str:
    return f"{PREFIX}{vehicle_id}|{place_id}"


def is_seen(edge_id_: str) -> bool:
    return edge_id_.startswith(PREFIX)


def seen_edges(rows: Iterable[Mapping[str, Any]], ids_by_ref: Mapping[str, str]) -> list[dict[str, Any]]:
    """Links for the rows of `links.seen_at` (vehicle, place, passages, first, last) whose
    ends are known by reference; `properties` hold the count and the times as ISO text."""
    out = []
    for row in rows:
        vehicle, place = ids_by_ref.get(row.get("vehicle")), ids_by_ref.get(row.get("place"))
        if vehicle is None or place is None:
            continue
        out.append(
            {
                "id": edge_id(vehicle, place),
                "type": SEEN_AT,
                "start": vehicle,
                "end": place,
                "aggregate": True,
                "properties": {"count": int(row["passages"]), "first": row["first"], "last": row["last"]},
            }
        )
    return out
