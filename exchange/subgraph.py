"""What an export holds: nodes with their labels and properties, relationships with their type
and properties, read from a saved query's result, an investigation's saved map or a label's
projection, and masked as the operator's role may see them.

Values are as `queries.subgraph` makes them (temporal values as ISO text, points as
longitude/latitude maps); each format writes them by the schema's value types. Nodes and
relationships get the file's own ids (`n0`, `e0`, …) rather than their `Label:key`, which for
a person or a phone is the very number a masked export must not carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from access.visibility import Visibility
from graph.ddl import quote
from graph.model import Schema
from queries import subgraph
from queries.investigations import get as get_investigation
from queries.investigations import read_map
from queries.projection import schema_names

if TYPE_CHECKING:
    from access.actor import Actor
    from graph.gateway import Gateway
    from queries.runner import Runner


class ExportRefused(ValueError):
    """Nothing to export, or an export that may not be made: the message says why."""


@dataclass(frozen=True)
class ExportedNode:
    id: str  # the file's own id
    label: str  # the schema label it is merged on ("" when none of its labels is the schema's)
    labels: tuple[str, ...]
    caption: Any
    properties: Mapping[str, Any]
    # Label:key as stored: for the audit entry and the stable ids of an export that is not
    # masked; never written into a masked one.
    ref: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ExportedRelationship:
    id: str
    type: str
    start: str  # the file's ids of its ends
    end: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Exported:
    what: str  # "query links.neighbourhood", "investigation ZA-…", "label Person via HAS_PHONE"
    nodes: list[ExportedNode]
    relationships: list[ExportedRelationship]
    masked: bool

    @property
    def refs(self) -> list[str]:
        """Label:key of the nodes, for the audit entry."""
        return [node.ref for node in self.nodes if node.ref]

    def node(self, node_id: str) -> ExportedNode:
        return self._by_id[node_id]

    @cached_property
    def _by_id(self) -> dict[str, ExportedNode]:
        return {node.id: node for node in self.nodes}


def prepared(
    schema: Schema,
    nodes: Sequence[Mapping[str, Any]],
    relationships: Sequence[Mapping[str, Any]],
    *,
    visibility: Visibility,
    what: str,
) -> Exported:
    """Nodes and relationships as `queries.subgraph` gives them, masked for `visibility`, with
    the file's own ids; a relationship whose end is not among the nodes is drawn with it
    there (a result that returned relationships alone)."""
    ids: dict[str, str] = {}
    out_nodes: list[ExportedNode] = []
    for node in nodes:
        ids[node["id"]] = f"n{len(ids)}"
        shown = visibility.node(schema, node)
        out_nodes.append(
            ExportedNode(
                id=ids[node["id"]],
                label=node.get("label") or "",
                labels=tuple(node.get("labels") or ()),
                caption=shown.get("caption"),
                properties=dict(shown.get("properties") or {}),
                ref=node.get("ref"),
            )
        )
    out_rels = []
    for rel in relationships:
        if rel.get("start") not in ids or rel.get("end") not in ids:
            continue  # `queries.subgraph` always adds both ends; this is a result cut off mid-way
        shown = visibility.relationship(schema, rel)
        out_rels.append(
            ExportedRelationship(
                id=f"e{len(out_rels)}",
                type=rel["type"],
                start=ids[rel["start"]],
                end=ids[rel["end"]],
                properties=dict(shown.get("properties") or {}),
            )
        )
    return Exported(what, out_nodes, out_rels, masked=not visibility.sees_all)


def from_query(
    runner: Runner,
    query_id: str,
    params: Mapping[str, Any],
    *,
    actor: Actor,
    visibility: Visibility,
) -> Exported:
    """A saved query's graph (its nodes, relationships and paths), run and recorded as a query."""
    outcome = runner.run(query_id, params, actor=actor)
    if not outcome.nodes:
        raise ExportRefused(
            f"query {query_id} returned no nodes, relationships or paths ({len(outcome.rows)} rows): "
            "only a query that returns a graph can be exported as one"
        )
    what = f"query {query_id}"
    return prepared(runner.schema, outcome.nodes, outcome.relationships, visibility=visibility, what=what)


