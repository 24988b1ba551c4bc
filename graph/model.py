"""The graph schema, loaded from the data files under graph/schema/.

The files are the single description of the graph: labels, keys, properties and
their value types, relationship types and their end labels, captions, styles and
bilingual names. Everything else (constraints, indexes, import validation, map
styles, docs) is derived from the `Schema` this module returns. A bad file fails
fast with a `SchemaError` naming the file, the line and the fault. The types a
schema is made of are in graph/schema_types.py; they are named here too, as the
schema's one front door.
"""

from __future__ import annotations

import importlib
import re
import string
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from graph.schema_profiles import DEFAULT_PROFILE, SchemaError, read_profile
from graph.schema_types import (
    ANY_LABEL,
    FulltextIndex,
    Names,
    NodeType,
    Property,
    RelationshipType,
    Schema,
    Style,
    ValueRule,
)
from graph.yaml_lines import FileFault, LineDict, LineList, load_yaml

__all__ = [
    "ANY_LABEL",
    "DEFAULT_PROFILE",
    "MASKS",
    "SHAPES",
    "VALUE_TYPES",
    "FulltextIndex",
    "Names",
    "NodeType",
    "Property",
    "RelationshipType",
    "Schema",
    "SchemaError",
    "Style",
    "ValueRule",
    "load_schema",
    "schema_for",
]

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
# How a sensitive property is masked (access/masking.py): as an ID number, as a phone, or as a
# value read out of an ID number (birth date, region), which must be hidden with it.
MASKS = frozenset({"citizen_id", "phone", "derived_from_id"})
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

_LABEL = re.compile(r"[A-Z][A-Za-z0-9]*")
_REL_TYPE = re.compile(r"[A-Z][A-Z0-9_]*")
# A dataset's own camelCase names (areaCode) are kept, so its queries run unchanged.
_PROPERTY = re.compile(r"[a-z][A-Za-z0-9_]*")
_VALUE_TYPE = re.compile(r"[a-z][a-z0-9_]*")
_ANALYZER = re.compile(r"[a-z][a-z0-9-]*")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_FOLDERS = ("nodes", "relationships", "types")
# Clean-ups a declared value type may ask for before its check, applied in the order given.
VALUE_STEPS = frozenset({"upper", "lower", "no_spaces", "one_space", "no_separators"})
# What a declared value type may start from: stored as text after its check, or read as a
# phone number of a region and stored in the international form (+447700900123).
_LIKE = frozenset({"text", "phone"})


def load_schema(root: Path | str, extra: Path | str | None = None, profile: str = DEFAULT_PROFILE) -> Schema:
    """The schema in `root` as `profile` shapes it, with the label and type files of `extra`
    (a user's own folder) laid over both: a file naming a new label or type adds it, one
    naming a built-in label or type replaces that file whole.

    A profile (`root/profiles/<name>/`) leaves out the labels and types its `profile.yaml`
    names and adds or replaces files the same way; a label it leaves out is dropped from
    every relationship type's ends, and a type left with no start or no end label goes too.
    A schema folder without `profiles/` is taken as it is, under the default profile only."""
    root = Path(root)
    if not root.is_dir():
        raise SchemaError(root, 0, "schema folder does not exist")
    shared_path = root / "schema.yaml"
    shared = _read(shared_path)
    _only_keys(shared_path, shared, {"version", "provenance", "fulltext"}, "top level")
    provenance = _properties(shared_path, shared, "provenance", "provenance")
    shaping = read_profile(root, profile)
    node_files, rel_files, type_files = _type_files(root, shaping.folder, Path(extra) if extra else None)
    declared = _value_types(type_files)
    # What the profile leaves out stays out unless a later folder brings its own file back.
    left_labels = shaping.left_out_of(node_files, root, "label")
    left_types = shaping.left_out_of(rel_files, root, "type")
    node_files = [path for path in node_files if path.stem not in left_labels]
    rel_files = [path for path in rel_files if path.stem not in left_types]

    nodes: dict[str, NodeType] = {}
    for path in node_files:
        data = _read(path)
        node = _node(path, data, provenance, declared)
        if node.label in nodes:
            raise SchemaError(
                path, data.line_of("label"), f"label {node.label} is already defined in {nodes[node.label].path.name}"
            )
        nodes[node.label] = node
    if not nodes:
        raise SchemaError(root / "nodes", 0, "no node type files (*.yaml) found")

    relationships: dict[str, RelationshipType] = {}
    dropped = set(left_types)
    for path in rel_files:
        data = _read(path)
        rel = _relationship(path, data, nodes, provenance, declared, left_labels)
        if not rel.start or not rel.end:  # every label at one end is left out by the profile
            dropped.add(rel.type)
            continue
        if rel.type in relationships:
            raise SchemaError(
                path,
                data.line_of("type"),
                f"relationship type {rel.type} is already defined in {relationships[rel.type].path.name}",
            )
        relationships[rel.type] = rel

    fulltext = _fulltext(shared_path, shared, nodes)
    return Schema(
        nodes=nodes,
        relationships=relationships,
        provenance=provenance,
        fulltext=fulltext,
        root=root,
        value_types=declared,
        profile=shaping.name,
        left_out=frozenset(left_labels) | frozenset(dropped),
    )


