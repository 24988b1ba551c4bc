"""When each node and link on the map happened, for the map's time bar: the first date or
datetime property its label or type declares in the schema (a passage's `time`, a case's
`reported_at`, a registration's `registered_on`, a listing's `listed_on`), as milliseconds
since 1970. A property the schema masks is never used: a birth date is not an event, and it
must not reach the browser of a role that sees it masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from graph.model import Schema

TEMPORAL = frozenset({"date", "datetime"})
# Neo4j writes nanoseconds and may add a zone name ("…+08:00[Asia/Shanghai]"): Python reads
# at most microseconds and no name.
_NANOS = re.compile(r"(\.\d{6})\d+")
_ZONE_NAME = re.compile(r"\[[^\]]*\]$")


def time_property(properties: Mapping[str, Any]) -> str | None:
    """The first unmasked date or datetime property among a label's or type's properties."""
    for name, spec in properties.items():
        if spec.type in TEMPORAL and not spec.mask:
            return name
    return None


def element_time(schema: Schema, kind: str, properties: Mapping[str, Any], *, node: bool) -> int | None:
    """Milliseconds since 1970 (UTC) of a node of label `kind` or a link of type `kind`, if it has a time."""
    spec = (schema.nodes if node else schema.relationships).get(kind)
    name = time_property(spec.properties) if spec is not None else None
    value = properties.get(name) if name else None
    return millis(value) if value else None


def millis(value: Any) -> int | None:
    """Milliseconds since 1970 (UTC) of an ISO date or datetime text; None for anything else."""
    text = _ZONE_NAME.sub("", _NANOS.sub(r"\1", str(value)))
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        else:
            moment = datetime.fromisoformat(text)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError:
        return None  # not a time as the schema promised: the element is simply undated
    return int(moment.timestamp() * 1000)
