"""The graph schema, loaded from the data files under graph/schema/.

The files are the single description of the graph: labels, keys, properties and
their value types, relationship types and their end labels, captions, styles and
bilingual names. Everything else (constraints, indexes, import validation, map
styles, docs) is derived from the `Schema` this module returns. A bad file fails
fast with a `SchemaError` naming the file and the fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

# Value types a property may have. The semantic ones (citizen_id, phone, plate,
# name, address) are stored as strings; importers normalise and validate them.
VALUE_TYPES = frozenset(
    {
        "text",
        "name",
        "address",
        "citizen_id",
        "phone",
        "plate",
        "enum",
        "int",
        "float",
        "bool",
        "date",
        "datetime",
        "point",
        "text_list",
    }
)
MASKS = frozenset({"citizen_id", "phone"})
SHAPES = frozenset(
    {
        "ellipse",
        "rectangle",
        "round-rectangle",
        "triangle",
        "diamond",
        "hexagon",
        "octagon",
        "star",
        "vee",
        "tag",
    }
)
ANY_LABEL = "*"

_LABEL = re.compile(r"[A-Z][A-Za-z0-9]*")
_REL_TYPE = re.compile(r"[A-Z][A-Z0-9_]*")
_PROPERTY = re.compile(r"[a-z][a-z0-9_]*")
_ANALYZER = re.compile(r"[a-z][a-z0-9-]*")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class SchemaError(ValueError):
    """A schema file is malformed; the message names the file and the fault."""

    def __init__(self, path: Path | str, fault: str):
        self.path = Path(path)
        self.fault = fault
        super().__init__(f"{path}: {fault}")


@dataclass(frozen=True)
class Names:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    names: Names
    required: bool = False
    fulltext: bool = False
    index: bool = False
    mask: str | None = None
    values: tuple[str, ...] = ()


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

    @property
    def key_property(self) -> Property:
        return self.properties[self.key]


@dataclass(frozen=True)
class RelationshipType:
    type: str
    names: Names
    start: tuple[str, ...]
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


def load_schema(root: Path | str) -> Schema:
    root = Path(root)
    if not root.is_dir():
        raise SchemaError(root, "schema folder does not exist")
    shared_path = root / "schema.yaml"
    shared = _read(shared_path)
    _only_keys(shared_path, shared, {"version", "provenance", "fulltext"}, "top level")
    provenance = _properties(shared_path, shared.get("provenance") or {}, "provenance")

    nodes: dict[str, NodeType] = {}
    for path in sorted((root / "nodes").glob("*.yaml")):
        node = _node(path, _read(path), provenance)
        if node.label in nodes:
            raise SchemaError(path, f"label {node.label} is already defined in {nodes[node.label].path.name}")
        nodes[node.label] = node
    if not nodes:
        raise SchemaError(root / "nodes", "no node type files (*.yaml) found")

    relationships: dict[str, RelationshipType] = {}
    for path in sorted((root / "relationships").glob("*.yaml")):
        rel = _relationship(path, _read(path), nodes, provenance)
        if rel.type in relationships:
            raise SchemaError(
                path, f"relationship type {rel.type} is already defined in {relationships[rel.type].path.name}"
            )
        relationships[rel.type] = rel

    fulltext = _fulltext(shared_path, shared.get("fulltext"), nodes)
    return Schema(nodes=nodes, relationships=relationships, provenance=provenance, fulltext=fulltext, root=root)


@cache
def _cached(root: str) -> Schema:
    return load_schema(root)


def schema_for(settings) -> Schema:
    """The schema named by the settings, loaded once per process."""
    return _cached(str(settings.schema_path))


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(path, "file is missing") from None
    except UnicodeDecodeError as exc:
        raise SchemaError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SchemaError(path, f"YAML syntax error{where}: {problem}") from None
    if not isinstance(data, dict):
        raise SchemaError(path, "expected a mapping at the top level")
    return data


def _only_keys(path: Path, data: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise SchemaError(
            path, f"{where}: unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(allowed))}"
        )


def _require(path: Path, data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise SchemaError(path, f"{where}: missing required key '{key}'")
    return data[key]


def _names(path: Path, value: Any, where: str) -> Names:
    if not isinstance(value, dict) or not value.get("zh") or not value.get("en"):
        raise SchemaError(path, f"{where}: names need both 'zh' and 'en', got {value!r}")
    return Names(zh=str(value["zh"]), en=str(value["en"]))


def _properties(path: Path, data: Any, where: str) -> dict[str, Property]:
    if not isinstance(data, dict):
        raise SchemaError(path, f"{where}: properties must be a mapping of name → definition")
    out = {}
    for name, spec in data.items():
        here = f"{where}, property '{name}'"
        if not isinstance(name, str) or not _PROPERTY.fullmatch(name):
            raise SchemaError(path, f"{here}: property names are lower_snake_case")
        if not isinstance(spec, dict):
            raise SchemaError(path, f"{here}: expected a mapping with at least 'type' and 'names'")
        _only_keys(path, spec, {"type", "names", "required", "fulltext", "index", "mask", "values"}, here)
        value_type = _require(path, spec, "type", here)
        if value_type not in VALUE_TYPES:
            raise SchemaError(
                path, f"{here}: unknown type '{value_type}'; known types: {', '.join(sorted(VALUE_TYPES))}"
            )
        values = tuple(str(v) for v in spec.get("values") or ())
        if value_type == "enum" and not values:
            raise SchemaError(path, f"{here}: an enum needs its 'values'")
        if values and value_type != "enum":
            raise SchemaError(path, f"{here}: 'values' is only allowed for type enum")
        mask = spec.get("mask")
        if mask is not None and mask not in MASKS:
            raise SchemaError(path, f"{here}: unknown mask '{mask}'; known masks: {', '.join(sorted(MASKS))}")
        for flag in ("required", "fulltext", "index"):
            if not isinstance(spec.get(flag, False), bool):
                raise SchemaError(path, f"{here}: '{flag}' must be true or false")
        out[name] = Property(
            name=name,
            type=value_type,
            names=_names(path, spec.get("names"), here),
            required=spec.get("required", False),
            fulltext=spec.get("fulltext", False),
            index=spec.get("index", False),
            mask=mask,
            values=values,
        )
    return out


def _node(path: Path, data: dict[str, Any], provenance: Mapping[str, Property]) -> NodeType:
    _only_keys(
        path, data, {"label", "names", "description", "key", "caption", "style", "properties", "indexes"}, "node type"
    )
    label = _require(path, data, "label", "node type")
    if not isinstance(label, str) or not _LABEL.fullmatch(label):
        raise SchemaError(path, f"label {label!r} must be UpperCamelCase letters and digits")
    if path.stem != label:
        raise SchemaError(path, f"file name must be the label: expected {label}.yaml")
    where = f"label {label}"
    properties = _properties(path, _require(path, data, "properties", where), where)
    clash = sorted(set(properties) & set(provenance))
    if clash:
        raise SchemaError(path, f"{where}: {', '.join(clash)} is a provenance property every node has already")
    key = _require(path, data, "key", where)
    if key not in properties:
        raise SchemaError(path, f"{where}: key '{key}' is not one of its properties")
    if not properties[key].required:
        raise SchemaError(path, f"{where}: key '{key}' must be marked required: true")
    caption = data.get("caption", key)
    if caption not in properties:
        raise SchemaError(path, f"{where}: caption '{caption}' is not one of its properties")
    style_data = _require(path, data, "style", where)
    if not isinstance(style_data, dict):
        raise SchemaError(path, f"{where}: style must be a mapping with color, shape and icon")
    _only_keys(path, style_data, {"color", "shape", "icon"}, f"{where}, style")
    color = str(_require(path, style_data, "color", f"{where}, style"))
    if not _COLOUR.fullmatch(color):
        raise SchemaError(path, f"{where}, style: color {color!r} must look like #1f3a93")
    shape = str(style_data.get("shape", "ellipse"))
    if shape not in SHAPES:
        raise SchemaError(path, f"{where}, style: unknown shape '{shape}'; known shapes: {', '.join(sorted(SHAPES))}")
    indexes = []
    for index in data.get("indexes") or ():
        if not isinstance(index, list) or not index:
            raise SchemaError(path, f"{where}: each index is a list of property names, got {index!r}")
        missing = [p for p in index if p not in properties]
        if missing:
            raise SchemaError(path, f"{where}: index {index} names unknown property {', '.join(map(str, missing))}")
        indexes.append(tuple(index))
    return NodeType(
        label=label,
        names=_names(path, data.get("names"), where),
        description=_names(path, data.get("description") or data.get("names"), f"{where}, description"),
        key=key,
        caption=caption,
        style=Style(color=color, shape=shape, icon=str(style_data.get("icon", label[0]))),
        properties=properties,
        indexes=tuple(indexes),
        path=path,
    )


def _end_labels(path: Path, value: Any, nodes: Mapping[str, NodeType], where: str) -> tuple[str, ...]:
    labels = value if isinstance(value, list) else [value]
    if not labels or any(not isinstance(label, str) for label in labels):
        raise SchemaError(path, f"{where}: expected a list of labels, got {value!r}")
    for label in labels:
        if label != ANY_LABEL and label not in nodes:
            raise SchemaError(path, f"{where}: unknown label '{label}'; known labels: {', '.join(sorted(nodes))}")
    return tuple(labels)


def _relationship(
    path: Path, data: dict[str, Any], nodes: Mapping[str, NodeType], provenance: Mapping[str, Property]
) -> RelationshipType:
    _only_keys(path, data, {"type", "names", "from", "to", "properties", "key"}, "relationship type")
    rel_type = _require(path, data, "type", "relationship type")
    if not isinstance(rel_type, str) or not _REL_TYPE.fullmatch(rel_type):
        raise SchemaError(path, f"relationship type {rel_type!r} must be UPPER_SNAKE_CASE")
    if path.stem != rel_type:
        raise SchemaError(path, f"file name must be the type: expected {rel_type}.yaml")
    where = f"relationship {rel_type}"
    properties = _properties(path, data.get("properties") or {}, where)
    clash = sorted(set(properties) & set(provenance))
    if clash:
        raise SchemaError(path, f"{where}: {', '.join(clash)} is a provenance property every relationship has already")
    key = data.get("key")
    if key is not None and (key not in properties or not properties[key].required):
        raise SchemaError(path, f"{where}: key '{key}' must be one of its required properties")
    return RelationshipType(
        type=rel_type,
        names=_names(path, data.get("names"), where),
        start=_end_labels(path, _require(path, data, "from", where), nodes, f"{where}, from"),
        end=_end_labels(path, _require(path, data, "to", where), nodes, f"{where}, to"),
        properties=properties,
        key=key,
        path=path,
    )


def _fulltext(path: Path, data: Any, nodes: Mapping[str, NodeType]) -> FulltextIndex:
    if not isinstance(data, dict):
        raise SchemaError(path, "fulltext: expected a mapping with name and analyzer")
    _only_keys(path, data, {"name", "analyzer"}, "fulltext")
    labels = tuple(label for label, node in nodes.items() if any(p.fulltext for p in node.properties.values()))
    properties = tuple(sorted({p.name for node in nodes.values() for p in node.properties.values() if p.fulltext}))
    if not labels:
        raise SchemaError(path, "fulltext: no property is marked fulltext: true")
    analyzer = str(data.get("analyzer", "standard-no-stop-words"))
    if not _ANALYZER.fullmatch(analyzer):
        raise SchemaError(
            path,
            f"fulltext: analyzer {analyzer!r} is not an analyzer name (see db.index.fulltext.listAvailableAnalyzers)",
        )
    return FulltextIndex(
        name=str(_require(path, data, "name", "fulltext")),
        analyzer=analyzer,
        labels=labels,
        properties=properties,
    )
