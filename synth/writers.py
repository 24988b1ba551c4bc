"""Streaming writers for the source files, with row accounting.

`SourceWriter` is the one place rows reach the disk: it writes the header,
numbers the rows the way the ground truth counts them (CSV and XLSX: header
is row 1; JSON lines: first line is row 1), keeps the rows a planted scenario
cites (`Tracker`), and, with `--dirty`, lets `FileDirt` rewrite or insert rows
anywhere else.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from synth.dirty import FileDirt, Recovered, Reject
from synth.sources import SourceFile
from synth.xlsx import XlsxWriter

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_NEEDS_ESCAPING = re.compile(r'["\\\x00-\x1f]')


def json_line(values: dict) -> str:
    """Compact JSON. Most records hold only plain strings: those are joined
    directly, which is several times faster than the encoder and gives the
    same text."""
    texts = list(values.values())
    if all(type(v) is str for v in texts) and not _NEEDS_ESCAPING.search("".join(texts)):
        return "{" + ",".join(f'"{k}":"{v}"' for k, v in values.items()) + "}"
    return _JSON(values)


@dataclass
class TrackedRow:
    file: str
    row: int
    values: dict


class Tracker:
    """Remembers every row that carries a watched key (an ID number, plate,
    phone or address of a planted scenario), so the ground truth can cite
    exactly those rows after the files are written."""

    def __init__(self) -> None:
        self.watch: set[str] = set()
        self.rows: dict[str, list[TrackedRow]] = {}

    def record(self, file: str, row: int, values: dict) -> None:
        self.rows.setdefault(file, []).append(TrackedRow(file, row, values))


@dataclass
class FileReport:
    spec: SourceFile
    rows: int = 0
    rejects: list[Reject] = field(default_factory=list)
    recovered: list[Recovered] = field(default_factory=list)
    bytes: int = 0


class SourceWriter:
    def __init__(
        self, out_dir: Path, spec: SourceFile, tracker: Tracker, dirt: FileDirt | None = None, plain_json: bool = False
    ):
        """`plain_json`: the records' values are plain strings that never need
        escaping (passages), so JSON lines are joined without checking."""
        self.spec = spec
        self.path = out_dir / spec.name
        self.tracker = tracker
        self.dirt = dirt
        self.report = FileReport(spec)
        self._header = spec.header
        self._watch = tracker.watch
        self._physical = 0  # rows written so far, header included for CSV and XLSX
        self._first = 1
        if spec.format == "csv":
            # open for the writer's life, closed in close()
            self._file = open(self.path, "w", encoding=spec.encoding, newline="")  # noqa: SIM115
            self._csv = csv.writer(self._file, lineterminator=spec.line_end)
            self._csv.writerow(self._header)
            self._put = self._csv.writerow
        elif spec.format == "xlsx":
            self._xlsx = XlsxWriter(self.path, spec.sheet)
            self._xlsx.append(self._header)
            self._put = self._xlsx.append
        else:
            self._file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._put = self._put_plain if plain_json else self._put_json
            self._first = 0
        self._physical = self._first

    def _put_json(self, values) -> None:
        self._file.write((values if isinstance(values, str) else json_line(values)) + "\n")

    def _put_plain(self, values) -> None:
        if isinstance(values, str):  # a deliberately broken line
            self._file.write(values + "\n")
        else:
            self._file.write("{" + ",".join(f'"{k}":"{v}"' for k, v in values.items()) + "}\n")

    def _emit(self, values) -> int:
        self._put(values)
        self._physical += 1
        return self._physical

    def write(self, values, keys=()) -> int:
        """Write one record (a list in header order, or a dict for JSON lines);
        `keys` are its canonical ID numbers, plates, phones and addresses."""
        if not self._watch.isdisjoint(keys):  # a row a planted scenario cites: kept, never dirtied
            row = self._emit(values)
            record = values if isinstance(values, dict) else dict(zip(self._header, values, strict=True))
            self.tracker.record(self.spec.name, row, record)
            return row
        dirt = self.dirt
        if dirt is None:
            self._put(values)
            self._physical += 1
            return self._physical
        clean = values
        dirt.until_recover -= 1
        recovered = None
        if dirt.until_recover <= 0:
            values, recovered = dirt.recover(values)
        row = self._emit(values)
        if recovered is not None:
            recovered.row = row
            self.report.recovered.append(recovered)
        dirt.until_reject -= 1
        dirt.last_template = (values, clean)
        if dirt.until_reject <= 0:
            for bad, column, value, reason in dirt.reject(values, clean):
                self.report.rejects.append(Reject(self._emit(bad), column, _text(value), str(reason)))
        return row

    def close(self) -> FileReport:
        if self.dirt is not None:
            for bad, column, value, reason in self.dirt.remaining():
                self.report.rejects.append(Reject(self._emit(bad), column, _text(value), str(reason)))
        if self.spec.format == "xlsx":
            self._xlsx.close()
        else:
            self._file.close()
        self.report.rows = self._physical - self._first
        self.report.bytes = self.path.stat().st_size
        return self.report


def _text(value) -> str | None:
    return None if value is None else str(value)
