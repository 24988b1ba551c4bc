"""Places to put on a map: every node with coordinates, with how many passages it saw.

Which labels have coordinates is read from the schema (properties of type `point`), and
which of them see passages from its PASSED_AT relationship; the passage count is the
node's degree for that type, which the server reads without touching the passages.
"""

from __future__ import annotations

from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema

PASSAGE_LINK = "PASSED_AT"


def point_labels(schema: Schema) -> dict[str, str]:
    """Label → its point property, for every label that has one."""
    out = {}
    for label, node in schema.nodes.items():
        for prop in node.properties.values():
            if prop.type == "point":
                out[label] = prop.name
                break
    return out


def _places_cypher(schema: Schema, label: str, point: str) -> str:
    node = schema.node(label)
    rel = schema.relationships.get(PASSAGE_LINK)
    counted = rel is not None and (label in rel.end or "*" in rel.end)
    passages = f"COUNT {{ (n)<-[:{quote(PASSAGE_LINK)}]-() }}" if counted else "0"
    return (
        f"MATCH (n:{quote(label)}) WHERE n.{quote(point)} IS NOT NULL\n"
        f"RETURN n.{quote(node.key)} AS key, n.{quote(node.caption)} AS name,\n"
        f"       n.{quote(point)}.longitude AS longitude, n.{quote(point)}.latitude AS latitude,\n"
        f"       {passages} AS passages\n"
        f"LIMIT $limit"
    )


def places(
    gateway: Gateway,
    schema: Schema,
    audit: AuditLog,
    labels: list[str],
    *,
    actor: Actor,
    limit: int = 5000,
) -> list[dict[str, Any]]:
    """Rows of label, key, name, longitude, latitude and passages, at most `limit` per label."""
    known = point_labels(schema)
    rows: list[dict[str, Any]] = []
    for label in labels:
        if label not in known:
            continue
        result = gateway.read(f"geo.places.{label}", _places_cypher(schema, label, known[label]), {"limit": limit})
        rows += [{"label": label, **record.data()} for record in result.records]
    audit.append(actor.event("map.places", parameters={"labels": labels}, rows=len(rows)))
    return rows
