"""Read a CSV or JSON-lines passage file as Arrow record batches of text, every column as
written, each row numbered as the row-by-row readers number it (CSV: header = 1; JSON
lines: the line).

Arrow numbers the rows it cannot parse by their line; the rows it reads are numbered
here by counting, which holds only when every record is one line. So a CSV file whose
lines and records do not agree (blank lines, a quoted newline) is read row by row by the
caller instead. JSON lines are read as lines, so their numbers always hold.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from ingest.reject_reasons import Reason

# Arrow's reader reads up to 32 blocks ahead of the rows taken: small blocks bound that.
BLOCK_BYTES = 2 << 20


@dataclass
class Faults:
    """Rows Arrow could not split into the header's columns: (line, reason, message, text)."""

    rows: list[tuple[int, Reason, str, str]] = field(default_factory=list)


def csv_batches(path: Path, encoding: str, header: list[str], faults: Faults) -> Iterator[pa.RecordBatch]:
    names = [f"c{i}" for i in range(len(header))]
    width = len(header)

    def refuse(row) -> str:
        faults.rows.append(
            (row.number, Reason.ROW_COLUMN_COUNT, f"{row.actual_columns} fields where the header has {width}", row.text)
        )
        return "skip"

    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(
            use_threads=False,  # Arrow gives the lines of refused rows only when reading in order
            skip_rows=1,
            column_names=names,
            block_size=BLOCK_BYTES,
            encoding=_arrow_encoding(encoding),
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter="\t" if path.suffix.lower() == ".tsv" else ",",
            newlines_in_values=True,
            ignore_empty_lines=True,
            invalid_row_handler=refuse,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    yield from reader


def jsonl_lines(path: Path, encoding: str, odd: Faults) -> Iterator[pa.RecordBatch]:
    """Each line as one text column `line`; DuckDB takes the objects apart. A line Arrow
    will not take as one field goes to `odd` (line, -, -, text) for the row reader."""

    def refuse(row) -> str:
        odd.rows.append((row.number, Reason.ROW_MALFORMED, "", row.text))
        return "skip"

    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(
            use_threads=False, column_names=["line"], block_size=BLOCK_BYTES, encoding=_arrow_encoding(encoding)
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter="\x1f",  # the unit separator: never in a JSON text (it would be escaped there)
            quote_char=False,
            double_quote=False,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
            invalid_row_handler=refuse,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={"line": pa.string()}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    yield from reader


def _arrow_encoding(encoding: str) -> str:
    return "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding


def original_csv(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


def count_lines(path: Path) -> tuple[int, str]:
    """(records the file would hold if each were one line, sha256), in one pass."""
    digest = hashlib.sha256()
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        while chunk := f.read(BLOCK_BYTES):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return lines, digest.hexdigest()


class Numbering:
    """Row numbers of the rows Arrow reads, as the row readers number them: `first`,
    `first` + 1, … leaving out the lines it refused (which keep their own numbers).

    Arrow reports a refused line while parsing its block, before the block's rows arrive
    (and may report later blocks' lines early), so the refused lines known when a block
    arrives are all those before its rows. `held` checks that this was so at the end."""

    def __init__(self, first: int, faults: Faults):
        self.first, self.faults = first, faults
        self._used: list[tuple[int, int, int, int]] = []  # (lines known, the last known, last k, moved at it)

    def numbers(self, start: int, count: int, *, keep: bool = True) -> np.ndarray:
        lines = sorted(line for line, *_ in self.faults.rows)
        # The j-th refused line (0-based) moves every row on by one from the row whose place k
        # reaches line - j - first.
        at = np.asarray(lines, dtype=np.int64) - np.arange(len(lines), dtype=np.int64) - self.first
        ks = np.arange(start, start + count, dtype=np.int64)
        moved = np.searchsorted(at, ks, side="right")
        if keep and count:
            self._used.append((len(lines), lines[-1] if lines else 0, start + count - 1, int(moved[-1])))
        return ks + self.first + moved

    def held(self) -> bool:
        lines = sorted(line for line, *_ in self.faults.rows)
        at = np.asarray(lines, dtype=np.int64) - np.arange(len(lines), dtype=np.int64) - self.first
        for known, last, k, moved in self._used:
            if known and lines[known - 1] != last:
                return False
            if int(np.searchsorted(at, k, side="right")) != moved:
                return False
        return True
