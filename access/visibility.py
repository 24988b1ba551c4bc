"""What a session may see of ID numbers, phones and what is derived from an ID number: the one
masking policy that pages, maps, tooltips, exports and reports apply to everything they show.

Raw values stay on the server (in the query outcome); masking is applied when a value
is turned into something shown or written out. A role with SEE_SENSITIVE sees them in
full; any other sees them masked (**************1234, 138****5678, ****-**-**) except for the
entities unmasked in its session, whose key (the ID number of a Person, the number of a
Phone) is then shown wherever it appears.

What a value is comes from four places, strongest first: the schema's `mask:` on a node's
property; an entity reference (`Label:key`) whose label's key is masked; the `sensitive:`
columns a pack query declares (and columns named like a masked property); and, for every
other string, the free-text patterns of access/masking.py. The reference rule is what
hides a key no pattern knows (another country's ID number, under the neutral profile).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

from access.masking import TEXT, mask_number, mask_text, mask_value, masked_properties
from access.sessions import Session
from graph.model import Schema

T = TypeVar("T")  # QueryOutcome, ConsoleOutcome: dataclasses with rows, nodes and relationships

# Kinds whose value is an entity's key: an unmasked entity's key shows wherever it appears.
_KEY_KINDS = frozenset({"citizen_id", "phone"})
_REF = re.compile(r"([A-Z][A-Za-z0-9]*):(.+)", re.S)


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

    def value(self, value: Any, kinds: Mapping[str, str] | None = None) -> Any:
        """Any JSON-ready value (a row cell, a parameter): every string in it through `text`,
        numbers long enough to be an ID or a phone masked as their digits, and in a map the
        keys named in `kinds` (column → mask kind) masked as that kind."""
        if self.sees_all:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {
                k: self.of_kind(kinds[k], v) if kinds and k in kinds else self.value(v, kinds) for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.value(v, kinds) for v in value]
        return mask_number(value)

    def of_kind(self, kind: str, value: Any) -> Any:
        """A value known to be of a mask kind (a schema mask, or `text` for free text that may
        quote one). The key of an entity unmasked in this session shows as it is."""
        if self.sees_all or value is None:
            return value
        if kind == TEXT:
            return self.value(value)
        if isinstance(value, list | tuple):
            return [self.of_kind(kind, v) for v in value]
        if kind in _KEY_KINDS and isinstance(value, str) and value in self.revealed:
            return value
        return mask_value(kind, value)

    def rows(self, rows: Iterable[Mapping[str, Any]], kinds: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Table rows; a column named in `kinds` is masked as that kind, any other as `value`."""
        return [self.value(dict(row), kinds) for row in rows]

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
            elif whole:
                out[name] = value
            else:
                out[name] = self.of_kind(kinds[name], value)
        return out

    def node(self, schema: Schema, node: Mapping[str, Any]) -> dict[str, Any]:
        """A node as `queries.subgraph` gives it (ref, caption, properties), masked for display."""
        if self.sees_all:
            return dict(node)
        ref = node.get("ref")
        spec = schema.nodes.get(node.get("label") or "")
        caption_kind = spec.properties[spec.caption].mask if spec is not None else None
        whole = ref is not None and ref in self.unmasked
        caption = node.get("caption")
        properties = self.properties(schema, node.get("labels") or [], node.get("properties") or {}, ref)
        if whole:
            shown = caption
        elif spec is not None and spec.caption_template is not None:
            # A template may join a masked property with others: filled again from masked values.
            shown = self.of_kind(TEXT, spec.caption_of(properties))
        else:
            shown = self.of_kind(caption_kind or TEXT, caption)
        return {**node, "ref": self.value(self.ref(schema, ref)), "caption": shown, "properties": properties}

    def ref(self, schema: Schema, value: Any) -> Any:
        """An entity reference `Label:key` with its key masked as the label's key property is;
        anything else as it was. Rows and parameters carry nodes as such references."""
        if self.sees_all or not isinstance(value, str) or value in self.unmasked:
            return value
        found = _REF.fullmatch(value)
        node = schema.nodes.get(found.group(1)) if found else None
        kind = node.key_property.mask if node is not None else None
        if found is None or kind is None or kind not in _KEY_KINDS or found.group(2) in self.revealed:
            return value
        return f"{found.group(1)}:{mask_value(kind, found.group(2))}"

    def refs(self, schema: Schema, value: Any) -> Any:
        """`ref` applied to every string inside a row, a parameter map or a list."""
        if isinstance(value, str):
            return self.ref(schema, value)
        if isinstance(value, Mapping):
            return {k: self.refs(schema, v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.refs(schema, v) for v in value]
        return value

    def relationship(self, schema: Schema, relationship: Mapping[str, Any]) -> dict[str, Any]:
        if self.sees_all:
            return dict(relationship)
        return {**relationship, "properties": self.properties(schema, [], relationship.get("properties") or {})}

    def outcome(self, schema: Schema, outcome: T) -> T:
        """A copy of a runner or console outcome fit to show or export: rows (with the columns
        the query declares sensitive, and those named like a masked property, masked as such),
        parameters, nodes and relationships masked; the driver's records left out (they hold
        raw values)."""
        if self.sees_all:
            return outcome
        names = {f.name for f in fields(outcome)}
        kinds = {**schema.masked_properties(), **(getattr(outcome, "sensitive", None) or {})}
        nodes = [self.node(schema, node) for node in outcome.nodes]
        relationships = [self.relationship(schema, rel) for rel in outcome.relationships]
        changes: dict[str, Any] = {"rows": self.rows(self.refs(schema, outcome.rows), kinds)}
        if "drawn" in names:
            changes["drawn"] = (nodes, relationships)
        else:
            changes["nodes"], changes["relationships"] = nodes, relationships
        if "params" in names:
            changes["params"] = self.value(self.refs(schema, dict(outcome.params)), kinds)
        if "records" in names:
            changes["records"] = []
        return replace(outcome, **changes)


def _mask_keeping(text: str, keep: list[str]) -> str:
    for value in keep:
        if value in text:
            return value.join(_mask_keeping(part, keep) for part in text.split(value))
    return mask_text(text)
