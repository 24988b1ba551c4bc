"""Places to put on a map: every node with coordinates, with how many passages it saw.

Which labels have coordinates is read from the schema (properties of type `point`), and
which of them see passages from its PASSED_AT or SEEN_AT relationship; the passage count
is the node's degree for PASSED_AT (Passage nodes), which the server reads without touching
the passages, or the sum of its SEEN_AT counts (passages kept in the event store).
"""

from __future__ import annotations

from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema

PASSAGE_LINK = "PASSED_AT"
SEEN_LINK = "SEEN_AT"  # one per vehicle and place, with its passage count, for the event store


def point_labels(schema: Schema) -> dict[str, str]:
    """Label → its point property, for every label that has one."""
    out = {}
    for label, node in schema.nodes.items():
        for prop in node.properties.values():
            if prop.type == "point":
                out[label] = prop.name
                break
    return out


def _places_cypher(schema: Schema, label: str, point: str, stored: bool) -> str:
    node = schema.node(label)
    caption = ", ".join("." + quote(name) for name in node.caption_properties)  # the caption is filled in here
    return (
        f"MATCH (n:{quote(label)}) WHERE n.{quote(point)} IS NOT NULL\n"
        f"RETURN n.{quote(node.key)} AS key, n {{{caption}}} AS name,\n"
        f"       n.{quote(point)}.longitude AS longitude, n.{quote(point)}.latitude AS latitude,\n"
        f"       {_passages(schema, label, stored)} AS passages\n"
        f"LIMIT $limit"
    )


def _passages(schema: Schema, label: str, stored: bool) -> str:
    """How many passages a place saw: with passages in the event store, the sum over its
    SEEN_AT links (which each import refreshes); else its PASSED_AT degree (Passage nodes)."""

    def ends_at(rel_type: str) -> bool:
        rel = schema.relationships.get(rel_type)
        return rel is not None and (label in rel.end or "*" in rel.end)

    if stored and ends_at(SEEN_LINK):
        seen = f"COLLECT {{ MATCH (n)<-[s:{quote(SEEN_LINK)}]-() RETURN s.passages }}"
        return f"reduce(total = 0, count IN {seen} | total + coalesce(count, 0))"
    if not stored and ends_at(PASSAGE_LINK):
        return f"COUNT {{ (n)<-[:{quote(PASSAGE_LINK)}]-() }}"
    return "0"


def places(
    gateway: Gateway,
    schema: Schema,
    audit: AuditLog,
    labels: list[str],
    *,
    actor: Actor,
    limit: int = 5000,
    stored: bool = False,
) -> list[dict[str, Any]]:
    """Rows of label, key, name, longitude, latitude and passages, at most `limit` per label;
    `stored`: passages are in the event store (counted from SEEN_AT, not Passage nodes)."""
    known = point_labels(schema)
    rows: list[dict[str, Any]] = []
    for label in labels:
        if label not in known:
            continue
        result = gateway.read(
            f"geo.places.{label}", _places_cypher(schema, label, known[label], stored), {"limit": limit}
        )
        spec = schema.node(label)
        for record in result.records:
            row = record.data()
            rows.append({"label": label, **row, "name": spec.caption_of(row["name"])})
    audit.append(actor.event("map.places", parameters={"labels": labels}, rows=len(rows)))
    return rows