def _type_files(root: Path, profile: Path | None, extra: Path | None) -> tuple[list[Path], list[Path], list[Path]]:
    """The label, relationship type and value type files to read, each folder's own files
    by name, the profile's winning over the root's and the extra folder's over both."""
    folders: dict[str, dict[str, Path]] = {"nodes": {}, "relationships": {}, "types": {}}
    for where in (root, profile, extra):
        if where is None:
            continue
        for kind, files in folders.items():
            files.update({path.name: path for path in (where / kind).glob("*.yaml")})
    if extra is not None:
        _check_extra(extra)
    return tuple([path for _, path in sorted(files.items())] for files in folders.values())  # type: ignore[return-value]


def _check_extra(extra: Path) -> None:
    if not extra.is_dir():
        raise SchemaError(extra, 0, "extra schema folder does not exist (GOLDENBELL_SCHEMA_EXTRA_DIR)")
    # Provenance and the full-text index are shared by every label; a second copy of them
    # would make two schemas disagree about what every node carries.
    strays = sorted(path.name for path in extra.iterdir() if path.name not in _FOLDERS and path.suffix == ".yaml")
    if strays:
        raise SchemaError(
            extra / strays[0],
            0,
            "an extra schema folder holds only nodes/<Label>.yaml, relationships/<TYPE>.yaml and types/<type>.yaml; "
            "schema.yaml (provenance, full-text index) stays the base schema's",
        )
    if not any(path for kind in _FOLDERS for path in (extra / kind).glob("*.yaml")):
        raise SchemaError(extra, 0, "extra schema folder has no nodes/, relationships/ or types/ *.yaml files")


def _value_types(paths: Iterable[Path]) -> dict[str, ValueRule]:
    return {rule.type: rule for rule in (_value_type(path, _read(path)) for path in paths)}


