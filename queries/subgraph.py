"""From driver values to what the workbench shows: plain rows for tables and files,
and the nodes and relationships to draw.

A node in a row becomes its `Label:key` reference — readable, stable across
databases, and usable as the entity parameter of the next query. A relationship
becomes `(Label:key)-[:TYPE]->(Label:key)`; a path, the chain of those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import neo4j.spatial
import neo4j.time
from neo4j.graph import Node, Path, Relationship

from graph.model import Schema
from queries.entities import entity_ref
from queries.parameters import iso_duration


def node_ref(node: Node, schema: Schema) -> str:
    ref = entity_ref(node, schema)
    return str(ref) if ref else f"{':'.join(sorted(node.labels)) or 'node'}#{node.element_id}"


def _rel_text(rel: Relationship, schema: Schema) -> str:
    start = node_ref(rel.start_node, schema) if rel.start_node is not None else "?"
    end = node_ref(rel.end_node, schema) if rel.end_node is not None else "?"
    return f"({start})-[:{rel.type}]->({end})"


def _path_text(path: Path, schema: Schema) -> str:
    parts = [f"({node_ref(path.start_node, schema)})"]
    current = path.start_node
    for rel in path.relationships:
        forward = rel.start_node is not None and rel.start_node.element_id == current.element_id
        current = rel.end_node if forward else rel.start_node
        arrow = f"-[:{rel.type}]->" if forward else f"<-[:{rel.type}]-"
        parts.append(f"{arrow}({node_ref(current, schema)})")
    return "".join(parts)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any, schema: Schema) -> Any:
    """JSON-ready: temporal values as ISO text, points as coordinates, graph values as references."""
    kind = type(value)
    # Exact-type checks first: this runs for every property of every row, and most are scalars.
    if kind in _SCALARS:
        return value
    if kind is neo4j.time.DateTime or kind is neo4j.time.Date:
        return value.to_native().isoformat()
    if kind is list:
        return [plain(v, schema) for v in value]
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Node):
        return node_ref(value, schema)
    if isinstance(value, Relationship):
        return _rel_text(value, schema)
    if isinstance(value, Path):
        return _path_text(value, schema)
    # Durations and points are tuples to Python: test for them before lists.
    if isinstance(value, neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, neo4j.spatial.WGS84Point):
        return {"longitude": value.longitude, "latitude": value.latitude}
    if isinstance(value, neo4j.spatial.Point):
        return list(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v, schema) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, schema) for v in value]
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Date | neo4j.time.Time):
        return value.to_native().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


@dataclass
class Subgraph:
    """Deduplicated nodes and relationships found anywhere in a result's values."""

    schema: Schema
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    relationships: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, value: Any) -> None:
        kind = type(value)
        if kind in _SCALARS or kind is neo4j.time.DateTime:  # most values: nothing to draw
            return
        if kind is list:
            for item in value:
                self.add(item)
        elif isinstance(value, Node):
            self._node(value)
        elif isinstance(value, Relationship):
            self._relationship(value)
        elif isinstance(value, Path):
            for node in value.nodes:
                self._node(node)
            for rel in value.relationships:
                self._relationship(rel)
        elif isinstance(value, Mapping):
            for item in value.values():
                self.add(item)
        elif isinstance(value, list | tuple):
            for item in value:
                self.add(item)

    def _node(self, node: Node) -> None:
        known = self.nodes.get(node.element_id)
        if known is not None and known["labels"]:
            return
        labels = sorted(node.labels)
        ref = entity_ref(node, self.schema)
        label = ref.label if ref else (labels[0] if labels else "")
        spec = self.schema.nodes.get(label)
        self.nodes[node.element_id] = {
            "id": node.element_id,
            "labels": labels,
            "label": label,
            "ref": str(ref) if ref else None,
            "caption": plain(spec.caption_of(node), self.schema) if spec else None,
            "properties": _properties(node, self.schema),
        }

    def _relationship(self, rel: Relationship) -> None:
        for end in (rel.start_node, rel.end_node):
            # A relationship returned alone still needs both ends to be drawn.
            if end is not None and end.element_id not in self.nodes:
                self._node(end)
        if rel.element_id in self.relationships:
            return
        self.relationships[rel.element_id] = {
            "id": rel.element_id,
            "type": rel.type,
            "start": rel.start_node.element_id if rel.start_node is not None else None,
            "end": rel.end_node.element_id if rel.end_node is not None else None,
            "properties": _properties(rel, self.schema),
        }


def rows(keys: list[str], records: Iterable[Iterable[Any]], schema: Schema) -> list[dict[str, Any]]:
    """Table rows of driver records: each value `plain`, scalars passed straight through."""
    return [
        dict(zip(keys, [v if type(v) in _SCALARS else plain(v, schema) for v in record], strict=True))
        for record in records
    ]


def _properties(entity: Node | Relationship, schema: Schema) -> dict[str, Any]:
    return {k: v if type(v) in _SCALARS else plain(v, schema) for k, v in entity.items()}


def extract(records: Iterable[Iterable[Any]], schema: Schema) -> Subgraph:
    graph = Subgraph(schema)
    for record in records:
        for value in record:
            graph.add(value)
    return graph
