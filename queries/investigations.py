"""Investigations (专案): relationship maps an investigator saved, kept in Neo4j.

An Investigation node holds the map as JSON — entities as `Label:key`, links as
(start, type, end) references, positions, pins — plus title, notes, owner and case
reference. It is linked to no entity, so expansions never reach it and no analyst
learns from the graph who is investigating whom. Reopening reads the entities and
links again by their keys (so the map shows today's data, masked as the reader's role
requires), and says which ones are gone.

Saving and opening are audited (`investigation.save`, `investigation.open`).
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from queries.subgraph import Subgraph, plain

FORMAT_VERSION = 2

_SAVE = """
MERGE (i:Investigation {investigation_id: $id})
ON CREATE SET i.created_at = $now, i.owner = $owner, i.first_seen = $now, i.prov_source = 'goldenbell workbench'
SET i.title = $title, i.notes = $notes, i.case_ref = $case_ref, i.reason = $reason, i.map_json = $map_json,
    i.node_count = $node_count, i.updated_at = $now, i.last_seen = $now
RETURN i.investigation_id AS id
"""

_LIST = """
MATCH (i:Investigation)
RETURN i.investigation_id AS id, i.title AS title, i.owner AS owner, i.case_ref AS case_ref,
       i.node_count AS node_count, i.updated_at AS updated_at, i.notes AS notes
ORDER BY i.updated_at DESC
LIMIT $limit
"""

_GET = "MATCH (i:Investigation {investigation_id: $id}) RETURN i"

_LINKS = """
UNWIND $links AS link
MATCH (a) WHERE elementId(a) = link.a
MATCH (b) WHERE elementId(b) = link.b
MATCH (a)-[r]->(b) WHERE type(r) = link.type
RETURN r
"""


@dataclass
class SavedMap:
    """What an investigation keeps of a map: references, not data."""

    entities: list[str]  # Label:key
    links: list[tuple[str, str, str]]  # (start Label:key, TYPE, end Label:key)
    positions: dict[str, dict[str, float]] = field(default_factory=dict)  # by Label:key
    pinned: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # Label:key of entities hidden on the canvas
    groups: dict[str, list[str]] = field(default_factory=dict)  # group id → members' Label:key
    style: dict[str, Any] = field(default_factory=dict)  # styling rules: size by, colour by, rings
    # Links drawn from many (a vehicle seen at a place: start, type, end, count, first, last).
    aggregates: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": FORMAT_VERSION,
                "entities": self.entities,
                "links": [list(link) for link in self.links],
                "positions": self.positions,
                "pinned": self.pinned,
                "hidden": self.hidden,
                "groups": self.groups,
                "style": self.style,
                "aggregates": self.aggregates,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> SavedMap:
        data = json.loads(text or "{}")
        return cls(
            entities=[str(e) for e in data.get("entities", [])],
            links=[(str(a), str(t), str(b)) for a, t, b in data.get("links", [])],
            positions={k: {"x": float(v["x"]), "y": float(v["y"])} for k, v in data.get("positions", {}).items()},
            pinned=[str(p) for p in data.get("pinned", [])],
            # Maps saved before format 2 have none of these: they open as they were.
            hidden=[str(h) for h in data.get("hidden", [])],
            groups={str(g): [str(m) for m in members] for g, members in (data.get("groups") or {}).items()},
            style={str(k): v for k, v in (data.get("style") or {}).items() if isinstance(v, str | bool | None)},
            aggregates=[dict(a) for a in data.get("aggregates") or () if isinstance(a, dict)],
        )


@dataclass(frozen=True)
class Investigation:
    id: str
    title: str
    notes: str
    owner: str
    case_ref: str
    updated_at: str
    saved: SavedMap


def new_id() -> str:
    return f"ZA-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"


def save(
    gateway: Gateway,
    audit: AuditLog,
    saved: SavedMap,
    *,
    title: str,
    notes: str,
    actor: Actor,
    investigation_id: str | None = None,
) -> str:
    investigation_id = investigation_id or new_id()
    params = {
        "id": investigation_id,
        "title": title.strip() or investigation_id,
        "notes": notes,
        "owner": actor.user,
        "case_ref": actor.case_ref,
        "reason": actor.reason,
        "map_json": saved.to_json(),
        "node_count": len(saved.entities),
        "now": datetime.now(UTC),
    }
    gateway.write("investigations.save", _SAVE, params)
    parameters = {"investigation_id": investigation_id, "entities": len(saved.entities)}
    audit.append(actor.event("investigation.save", parameters=parameters, rows=len(saved.entities)))
    return investigation_id


def list_investigations(gateway: Gateway, schema: Schema, *, limit: int = 200) -> list[dict[str, Any]]:
    records = gateway.read("investigations.list", _LIST, {"limit": limit}).records
    return [{key: plain(value, schema) for key, value in record.items()} for record in records]


def get(gateway: Gateway, schema: Schema, investigation_id: str) -> Investigation | None:
    records = gateway.read("investigations.get", _GET, {"id": investigation_id}).records
    if not records:
        return None
    node = records[0]["i"]
    return Investigation(
        id=node["investigation_id"],
        title=node.get("title") or "",
        notes=node.get("notes") or "",
        owner=node.get("owner") or "",
        case_ref=node.get("case_ref") or "",
        updated_at=plain(node.get("updated_at"), schema) or "",
        saved=SavedMap.from_json(node.get("map_json") or "{}"),
    )


def _nodes_cypher(schema: Schema, label: str) -> str:
    node = schema.node(label)
    return f"MATCH (n:{quote(node.label)}) WHERE n.{quote(node.key)} IN $keys RETURN n"


def read_entities(gateway: Gateway, schema: Schema, refs: Iterable[str]) -> Subgraph:
    """The nodes named `Label:key`, one index seek per key, labels and keys from the schema."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for ref in refs:
        label, _, key = ref.partition(":")
        if label in schema.nodes and key:
            by_label[label].append(key)
    graph = Subgraph(schema)
    for label, keys in sorted(by_label.items()):
        for record in gateway.read(
            f"investigations.nodes.{label}", _nodes_cypher(schema, label), {"keys": keys}
        ).records:
            graph.add(record["n"])
    return graph


def read_map(gateway: Gateway, schema: Schema, saved: SavedMap) -> tuple[Subgraph, list[str]]:
    """The saved map's entities and links as they are now, and the references no longer found."""
    graph = read_entities(gateway, schema, saved.entities)
    ids = {node["ref"]: node_id for node_id, node in graph.nodes.items() if node["ref"]}
    links = [
        {"a": ids[a], "type": rel_type, "b": ids[b]}
        for a, rel_type, b in saved.links
        if a in ids and b in ids and rel_type in schema.relationships
    ]
    if links:
        for record in gateway.read("investigations.links", _LINKS, {"links": links}).records:
            graph.add(record["r"])
    missing = [ref for ref in saved.entities if ref not in ids]
    return graph, missing


def record_open(audit: AuditLog, investigation: Investigation, *, actor: Actor) -> None:
    parameters = {"investigation_id": investigation.id}
    audit.append(actor.event("investigation.open", parameters=parameters, rows=len(investigation.saved.entities)))


__all__ = ["Investigation", "SavedMap", "get", "list_investigations", "read_map", "save"]
