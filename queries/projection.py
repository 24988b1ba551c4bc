"""A label's projection, for the graph analyses (`goldenbell analyse --label`): the nodes of
one label that have a relationship of the chosen types, those relationships, and the nodes
at their other ends (a person's phones, for `--label Person --via HAS_PHONE`; only persons
when the type joins two persons).

The label and the types are looked up in the schema and must meet there (the type may
start or end at the label); the Cypher is written from the schema's names, never from what
was typed, and reads at most one relationship more than the cap, so a projection too large
to analyse costs no more than one that fits. The run is recorded like a saved query's.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from access.actor import Actor
from access.audit.log import AuditLog
from access.audit.seal import ENTITY
from graph.ddl import quote
from graph.errors import GraphError
from graph.model import ANY_LABEL, Schema
from queries import subgraph
from queries.analyses import RELATIONSHIP_CAP_SETTING, Analysis, AnalysisRefused, Limits, analyse, check_size
from queries.returned import audited

if TYPE_CHECKING:
    from graph.gateway import Gateway

ACTION = "analysis.projection"


@dataclass(frozen=True)
class ProjectionOutcome:
    """An analysis of a projection: its rows and totals, and the projection's graph."""

    analysis: Analysis
    label: str
    via: tuple[str, ...]
    elapsed_ms: float
    nodes: list[dict[str, Any]] = field(default_factory=list, repr=False)
    relationships: list[dict[str, Any]] = field(default_factory=list, repr=False)


