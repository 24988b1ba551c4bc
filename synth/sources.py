"""The source files: one per source system, each in that system's own shape.

synth/sources.yaml is the single description of the files: the writers take their
headers from it, the docs list it, and the tests validate the files against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DESCRIPTION = Path(__file__).with_name("sources.yaml")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # key|text|name|citizen_id|phone|plate|address|date|datetime|enum|number|int|coordinate|landline|list
    required: bool = False
    fmt: str = ""  # date and datetime columns: the format, as listed in DATE_FORMATS
    values: tuple[str, ...] = ()  # enum columns: the allowed values
    note: str = ""


@dataclass(frozen=True)
class SourceFile:
    name: str
    format: str  # csv | xlsx | jsonl
    encoding: str  # gbk | utf-8 | utf-8-sig (utf-8 with BOM); xlsx and jsonl are utf-8
    line_end: str
    source_system: str
    source_system_en: str
    columns: tuple[Column, ...]
    sheet: str = ""
    dirtied: bool = True  # whether --dirty touches the file (reference lists stay clean)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _columns(file: str, table: str, lists: dict[str, tuple[str, ...]], formats: dict[str, str]) -> tuple[Column, ...]:
    """The columns of one file from its table in DESCRIPTION (the table's form is described there)."""
    columns = []
    for line in filter(None, map(str.strip, table.splitlines())):
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) != 4:
            raise ValueError(f"{DESCRIPTION}: {file}: {line!r} needs 4 cells separated by |, has {len(cells)}")
        name, kind, detail, note = cells
        kind, required = kind.removesuffix(" *"), kind.endswith(" *")
        if kind in ("date", "datetime"):
            if detail not in formats:
                raise ValueError(f"{DESCRIPTION}: {file}: {name} has no date format of date_formats: {detail!r}")
            columns.append(Column(name, kind, required, fmt=detail, note=note))
        else:
            values = lists.get(detail) or (tuple(detail.split("/")) if detail else ())
            columns.append(Column(name, kind, required, values=values, note=note))
    return tuple(columns)


def _load() -> tuple[dict[str, str], tuple[SourceFile, ...]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C one when built: four times faster
    described = yaml.load(DESCRIPTION.read_text(encoding="utf-8"), Loader=loader)
    formats, lists = described["date_formats"], {k: tuple(v) for k, v in described["lists"].items()}
    files = tuple(
        SourceFile(name=name, **{**file, "columns": _columns(name, file["columns"], lists, formats)})
        for name, file in described["files"].items()
    )
    return formats, files


DATE_FORMATS, SOURCES = _load()
BY_NAME = {s.name: s for s in SOURCES}
# registers of persons and vehicles
HOUSEHOLD = BY_NAME["household_registry.csv"]
LICENCES = BY_NAME["driving_licences.csv"]
VEHICLES = BY_NAME["vehicle_registry.xlsx"]
REGISTRATIONS = BY_NAME["floating_registrations.jsonl"]
# dangerous goods
SHOPS = BY_NAME["dangerous_goods_shops.csv"]
SALES = BY_NAME["dangerous_goods_sales.csv"]
# checkpoints, compound gates and the passages they record
CHECKPOINT_LIST = BY_NAME["checkpoints.csv"]
GATES = BY_NAME["compound_gates.csv"]
CHECKPOINT_PASSAGES = BY_NAME["checkpoint_passages.csv"]
GATE_PASSAGES = BY_NAME["gate_passages.jsonl"]
# watch lists and case reports
WATCH_LIST = BY_NAME["watch_list.xlsx"]
CASES = BY_NAME["case_reports.jsonl"]
