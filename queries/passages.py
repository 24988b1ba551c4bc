"""Passages at a place in a time window, and the span of days passages cover.

Passages are read from the event store once it holds any (`goldenbell events import`),
from the graph's Passage nodes otherwise (`goldenbell ingest`): the store is where they
go, and a graph loaded the older way keeps working. In the store, a plate's or a place's
passages come from the lookup copies sorted by that key (events/lookup.py); in the
graph, by the passage's own `place_id` or `plate` and `time` (the composite indexes the
schema declares), never by expanding a checkpoint's relationships, so either stays cheap
at a checkpoint that saw millions of cars. A compound is the sum of its gates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from events.lookup import Lookups
from events.store import EventStore
from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from queries.event_connection import open_events
from queries.geo import PASSAGE_LINK
from queries.store_runs import BEIJING

GATE_LINK = "GATE_OF"
PASSAGE = "Passage"
SHOWN = 200

_SPAN = """
CALL () { MATCH (p:Passage) WHERE p.time IS NOT NULL RETURN p.time AS first ORDER BY p.time LIMIT 1 }
CALL () { MATCH (p:Passage) WHERE p.time IS NOT NULL RETURN p.time AS last ORDER BY p.time DESC LIMIT 1 }
RETURN first, last
"""

_PLATE_SPAN = """
CALL () {
  MATCH (p:Passage) WHERE p.plate = $plate AND p.time IS NOT NULL RETURN p.time AS first ORDER BY p.time LIMIT 1
}
CALL () {
  MATCH (p:Passage) WHERE p.plate = $plate AND p.time IS NOT NULL RETURN p.time AS last ORDER BY p.time DESC LIMIT 1
}
RETURN first, last
"""

_AT_PLACES = """
UNWIND $places AS place
CALL (place) {
  MATCH (p:Passage) WHERE p.place_id = place AND p.time >= $since AND p.time < $until
  RETURN p
  ORDER BY p.time DESC
  LIMIT $limit
}
RETURN p.time AS time, p.plate AS plate, p.place_id AS place_id, p.direction AS direction, p.lane AS lane
ORDER BY time DESC
LIMIT $limit
"""

_COUNT_AT_PLACES = """
UNWIND $places AS place
CALL (place) {
  MATCH (p:Passage) WHERE p.place_id = place AND p.time >= $since AND p.time < $until
  RETURN count(p) AS seen
}
RETURN sum(seen) AS total
"""


_STORE_SPAN = "SELECT min(time), max(time) FROM passages"
_STORE_AT_PLACES = """
SELECT time, plate, place_id, direction, lane FROM passages
WHERE time >= $since AND time < $until
ORDER BY time DESC, passage_id
LIMIT $limit
"""
_STORE_COUNT_AT_PLACES = "SELECT count(*) FROM passages WHERE time >= $since AND time < $until"
# An entity's passages for its timeline: a vehicle's by plate, a person's as the driver
# whose ID a checkpoint captured (the graph's DRIVEN_BY).
_STORE_OF_ENTITY = """
SELECT p.time, coalesce(c.name, p.place_id) AS detail
FROM passages AS p LEFT JOIN places AS c ON c.place_id = p.place_id
WHERE (CASE WHEN $by_driver THEN p.driver_id ELSE p.plate END) = $key
  AND ($since IS NULL OR p.time >= $since) AND ($until IS NULL OR p.time <= $until)