def checked(schema: Schema, label: str, via: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """The schema's own label and type names for what was asked; AnalysisRefused says which
    is unknown, or which type does not touch the label."""
    found = schema_names(schema, label, via, refused=AnalysisRefused)
    if not found[1]:
        raise AnalysisRefused(f"name the relationship types to follow from {label} (--via TYPE,TYPE)")
    return found


def schema_names(
    schema: Schema, label: str, via: Iterable[str], *, refused: type[Exception]
) -> tuple[str, tuple[str, ...]]:
    """The schema's own names for a label and the relationship types to follow from it (none
    given: none); `refused` says which is unknown, or which type does not touch the label.
    Shared by the analyses and the exports of a label's projection."""
    if label not in schema.nodes:
        raise refused(f"label {label!r} is not in the schema (known: {', '.join(sorted(schema.nodes))})")
    types = tuple(dict.fromkeys(t.strip() for t in via if t.strip()))
    for rel_type in types:
        rel = schema.relationships.get(rel_type)
        if rel is None:
            known = ", ".join(sorted(schema.relationships))
            raise refused(f"relationship type {rel_type!r} is not in the schema (known: {known})")
        ends = (*rel.start, *rel.end)
        if label not in ends and ANY_LABEL not in ends:
            raise refused(
                f"relationship type {rel_type} does not touch {label}: it runs from "
                f"{', '.join(rel.start)} to {', '.join(rel.end)}"
            )
    # Names from the schema's own tables: what reaches the Cypher text is never what was typed.
    return schema.nodes[label].label, tuple(schema.relationships[t].type for t in types)


def projection_cypher(label: str, types: Sequence[str]) -> str:
    return (
        f"MATCH (n:{quote(label)})-[r:{'|'.join(quote(t) for t in types)}]-()\n"
        "WITH DISTINCT r LIMIT $limit\n"
        "RETURN startNode(r) AS a, r, endNode(r) AS b"
    )


def count_cypher(label: str, rel_type: str, *, start: bool, end: bool) -> str:
    """How many relationships of one type touch the label, from the server's count store
    when the label is at one end only (no scan)."""
    lab, typ = quote(label), quote(rel_type)
    if start and end:
        return f"MATCH (n)-[r:{typ}]->(m) WHERE n:{lab} OR m:{lab} RETURN count(r) AS n"
    if start:
        return f"MATCH (:{lab})-[r:{typ}]->() RETURN count(r) AS n"
    return f"MATCH ()-[r:{typ}]->(:{lab}) RETURN count(r) AS n"


def read(
    gateway: Gateway,
    schema: Schema,
    label: str,
    via: Sequence[str],
    limits: Limits,
    *,
    timeout: float | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The projection's nodes and relationships (as `queries.subgraph` gives them), or
    AnalysisRefused with the counts when it is over a cap."""
    label, types = checked(schema, label, via)
    result = gateway.read(
        f"{ACTION}.read",
        projection_cypher(label, types),
        {"limit": limits.relationships + 1},
        timeout=timeout,
        metadata=metadata,
    )
    if len(result.records) > limits.relationships:
        total = _count(gateway, schema, label, types, timeout=timeout, metadata=metadata)
        raise AnalysisRefused(
            f"{_what(label, types)} holds {total:,} relationships; an analysis takes at most "
            f"{limits.relationships:,} relationships ({RELATIONSHIP_CAP_SETTING}): narrow it with a saved query "
            "(goldenbell analyse MEASURE --query ID), or raise the setting"
        )
    graph = subgraph.extract(result.records, schema)
    nodes, relationships = list(graph.nodes.values()), list(graph.relationships.values())
    check_size(len(nodes), len(relationships), limits, _what(label, types))
    return nodes, relationships


def analyse_projection(
    gateway: Gateway,
    schema: Schema,
    audit: AuditLog,
    actor: Actor,
    analysis: str,
    label: str,
    via: Sequence[str],
    limits: Limits,
    *,
    top: int | None = None,
    timeout: float | None = None,
) -> ProjectionOutcome:
    """`analysis` over `label`'s projection through `via`, for `actor`, recorded before it
    returns (a refusal and a failure too: a consultation that is not recorded does not happen)."""
    parameters = {"analysis": analysis, "label": label, "via": list(via), "top": top}
    metadata = {"user": actor.user, "case_ref": actor.case_ref, "query_id": ACTION}
    metadata |= {"reason": actor.reason} if actor.reason else {}
    if not actor.user or not actor.user.strip():
        raise AnalysisRefused("no user given; every analysis is recorded with who asked")
    began = time.perf_counter()
    try:
        nodes, relationships = read(gateway, schema, label, via, limits, timeout=timeout, metadata=metadata)
        found = analyse(analysis, nodes, relationships, top=top)
    except AnalysisRefused as exc:
        audit.append(actor.event(ACTION, parameters=parameters, outcome="refused", message=str(exc)))
        raise
    except GraphError as exc:
        audit.append(actor.event(ACTION, parameters=parameters, outcome="error", message=str(exc)))
        raise
    elapsed = (time.perf_counter() - began) * 1000
    named, message = audited(shown_entities(found, nodes))
    entry = actor.event(ACTION, parameters=parameters, message=message, rows=len(found.rows), entities=named)
    audit.append(entry)
    return ProjectionOutcome(found, label, tuple(via), elapsed, nodes, relationships)


def shown_entities(found: Analysis, nodes: Iterable[Mapping[str, Any]]) -> list[str]:
    """The Label:key of each node in the analysis' rows, as an audit entry names what came back."""
    refs = {node["id"]: node.get("ref") for node in nodes}
    out = [refs.get(row["id"]) for row in found.rows]
    return [ref for ref in dict.fromkeys(out) if ref and ENTITY.fullmatch(ref)]


def _count(
    gateway: Gateway,
    schema: Schema,
    label: str,
    types: Sequence[str],
    *,
    timeout: float | None,
    metadata: Mapping[str, Any] | None,
) -> int:
    total = 0
    for rel_type in types:
        rel = schema.relationships[rel_type]
        start = label in rel.start or ANY_LABEL in rel.start
        end = label in rel.end or ANY_LABEL in rel.end
        cypher = count_cypher(label, rel_type, start=start, end=end)
        total += int(gateway.read(f"{ACTION}.count", cypher, timeout=timeout, metadata=metadata).single_value(0))
    return total


def _what(label: str, types: Sequence[str]) -> str:
    return f"the projection of {label} through {', '.join(types)}"
