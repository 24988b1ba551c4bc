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
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as exc:
                    yield RawRow(
                        number, {}, text, (Reason.ROW_MALFORMED, f"not valid JSON: {exc.msg} at column {exc.colno}")
                    )
                    continue
                if not isinstance(value, dict):
                    yield RawRow(
                        number, {}, text, (Reason.ROW_MALFORMED, f"a JSON {type(value).__name__}, not an object")
                    )
                    continue
                yield RawRow(number, {str(k).strip(): v for k, v in value.items()}, text)