def _value_type(path: Path, data: LineDict) -> ValueRule:
    _only_keys(path, data, {"type", "names", "like", "steps", "pattern", "stdnum", "region"}, "value type")
    name = _file_name(
        path, data, "type", "value type", _VALUE_TYPE, "value type {!r} must be lower_snake_case letters and digits"
    )
    where = f"value type {name}"
    if name in VALUE_TYPES:
        raise SchemaError(path, data.line_of("type"), f"{where}: a built-in value type has this name; choose another")
    like = str(data.get("like", "text"))
    if like not in _LIKE:
        raise SchemaError(path, data.line_of("like"), f"{where}: like must be one of {', '.join(sorted(_LIKE))}")
    steps = data.get("steps") or []
    if not isinstance(steps, list) or any(step not in VALUE_STEPS for step in steps):
        raise SchemaError(
            path, data.line_of("steps"), f"{where}: steps is a list of {', '.join(sorted(VALUE_STEPS))}, got {steps!r}"
        )
    rule = ValueRule(
        type=name,
        names=_names(path, data, "names", where),
        like=like,
        steps=tuple(steps),
        pattern=_pattern(path, data, where),
        stdnum=_stdnum(path, data, where),
        region=_region(path, data, where, like),
        path=path,
    )
    if like == "text" and not (rule.pattern or rule.stdnum):
        raise SchemaError(path, data.line, f"{where}: a text-like type needs a pattern or a stdnum validator")
    return rule


def _pattern(path: Path, data: LineDict, where: str) -> str | None:
    pattern = data.get("pattern")
    if pattern is None:
        return None
    try:
        re.compile(str(pattern))
    except re.error as exc:
        fault = f"{where}: pattern {pattern!r} is not a regular expression: {exc}"
        raise SchemaError(path, data.line_of("pattern"), fault) from None
    return str(pattern)


def _stdnum(path: Path, data: LineDict, where: str) -> str | None:
    name = data.get("stdnum")
    if name is None:
        return None
    if not isinstance(name, str) or not re.fullmatch(r"[a-z]{2,3}(\.[a-z0-9_]+)+", name):
        raise SchemaError(path, data.line_of("stdnum"), f"{where}: stdnum names a module such as nl.bsn, got {name!r}")
    try:
        module = importlib.import_module(f"stdnum.{name}")
    except ImportError:
        module = None
    if not hasattr(module, "validate") or not hasattr(module, "compact"):
        raise SchemaError(path, data.line_of("stdnum"), f"{where}: python-stdnum has no validator stdnum.{name}")
    return name


def _region(path: Path, data: LineDict, where: str, like: str) -> str | None:
    region = data.get("region")
    if like != "phone":
        if region is not None:
            raise SchemaError(path, data.line_of("region"), f"{where}: region is only for like: phone")
        return None
    if region is None:  # numbers are then written with their country code (+44…)
        return None
    import phonenumbers  # only a schema that declares a phone type pays for the library

    if str(region) not in phonenumbers.SUPPORTED_REGIONS:
        raise SchemaError(
            path, data.line_of("region"), f"{where}: region {region!r} is not a phone region code such as GB or DE"
        )
    return str(region)


@cache
def _cached(root: str, extra: str | None, profile: str) -> Schema:
    return load_schema(root, extra, profile)


def schema_for(settings) -> Schema:
    """The schema named by the settings, loaded once per process."""
    extra = settings.schema_extra_dir
    return _cached(str(settings.schema_path), str(extra) if extra else None, settings.schema_profile)


def _read(path: Path) -> LineDict:
    try:
        data = load_yaml(path)
    except FileFault as exc:  # missing, not UTF-8, not YAML
        raise SchemaError(path, exc.line, exc.fault) from None
    if not isinstance(data, LineDict):
        raise SchemaError(path, 0, "expected a mapping at the top level")
    return data


