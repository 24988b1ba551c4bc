"""What a loaded schema is made of: node and relationship types, their properties and
bilingual names, styles and the full-text index. graph/model.py reads the files under
graph/schema/ into these; everything else takes them from there.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ANY_LABEL = "*"
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|（\s*）|\[\s*\]")


def _filled(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Names:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class ValueRule:
    """A value type declared as data (`types/<name>.yaml`): identifiers of another country
    checked by a pattern, a python-stdnum validator or a phone region, stored as text."""

    type: str
    names: Names
    like: str  # "text" or "phone": which built-in handling it starts from
    steps: tuple[str, ...] = ()  # clean-ups before the check, in order (see VALUE_STEPS)
    pattern: str | None = None  # the cleaned value must match it whole
    stdnum: str | None = None  # a python-stdnum module, e.g. "nl.bsn": validates, stored compact
    region: str | None = None  # for like: phone, the region a number without +country is read in
    path: Path | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    names: Names
    required: bool = False
    fulltext: bool = False
    index: bool = False
    fragments: bool = False  # found by any part of it (a text index: CONTAINS, ENDS WITH)
    mask: str | None = None
    values: tuple[str, ...] = ()
    rule: ValueRule | None = None  # when `type` is a declared one
    initials_of: str | None = None  # set by the importers: the pinyin initials of that property


@dataclass(frozen=True)
class Style:
    color: str
    shape: str
    icon: str


@dataclass(frozen=True)
class NodeType:
    label: str
    names: Names
    description: Names
    key: str
    caption: str
    style: Style
    properties: Mapping[str, Property]
    indexes: tuple[tuple[str, ...], ...]
    path: Path
    # `caption` is then the template's first property: what a lookup by caption or its mask goes by.
    caption_template: str | None = None

    @property
    def key_property(self) -> Property:
        return self.properties[self.key]

    @property
    def derived(self) -> tuple[Property, ...]:
        """Properties the importers fill in from another one (`initials_of`)."""
        return tuple(p for p in self.properties.values() if p.initials_of)

    @property
    def caption_properties(self) -> tuple[str, ...]:
        if self.caption_template is None:
            return (self.caption,)
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.caption_template) if name)

    def caption_of(self, properties: Mapping[str, Any]) -> Any:
        """The caption of an entity with these (stored or masked) properties: its caption
        property's value, or the template filled, leaving out what is blank and any
        brackets left empty by it."""
        if self.caption_template is None:
            return properties.get(self.caption)
        values = {name: _filled(properties.get(name)) for name in self.caption_properties}
        text = _EMPTY_BRACKETS.sub("", self.caption_template.format_map(values))
        return " ".join(text.split()) or None


@dataclass(frozen=True)
class RelationshipType:
    type: str
    names: Names
    start: tuple[str, ...]  # labels it may start at; ANY_LABEL for any
    end: tuple[str, ...]
    properties: Mapping[str, Property]
    key: str | None
    path: Path

    def connects(self, start_label: str, end_label: str) -> bool:
        return (ANY_LABEL in self.start or start_label in self.start) and (
            ANY_LABEL in self.end or end_label in self.end
        )


@dataclass(frozen=True)
class FulltextIndex:
    """The one full-text index, over every property marked `fulltext: true`."""

    name: str
    analyzer: str
    labels: tuple[str, ...]
    properties: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    nodes: Mapping[str, NodeType]
    relationships: Mapping[str, RelationshipType]
    provenance: Mapping[str, Property]
    fulltext: FulltextIndex
    root: Path = field(compare=False)
    value_types: Mapping[str, ValueRule] = field(default_factory=dict)
    profile: str = "china"
    # Labels and types of the schema folder the profile leaves out: a shared pack may name
    # them (its part on them finds nothing), where an unknown name is a typo.
    left_out: frozenset[str] = frozenset()

    def node(self, label: str) -> NodeType:
        try:
            return self.nodes[label]
        except KeyError:
            raise KeyError(f"unknown node label {label!r}; the schema has {', '.join(sorted(self.nodes))}") from None

    def relationship(self, rel_type: str) -> RelationshipType:
        try:
            return self.relationships[rel_type]
        except KeyError:
            raise KeyError(
                f"unknown relationship type {rel_type!r}; the schema has {', '.join(sorted(self.relationships))}"
            ) from None

    def masked_properties(self) -> dict[str, str]:
        """Property name → mask kind, over every label (names are shared by meaning)."""
        out: dict[str, str] = {}
        for node in self.nodes.values():
            for prop in node.properties.values():
                if prop.mask:
                    out[prop.name] = prop.mask
        return out
