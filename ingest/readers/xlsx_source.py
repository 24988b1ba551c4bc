"""XLSX read cell by cell in openpyxl's streaming mode. Cells keep their types, so
an ID number that Excel stored as a number reaches the validator as a number and
is rejected as such instead of becoming a corrupted key."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ingest.readers.base import RawRow, SourceError
from ingest.reject_reasons import Reason


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


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

    def _sheet_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        workbook = load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
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
