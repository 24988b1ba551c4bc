"""Which entities a result returned, as the audit entry of the consultation names them, so an
auditor can ask who looked at a person, when and why (`goldenbell audit who`).

An entity counts as returned when a node of it came back: as a column, inside a list or a
map, as either end of a relationship or on a path. A column of bare values (a name, a
count) names no entity. One entry names at most AUDITED_ENTITIES of them; the entry's
message says how many more there were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from neo4j.graph import Node, Path, Relationship

from access.audit.seal import ENTITY
from graph.model import Schema
from queries.entities import entity_ref

AUDITED_ENTITIES = 1_000


def returned_entities(records: Iterable[Any], schema: Schema) -> list[str]:
    """The Label:key of every distinct entity in `records`, in the order they first came back."""
    seen: set[str] = set()  # element ids: a node's ref is made once however often it comes back
    nodes: list[Node] = []

    def visit(value: Any) -> None:
        if isinstance(value, Node):
            if value.element_id not in seen:
                seen.add(value.element_id)
                nodes.append(value)
        elif isinstance(value, Relationship):
            visit(value.start_node)
            visit(value.end_node)
        elif isinstance(value, Path):
            for node in value.nodes:
                visit(node)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)
        elif isinstance(value, Mapping):
            for item in value.values():
                visit(item)

    for record in records:
        for value in record.values():
            visit(value)
    refs: dict[str, None] = {}
    for node in nodes:
        ref = entity_ref(node, schema)
        # A key the log cannot name (blank first character) is left out rather than fail the run.
        if ref is not None and ENTITY.fullmatch(text := str(ref)):
            refs[text] = None
    return list(refs)


def audited(entities: list[str], message: str = "") -> tuple[tuple[str, ...], str]:
    """The entities an entry names and its message, which says when some were left out."""
    if len(entities) <= AUDITED_ENTITIES:
        return tuple(entities), message
    more = f"{len(entities):,} entities returned; the first {AUDITED_ENTITIES:,} are named"
    return tuple(entities[:AUDITED_ENTITIES]), f"{message}; {more}" if message else more
