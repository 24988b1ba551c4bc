"""Parameter declarations in a pack, read into `Parameter`s: the keys a declaration may
have, the types, enum values (listed, or taken from the schema with `values_from`),
entity labels, list item types, bounds and defaults — each fault named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.model import Names, Schema
from queries.parameters import DEFAULT_MAX_LENGTH, ORDERED, SIZED, TYPES, Parameter, ParameterError

_SPEC_KEYS = {
    "type",
    "names",
    "description",
    "default",
    "min",
    "max",
    "min_length",
    "max_length",
    "values",
    "values_from",
    "labels",
    "items",
    "choices",
}


def build_parameter(name: str, spec: Any, schema: Schema, *, item: bool = False) -> Parameter:
    """A Parameter from its pack entry; raises ValueError naming the fault."""
    where = f"item type of '{name}'" if item else f"parameter '{name}'"
    if not isinstance(spec, Mapping):
        raise ValueError(f"{where}: expected a mapping with at least 'type'")
    unknown = sorted(set(spec) - _SPEC_KEYS)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(_SPEC_KEYS))}"
        )
    kind = spec.get("type")
    if kind not in TYPES:
        raise ValueError(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
    names = spec.get("names") or ({"zh": name, "en": name} if item else None)
    if not isinstance(names, Mapping) or set(names) != {"zh", "en"} or not names["zh"] or not names["en"]:
        raise ValueError(f"{where}: 'names' needs both zh and en (and nothing else; quote text with commas)")
    description = spec.get("description")
    if description is not None and (not isinstance(description, Mapping) or set(description) != {"zh", "en"}):
        raise ValueError(f"{where}: 'description' needs zh and en")
    values = _values(where, kind, spec, schema)
    labels = tuple(spec.get("labels") or ())
    for label in labels:
        if label not in schema.nodes and label not in schema.left_out:  # left out by the profile: no typo
            raise ValueError(f"{where}: label {label!r} is not in the schema")
    if labels and kind != "entity":
        raise ValueError(f"{where}: 'labels' is only for entity parameters")
    items = None
    if kind == "list":
        if "items" not in spec:
            raise ValueError(f"{where}: a list needs 'items' (the type of each item)")
        items = build_parameter(name, spec["items"], schema, item=True)
        if items.type == "list":
            raise ValueError(f"{where}: lists of lists are not supported")
    elif "items" in spec:
        raise ValueError(f"{where}: 'items' is only for lists")
    choices = spec.get("choices")
    if choices is not None and not isinstance(choices, str):
        raise ValueError(f"{where}: 'choices' is a Cypher query returning a column named value")
    for key in ("min", "max"):
        if key in spec and kind not in ORDERED:
            raise ValueError(f"{where}: '{key}' is only for {', '.join(sorted(ORDERED))}")
    for key in ("min_length", "max_length"):
        if key in spec and (kind not in SIZED or not isinstance(spec[key], int)):
            raise ValueError(f"{where}: '{key}' is a whole number, for {', '.join(sorted(SIZED))}")
    draft = Parameter(
        name=name,
        type=kind,
        names=Names(zh=str(names["zh"]), en=str(names["en"])),
        description=Names(zh=str(description["zh"]), en=str(description["en"])) if description else None,
        required="default" not in spec and not item,
        values=values,
        labels=labels,
        items=items,
        choices=choices,
        min_length=spec.get("min_length"),
        max_length=spec.get("max_length", DEFAULT_MAX_LENGTH.get(kind)),
        schema=schema,
    )
    try:
        bounds = {
            "minimum": draft._convert(spec["min"]) if "min" in spec else None,
            "maximum": draft._convert(spec["max"]) if "max" in spec else None,
        }
        bounded = Parameter(**{**draft.__dict__, **bounds})
        default = bounded.coerce(spec["default"]) if spec.get("default") is not None else None
    except ParameterError as exc:
        raise ValueError(f"{where}: {exc.fault}") from None
    return Parameter(**{**bounded.__dict__, "default": default})


def _values(where: str, kind: str, spec: Mapping[str, Any], schema: Schema) -> tuple[str, ...]:
    if kind == "label":
        return tuple(schema.nodes)
    if kind == "reltype":
        return tuple(schema.relationships)
    if kind != "enum":
        if "values" in spec or "values_from" in spec:
            raise ValueError(f"{where}: 'values' and 'values_from' are only for enums")
        return ()
    if "values_from" in spec:
        # The schema's own list for a property, e.g. Vehicle.usage, so packs never copy it.
        label, _, prop = str(spec["values_from"]).partition(".")
        node = schema.nodes.get(label)
        if node is None or prop not in node.properties or not node.properties[prop].values:
            raise ValueError(f"{where}: values_from {spec['values_from']!r} is no enum property in the schema")
        return node.properties[prop].values
    values = spec.get("values")
    if not isinstance(values, list) or not values:
        raise ValueError(f"{where}: an enum needs 'values' (a list) or 'values_from' (Label.property)")
    return tuple(str(v) for v in values)
