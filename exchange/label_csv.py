"""One CSV per label and per relationship type, in the form `neo4j-admin database import full`
reads: a node file's key column is `key:ID(Label)` (the key stored as its property, in the
label's own id space), a relationship file's ends `:START_ID(Label)` and `:END_ID(Label)`, and
typed columns (`:long`, `:double`, `:boolean`, `:date`, `:datetime`, `:point`, `:string[]`
with `;` between items, neo4j-admin's default). Ints are `:long`: Neo4j's integers are 64-bit,
and neo4j-admin's `:int` is 32.

A relationship type that runs between several pairs of labels gets one file per pair
(`HAS_PHONE.Person-Phone.csv`), since each end names one id space. The files go into a new
folder, or into a zip when the name ends in `.zip`, with `manifest.json`: what was exported,
whether it was masked, the files and their rows, and the neo4j-admin command that loads them.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from exchange.subgraph import Exported, ExportedNode, ExportedRelationship
from exchange.values import guess_type, node_types, relationship_types
from graph.model import Schema
from settings.home import open_private, private_dir

SUFFIXES = {
    "int": ":long",
    "float": ":double",
    "bool": ":boolean",
    "date": ":date",
    "datetime": ":datetime",
    "point": ":point",
    "text_list": ":string[]",
}
ARRAY_DELIMITER = ";"


def files(exported: Exported, schema: Schema) -> dict[str, tuple[list[str], list[list[str]]]]:
    """File name (inside the folder or zip) -> (header, rows)."""
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    by_label: dict[str, list[ExportedNode]] = defaultdict(list)
    for node in exported.nodes:
        by_label[node.label or "+".join(node.labels) or "node"].append(node)
    for label, nodes in sorted(by_label.items()):
        out[f"nodes/{label}.csv"] = _node_file(schema, label, nodes)
    by_type: dict[tuple[str, str, str], list[ExportedRelationship]] = defaultdict(list)
    for rel in exported.relationships:
        by_type[(rel.type, _label(exported, rel.start), _label(exported, rel.end))].append(rel)
    pairs: dict[str, int] = defaultdict(int)
    for rel_type, _, _ in by_type:
        pairs[rel_type] += 1
    for (rel_type, start, end), rels in sorted(by_type.items()):
        name = (
            f"relationships/{rel_type}.csv" if pairs[rel_type] == 1 else f"relationships/{rel_type}.{start}-{end}.csv"
        )
        out[name] = _relationship_file(exported, schema, rel_type, start, end, rels)
    return out


def _label(exported: Exported, node_id: str) -> str:
    node = exported.node(node_id)
    return node.label or "+".join(node.labels) or "node"


def _node_file(schema: Schema, label: str, nodes: list[ExportedNode]) -> tuple[list[str], list[list[str]]]:
    spec = schema.nodes.get(label)
    types = node_types(schema, label)
    key = spec.key if spec else None
    names = _columns(types, (node.properties for node in nodes), first=key)
    header = [f"{name}:ID({label})" if name == key else _typed(name, types, nodes) for name in names] + [":LABEL"]
    rows = [
        [_cell(types, name, node.properties.get(name)) for name in names] + [";".join(node.labels or [label])]
        for node in nodes
    ]
    return header, rows


def _relationship_file(
    exported: Exported, schema: Schema, rel_type: str, start: str, end: str, rels: list[ExportedRelationship]
) -> tuple[list[str], list[list[str]]]:
    types = relationship_types(schema, rel_type)
    names = _columns(types, (rel.properties for rel in rels))
    header = [f":START_ID({start})", f":END_ID({end})", ":TYPE", *(_typed(n, types, rels) for n in names)]
    rows = []
    for rel in rels:
        ends = [_key_of(schema, exported.node(rel.start)), _key_of(schema, exported.node(rel.end))]
        rows.append([*ends, rel_type, *(_cell(types, name, rel.properties.get(name)) for name in names)])
    return header, rows


def _key_of(schema: Schema, node: ExportedNode) -> str:
    spec = schema.nodes.get(node.label)
    return _cell({}, "", node.properties.get(spec.key)) if spec else node.id


def _columns(
    types: Mapping[str, str], properties: Iterable[Mapping[str, Any]], *, first: str | None = None
) -> list[str]:
    """The properties any of them has: the key first, then the schema's order, then the rest by name."""
    present = {name for props in properties for name, value in props.items() if value is not None}
    ordered = [name for name in types if name in present]
    ordered += sorted(present - set(types))
    if first is not None:
        ordered = [first] + [name for name in ordered if name != first]
    return ordered


def _typed(name: str, types: Mapping[str, str], items: list[Any]) -> str:
    value_type = types.get(name)
    if value_type is None:
        sample = next((item.properties[name] for item in items if item.properties.get(name) is not None), None)
        value_type = guess_type(sample)
    return name + SUFFIXES.get(value_type, "")


def _cell(types: Mapping[str, str], name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping) and "longitude" in value:
        return f"{{latitude:{value['latitude']!r}, longitude:{value['longitude']!r}}}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(item) for item in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def manifest(exported: Exported, found: Mapping[str, tuple[list[str], list[list[str]]]]) -> dict[str, Any]:
    node_files = [name for name in found if name.startswith("nodes/")]
    rel_files = [name for name in found if name.startswith("relationships/")]
    command = " ".join(
        [
            "neo4j-admin database import full",
            *(f"--nodes={name}" for name in node_files),
            *(f"--relationships={name}" for name in rel_files),
            f"--array-delimiter='{ARRAY_DELIMITER}'",
            "neo4j",
        ]
    )
    note = (
        "MASKED: ID numbers and phones are hidden for the role that exported this; the keys are not the real "
        "ones and must not be imported as keys."
        if exported.masked
        else "Keys are the graph's own."
    )
    return {
        "export": exported.what,
        "masked": exported.masked,
        "note": note,
        "files": {name: len(rows) for name, (_, rows) in found.items()},
        "command": command,
    }


def _csv_text(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write(exported: Exported, schema: Schema, out: Path) -> dict[str, int]:
    """The files into a new folder `out`, or a new zip when `out` ends in .zip; FileExistsError
    when `out` is there already. Returns rows per file."""
    found = files(exported, schema)
    contents = {name: _csv_text(header, rows) for name, (header, rows) in found.items()}
    contents["manifest.json"] = json.dumps(manifest(exported, found), ensure_ascii=False, indent=1).encode("utf-8")
    if out.suffix.lower() == ".zip":
        with open_private(out, "xb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, body in contents.items():
                archive.writestr(name, body)
    else:
        if out.exists():
            raise FileExistsError(f"{out} already exists")
        private_dir(out)
        for name, body in contents.items():
            with open_private(out / name, "xb") as handle:
                handle.write(body)
    return {name: len(rows) for name, (_, rows) in found.items()}