def _only_keys(path: Path, data: LineDict, allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise SchemaError(
            path,
            data.line_of(str(unknown[0])),
            f"{where}: unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(allowed))}",
        )


def _require(path: Path, data: LineDict, key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise SchemaError(path, data.line_of(key), f"{where}: missing required key '{key}'")
    return data[key]


def _names(path: Path, owner: LineDict, key: str, where: str) -> Names:
    value = owner.get(key)
    if not isinstance(value, dict) or not value.get("zh") or not value.get("en"):
        raise SchemaError(path, owner.line_of(key), f"{where}: names need both 'zh' and 'en', got {value!r}")
    return Names(zh=str(value["zh"]), en=str(value["en"]))


def _properties(
    path: Path, owner: LineDict, key: str, where: str, declared: Mapping[str, ValueRule] = MappingProxyType({})
) -> dict[str, Property]:
    data = owner.get(key) or LineDict()
    if not isinstance(data, LineDict):
        raise SchemaError(path, owner.line_of(key), f"{where}: properties must be a mapping of name → definition")
    return {name: _property(path, data, name, f"{where}, property '{name}'", declared) for name in data}


def _property(path: Path, owner: LineDict, name: Any, here: str, declared: Mapping[str, ValueRule]) -> Property:
    spec = owner[name]
    if not isinstance(name, str) or not _PROPERTY.fullmatch(name):
        fault = f"{here}: a property name starts with a lower-case letter and holds only letters, digits and _"
        raise SchemaError(path, owner.line_of(name), fault)
    if not isinstance(spec, LineDict):
        raise SchemaError(path, owner.line_of(name), f"{here}: expected a mapping with at least 'type' and 'names'")
    keys = {"type", "names", "required", "fulltext", "index", "fragments", "mask", "values", "initials_of"}
    _only_keys(path, spec, keys, here)
    value_type = _require(path, spec, "type", here)
    if value_type not in VALUE_TYPES and value_type not in declared:
        raise SchemaError(
            path,
            spec.line_of("type"),
            f"{here}: unknown type '{value_type}'; known types: {', '.join(sorted(VALUE_TYPES | set(declared)))}",
        )
    values = tuple(str(v) for v in spec.get("values") or ())
    if value_type == "enum" and not values:
        raise SchemaError(path, spec.line, f"{here}: an enum needs its 'values'")
    if values and value_type != "enum":
        raise SchemaError(path, spec.line_of("values"), f"{here}: 'values' is only allowed for type enum")
    mask = spec.get("mask")
    if mask is not None and mask not in MASKS:
        raise SchemaError(
            path, spec.line_of("mask"), f"{here}: unknown mask '{mask}'; known masks: {', '.join(sorted(MASKS))}"
        )
    for flag in ("required", "fulltext", "index", "fragments"):
        if not isinstance(spec.get(flag, False), bool):
            raise SchemaError(path, spec.line_of(flag), f"{here}: '{flag}' must be true or false")
    return Property(
        name=name,
        type=value_type,
        names=_names(path, spec, "names", here),
        required=spec.get("required", False),
        fulltext=spec.get("fulltext", False),
        index=spec.get("index", False),
        fragments=spec.get("fragments", False),
        mask=mask,
        values=values,
        rule=declared.get(value_type),
        initials_of=_initials_of(path, spec, value_type, here),
    )


def _initials_of(path: Path, spec: LineDict, value_type: str, here: str) -> str | None:
    source = spec.get("initials_of")
    if source is None:
        return None
    if not isinstance(source, str) or not _PROPERTY.fullmatch(source):
        raise SchemaError(path, spec.line_of("initials_of"), f"{here}: 'initials_of' names a property of its label")
    if value_type != "text":
        raise SchemaError(path, spec.line_of("type"), f"{here}: a property with 'initials_of' is of type text")
    return source


def _file_name(path: Path, data: LineDict, key: str, where: str, pattern: re.Pattern[str], rule: str) -> str:
    """The label or relationship type a file defines: well formed, and the file's own name."""
    name = _require(path, data, key, where)
    if not isinstance(name, str) or not pattern.fullmatch(name):
        raise SchemaError(path, data.line_of(key), rule.format(name))
    if path.stem != name:
        raise SchemaError(path, data.line_of(key), f"file name must be the {key}: expected {name}.yaml")
    return name


def _own_properties(
    path: Path,
    data: LineDict,
    provenance: Mapping[str, Property],
    where: str,
    every: str,
    declared: Mapping[str, ValueRule],
) -> dict[str, Property]:
    properties = _properties(path, data, "properties", where, declared)
    clash = sorted(set(properties) & set(provenance))
    if clash:
        raise SchemaError(
            path,
            data.line_of("properties"),
            f"{where}: {', '.join(clash)} is a provenance property every {every} has already",
        )
    return properties


def _node(
    path: Path, data: LineDict, provenance: Mapping[str, Property], declared: Mapping[str, ValueRule]
) -> NodeType:
    _only_keys(
        path, data, {"label", "names", "description", "key", "caption", "style", "properties", "indexes"}, "node type"
    )
    label = _file_name(path, data, "label", "node type", _LABEL, "label {!r} must be UpperCamelCase letters and digits")
    where = f"label {label}"
    _require(path, data, "properties", where)
    properties = _own_properties(path, data, provenance, where, "node", declared)
    for prop in properties.values():
        source = properties.get(prop.initials_of or "")
        if prop.initials_of and (source is None or source.type not in ("name", "text")):
            fault = f"{where}, property {prop.name}: 'initials_of' must name a name or text property of {label}"
            raise SchemaError(path, data["properties"].line_of(prop.name), fault)
    key = _require(path, data, "key", where)
    if key not in properties:
        raise SchemaError(path, data.line_of("key"), f"{where}: key '{key}' is not one of its properties")
    if not properties[key].required:
        raise SchemaError(path, data.line_of("key"), f"{where}: key '{key}' must be marked required: true")
    caption, template = _caption(path, data, key, properties, where)
    return NodeType(
        label=label,
        names=_names(path, data, "names", where),
        description=_names(path, data, "description" if data.get("description") else "names", f"{where}, description"),
        key=key,
        caption=caption,
        caption_template=template,
        style=_style(path, data, label, where),
        properties=properties,
        indexes=_indexes(path, data, properties, where),
        path=path,
    )


def _caption(
    path: Path, data: LineDict, key: str, properties: Mapping[str, Property], where: str
) -> tuple[str, str | None]:
    """The caption's first property, and the template when it is one (`{name} {surname}`)."""
    caption = str(data.get("caption", key))
    if "{" not in caption and "}" not in caption:
        if caption not in properties:
            raise SchemaError(
                path, data.line_of("caption"), f"{where}: caption '{caption}' is not one of its properties"
            )
        return caption, None
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(caption)]
    except ValueError as exc:
        fault = f"{where}: caption {caption!r} is not a template: {exc}"
        raise SchemaError(path, data.line_of("caption"), fault) from None
    parts = [name for name, _, _ in fields if name is not None]
    unknown = [name for name in parts if name not in properties]
    plain = all(not spec and conversion is None for name, spec, conversion in fields if name is not None)
    if not parts or unknown or not plain:
        raise SchemaError(
            path,
            data.line_of("caption"),
            f"{where}: a caption template names its properties in braces, like '{{name}} {{surname}}'; "
            f"{', '.join(repr(n) for n in unknown) or 'none'} of {caption!r} is not one of its properties",
        )
    return parts[0], caption


def _style(path: Path, data: LineDict, label: str, where: str) -> Style:
    style = _require(path, data, "style", where)
    if not isinstance(style, LineDict):
        raise SchemaError(path, data.line_of("style"), f"{where}: style must be a mapping with color, shape and icon")
    where = f"{where}, style"
    _only_keys(path, style, {"color", "shape", "icon"}, where)
    color = str(_require(path, style, "color", where))
    if not _COLOUR.fullmatch(color):
        raise SchemaError(path, style.line_of("color"), f"{where}: color {color!r} must look like #1f3a93")
    shape = str(style.get("shape", "ellipse"))
    if shape not in SHAPES:
        raise SchemaError(
            path, style.line_of("shape"), f"{where}: unknown shape '{shape}'; known shapes: {', '.join(sorted(SHAPES))}"
        )
    return Style(color=color, shape=shape, icon=str(style.get("icon", label[0])))


def _indexes(path: Path, data: LineDict, properties: Mapping[str, Property], where: str) -> tuple[tuple[str, ...], ...]:
    indexes = data.get("indexes") or LineList()
    out = []
    for i, index in enumerate(indexes):
        line = indexes.line_of(i) if isinstance(indexes, LineList) else data.line_of("indexes")
        if not isinstance(index, list) or not index:
            raise SchemaError(path, line, f"{where}: each index is a list of property names, got {index!r}")
        missing = [p for p in index if p not in properties]
        if missing:
            raise SchemaError(
                path, line, f"{where}: index {index} names unknown property {', '.join(map(str, missing))}"
            )
        out.append(tuple(index))
    return tuple(out)


def _end_labels(
    path: Path, data: LineDict, key: str, nodes: Mapping[str, NodeType], where: str, left_out: Iterable[str]
) -> tuple[str, ...]:
    value = _require(path, data, key, where)
    where = f"{where}, {key}"
    labels = value if isinstance(value, list) else [value]
    if not labels or any(not isinstance(label, str) for label in labels):
        raise SchemaError(path, data.line_of(key), f"{where}: expected a list of labels, got {value!r}")
    labels = [label for label in labels if label not in left_out]
    for label in labels:
        if label != ANY_LABEL and label not in nodes:
            raise SchemaError(
                path, data.line_of(key), f"{where}: unknown label '{label}'; known labels: {', '.join(sorted(nodes))}"
            )
    return tuple(labels)


def _relationship(
    path: Path,
    data: LineDict,
    nodes: Mapping[str, NodeType],
    provenance: Mapping[str, Property],
    declared: Mapping[str, ValueRule],
    left_out: Iterable[str] = (),
) -> RelationshipType:
    _only_keys(path, data, {"type", "names", "from", "to", "properties", "key"}, "relationship type")
    rel_type = _file_name(
        path, data, "type", "relationship type", _REL_TYPE, "relationship type {!r} must be UPPER_SNAKE_CASE"
    )
    where = f"relationship {rel_type}"
    properties = _own_properties(path, data, provenance, where, "relationship", declared)
    for prop in properties.values():
        if prop.initials_of:
            fault = f"{where}, property {prop.name}: 'initials_of' is for node properties only"
            raise SchemaError(path, data["properties"].line_of(prop.name), fault)
    key = data.get("key")
    if key is not None and (key not in properties or not properties[key].required):
        raise SchemaError(path, data.line_of("key"), f"{where}: key '{key}' must be one of its required properties")
    return RelationshipType(
        type=rel_type,
        names=_names(path, data, "names", where),
        start=_end_labels(path, data, "from", nodes, where, left_out),
        end=_end_labels(path, data, "to", nodes, where, left_out),
        properties=properties,
        key=key,
        path=path,
    )


def _fulltext(path: Path, shared: LineDict, nodes: Mapping[str, NodeType]) -> FulltextIndex:
    data = shared.get("fulltext")
    if not isinstance(data, LineDict):
        raise SchemaError(path, shared.line_of("fulltext"), "fulltext: expected a mapping with name and analyzer")
    _only_keys(path, data, {"name", "analyzer"}, "fulltext")
    labels = tuple(label for label, node in nodes.items() if any(p.fulltext for p in node.properties.values()))
    properties = tuple(sorted({p.name for node in nodes.values() for p in node.properties.values() if p.fulltext}))
    if not labels:
        raise SchemaError(path, data.line, "fulltext: no property is marked fulltext: true")
    analyzer = str(data.get("analyzer", "standard-no-stop-words"))
    if not _ANALYZER.fullmatch(analyzer):
        raise SchemaError(
            path,
            data.line_of("analyzer"),
            f"fulltext: analyzer {analyzer!r} is not an analyzer name (see db.index.fulltext.listAvailableAnalyzers)",
        )
    return FulltextIndex(
        name=str(_require(path, data, "name", "fulltext")),
        analyzer=analyzer,
        labels=labels,
        properties=properties,
    )
