"""Graph files in neo4j-admin import layout, loaded with no spec written by hand.

A node file names its id column `name:ID(space)` and may carry `:LABEL`; a relationship
file names its ends `:START_ID(space)` and `:END_ID(space)` and its type in `:TYPE` (or in
its file name, `has_email.csv` → HAS_EMAIL); other columns are `name` or `name:type`.
Each file gets a spec derived from its header and the schema, and the whole folder goes
through `import_files` as one batch: the same validation, rejects, provenance, resumption
and dependency order as any import.

Relationship ends are resolved here, from the node files' ids to the nodes' keys, and
handed to the batch as two extra columns of a private copy of the file (same rows, same
row numbers): the import ids only join the files, so the analyst never reads them as keys.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graph.model import Schema
from ingest.api import BatchFile, ImportReport, import_files
from ingest.spec import SpecError

_HEADER = re.compile(r"(?P<name>[^:]*)(?::(?P<kind>[A-Za-z_]+(?:\[\])?)(?:\((?P<space>[^)]*)\))?)?")
_SPECIAL = {"ID", "START_ID", "END_ID", "TYPE", "LABEL", "IGNORE"}
# neo4j-admin's value types; the schema's own type decides how a value is read and checked.
_DATA_TYPES = {
    "int", "long", "short", "byte", "float", "double", "boolean", "char", "string",
    "date", "datetime", "localdatetime", "time", "localtime", "duration", "point",
}  # fmt: skip
START_KEY, END_KEY = "start key", "end key"


@dataclass(frozen=True)
class Column:
    header: str  # as written
    name: str  # the property it fills ("" for :START_ID and the like)
    kind: str  # ID, START_ID, END_ID, TYPE, LABEL, IGNORE, or a data type ("string" when none)
    space: str = ""


@dataclass
class GraphFile:
    path: Path
    columns: list[Column]

    def special(self, kind: str) -> Column | None:
        return next((c for c in self.columns if c.kind == kind), None)

    @property
    def is_nodes(self) -> bool:
        return self.special("ID") is not None


@dataclass
class Ids:
    """Each id space's ids → (label, key value as written), read from the node files."""

    labels: dict[str, str] = field(default_factory=dict)  # space → label
    keys: dict[str, dict[str, str]] = field(default_factory=dict)  # space → id → key


def graph_files(folder: Path) -> list[Path]:
    """The CSV files of a folder in neo4j-admin layout, in name order."""
    if not folder.is_dir():
        raise SpecError(folder, 0, "is not a folder of graph files (neo4j-admin import CSVs)")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise SpecError(folder, 0, "holds no .csv files")
    return files


def read_header(path: Path) -> GraphFile:
    with path.open(encoding="utf-8-sig", newline="") as source:
        header = next(csv.reader(source), None)
    if not header:
        raise SpecError(path, 1, "has no header row")
    columns = []
    for number, text in enumerate(header, start=1):
        found = _HEADER.fullmatch(text.strip())
        kind = (found.group("kind") or "string") if found else ""
        base = kind.removesuffix("[]")
        if not found or (kind not in _SPECIAL and base.lower() not in _DATA_TYPES):
            raise SpecError(
                path, 1, f"column {number} {text!r}: not a neo4j-admin header (name, name:type, :ID(space), :TYPE …)"
            )
        columns.append(Column(text, found.group("name").strip(), kind if kind in _SPECIAL else kind.lower(),
                              (found.group("space") or "").strip()))  # fmt: skip
    return GraphFile(path, columns)


def import_graph_files(
    files: Iterable[Path],
    *,
    schema: Schema,
    work_dir: Path,
    **batch: object,
) -> ImportReport:
    """Import a folder's worth of graph files as one batch (keyword arguments as
    `import_files`). The derived specs and the copies of relationship files live in a
    private folder under `work_dir` while the batch runs."""
    parsed = [read_header(path) for path in files]
    nodes = [f for f in parsed if f.is_nodes]
    relationships = [f for f in parsed if not f.is_nodes]
    ids = Ids()
    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="graph-files-") as private:
        here = Path(private)
        os.chmod(here, 0o700)
        batch_files = [_node_batch_file(f, schema, ids, here) for f in nodes]
        batch_files += [_relationship_batch_file(f, schema, ids, here) for f in relationships]
        report = import_files(batch_files, schema=schema, **batch)  # type: ignore[arg-type]
    return report


