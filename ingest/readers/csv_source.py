from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ingest.readers.base import RawRow, SourceError
from ingest.readers.encoding import detect_encoding
from ingest.reject_reasons import Reason


def _original(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


class CsvSource:
    format = "csv"

    def __init__(self, path: Path):
        self.path = path
        self.encoding = detect_encoding(path)
        self.delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        self._header: list[str] | None = None

    def _reader(self, f: io.TextIOBase) -> Iterator[list[str]]:
        return csv.reader(f, delimiter=self.delimiter)

    @property
    def header(self) -> list[str]:
        if self._header is None:
            with self.path.open(encoding=self.encoding, newline="") as f:
                first = next(self._reader(f), None)
            if not first or not any(cell.strip() for cell in first):
                raise SourceError(self.path, "the file is empty or its first row (the header) is blank")
            self._header = [cell.strip() for cell in first]
        return self._header

    def rows(self) -> Iterator[RawRow]:
        header = self.header
        width = len(header)
        with self.path.open(encoding=self.encoding, newline="") as f:
            reader = self._reader(f)
            next(reader, None)
            for number, fields in enumerate(reader, start=2):
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line is not a record
                if len(fields) != width:
                    yield RawRow(
                        number=number,
                        values={},
                        read=fields,
                        fault=(Reason.ROW_COLUMN_COUNT, f"{len(fields)} fields where the header has {width}"),
                        render=_original,
                    )
                    continue
                yield RawRow(number, dict(zip(header, fields, strict=True)), fields, render=_original)
