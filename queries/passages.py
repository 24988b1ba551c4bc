"""Passages at a place in a time window, and the span of days passages cover.

Reads go by the passage's own `place_id` and `time` (the composite index the schema
declares), never by expanding a checkpoint's relationships, so they stay cheap at a
checkpoint that saw millions of cars, and they can move to another store with the
passages. A compound is the sum of its gates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from queries.geo import PASSAGE_LINK

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


@dataclass(frozen=True)
class PlacePassages:
    rows: list[dict[str, Any]]  # newest first: time (datetime), plate, place_id, direction, lane
    total: int  # in the window, of which `rows` are the newest


def passage_span(gateway: Gateway) -> tuple[datetime, datetime] | None:
    """The first and last passage times (index-ordered reads), or None without passages."""
    records = gateway.read("geo.passage_span", _SPAN, {}).records
    if not records or records[0]["first"] is None:
        return None
    return records[0]["first"].to_native(), records[0]["last"].to_native()


def plate_span(gateway: Gateway, audit: AuditLog, plate: str, *, actor: Actor) -> tuple[datetime, datetime] | None:
    """When `plate` was first and last seen (index-ordered reads), or None; audited as `map.plate_span`."""
    records = gateway.read("geo.plate_span", _PLATE_SPAN, {"plate": plate}).records
    found = bool(records) and records[0]["first"] is not None
    audit.append(actor.event("map.plate_span", parameters={"plate": plate}, rows=int(found)))
    return (records[0]["first"].to_native(), records[0]["last"].to_native()) if found else None


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
) -> PlacePassages:
    """The newest `limit` passages at `place` (label, key) from `since` until before `until`,
    and how many there are in all; the read is audited as `map.place_passages`."""
    label, key = place
    ids = place_ids(gateway, schema, label, key)
    params = {"places": ids, "since": since, "until": until, "limit": limit}
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