def _node_batch_file(file: GraphFile, schema: Schema, ids: Ids, here: Path) -> BatchFile:
    id_column = file.special("ID")
    assert id_column is not None
    label = _label(file, schema, id_column.space)
    node = schema.node(label)
    # A named id column is stored only when the label has that property (a Location without a
    # natural key); otherwise the id just joins the files.
    properties = {
        c.name: c for c in file.columns if c.kind not in _SPECIAL or (c.kind == "ID" and c.name in node.properties)
    }
    unknown = [c.header for name, c in properties.items() if name not in node.properties]
    if unknown:
        raise SpecError(
            file.path,
            1,
            f"columns {', '.join(map(repr, unknown))} are not properties of {label} in the schema "
            f"(it has {', '.join(node.properties)}); add them to the schema, or mark a column :IGNORE",
        )
    if node.key not in properties:
        raise SpecError(file.path, 1, f"no column for {label}'s key '{node.key}'; the header has {_listed(file)}")
    space = id_column.space or label
    if space in ids.labels and ids.labels[space] != label:
        raise SpecError(file.path, 1, f"id space {space} is {ids.labels[space]}'s already, not {label}'s")
    ids.labels[space] = label
    ids.keys.setdefault(space, {}).update(_ids(file, id_column, properties[node.key]))
    spec, alias = _spec_of(file)
    spec |= {
        "entities": {
            "node": {
                "label": label,
                "key": alias[properties[node.key].header],
                "properties": {name: alias[c.header] for name, c in properties.items() if name != node.key},
            }
        },
    }
    return BatchFile(file.path, spec=str(_write_spec(here, spec)), name=file.path.name)


def _relationship_batch_file(file: GraphFile, schema: Schema, ids: Ids, here: Path) -> BatchFile:
    start, end = file.special("START_ID"), file.special("END_ID")
    if start is None or end is None:
        raise SpecError(
            file.path, 1, f"a relationship file needs :START_ID and :END_ID columns; it has {_listed(file)}"
        )
    ends = {}
    for column in (start, end):
        if column.space not in ids.labels:
            raise SpecError(
                file.path,
                1,
                f"{column.header}: no node file has the id space {column.space!r} "
                f"(known: {', '.join(sorted(ids.labels)) or 'none'})",
            )
        ends[column.kind] = ids.labels[column.space]
    types = _types(file, schema)
    properties = [c for c in file.columns if c.kind not in _SPECIAL]
    copy = here / file.path.name
    _with_keys(file, start, end, ids, copy)
    spec, alias = _spec_of(file)
    spec["columns"] |= {"start_key": [START_KEY], "end_key": [END_KEY]}
    type_column = file.special("TYPE")
    links = []
    for rel_type in types:
        rel = schema.relationship(rel_type)
        unknown = [c.header for c in properties if c.name not in rel.properties]
        if unknown:
            raise SpecError(
                file.path, 1, f"columns {', '.join(map(repr, unknown))} are not properties of {rel_type} in the schema"
            )
        link: dict = {"type": rel_type, "from": "start", "to": "end"}
        # A keyed type (one CALLED per call) takes its key from the column of that name.
        keyed = next((c for c in properties if c.name == rel.key), None)
        if rel.key and keyed is None:
            raise SpecError(file.path, 1, f"{rel_type} is keyed by {rel.key!r}, which the file has no column for")
        if keyed is not None:
            link["key"] = alias[keyed.header]
        rest = [c for c in properties if c is not keyed]
        if rest:
            link["properties"] = {c.name: alias[c.header] for c in rest}
        if type_column is not None:
            link["when"] = {"column": alias[type_column.header], "equals": rel_type}
        links.append(link)
    spec |= {
        "entities": {
            "start": {"label": ends["START_ID"], "key": "start_key", "mode": "match"},
            "end": {"label": ends["END_ID"], "key": "end_key", "mode": "match"},
        },
        "links": links,
    }
    return BatchFile(copy, spec=str(_write_spec(here, spec)), name=file.path.name)


