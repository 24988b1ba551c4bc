"""The staged graph as neo4j-admin import files: one node file per label, one relationship
file per type and pair of end labels, each with a typed header.

Every node and link carries the provenance the online importer writes on create (run,
source, file, row, first and last seen). Ids are the stage's integers, in one id space.
A column's type is read from its values; a property given values of two types (which a
schema-typed spec never does) is an error naming the label and property.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ingest.bulk.stage import FILE, ID, PROPS, ROW, StagedGraph
from settings.home import open_private

ARRAY_DELIMITER = "\x1f"  # the unit separator: no text a spec loads holds one
PROVENANCE = ("prov_run", "prov_source", "prov_file", "prov_row", "first_seen", "last_seen")
# Their columns' headers, typed, as every node and link file ends
PROVENANCE_HEADER = (
    "prov_run",
    "prov_source",
    "prov_file",
    "prov_row:long",
    "first_seen:datetime",
    "last_seen:datetime",
)


class StagedFilesError(ValueError):
    """The staged graph cannot be written as import files."""


@dataclass
class ImportFiles:
    folder: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)  # (label, file)
    relationships: list[tuple[str, Path]] = field(default_factory=list)  # (type, file)
    multiline: bool = False  # some text holds a line break: the importer must read quoted newlines


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, datetime):
        return "datetime" if value.tzinfo is not None else "localdatetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
        return "point"
    if isinstance(value, list | tuple):
        inner = {_type_of(v) for v in value}
        return (inner.pop() if len(inner) == 1 else "string") + "[]"
    return "string"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _double(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
        return f"{{longitude: {value[0]!r}, latitude: {value[1]!r}}}"
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(_text(v) for v in value)
    return str(value)


def _double(value: float) -> str:
    if not math.isfinite(value):
        raise StagedFilesError(f"a value {value!r} cannot be stored")
    return repr(value)


# A column's converter by its import type, chosen once per column: a city's files hold
# tens of millions of cells. Types not listed take the general `_text`.
_CONVERTERS = {"long": str, "double": _double, "date": date.isoformat, "datetime": datetime.isoformat}


def _columns(what: str, items: Iterable[list]) -> list[tuple[str, str]]:
    """(property, import type) for each property the items hold, in first-seen order."""
    types: dict[str, str] = {}
    for item in items:
        for name, value in item[PROPS].items():
            kind = _type_of(value)
            known = types.setdefault(name, kind)
            if known != kind:
                raise StagedFilesError(f"{what}.{name} holds values of two types ({known} and {kind})")
    return [(name, kind) for name, kind in types.items() if name not in PROVENANCE]


class _Writer:
    def __init__(self, folder: Path, run_id: str, now: datetime, graph: StagedGraph):
        self.folder, self.graph = folder, graph
        self.provenance = (run_id, now.isoformat())
        self.multiline = False

    def _provenance(self, item: list) -> list[str]:
        run, now = self.provenance
        source = self.graph.sources[item[FILE]]
        # A link made from other links (a compound's addresses) names no file or row.
        row = "" if item[ROW] is None else str(item[ROW])
        return [run, source.source, source.file_hash, row, now, now]

    def _cells(self, item: list, columns: list[tuple[str, str]]) -> list[str]:
        props, cells = item[PROPS], []
        for name, kind in columns:
            value = props.get(name)
            if value is None:
                cells.append("")
            elif kind == "string":
                text = value if isinstance(value, str) else str(value)
                if "\n" in text or "\r" in text:
                    self.multiline = True
                cells.append(text)
            else:
                text = _CONVERTERS.get(kind, _text)(value)
                if kind == "string[]" and ("\n" in text or "\r" in text):
                    self.multiline = True
                cells.append(text)
        return cells

    def write(self, name: str, head: list[str], columns: list[tuple[str, str]], rows: Iterator[list[str]]) -> Path:
        path = self.folder / name
        with open_private(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            types = [f"{prop}:{kind}" for prop, kind in columns]
            out.writerow([*head, *types, *PROVENANCE_HEADER])
            out.writerows(rows)
        return path


def write_import_files(graph: StagedGraph, folder: Path, *, run_id: str, now: datetime) -> ImportFiles:
    """Write the staged graph into `folder` (an owner-only folder the caller made)."""
    writer = _Writer(folder, run_id, now, graph)
    files = ImportFiles(folder)
    for i, (label, held) in enumerate(sorted(graph.nodes.items())):
        if not held:
            continue
        columns = _columns(label, held.values())
        rows = ([str(node[ID]), *writer._cells(node, columns), *writer._provenance(node)] for node in held.values())
        files.nodes.append((label, writer.write(f"nodes-{i}.csv", [":ID"], columns, rows)))
    for i, ((rel_type, start, end), held) in enumerate(sorted(graph.links.items())):
        if not held:
            continue
        columns = _columns(f"{start}-{rel_type}->{end}", held.values())
        rows = (
            [str(ends[0]), str(ends[1]), *writer._cells(link, columns), *writer._provenance(link)]
            for ends, link in held.items()
        )
        files.relationships.append((rel_type, writer.write(f"links-{i}.csv", [":START_ID", ":END_ID"], columns, rows)))
    files.multiline = writer.multiline
    return files
