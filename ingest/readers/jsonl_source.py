from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ingest.readers.base import RawRow, SourceError
from ingest.readers.encoding import detect_encoding
from ingest.reject_reasons import Reason


class JsonlSource:
    format = "jsonl"

    def __init__(self, path: Path):
        self.path = path
        self.encoding = detect_encoding(path)
        self._header: list[str] | None = None

    @property
    def header(self) -> list[str]:
        """The keys of the first object; later lines may leave keys out."""
        if self._header is None:
            for row in self.rows():
                if row.fault is None:
                    self._header = list(row.values)
                    break
            else:
                raise SourceError(self.path, "no JSON object found in the file")
        return self._header

    def rows(self) -> Iterator[RawRow]:
        with self.path.open(encoding=self.encoding) as f:
            for number, line in enumerate(f, start=1):
                text = line.rstrip("\r\n")
                if not text.strip():
                    continue
                yield parse_line(number, text)


def parse_line(number: int, text: str) -> RawRow:
    """One non-blank line as a row, or as a row with a fault saying why it is none."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawRow(number, {}, text, (Reason.ROW_MALFORMED, f"not valid JSON: {exc.msg} at column {exc.colno}"))
    if not isinstance(value, dict):
        return RawRow(number, {}, text, (Reason.ROW_MALFORMED, f"a JSON {type(value).__name__}, not an object"))
    return RawRow(number, {str(k).strip(): v for k, v in value.items()}, text)
