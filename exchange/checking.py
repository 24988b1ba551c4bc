"""The rows of an interchange file through the schema: each node's label and key, each value
normalised and validated by its value type (the importer's own normalisers), each link's type
and ends. A row that fails is rejected with its line, column, value and reason; a value the
schema has no property for is left out of a row that loads, and said so in the reject file.

Provenance in the file (`prov_*`, `first_seen`, `last_seen`, as an export writes them) is
not loaded as such: the import writes its own, naming its run, the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exchange.reasons import ExchangeReason
from exchange.rows import LinkRow, NodeRow, ReadFile
from graph.model import Property, RelationshipType, Schema
from ingest.mapping import Reject
from ingest.normalize import InvalidValue, normalise
from ingest.normalize.address import Address
from ingest.reject_reasons import Reason
from ingest.spec import ADDRESS_PARTS


@dataclass
class CheckedNode:
    line: int
    label: str
    key: Any
    properties: dict[str, Any]  # the key's property left out


@dataclass
class CheckedLink:
    line: int
    type: str
    start: CheckedNode
    end: CheckedNode
    identity: dict[str, Any]  # the values that tell it apart (`identity_of`), left out of properties
    properties: dict[str, Any]


@dataclass
class Checked:
    nodes: list[CheckedNode] = field(default_factory=list)
    links: list[CheckedLink] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)  # rows not loaded
    dropped: list[Reject] = field(default_factory=list)  # values left out of rows that load


class _Fault(Exception):
    def __init__(self, column: str, value: Any, reason: Any, message: str):
        super().__init__(message)
        self.column, self.value, self.reason, self.message = column, value, reason, message


def check(read: ReadFile, schema: Schema) -> Checked:
    out = Checked(rejects=list(read.faults))
    by_id: dict[str, CheckedNode] = {}
    seen: dict[str, int] = {}  # file id -> line of the node that first used it
    refused: dict[str, int] = {}  # file id -> line of a node rejected
    for row in read.nodes:
        if row.id in seen:
            out.rejects.append(
                _reject(
                    row,
                    _Fault(
                        "id", row.id, Reason.ROW_DUPLICATE, f"id {row.id!r} is used by the node on line {seen[row.id]}"
                    ),
                )
            )
            continue
        seen[row.id] = row.line
        try:
            node, dropped = _node(row, schema)
        except _Fault as fault:
            out.rejects.append(_reject(row, fault))
            refused[row.id] = row.line
            continue
        by_id[row.id] = node
        out.nodes.append(node)
        out.dropped += dropped
    for row in read.links:
        try:
            link, dropped = _link(row, schema, by_id, refused)
        except _Fault as fault:
            out.rejects.append(_reject(row, fault))
            continue
        out.links.append(link)
        out.dropped += dropped
    return out


def _node(row: NodeRow, schema: Schema) -> tuple[CheckedNode, list[Reject]]:
    shown = "".join(f":{label}" for label in row.labels)
    known = [label for label in row.labels if label in schema.nodes]
    if not known:
        raise _Fault(
            "labels",
            shown,
            ExchangeReason.UNKNOWN_LABEL,
            f"no label of {shown or '(none)'} is in the schema (known: {', '.join(sorted(schema.nodes))})",
        )
    if len(known) > 1:
        raise _Fault(
            "labels", shown, ExchangeReason.SEVERAL_LABELS, f"{shown} names several schema labels; a node has one"
        )
    spec = schema.nodes[known[0]]
    values, dropped, addresses = _values(row, row.properties, spec.properties, schema, f"label {spec.label}")
    if spec.key in addresses:
        # As the importer does: a label keyed by an address takes its parsed parts where the row has none.
        for part in ADDRESS_PARTS:
            value = getattr(addresses[spec.key], part, None)
            if value and part in spec.properties and values.get(part) is None:
                values[part] = value
    key = values.pop(spec.key, None)
    if key is None:
        raise _Fault(spec.key, "", Reason.REQUIRED_MISSING, f"{spec.label}.{spec.key} (its key) is blank or missing")
    for name, prop in spec.properties.items():
        if prop.required and name != spec.key and values.get(name) is None:
            raise _Fault(name, "", Reason.REQUIRED_MISSING, f"{spec.label}.{name} is required and blank or missing")
    return CheckedNode(row.line, spec.label, key, values), dropped


def _link(
    row: LinkRow, schema: Schema, by_id: dict[str, CheckedNode], refused: dict[str, int]
) -> tuple[CheckedLink, list[Reject]]:
    rel = schema.relationships.get(row.type)
    if rel is None:
        raise _Fault(
            "type",
            row.type,
            ExchangeReason.UNKNOWN_TYPE,
            f"relationship type {row.type or '(none)'!r} is not in the schema "
            f"(known: {', '.join(sorted(schema.relationships))})",
        )
    ends = []
    for column, node_id in (("source", row.start), ("target", row.end)):
        node = by_id.get(node_id)
        if node is None:
            why = f"was rejected (line {refused[node_id]})" if node_id in refused else "is not in the file"
            raise _Fault(column, node_id, Reason.REFERENCE_MISSING, f"its {column} node {node_id!r} {why}")
        ends.append(node)
    start, end = ends
    if not rel.connects(start.label, end.label):
        raise _Fault(
            "type",
            row.type,
            ExchangeReason.WRONG_ENDS,
            f"{rel.type} runs from {', '.join(rel.start)} to {', '.join(rel.end)}, "
            f"not from {start.label} to {end.label}",
        )
    values, dropped, _ = _values(row, row.properties, rel.properties, schema, f"relationship {rel.type}")
    identity = {}
    for name in identity_of(rel):
        identity[name] = values.pop(name, None)
        if identity[name] is None:
            raise _Fault(name, "", Reason.REQUIRED_MISSING, f"{rel.type}.{name} is required and blank or missing")
    return CheckedLink(row.line, rel.type, start, end, identity, values), dropped


def identity_of(rel: RelationshipType) -> tuple[str, ...]:
    """What tells two relationships of a type between the same nodes apart: its key, or else its
    required properties (a case mentions a person at several offsets, each its own MENTIONS, as
    the case-text linker MERGEs them); none for a type that holds one per pair."""
    if rel.key:
        return (rel.key,)
    return tuple(name for name, prop in rel.properties.items() if prop.required)


def _values(
    row: NodeRow | LinkRow, raw: dict[str, Any], properties: dict[str, Property], schema: Schema, where: str
) -> tuple[dict[str, Any], list[Reject], dict[str, Address]]:
    """The row's values normalised, the values left out, and the addresses as parsed (by property)."""
    values: dict[str, Any] = {}
    dropped: list[Reject] = []
    addresses: dict[str, Address] = {}
    for name, value in raw.items():
        if name in schema.provenance:
            continue
        prop = properties.get(name)
        if prop is None:
            message = f"{where} has no property {name!r}; the value was left out and the rest of the row loaded"
            dropped.append(
                Reject(
                    row.line, name, _shown(value), ExchangeReason.UNKNOWN_PROPERTY, message, row.original, dropped=True
                )
            )
            continue
        try:
            clean = normalise(prop.type, value, values=prop.values, rule=prop.rule)
        except InvalidValue as exc:
            raise _Fault(name, value, exc.reason, f"{where}.{name}: {exc.message}") from None
        if isinstance(clean, Address):
            addresses[name], clean = clean, clean.full
        values[name] = clean
    return values, dropped, addresses


def _reject(row: NodeRow | LinkRow, fault: _Fault) -> Reject:
    return Reject(row.line, fault.column, _shown(fault.value), fault.reason, fault.message, row.original)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)
