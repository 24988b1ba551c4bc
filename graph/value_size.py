"""About how large a returned value is, counted as the text it would be shown as: the measure
of the result byte cap (GOLDENBELL_RESULT_MAX_BYTES). Strings count their characters (one
per byte for the ASCII most data is, fewer than UTF-8's for Chinese: the cap is on what is
shown, not on the wire); numbers, booleans and temporal values a fixed few; nodes and
relationships their properties.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j.graph import Node, Path, Relationship

SCALAR = 16  # a number, a boolean, a date or a point, as text


def value_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bytes | bytearray):
        return len(value)
    if isinstance(value, Node | Relationship):
        # Only properties that are long or nested need a walk; most are short scalars.
        return SCALAR + sum(len(k) + value_size(v) for k, v in value.items())
    if isinstance(value, Path):
        return sum(value_size(part) for part in (*value.nodes, *value.relationships))
    if isinstance(value, list | tuple):
        return SCALAR + sum(value_size(item) for item in value)
    if isinstance(value, Mapping):
        return SCALAR + sum(len(str(k)) + value_size(v) for k, v in value.items())
    return SCALAR


def record_size(values: Any) -> int:
    """The size of one record's values."""
    return sum(value_size(value) for value in values)