def from_investigation(gateway: Gateway, schema: Schema, investigation_id: str, *, visibility: Visibility) -> Exported:
    """An investigation's saved map as it is in the graph today."""
    found = get_investigation(gateway, schema, investigation_id)
    if found is None:
        raise ExportRefused(f"no investigation {investigation_id!r} (goldenbell lists them in the workbench)")
    graph, _missing = read_map(gateway, schema, found.saved)
    if not graph.nodes:
        raise ExportRefused(f"investigation {investigation_id}: none of its entities is in the graph any more")
    nodes, rels = list(graph.nodes.values()), list(graph.relationships.values())
    return prepared(schema, nodes, rels, visibility=visibility, what=f"investigation {investigation_id}")


def label_cypher(schema: Schema, label: str, via: Sequence[str]) -> str:
    """Every node of the label, or with `via` the label's projection through those types: the
    nodes of the label that have such a relationship, the relationships and their other ends.
    Names come from the schema's own tables (`checked_label`), never from what was typed."""
    if not via:
        return f"MATCH (n:{quote(label)}) RETURN n"
    types = "|".join(quote(t) for t in via)
    return f"MATCH (n:{quote(label)})-[r:{types}]-()\nWITH DISTINCT r\nRETURN startNode(r) AS a, r, endNode(r) AS b"


def checked_label(schema: Schema, label: str, via: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The schema's own names for a label and the types to follow from it; ExportRefused names
    what is unknown, or a type that does not touch the label."""
    return schema_names(schema, label, via, refused=ExportRefused)


def from_label(
    gateway: Gateway,
    schema: Schema,
    label: str,
    via: Sequence[str],
    *,
    visibility: Visibility,
    timeout: float | None = None,
) -> Exported:
    """A label's nodes, or its projection through `via`. `timeout`: seconds for the read (a
    whole label is a bulk read; the command line gives it the server's transaction limit)."""
    label, types = checked_label(schema, label, via)
    result = gateway.read(f"exchange.label.{label}", label_cypher(schema, label, types), timeout=timeout)
    graph = subgraph.extract(result.records, schema)
    if not graph.nodes:
        raise ExportRefused(f"no {label} nodes" + (f" with {', '.join(types)} relationships" if types else ""))
    what = f"label {label}" + (f" via {','.join(types)}" if types else "")
    nodes, rels = list(graph.nodes.values()), list(graph.relationships.values())
    return prepared(schema, nodes, rels, visibility=visibility, what=what)


# The graph's own bookkeeping, and who investigates whom: never part of a whole-graph export.
NOT_EXPORTED_WHOLE = frozenset({"ImportRun", "SourceFile", "Investigation"})


def from_graph(gateway: Gateway, schema: Schema, *, visibility: Visibility, timeout: float | None = None) -> Exported:
    """The whole graph: every node of every schema label and every relationship between them,
    but the import bookkeeping and saved investigations (NOT_EXPORTED_WHOLE). `timeout`:
    seconds for each label's and type's read."""
    graph = subgraph.Subgraph(schema)
    labels = [label for label in sorted(schema.nodes) if label not in NOT_EXPORTED_WHOLE]
    for label in labels:
        for record in gateway.read(f"exchange.all.{label}", label_cypher(schema, label, ()), timeout=timeout).records:
            graph.add(record["n"])
    # The ends were read with their labels above: the relationships alone, without them again.
    left_out = " OR ".join(f"x:{quote(label)}" for label in sorted(NOT_EXPORTED_WHOLE))
    for rel_type in sorted(schema.relationships):
        cypher = f"MATCH (a)-[r:{quote(rel_type)}]->(b) WHERE none(x IN [a, b] WHERE {left_out}) RETURN r"
        for record in gateway.read(f"exchange.all.{rel_type}", cypher, timeout=timeout).records:
            graph.add(record["r"])
    if not graph.nodes:
        raise ExportRefused("the graph is empty")
    nodes, rels = list(graph.nodes.values()), list(graph.relationships.values())
    return prepared(schema, nodes, rels, visibility=visibility, what="the whole graph")
