"""The map's "seen at" links: a vehicle's passages at one checkpoint or gate drawn as one link
with their count and first and last time, instead of a node per passage (a busy plate has
hundreds). They come from the `links.seen_at` query, live on the map beside real links
(marked `aggregate`), and open into their passages (`links.passages_between`).

A seen-at link is not a relationship in the graph: saved investigations keep it as it was
drawn (`SavedMap.aggregates`) rather than reading it again by type.

When passages live in the event store, the links are the graph's SEEN_AT links (`stored`
in `links.seen_at`) and an opened link is a table of the store's passages (`passage_table`),
as there are no Passage nodes to draw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from workbench.display import Display
from workbench.messages import message

SEEN_AT = "SEEN_AT"
PREFIX = "seen:"
DRIVER_ID = "citizen_id"  # the mask kind of the driver's ID number captured at a checkpoint


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


def passage_table(rows: Sequence[Mapping[str, Any]], place_name: str, display: Display) -> pd.DataFrame:
    """An opened link's passages from the event store, newest first: time (Beijing time),
    plate, place, direction, lane and the driver's ID number, masked for a role that may
    not see it. Shown with st.dataframe: a value a data file typed is never markup."""
    lang = display.lang
    words = {key: message(f"seen.{key}", lang) for key in ("time", "plate", "place", "direction", "lane", "driver")}
    return pd.DataFrame(
        [
            {
                words["time"]: row["time"].strftime("%Y-%m-%d %H:%M:%S"),
                words["plate"]: display.text(row.get("plate")),
                words["place"]: place_name,
                words["direction"]: display.text(row.get("direction") or ""),
                words["lane"]: "" if row.get("lane") is None else str(row["lane"]),
                words["driver"]: "" if row.get("driver_id") is None else display.value(row["driver_id"], DRIVER_ID),
            }
            for row in rows
        ],
        columns=list(words.values()),
    )
