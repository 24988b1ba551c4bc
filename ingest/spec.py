"""Mapping specs: declarative files that say which columns of a source become which
entities and links. A spec is checked against the schema when it is loaded; every
fault names the spec file and its line. See docs/mapping-specs.md for the format.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.model import Names, NodeType, Property, Schema
from graph.yaml_lines import FileFault, LineDict, LineList, YamlSyntaxError, load_yaml

BUILTIN_DIR = Path(__file__).resolve().parent / "specs"
# A label keyed by an address gets these properties from the parsed address.
ADDRESS_PARTS = ("full", "district", "town", "community", "road", "building", "unit", "room")
DERIVATIONS = {"birth_date_from_id": "date", "gender_from_id": "enum", "region_from_id": "text"}
PERSON_RECORD = "PersonRecord"
# What a PersonRecord (a person without a reliable key) keeps: never enough to merge on.
# From the row's own values, then the phone linked in the same row and the unusable ID as read.
PERSON_RECORD_OWN = ("name", "birth_date")
PERSON_RECORD_PROPERTIES = (*PERSON_RECORD_OWN, "phone", "id_number_raw")
_ALIAS = re.compile(r"[a-z][a-z0-9_]*")


class SpecError(FileFault):
    """A spec is malformed or does not fit the schema or the file."""


ON_INVALID = ("reject", "drop")


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    optional: bool
    line: int
    # What a value that fails validation costs: the row (reject), or only the value (drop:
    # left out, the rest of the row loads, and the value gets its own line in the reject file).
    on_invalid: str = "reject"


@dataclass(frozen=True)
class Condition:
    column: str
    values: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ValueSource:
    columns: tuple[str, ...] = ()
    join: str = " "
    constant: Any = None
    derive: str | None = None
    format: str | None = None
    lookup: Mapping[str, Any] | None = None  # source value -> stored value, before normalising
    default: Any = None  # stored when the lookup has no entry for a non-blank value


@dataclass(frozen=True)
class PropertyMap:
    """A property of the schema and where a row's value for it comes from."""

    target: Property  # its name, value type and enum values are the schema's
    source: ValueSource
    line: int

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def type(self) -> str:
        return self.target.type

    @property
    def values(self) -> tuple[str, ...]:
        return self.target.values


@dataclass(frozen=True)
class EntityMap:
    alias: str
    label: str
    key: PropertyMap  # the property the node is found by: the label's key, or `match_on`'s
    properties: tuple[PropertyMap, ...]
    optional: bool
    on_missing_key: str  # reject | record | skip
    mode: str  # merge | match
    update: str  # overwrite | fill
    when: Condition | None
    line: int
    # mode: match only: a property other than the label's key the node is found by. It need
    # not be unique, so a value held by several nodes is refused (reference.ambiguous).
    match_on: str | None = None


@dataclass(frozen=True)
class LinkMap:
    type: str
    start: str
    end: str
    key: PropertyMap | None
    properties: tuple[PropertyMap, ...]
    when: Condition | None
    line: int


@dataclass(frozen=True)
class MappingSpec:
    name: str
    names: Names
    source: str
    files: tuple[str, ...]
    columns: Mapping[str, Column]
    entities: Mapping[str, EntityMap]
    links: tuple[LinkMap, ...]
    extract_text: str | None
    path: Path

    def matches_file(self, path: Path) -> bool:
        return any(fnmatch.fnmatch(path.name, pattern) for pattern in self.files)

    def used_columns(self) -> set[str]:
        used: set[str] = set()
        for entity in self.entities.values():
            for prop in (entity.key, *entity.properties):
                used.update(prop.source.columns)
            if entity.when:
                used.add(entity.when.column)
        for link in self.links:
            for prop in ((link.key,) if link.key else ()) + link.properties:
                used.update(prop.source.columns)
            if link.when:
                used.add(link.when.column)
        if self.extract_text:
            used.add(self.extract_text)
        return used


