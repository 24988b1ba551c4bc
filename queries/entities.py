"""Entities named as Label:key, resolved to the nodes' element ids in one read.

Pack Cypher takes an entity parameter as an element id (`WHERE elementId(s) = $start`),
which the server answers with a direct seek. Matching by a label and key given as
parameters (`s[$prop] = $key`) cannot use an index and scans every node, so the
lookup is done here, one unique-index seek per entity, with the label and key
property taken from the schema and never from the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import neo4j

from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from queries.parameters import EntityRef, ParameterError


def lookup_cypher(schema: Schema, refs: Mapping[str, EntityRef]) -> str:
    parts = []
    for i, ref in enumerate(refs.values()):
        node = schema.node(ref.label)
        parts.append(f"OPTIONAL MATCH (n{i}:{quote(node.label)} {{{quote(node.key)}: $k{i}}})")
    returns = ", ".join(f"elementId(n{i}) AS {quote(name)}" for i, name in enumerate(refs))
    return "\n".join(parts) + f"\nRETURN {returns}"


def resolve(
    gateway: Gateway,
    schema: Schema,
    refs: Mapping[str, EntityRef],
    *,
    timeout: float | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Parameter name → element id; ParameterError naming the first entity not found."""
    if not refs:
        return {}
    params = {f"k{i}": ref.key for i, ref in enumerate(refs.values())}
    row = gateway.read(
        "entities.resolve", lookup_cypher(schema, refs), params, timeout=timeout, metadata=metadata
    ).records[0]
    return _found(schema, refs, row)


def resolve_in(
    tx: neo4j.ManagedTransaction | neo4j.Session, schema: Schema, refs: Mapping[str, EntityRef]
) -> dict[str, str]:
    """`resolve` in a transaction or session already open."""
    if not refs:
        return {}
    params = {f"k{i}": ref.key for i, ref in enumerate(refs.values())}
    return _found(schema, refs, tx.run(lookup_cypher(schema, refs), params).single())


def _found(schema: Schema, refs: Mapping[str, EntityRef], row: Any) -> dict[str, str]:
    out = {}
    for name, ref in refs.items():
        if row[name] is None:
            key = schema.node(ref.label).key
            raise ParameterError(name, f"no {ref.label} with {key} {ref.key!r} in the graph")
        out[name] = row[name]
    return out


def entity_ref(node: Any, schema: Schema) -> EntityRef | None:
    """The Label:key of a driver node: its first label the schema knows, and that label's key."""
    for label in sorted(getattr(node, "labels", ())):
        spec = schema.nodes.get(label)
        if spec is not None and node.get(spec.key) is not None:
            return EntityRef(label, str(node.get(spec.key)))
    return None
