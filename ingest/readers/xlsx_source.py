"""XLSX read by calamine (Rust) with each cell as openpyxl would give it. Cells keep their
types, so an ID number that Excel stored as a number reaches the validator as a number
and is rejected as such instead of becoming a corrupted key.

calamine reads a sheet several times faster than openpyxl's streaming mode (a city's
vehicle registry of 450,000 rows is the slowest file of a first load), but gives every
number as a float, a blank cell as "" and a date-only cell as a date. The cells are put
back as openpyxl gives them: a whole number that a double holds exactly as an int, a
blank as None, a date as a datetime at midnight."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from ingest.readers.base import RawRow, SourceError
from ingest.reject_reasons import Reason


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# Integers up to 2**53 are exact in a double: above it, Excel has already lost digits and
# the cell stays a float, as openpyxl reads its "3.30402199001011E+17".
_EXACT = 2**53


def _cell(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT:
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _original(values: list[Any]) -> str:
    return json.dumps([_text(v) for v in values], ensure_ascii=False)


class XlsxSource:
    format = "xlsx"
    encoding = "xlsx"

    def __init__(self, path: Path):
        self.path = path
        if not zipfile.is_zipfile(path):
            raise SourceError(path, "not an XLSX workbook (the file is not a zip archive)")
        self._header: list[str] | None = None

    def _sheet_rows(self) -> Iterator[tuple[int, list[Any]]]:
        try:
            workbook = CalamineWorkbook.from_path(str(self.path))
            sheet = workbook.get_sheet_by_index(0)
        except CalamineError as exc:
            raise SourceError(self.path, f"not a readable XLSX workbook: {exc}") from exc
        try:
            # Rows come from the sheet's first row, cells from its first used column.
            before = [None] * (sheet.start[1] if sheet.start else 0)
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                yield number, before + [_cell(c) for c in cells]
        finally:
            workbook.close()

    @property
    def header(self) -> list[str]:
        if self._header is None:
            first = next(self._sheet_rows(), None)
            if first is None or not any(c not in (None, "") for c in first[1]):
                raise SourceError(self.path, "the first sheet is empty or its first row (the header) is blank")
            cells = list(first[1])
            while cells and cells[-1] in (None, ""):
                cells.pop()
            self._header = [_text(c).strip() for c in cells]
        return self._header

    def rows(self) -> Iterator[RawRow]:
        header = self.header
        width = len(header)
        rows = self._sheet_rows()
        next(rows, None)
        for number, cells in rows:
            values = list(cells)
            while values and values[-1] in (None, ""):
                values.pop()
            if not values:
                continue
            if len(values) > width:
                fault = (Reason.ROW_COLUMN_COUNT, f"{len(values)} cells where the header has {width}")
                yield RawRow(number, {}, values, fault, render=_original)
                continue
            cells = values + [None] * (width - len(values))
            yield RawRow(number, dict(zip(header, cells, strict=True)), values, render=_original)
