"""Values between the graph and text: which value type the schema gives a property, and each
value written as text the way the formats write it (and the importer's normalisers read it
back): ISO dates and datetimes, `POINT(longitude latitude)`, lists as JSON, booleans as
`true`/`false`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graph.model import Schema


def node_types(schema: Schema, label: str) -> dict[str, str]:
    """Property -> value type for a node of `label` (provenance included); empty for an unknown label."""
    node = schema.nodes.get(label)
    if node is None:
        return {}
    return {**{n: p.type for n, p in schema.provenance.items()}, **{n: p.type for n, p in node.properties.items()}}


def relationship_types(schema: Schema, rel_type: str) -> dict[str, str]:
    rel = schema.relationships.get(rel_type)
    if rel is None:
        return {}
    return {**{n: p.type for n, p in schema.provenance.items()}, **{n: p.type for n, p in rel.properties.items()}}


def guess_type(value: Any) -> str:
    """The value type of a property the schema does not declare, from its value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "text_list"
    if isinstance(value, Mapping) and "longitude" in value:
        return "point"
    return "text"


def as_text(value_type: str, value: Any) -> str:
    """A property value as one line of text that `ingest.normalize` reads back to the same value."""
    if value is None:
        return ""
    if value_type == "point" or (isinstance(value, Mapping) and "longitude" in value):
        if isinstance(value, Mapping):
            return f"POINT({value['longitude']!r} {value['latitude']!r})"
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | Mapping):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    return str(value)