class _Reader:
    """Walks one spec file, turning faults into SpecErrors with line numbers."""

    def __init__(self, path: Path, schema: Schema):
        self.path, self.schema = path, schema

    def fail(self, line: int, fault: str) -> SpecError:
        return SpecError(self.path, line, fault)

    def mapping(self, value: Any, line: int, where: str) -> LineDict:
        if not isinstance(value, LineDict):
            raise self.fail(line, f"{where}: expected a mapping, got {value!r}")
        return value

    def only(self, data: LineDict, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(
                    data.line_of(key), f"{where}: unknown key '{key}'; allowed: {', '.join(sorted(allowed))}"
                )

    def required(self, data: LineDict, key: str, where: str) -> Any:
        if data.get(key) in (None, ""):
            raise self.fail(data.line, f"{where}: missing required key '{key}'")
        return data[key]

    def load(self, data: Any) -> MappingSpec:
        data = self.mapping(data, 1, "spec")
        self.only(
            data,
            {"spec", "names", "source", "description", "files", "columns", "entities", "links", "extract_text"},
            "spec",
        )
        name = str(self.required(data, "spec", "spec"))
        names_data = self.mapping(self.required(data, "names", "spec"), data.line_of("names"), "names")
        if not names_data.get("zh") or not names_data.get("en"):
            raise self.fail(data.line_of("names"), "names need both 'zh' and 'en'")
        columns = self.columns(self.mapping(self.required(data, "columns", "spec"), data.line, "columns"))
        entities_data = self.mapping(self.required(data, "entities", "spec"), data.line, "entities")
        entities = {}
        for alias, entity in entities_data.items():
            entities[alias] = self.entity(alias, entity, entities_data.line_of(alias), columns)
        links_data = data.get("links") or LineList()
        if not isinstance(links_data, LineList):
            raise self.fail(data.line_of("links"), "links: expected a list")
        links = tuple(self.link(item, links_data.line_of(i), entities, columns) for i, item in enumerate(links_data))
        extract = data.get("extract_text")
        if extract is not None and extract not in columns:
            raise self.fail(data.line_of("extract_text"), f"extract_text names unknown column '{extract}'")
        self.check_drops(columns, entities, links)
        files = data.get("files") or []
        return MappingSpec(
            name=name,
            names=Names(zh=str(names_data["zh"]), en=str(names_data["en"])),
            source=str(data.get("source", name)),
            files=tuple(str(f) for f in files),
            columns=columns,
            entities=entities,
            links=links,
            extract_text=extract,
            path=self.path,
        )

    def columns(self, data: LineDict) -> dict[str, Column]:
        out = {}
        for name, spec in data.items():
            line = data.line_of(name)
            if not _ALIAS.fullmatch(str(name)):
                raise self.fail(line, f"column name '{name}' must be lower_snake_case (its aliases carry the headers)")
            if isinstance(spec, list):
                aliases, optional, on_invalid = spec, False, "reject"
            else:
                spec = self.mapping(spec, line, f"column '{name}'")
                self.only(spec, {"aliases", "optional", "on_invalid"}, f"column '{name}'")
                aliases, optional = spec.get("aliases") or [], bool(spec.get("optional", False))
                on_invalid = str(spec.get("on_invalid", "reject"))
                if on_invalid not in ON_INVALID:
                    raise self.fail(
                        spec.line_of("on_invalid"), f"column '{name}': on_invalid is reject or drop, not '{on_invalid}'"
                    )
                if on_invalid == "drop":
                    line = spec.line_of("on_invalid")  # where a refusal of the drop points
            if not aliases:
                raise self.fail(line, f"column '{name}' needs at least one header alias")
            out[name] = Column(
                name=name,
                aliases=tuple(str(a) for a in aliases),
                optional=optional,
                line=line,
                on_invalid=on_invalid,
            )
        return out

    def check_drops(
        self, columns: Mapping[str, Column], entities: Mapping[str, EntityMap], links: tuple[LinkMap, ...]
    ) -> None:
        """`on_invalid: drop` only where leaving the value out leaves a row that still says what it
        is: never on a required column, the key of an entity that is not optional, a link's key or a
        property the schema requires."""
        dropped = {name for name, column in columns.items() if column.on_invalid == "drop"}
        if not dropped:
            return

        def refuse(column: str, why: str) -> SpecError:
            return self.fail(columns[column].line, f"column '{column}': on_invalid: drop is not allowed on {why}")

        for name in sorted(dropped):
            if not columns[name].optional:
                raise refuse(name, "a required column (declare it optional: true, or keep on_invalid: reject)")
        for entity in entities.values():
            for name in entity.key.source.columns:
                if name in dropped and not entity.optional:
                    raise refuse(
                        name,
                        f"a key: it is the key of entity '{entity.alias}' ({entity.label}.{entity.key.name}), "
                        "which is not optional",
                    )
            for prop in entity.properties:
                for name in prop.source.columns:
                    if name in dropped and prop.target.required:
                        raise refuse(name, f"{entity.label}.{prop.name}, which the schema requires")
        for link in links:
            for name in link.key.source.columns if link.key else ():
                if name in dropped:
                    raise refuse(name, f"a key: it is the key of link {link.type}")

    def condition(self, value: Any, line: int, columns: Mapping[str, Column], where: str) -> Condition:
        data = self.mapping(value, line, f"{where}, when")
        self.only(data, {"column", "equals", "in"}, f"{where}, when")
        column = str(self.required(data, "column", f"{where}, when"))
        if column not in columns:
            raise self.fail(data.line, f"{where}, when: unknown column '{column}'")
        values = [data["equals"]] if "equals" in data else list(data.get("in") or [])
        if not values:
            raise self.fail(data.line, f"{where}, when: give 'equals: value' or 'in: [values]'")
        return Condition(column=column, values=tuple(str(v) for v in values), line=data.line)

    def source(self, value: Any, line: int, prop: Property, columns: Mapping[str, Column], where: str) -> ValueSource:
        if isinstance(value, str):
            value = LineDict(column=value)
            value.line, value.key_lines = line, {}
        data = self.mapping(value, line, where)
        self.only(data, {"column", "columns", "join", "value", "derive", "format", "map", "default"}, where)
        chosen = [k for k in ("column", "columns", "value") if k in data]
        if len(chosen) != 1:
            raise self.fail(data.line, f"{where}: give exactly one of column, columns or value")
        cols: tuple[str, ...] = ()
        if "column" in data:
            cols = (str(data["column"]),)
        elif "columns" in data:
            cols = tuple(str(c) for c in data["columns"])
        for col in cols:
            if col not in columns:
                raise self.fail(data.line, f"{where}: unknown column '{col}'; declare it under columns:")
        derive = data.get("derive")
        if derive is not None and derive not in DERIVATIONS:
            raise self.fail(
                data.line_of("derive"), f"{where}: unknown derive '{derive}'; known: {', '.join(DERIVATIONS)}"
            )
        if "format" in data and prop.type not in ("date", "datetime"):
            raise self.fail(data.line_of("format"), f"{where}: 'format' only applies to date and datetime properties")
        lookup = data.get("map")
        if lookup is not None and not isinstance(lookup, dict):
            raise self.fail(data.line_of("map"), f"{where}: map must be a mapping of source value → stored value")
        return ValueSource(
            lookup={str(k): v for k, v in lookup.items()} if lookup else None,
            default=data.get("default"),
            columns=cols,
            join=str(data.get("join", "," if prop.type == "point" else " ")),
            constant=data.get("value"),
            derive=derive,
            format=data.get("format"),
        )

    def property_map(
        self, name: str, value: Any, line: int, owner: Mapping[str, Property], columns: Mapping[str, Column], where: str
    ) -> PropertyMap:
        if name not in owner:
            raise self.fail(line, f"{where}: '{name}' is not a property of it in the schema; it has {', '.join(owner)}")
        prop = owner[name]
        source = self.source(value, line, prop, columns, f"{where}, property '{name}'")
        return PropertyMap(target=prop, source=source, line=line)

    def entity(self, alias: str, value: Any, line: int, columns: Mapping[str, Column]) -> EntityMap:
        where = f"entity '{alias}'"
        if not _ALIAS.fullmatch(str(alias)):
            raise self.fail(line, f"{where}: aliases are lower_snake_case")
        data = self.mapping(value, line, where)
        self.only(
            data,
            {"label", "key", "match_on", "properties", "optional", "on_missing_key", "mode", "update", "when"},
            where,
        )
        label = str(self.required(data, "label", where))
        if label not in self.schema.nodes:
            raise self.fail(
                data.line_of("label"),
                f"{where}: unknown label '{label}'; the schema has {', '.join(self.schema.nodes)}",
            )
        node = self.schema.nodes[label]
        mode = str(data.get("mode", "merge"))
        if mode not in ("merge", "match"):
            raise self.fail(data.line_of("mode"), f"{where}: mode is merge or match, not '{mode}'")
        match_on = self.match_on(data, node, mode, where)
        found_by = match_on or node.key
        key_source = self.required(data, "key", where)
        key = self.property_map(found_by, key_source, data.line_of("key"), node.properties, columns, where)
        props_data = data.get("properties") or LineDict()
        if not isinstance(props_data, LineDict):
            raise self.fail(data.line_of("properties"), f"{where}: properties must be a mapping")
        properties = tuple(
            self.property_map(name, v, props_data.line_of(name), node.properties, columns, where)
            for name, v in props_data.items()
        )
        mapped = {key.name, *(p.name for p in properties)}
        if key.type == "address":
            mapped |= set(ADDRESS_PARTS)  # filled from the parsed address
        missing = [p.name for p in node.properties.values() if p.required and p.name not in mapped]
        if missing and mode == "merge":
            raise self.fail(
                data.line, f"{where}: label {label} requires {', '.join(missing)}, which the spec does not map"
            )
        on_missing = str(data.get("on_missing_key", "reject"))
        if on_missing not in ("reject", "record", "skip"):
            raise self.fail(data.line_of("on_missing_key"), f"{where}: on_missing_key is reject, record or skip")
        if on_missing == "record" and label != "Person":
            raise self.fail(data.line_of("on_missing_key"), f"{where}: on_missing_key: record only applies to Person")
        update = str(data.get("update", "overwrite"))
        if update not in ("overwrite", "fill"):
            raise self.fail(data.line_of("update"), f"{where}: update is overwrite or fill")
        when = self.condition(data["when"], data.line_of("when"), columns, where) if "when" in data else None
        return EntityMap(
            alias=alias,
            label=label,
            key=key,
            properties=properties,
            optional=bool(data.get("optional", False)),
            on_missing_key=on_missing,
            mode=mode,
            update=update,
            when=when,
            line=line,
            match_on=match_on,
        )

    def match_on(self, data: LineDict, node: NodeType, mode: str, where: str) -> str | None:
        """The property a `mode: match` entity is found by when it is not the label's key (None
        when it is). Only indexed properties: on any other, every row would scan the label."""
        if "match_on" not in data:
            return None
        line = data.line_of("match_on")
        name = str(data["match_on"])
        if mode != "match":
            raise self.fail(
                line, f"{where}: match_on only applies with mode: match; a merged {node.label} is found by its key"
            )
        if str(data.get("on_missing_key", "reject")) == "record":
            raise self.fail(
                line,
                f"{where}: match_on does not go with on_missing_key: record (a PersonRecord is kept by its own "
                "key, not found by another property)",
            )
        allowed = matchable(node)
        if name not in node.properties:
            raise self.fail(
                line,
                f"{where}: match_on '{name}' is not a property of {node.label} in the schema; "
                f"it may match on {_listed(allowed)}",
            )
        if name not in allowed:
            raise self.fail(
                line,
                f"{where}: match_on '{name}' is not indexed on {node.label}, so every row would scan the label; "
                f"it may match on {_listed(allowed)}, or give {node.label}.{name} index: true in the schema",
            )
        return None if name == node.key else name

    def link(self, value: Any, line: int, entities: Mapping[str, EntityMap], columns: Mapping[str, Column]) -> LinkMap:
        data = self.mapping(value, line, "link")
        self.only(data, {"type", "from", "to", "key", "properties", "when"}, "link")
        rel_type = str(self.required(data, "type", "link"))
        where = f"link {rel_type}"
        if rel_type not in self.schema.relationships:
            raise self.fail(data.line_of("type"), f"unknown relationship type '{rel_type}'")
        rel = self.schema.relationships[rel_type]
        ends = []
        for side in ("from", "to"):
            alias = str(self.required(data, side, where))
            if alias not in entities:
                raise self.fail(data.line_of(side), f"{where}: '{side}: {alias}' names no entity of this spec")
            ends.append(entities[alias])
        start, end = ends
        start_labels = [start.label] + ([PERSON_RECORD] if start.on_missing_key == "record" else [])
        end_labels = [end.label] + ([PERSON_RECORD] if end.on_missing_key == "record" else [])
        for a in start_labels:
            for b in end_labels:
                if not rel.connects(a, b):
                    raise self.fail(data.line, f"{where}: the schema's {rel_type} does not connect {a} to {b}")
        key = None
        if rel.key:
            if "key" not in data:
                raise self.fail(data.line, f"{where}: {rel_type} is keyed by '{rel.key}'; map it with key:")
            key = self.property_map(rel.key, data["key"], data.line_of("key"), rel.properties, columns, where)
        props_data = data.get("properties") or LineDict()
        properties = tuple(
            self.property_map(name, v, props_data.line_of(name), rel.properties, columns, where)
            for name, v in props_data.items()
        )
        when = self.condition(data["when"], data.line_of("when"), columns, where) if "when" in data else None
        return LinkMap(
            type=rel_type, start=start.alias, end=end.alias, key=key, properties=properties, when=when, line=line
        )


def matchable(node: NodeType) -> dict[str, str]:
    """The properties a `mode: match` entity of this label may be found by, each with why: the
    key, a property with `index: true`, or the first of a composite index (which answers a
    lookup by that property alone). A full-text or fragments index does not: it finds words
    and parts of values, not one value."""
    found = {node.key: "the key"}
    for prop in node.properties.values():
        if prop.index:
            found.setdefault(prop.name, "index: true")
    for index in node.indexes:
        found.setdefault(index[0], f"first of the index ({', '.join(index)})")
    return found


def also_present(node: NodeType, prop: str) -> tuple[str, ...]:
    """The properties a node found by `prop` must hold too: for the first property of a
    composite index, the index's others, without which Neo4j does not seek that index (a
    node lacking one is not in it). None for the key or a property of its own index."""
    if prop == node.key or node.properties[prop].index:
        return ()
    return next((index[1:] for index in node.indexes if index[0] == prop), ())


def _listed(allowed: Mapping[str, str]) -> str:
    return ", ".join(f"{name} ({why})" for name, why in allowed.items())


def load_spec(path: Path | str, schema: Schema) -> MappingSpec:
    path = Path(path)
    if path.is_dir():
        raise SpecError(path, 0, FOLDER_IS_NO_SPEC)
    try:
        data = load_yaml(path)
    except YamlSyntaxError as exc:
        raise SpecError(path, exc.syntax_line, f"YAML syntax error: {exc.problem}") from None
    except FileFault as exc:  # missing, or not UTF-8
        raise SpecError(path, exc.line, exc.fault) from None
    except OSError as exc:  # unreadable: no permission, or not a regular file
        raise SpecError(path, 0, f"cannot be read ({exc.strerror or exc})") from None
    return _Reader(path, schema).load(data)


FOLDER_IS_NO_SPEC = (
    "is a folder, not a spec: give a spec file or a spec's name (to have the specs of a folder found by "
    "name, set GOLDENBELL_SPECS_DIR to it)"
)


def builtin_specs(schema: Schema) -> dict[str, MappingSpec]:
    """The built-in specs the schema fits. One that names what a schema laid over the built-in
    one changed (GOLDENBELL_SCHEMA_EXTRA_DIR: a UK Person without a citizen ID) is left out, so
    the user's own files still import; naming it gives its fault (`resolve_spec`)."""
    specs = {}
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        try:
            spec = load_spec(path, schema)
        except SpecError:
            continue
        specs[spec.name] = spec
    return specs


def known_specs(schema: Schema, specs_dir: Path | None = None) -> dict[str, MappingSpec]:
    """The built-in specs, then the user's own in `specs_dir` (GOLDENBELL_SPECS_DIR): all found by
    name and chosen per file alike. A name is defined once, so a file never quietly gets another
    spec than the one its name says."""
    specs = builtin_specs(schema)
    if specs_dir is None:
        return specs
    if not specs_dir.is_dir():
        raise SpecError(specs_dir, 0, "GOLDENBELL_SPECS_DIR is not a folder")
    for path in sorted(specs_dir.glob("*.yaml")):
        spec = load_spec(path, schema)
        if spec.name in specs:
            raise SpecError(
                path, 0, f"spec '{spec.name}' is already defined in {specs[spec.name].path}: give this one another name"
            )
        specs[spec.name] = spec
    return specs


def resolve_spec(
    name_or_path: str,
    schema: Schema,
    *,
    specs_dir: Path | None = None,
    known: Mapping[str, MappingSpec] | None = None,
) -> MappingSpec:
    """A spec by name (built-in or in `specs_dir`; `known`, when given, are those already
    loaded), or a spec file by path."""
    candidate = Path(name_or_path)
    if candidate.is_dir():
        raise SpecError(candidate, 0, FOLDER_IS_NO_SPEC)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return load_spec(candidate, schema)
    specs = known if known is not None else known_specs(schema, specs_dir)
    if name_or_path not in specs and (BUILTIN_DIR / f"{name_or_path}.yaml").is_file():
        load_spec(BUILTIN_DIR / f"{name_or_path}.yaml", schema)  # a built-in the schema does not fit: its fault
    if name_or_path not in specs:
        where = "built-in or in GOLDENBELL_SPECS_DIR" if specs_dir is not None else "built-in"
        raise SpecError(name_or_path, 0, f"no spec named '{name_or_path}' ({where}); known specs: {', '.join(specs)}")
    return specs[name_or_path]