def _label(file: GraphFile, schema: Schema, space: str) -> str:
    """The id space when it names a label, else the one label the :LABEL column gives."""
    if space in schema.nodes:
        return space
    label_column = file.special("LABEL")
    if label_column is None:
        raise SpecError(file.path, 1, f"id space {space!r} is no label of the schema and the file has no :LABEL column")
    index = file.columns.index(label_column)
    found: set[str] = set()
    with file.path.open(encoding="utf-8-sig", newline="") as source:
        rows = csv.reader(source)
        next(rows)
        for row in rows:
            if index < len(row):
                found.update(x for x in row[index].split(";") if x)
    labels = sorted(found & set(schema.nodes))
    if len(labels) != 1:
        raise SpecError(
            file.path,
            1,
            f":LABEL gives {', '.join(sorted(found)) or 'nothing'}; exactly one of them must be a label of the schema "
            f"(known: {', '.join(sorted(schema.nodes))})",
        )
    return labels[0]


def _types(file: GraphFile, schema: Schema) -> list[str]:
    type_column = file.special("TYPE")
    if type_column is None:
        rel_type = file.path.stem.upper()
        if rel_type not in schema.relationships:
            raise SpecError(
                file.path,
                1,
                f"no :TYPE column, and the file name names no relationship type of the schema ({rel_type}): "
                "add a :TYPE column or name the file after its type",
            )
        return [rel_type]
    index = file.columns.index(type_column)
    seen: dict[str, int] = {}
    with file.path.open(encoding="utf-8-sig", newline="") as source:
        rows = csv.reader(source)
        next(rows)
        for number, row in enumerate(rows, start=2):
            value = row[index].strip() if index < len(row) else ""
            seen.setdefault(value, number)
    unknown = {value: row for value, row in seen.items() if value not in schema.relationships}
    if unknown:
        value, row = min(unknown.items(), key=lambda item: item[1])
        raise SpecError(
            file.path,
            row,
            f"column {type_column.header!r}: {value!r} is not a relationship type of the schema "
            f"(nothing was imported; known: {', '.join(sorted(schema.relationships))})",
        )
    return sorted(seen)


def _ids(file: GraphFile, id_column: Column, key_column: Column) -> dict[str, str]:
    id_index, key_index = file.columns.index(id_column), file.columns.index(key_column)
    out = {}
    with file.path.open(encoding="utf-8-sig", newline="") as source:
        rows = csv.reader(source)
        next(rows)
        for row in rows:
            if max(id_index, key_index) < len(row):
                out[row[id_index].strip()] = row[key_index]
    return out


def _with_keys(file: GraphFile, start: Column, end: Column, ids: Ids, copy: Path) -> None:
    """The file with each row's start and end keys added (blank for an id no node file has,
    so the row is rejected with the row as it was written)."""
    starts, ends = ids.keys[start.space], ids.keys[end.space]
    first, last = file.columns.index(start), file.columns.index(end)
    with (
        file.path.open(encoding="utf-8-sig", newline="") as source,
        copy.open("w", encoding="utf-8", newline="") as out,
    ):
        os.chmod(copy, 0o600)
        rows, writer = csv.reader(source), csv.writer(out)
        writer.writerow([*next(rows), START_KEY, END_KEY])
        for row in rows:
            a = starts.get(row[first].strip(), "") if first < len(row) else ""
            b = ends.get(row[last].strip(), "") if last < len(row) else ""
            writer.writerow([*row, a, b])


def _spec_of(file: GraphFile) -> tuple[dict, dict[str, str]]:
    """The head of a file's derived spec (name, names, source, every column by its header),
    and each header's column name in it."""
    alias = {c.header: f"c{i}" for i, c in enumerate(file.columns)}
    spec = {
        "spec": _spec_name(file.path),
        "names": {"zh": f"图文件 {file.path.name}", "en": f"Graph file {file.path.name}"},
        "source": f"{file.path.name} (neo4j-admin import layout)",
        "columns": {name: [header] for header, name in alias.items()},
    }
    return spec, alias


def _write_spec(here: Path, spec: dict) -> Path:
    path = here / f"{spec['spec']}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _spec_name(path: Path) -> str:
    return "graph_file_" + re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")


def _listed(file: GraphFile) -> str:
    return ", ".join(c.header for c in file.columns)
