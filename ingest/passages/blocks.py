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

import pyarrow as pa
import pyarrow.csv as pa_csv

from ingest.reject_reasons import Reason

BLOCK_BYTES = 8 << 20


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
