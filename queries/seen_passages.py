"""A seen-at link opened when passages live in the event store: one vehicle's passages at
one place, newest first, read from Parquet rather than from Passage nodes (there are none).

The plate's rows come from the store's lookup copies (`Lookups.narrow_to_plate`), so
opening a link reads a few row groups of one bucket, not every day's file; the place and
the window are then filters on those rows. Values reach DuckDB only as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from events.lookup import Lookups
from events.store import EventStore
from queries.returned import audited
from queries.store_runs import BEIJING

_AT_PLACE = """
SELECT time, plate, place_id, direction, lane, driver_id, count(*) OVER () AS total
FROM passages
WHERE place_id = $place
  AND ($since::TIMESTAMPTZ IS NULL OR time >= $since::TIMESTAMPTZ)
  AND ($until::TIMESTAMPTZ IS NULL OR time <= $until::TIMESTAMPTZ)
ORDER BY time DESC, passage_id DESC
LIMIT $limit
"""


_COUNTS = """
SELECT plate, place_id, count(*) AS passages, min(time) AS first, max(time) AS last
FROM passages
WHERE plate IN (SELECT unnest($plates))
  AND ($since::TIMESTAMPTZ IS NULL OR time >= $since::TIMESTAMPTZ)
  AND ($until::TIMESTAMPTZ IS NULL OR time <= $until::TIMESTAMPTZ)
GROUP BY plate, place_id
"""


@dataclass(frozen=True)
class SeenPassages:
    vehicle: str  # Label:key of the vehicle
    place: str  # Label:key of the place
    rows: list[dict[str, Any]]  # newest first: time (Beijing time), plate, place_id, direction, lane, driver_id
    total: int  # in the window, of which `rows` are the newest


def seen_passages(
    store: EventStore,
    audit: AuditLog,
    vehicle: tuple[str, str],
    place: tuple[str, str],
    since: datetime | None,
    until: datetime | None,
    *,
    actor: Actor,
    limit: int,
) -> SeenPassages:
    """The newest `limit` passages of `vehicle` (label, plate) at `place` (label, place id)
    from `since` to `until` (either may be None), and how many there are in all; the read
    is audited as `map.seen_passages`, the vehicle being the entity looked at."""
    (vehicle_label, plate), (place_label, place_id) = vehicle, place
    con = store.connect()
    try:
        Lookups(store).narrow_to_plate(con, plate)
        params = {"place": place_id, "since": since, "until": until, "limit": limit}
        cursor = con.execute(_AT_PLACE, params)
        columns = [column[0] for column in cursor.description]
        found = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    finally:
        con.close()
    total = found[0]["total"] if found else 0
    # DuckDB hands times back in the connection's zone: shown in Beijing time, as the graph's.
    for row in found:
        del row["total"]
        row["time"] = row["time"].astimezone(BEIJING)
    vehicle_ref, place_ref = f"{vehicle_label}:{plate}", f"{place_label}:{place_id}"
    audit.append(
        actor.event(
            "map.seen_passages",
            parameters={
                "vehicle": vehicle_ref,
                "place": place_ref,
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
            },
            rows=len(found),
            entities=(vehicle_ref,),
        )
    )
    return SeenPassages(vehicle_ref, place_ref, found, total)


def seen_counts(
    store: EventStore,
    audit: AuditLog,
    pairs: list[tuple[str, str]],
    since: datetime | None,
    until: datetime | None,
    *,
    actor: Actor,
) -> dict[tuple[str, str], tuple[int, str, str]]:
    """For these (plate, place id) pairs, the passages in the window: (plate, place id) →
    (count, first, last as ISO Beijing time); a pair without any is left out. Read from the
    copies by place; audited as `map.seen_counts` with the vehicles as entities."""
    places = sorted({place for _, place in pairs})
    con = store.connect()
    try:
        Lookups(store).narrow_to_places(con, places)
        params = {"plates": sorted({plate for plate, _ in pairs}), "since": since, "until": until}
        found = con.execute(_COUNTS, params).fetchall()
    finally:
        con.close()
    wanted = set(pairs)
    counts = {
        (plate, place): (n, first.astimezone(BEIJING).isoformat(), last.astimezone(BEIJING).isoformat())
        for plate, place, n, first, last in found
        if (plate, place) in wanted
    }
    named, message = audited(sorted({f"Vehicle:{plate}" for plate, _ in counts}))
    window = {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None}
    audit.append(actor.event("map.seen_counts", parameters=window, rows=len(counts), message=message, entities=named))
    return counts
