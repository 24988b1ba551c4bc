"""Streaming readers for source files: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030),
XLSX and JSON lines. Each yields raw rows with their physical row numbers; memory
stays flat whatever the file size."""

from __future__ import annotations

from pathlib import Path

from ingest.readers.base import RawRow, Source, SourceError
from ingest.readers.csv_source import CsvSource
from ingest.readers.jsonl_source import JsonlSource
from ingest.readers.xlsx_source import XlsxSource

__all__ = ["RawRow", "Source", "SourceError", "open_source"]

_BY_SUFFIX = {
    ".csv": CsvSource,
    ".txt": CsvSource,
    ".tsv": CsvSource,
    ".xlsx": XlsxSource,
    ".jsonl": JsonlSource,
    ".ndjson": JsonlSource,
    ".json": JsonlSource,
}


def open_source(path: Path | str) -> Source:
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, "file not found")
    reader = _BY_SUFFIX.get(path.suffix.lower())
    if reader is None:
        raise SourceError(path, f"unsupported file type '{path.suffix}'; use .csv, .xlsx or .jsonl")
    return reader(path)