ORDER BY p.time, p.passage_id
LIMIT $limit
"""
TIMELINE_LABELS = {"Vehicle": False, "Person": True}  # label → read by driver ID rather than plate


def in_store(store: EventStore | None) -> bool:
    """Whether passages are read from the event store: it holds some. A graph that also has
    Passage nodes from an older import is then not read for them."""
    return store is not None and store.holds_passages()


@dataclass(frozen=True)
class PlacePassages:
    rows: list[dict[str, Any]]  # newest first: time (datetime), plate, place_id, direction, lane
    total: int  # in the window, of which `rows` are the newest


def passage_span(gateway: Gateway, store: EventStore | None = None) -> tuple[datetime, datetime] | None:
    """The first and last passage times (index-ordered reads, or the store files' own
    statistics), or None without passages."""
    if in_store(store):
        return _store_span(store, None)
    records = gateway.read("geo.passage_span", _SPAN, {}).records
    if not records or records[0]["first"] is None:
        return None
    return records[0]["first"].to_native(), records[0]["last"].to_native()


def plate_span(
    gateway: Gateway, audit: AuditLog, plate: str, *, actor: Actor, store: EventStore | None = None
) -> tuple[datetime, datetime] | None:
    """When `plate` was first and last seen (index-ordered reads), or None; audited as `map.plate_span`."""
    if in_store(store):
        span = _store_span(store, plate)
    else:
        records = gateway.read("geo.plate_span", _PLATE_SPAN, {"plate": plate}).records
        found = bool(records) and records[0]["first"] is not None
        span = (records[0]["first"].to_native(), records[0]["last"].to_native()) if found else None
    audit.append(actor.event("map.plate_span", parameters={"plate": plate}, rows=int(span is not None)))
    return span


def _store_span(store: EventStore, plate: str | None) -> tuple[datetime, datetime] | None:
    con = store.connect()
    try:
        if plate is not None:
            Lookups(store).narrow_to_plate(con, plate)
        first, last = con.execute(_STORE_SPAN).fetchall()[0]
    finally:
        con.close()
    return (first, last) if first is not None else None


def place_ids(gateway: Gateway, schema: Schema, label: str, key: str) -> list[str]:
    """The place ids passages carry for a place: its own key where passages pass it, its
    gates' keys for a place with gates (a compound)."""
    link = schema.relationships.get(PASSAGE_LINK)
    if link is not None and label in link.end:
        return [key]
    gate = schema.relationships.get(GATE_LINK)
    if gate is None or label not in gate.end:
        return []
    node = schema.node(label)
    gates = [schema.node(start) for start in gate.start if start in schema.nodes]
    cypher = (
        f"MATCH (g)-[:{quote(GATE_LINK)}]->(n:{quote(label)} {{{quote(node.key)}: $key}})\n"
        "RETURN "
        + " + ".join(f"CASE WHEN g:{quote(g.label)} THEN [g.{quote(g.key)}] ELSE [] END" for g in gates)
        + " AS ids"
    )
    records = gateway.read(f"geo.gates.{label}", cypher, {"key": key}).records
    return sorted({gate_id for record in records for gate_id in record["ids"] if gate_id})


def place_passages(
    gateway: Gateway,
    schema: Schema,
    audit: AuditLog,
    place: tuple[str, str],
    since: datetime,
    until: datetime,
    *,
    actor: Actor,
    limit: int = SHOWN,
    store: EventStore | None = None,
) -> PlacePassages:
    """The newest `limit` passages at `place` (label, key) from `since` until before `until`,
    and how many there are in all; the read is audited as `map.place_passages`."""
    label, key = place
    ids = place_ids(gateway, schema, label, key)
    params = {"places": ids, "since": since, "until": until, "limit": limit}
    if in_store(store):
        rows, total = _store_place_passages(store, params)
    else:
        records = gateway.read("geo.place_passages", _AT_PLACES, params).records
        rows = [{**record.data(), "time": record["time"].to_native()} for record in records]
        total = gateway.read("geo.place_passages.count", _COUNT_AT_PLACES, params).single_value(0)
    audit.append(
        actor.event(
            "map.place_passages",
            parameters={"place": f"{label}:{key}", "since": since.isoformat(), "until": until.isoformat()},
            rows=len(rows),
            entities=(f"{label}:{key}",),
        )
    )
    return PlacePassages(rows, total)


def _store_place_passages(store: EventStore, params: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    con = store.connect()
    try:
        Lookups(store).narrow_to_places(con, params["places"])
        window = {"since": params["since"], "until": params["until"]}
        cursor = con.execute(_STORE_AT_PLACES, {**window, "limit": params["limit"]})
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        total = con.execute(_STORE_COUNT_AT_PLACES, window).fetchall()[0][0]
    finally:
        con.close()
    return rows, total


def entity_passages(
    gateway: Gateway,
    store: EventStore,
    audit: AuditLog,
    ref: tuple[str, str],
    *,
    actor: Actor,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """A vehicle's or a person's passages in the event store as timeline rows (time in Beijing
    time as ISO text, kind `passage`, the place's name as detail), the earliest `limit`;
    [] for any other label. Audited as `profile.passages`, naming the entity."""
    label, key = ref
    if label not in TIMELINE_LABELS:
        return []
    by_driver = TIMELINE_LABELS[label]
    con = open_events(store, gateway, rules=[])
    try:
        if not by_driver:
            Lookups(store).narrow_to_plate(con, key)
        params = {"by_driver": by_driver, "key": key, "since": since, "until": until, "limit": limit}
        found = con.execute(_STORE_OF_ENTITY, params).fetchall()
    finally:
        con.close()
    named = f"{label}:{key}"
    audit.append(actor.event("profile.passages", parameters={"entity": named}, rows=len(found), entities=(named,)))
    return [
        {"time": time.astimezone(BEIJING).isoformat(), "kind": "passage", "detail": detail, "event": None}
        for time, detail in found
    ]
