"""The parameters of event rules: declared as in the packs, of the types SQL can take as
they are (text, numbers, truth values, days, times, durations), enums and lists of those;
and the engine's own values, which no caller gives.

An enum may take its values from the schema (`values_from: Vehicle.usage`), as its Cypher
twin does, so both list the same values: the built-in schema is read for that, and only
when a rule needs it. Labels, relationship types and entities stay the graph's: a rule
over the event store has no node to name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from graph.model import Schema, load_schema
from queries.parameter_specs import build_parameter
from queries.parameters import Parameter

SCALAR_TYPES = ("string", "int", "float", "bool", "date", "datetime", "duration")
TYPES = (*SCALAR_TYPES, "enum", "list")
_SCHEMA_DIR = Path(__file__).resolve().parents[1] / "graph" / "schema"
# Beijing has kept UTC+8 without summer time since 1991: its day is the UTC instant moved
# by eight hours, as the store's `day` is (events/store.py), with no time-zone database.
_BEIJING = timedelta(hours=8)


def today() -> date:
    """Today in Beijing: the analysts' day, and the day `passages.day` counts in."""
    return (datetime.now(UTC) + _BEIJING).date()


# Values the engine supplies, by the name a rule's SQL uses (`$today`); a rule may not
# declare a parameter of that name, and a caller cannot give one.
ENGINE_VALUES = {"today": today}


def engine_values(names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: ENGINE_VALUES[name]() for name in names}


def build(name: str, spec: Any) -> Parameter:
    """The parameter `name` of an event rule; ValueError naming the fault."""
    if name in ENGINE_VALUES:
        raise ValueError(f"parameter '{name}': the name is the engine's (${name} is supplied, not declared)")
    kind = spec.get("type") if isinstance(spec, Mapping) else None
    items = spec.get("items") if isinstance(spec, Mapping) else None
    item_kind = items.get("type") if isinstance(items, Mapping) else None
    if kind not in TYPES:
        raise ValueError(f"parameter '{name}': type {kind!r} is not one of {', '.join(TYPES)}")
    if kind == "list" and item_kind not in (*SCALAR_TYPES, "enum"):
        raise ValueError(f"parameter '{name}': a list's items are of one of {', '.join((*SCALAR_TYPES, 'enum'))}")
    needs_schema = "enum" in (kind, item_kind) and "values_from" in ((items if kind == "list" else spec) or {})
    # Without `values_from`, no type allowed here consults the schema.
    return build_parameter(name, spec, builtin_schema() if needs_schema else None)  # type: ignore[arg-type]


@cache
def builtin_schema() -> Schema:
    return load_schema(_SCHEMA_DIR)
