"""What a session may see of ID numbers and phones: the one masking policy that pages,
maps, tooltips, exports and reports apply to everything they show.

Raw values stay on the server (in the query outcome); masking is applied when a value
is turned into something shown or written out. A role with SEE_SENSITIVE sees them in
full; any other sees them masked (330402********1234, 138****5678) except for the
entities unmasked in its session, whose key (the ID number of a Person, the number of a
Phone) is then shown wherever it appears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

from access.masking import mask_text, mask_value, masked_properties
from access.sessions import Session
from graph.model import Schema

T = TypeVar("T")  # QueryOutcome, ConsoleOutcome: dataclasses with rows, nodes and relationships


@dataclass(frozen=True)
class Visibility:
    sees_all: bool
    unmasked: frozenset[str] = frozenset()  # entity references, Label:key

    @classmethod
    def for_session(cls, session: Session) -> Visibility:
        return cls(session.sees_sensitive, session.unmasked)

    @property
    def revealed(self) -> frozenset[str]:
        """Key values of the unmasked entities."""
        return frozenset(ref.partition(":")[2] for ref in self.unmasked if ref.partition(":")[2])

    def text(self, text: str) -> str:
        """Free text with ID numbers and phones masked, except the revealed ones."""
        if self.sees_all or not isinstance(text, str):
            return text
        return _mask_keeping(text, sorted(self.revealed, key=len, reverse=True))

    def value(self, value: Any) -> Any:
        """Any JSON-ready value (a row cell, a parameter): every string in it through `text`."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        return value

    def properties(
        self, schema: Schema, labels: Iterable[str], properties: Mapping[str, Any], ref: str | None = None
    ) -> dict[str, Any]:
        """A node's or relationship's properties as this session may see them. An unmasked
        entity shows its own sensitive properties; free text in it still hides other numbers."""
        if self.sees_all:
            return dict(properties)
        whole = ref is not None and ref in self.unmasked
        kinds = masked_properties(schema, labels)
        out: dict[str, Any] = {}
        for name, value in properties.items():
            if name not in kinds:
                out[name] = self.value(value)
            elif whole or (isinstance(value, str) and value in self.revealed):
                out[name] = value
            else:
                out[name] = mask_value(kinds[name], value)
        return out

    def node(self, schema: Schema, node: Mapping[str, Any]) -> dict[str, Any]:
        """A node as `queries.subgraph` gives it (ref, caption, properties), masked for display."""
        if self.sees_all:
            return dict(node)
        ref = node.get("ref")
        return {
            **node,
            "ref": self.value(ref),
            "caption": self.value(node.get("caption")),
            "properties": self.properties(schema, node.get("labels") or [], node.get("properties") or {}, ref),
        }

    def relationship(self, schema: Schema, relationship: Mapping[str, Any]) -> dict[str, Any]:
        if self.sees_all:
            return dict(relationship)
        return {**relationship, "properties": self.properties(schema, [], relationship.get("properties") or {})}

    def outcome(self, schema: Schema, outcome: T) -> T:
        """A copy of a runner or console outcome fit to show or export: rows, parameters,
        nodes and relationships masked; the driver's records left out (they hold raw values)."""
        if self.sees_all:
            return outcome
        names = {f.name for f in fields(outcome)}
        nodes = [self.node(schema, node) for node in outcome.nodes]
        relationships = [self.relationship(schema, rel) for rel in outcome.relationships]
        changes: dict[str, Any] = {"rows": [self.value(dict(row)) for row in outcome.rows]}
        if "drawn" in names:
            changes["drawn"] = (nodes, relationships)
        else:
            changes["nodes"], changes["relationships"] = nodes, relationships
        if "params" in names:
            changes["params"] = self.value(dict(outcome.params))
        if "records" in names:
            changes["records"] = []
        return replace(outcome, **changes)


def _mask_keeping(text: str, keep: list[str]) -> str:
    for value in keep:
        if value in text:
            return value.join(_mask_keeping(part, keep) for part in text.split(value))
    return mask_text(text)
