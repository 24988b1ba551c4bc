"""An entity's profile: the node itself, its linked entities grouped by label, its timeline.

Reading one entity by `Label:key` is a unique-index seek whose label and key property
come from the schema, never from the value. Linked entities and the timeline come from
the reviewed `links.neighbourhood` and `links.timeline` queries through the runner;
reading the entity is audited here, as `profile.view`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from graph.ddl import quote
from graph.errors import GraphError
from graph.gateway import Gateway
from graph.model import Schema
from queries.entities import entity_ref
from queries.parameters import EntityRef, ParameterError
from queries.returned import returned_entities
from queries.runner import QueryOutcome
from queries.store_runs import BEIJING
from queries.subgraph import Subgraph

NEIGHBOURS_SHOWN = 200


def parse_ref(text: str, schema: Schema) -> EntityRef:
    """`Label:key` → EntityRef; ParameterError when the label is unknown or the key missing."""
    label, sep, key = str(text).strip().partition(":")
    if not sep or not key.strip():
        raise ParameterError("entity", f"{text!r} should be Label:key, e.g. Person:330402199001011234")
    if label.strip() not in schema.nodes:
        raise ParameterError("entity", f"label {label.strip()!r} is not in the schema")
    return EntityRef(label.strip(), key.strip())


def _entity_cypher(schema: Schema, label: str) -> str:
    node = schema.node(label)
    return (
        f"MATCH (n:{quote(node.label)} {{{quote(node.key)}: $key}}) "
        "RETURN n, COUNT { (n)--() } AS degree, EXISTS { (n)-[:LISTED_ON]->() } AS listed"
    )


@dataclass(frozen=True)
class EntityProfile:
    node: dict[str, Any]  # as queries.subgraph gives nodes: id, label, ref, caption, properties
    degree: int
    listed: bool = False  # on a watch list


def read_entity(
    gateway: Gateway,
    schema: Schema,
    audit: AuditLog,
    ref: EntityRef,
    *,
    actor: Actor,
    action: str = "profile.view",
) -> EntityProfile | None:
    """The entity and its number of relationships, or None; the look is recorded either way."""
    event = partial(actor.event, action, parameters={"entity": str(ref)})
    try:
        result = gateway.read(f"profiles.entity.{ref.label}", _entity_cypher(schema, ref.label), {"key": ref.key})
    except GraphError as exc:
        audit.append(event(outcome="error", message=str(exc)))
        raise
    audit.append(event(rows=len(result.records), entities=tuple(returned_entities(result.records[:1], schema))))
    if not result.records:
        return None
    graph = Subgraph(schema)
    graph.add(result.records[0]["n"])
    record = result.records[0]
    return EntityProfile(node=next(iter(graph.nodes.values())), degree=record["degree"], listed=bool(record["listed"]))


@dataclass
class LinkedGroup:
    label: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    links: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # node id → its relationships to the start


def linked_by_label(outcome: QueryOutcome, start_id: str) -> dict[str, LinkedGroup]:
    """The first-hop neighbours of a `links.neighbourhood` outcome, grouped by label."""
    nodes = {node["id"]: node for node in outcome.nodes}
    groups: dict[str, LinkedGroup] = {}
    seen: set[str] = set()
    for rel in outcome.relationships:
        other = rel["end"] if rel["start"] == start_id else rel["start"] if rel["end"] == start_id else None
        if other is None or other not in nodes:
            continue
        node = nodes[other]
        group = groups.setdefault(node["label"], LinkedGroup(node["label"]))
        group.types.add(rel["type"])
        group.links.setdefault(other, []).append(rel)
        if other not in seen:
            seen.add(other)
            group.nodes.append(node)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1].nodes), item[0])))


def timeline_rows(outcome: QueryOutcome, stored: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """`links.timeline` rows for a chart: time, kind and detail (the event itself stays a reference);
    with `stored`, the entity's passages from the event store merged in time order, and the
    whole kept to the query's own limit."""
    rows = [
        {"time": row["time"], "kind": row["kind"], "detail": row["detail"], "event": row["event"]}
        for row in outcome.rows
        if row.get("time")
    ]
    if not stored:
        return rows
    merged = sorted([*rows, *stored], key=lambda row: (_instant(row["time"]), row["kind"], str(row["detail"])))
    return merged[: int(outcome.params.get("limit") or len(merged))]


def _instant(text: str) -> datetime:
    """An ISO time as an instant to sort by; one without an offset is Beijing time."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=BEIJING)


_MENTIONS = """
MATCH (c:Case {case_id: $case_id})-[m:MENTIONS]->(n)
RETURN m.start AS start, m.end AS end, m.text AS text, n
ORDER BY start
"""


def case_mentions(gateway: Gateway, schema: Schema, case_id: str) -> list[dict[str, Any]]:
    """The mentions of a case report that name an entity: start, end, text and the entity's Label:key."""
    out = []
    for record in gateway.read("profiles.case_mentions", _MENTIONS, {"case_id": case_id}).records:
        ref = entity_ref(record["n"], schema)
        if ref is not None:
            out.append({"start": record["start"], "end": record["end"], "text": record["text"], "ref": str(ref)})
    return out


def case_text(node: Mapping[str, Any]) -> str | None:
    """The report text of a Case node (案情简述), if the node is one."""
    if node.get("label") != "Case":
        return None
    text = (node.get("properties") or {}).get("text")
    return str(text) if text else None


LISTED_AMONG = "MATCH (n) WHERE elementId(n) IN $ids AND EXISTS { (n)-[:LISTED_ON]->() } RETURN elementId(n) AS id"
LINKS_AMONG = "MATCH (a)-[r]->(b) WHERE elementId(a) IN $ids AND elementId(b) IN $ids RETURN r"


def _read_among(
    gateway: Gateway, audit: AuditLog, actor: Actor, action: str, cypher: str, node_ids: list[str]
) -> list[Any]:
    """One read over nodes already shown (element ids), recorded as `action` whether it works or not."""
    event = partial(actor.event, action, parameters={"nodes": len(node_ids)})
    try:
        result = gateway.read(f"profiles.{action}", cypher, {"ids": list(node_ids)})
    except GraphError as exc:
        audit.append(event(outcome="error", message=str(exc)))
        raise
    audit.append(event(rows=len(result.records)))
    return result.records


def listed_among(gateway: Gateway, audit: AuditLog, node_ids: list[str], *, actor: Actor) -> set[str]:
    """Which of these nodes (element ids of nodes already shown) are on a watch list."""
    if not node_ids:
        return set()
    records = _read_among(gateway, audit, actor, "map.watch_flags", LISTED_AMONG, node_ids)
    return {record["id"] for record in records}


def links_among(
    gateway: Gateway, schema: Schema, audit: AuditLog, node_ids: list[str], *, actor: Actor
) -> list[dict[str, Any]]:
    """The relationships between these nodes (element ids of nodes already shown), as
    `queries.subgraph` gives them: what ties an alert's entities to each other."""
    if len(node_ids) < 2:
        return []
    graph = Subgraph(schema)
    for record in _read_among(gateway, audit, actor, "map.links_among", LINKS_AMONG, node_ids):
        graph.add(record["r"])
    return list(graph.relationships.values())
