"""One passage file into the event store, with the graph importer's accounting: every row
read is stored or rejected (file, row, column, value, reason, the row as read), a file
already stored is skipped, and a killed import leaves no partition half-written.

The file is judged a group of Arrow blocks at a time as it is read (see `staging`): what
is accepted goes to its day's file at once, and only a key of each row stays, in an
in-memory DuckDB that spills to the file's staging folder past its memory limit, so a
file larger than memory is checked and partitioned in bounded memory. Where the file
cannot be numbered from its blocks (see `blocks`), its rows are read and mapped one by
one, as `goldenbell ingest` reads them.
"""

from __future__ import annotations

import json
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from events.store import EventStore, Receipt
from graph.model import Schema
from ingest.duplicates import DuplicateFinder, fingerprint
from ingest.mapping import Reject, RowMapper
from ingest.passages import blocks, checks, staging
from ingest.passages.day_files import DayFiles
from ingest.readers import Source
from ingest.readers.base import RawRow
from ingest.readers.jsonl_source import parse_line
from ingest.reject_reasons import Reason
from ingest.rejects import RejectWriter
from ingest.spec import MappingSpec, SpecError
from ingest.spec_headers import resolve_headers

# spec → (partition source, place label, the spec column holding the place)
PASSAGE_SPECS = {
    "checkpoint_passages": ("checkpoint", "Checkpoint", "checkpoint_id"),
    "gate_passages": ("gate", "Gate", "gate_id"),
}
SLOW_BATCH = 20_000
GROUP_ROWS = 1 << 17


@dataclass
class PassageFileReport:
    path: Path
    spec: str
    sha256: str = ""
    rows_read: int = 0
    rows_loaded: int = 0  # stored now, or already stored under the same passage ID
    rows_rejected: int = 0
    rows_stored: int = 0
    reasons: Counter = field(default_factory=Counter)
    checked_by_rows: int = 0  # rows the row mapper judged (the SQL did not vouch for them)
    read_row_by_row: bool = False
    skipped: str | None = None
    partitions: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "spec": self.spec,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rows_stored": self.rows_stored,
            "rejects_by_reason": dict(sorted(self.reasons.items())),
            "checked_by_rows": self.checked_by_rows,
            "read_row_by_row": self.read_row_by_row,
            "skipped": self.skipped,
            "partitions": len(self.partitions),
            "seconds": round(self.seconds, 3),
        }


def is_passage_spec(spec: MappingSpec) -> bool:
    return spec.name in PASSAGE_SPECS


def import_passage_file(
    path: Path,
    source: Source,
    spec: MappingSpec,
    *,
    schema: Schema,
    store: EventStore,
    known_places: Mapping[str, set[str]],
    rejects: RejectWriter,
    run_id: str,
    memory_limit: str = "512MB",
) -> PassageFileReport:
    """`known_places`: place label → the IDs of the graph's places of that label."""
    if not is_passage_spec(spec):
        raise SpecError(
            spec.path, 0, f"{path.name}: spec {spec.name} is not a passage spec ({', '.join(PASSAGE_SPECS)})"
        )
    started = monotonic()
    kind, place_label, place_column = PASSAGE_SPECS[spec.name]
    report = PassageFileReport(path, spec.name)
    lines, report.sha256 = blocks.count_lines(path)
    done = store.receipt(report.sha256)
    if done is not None:
        report.skipped = f"already in the event store (run {done.run_id}, as {done.file})"
        report.seconds = monotonic() - started
        return report
    headers = resolve_headers(spec, source.header, path)
    cols = _columns(headers, source.header, place_column)
    mapper = RowMapper(spec, headers, schema)
    known = known_places.get(place_label, set())
    with store.staging(report.sha256) as folder:
        con = staging.open_db(folder, memory_limit)
        staged: staging.Staging | None = None
        try:

            def stage() -> staging.Staging:
                return staging.Staging(
                    con,
                    cols,
                    len(source.header),
                    json=source.format == "jsonl",
                    known=known,
                    days=DayFiles(folder, kind, run_id=run_id, sha256=report.sha256),
                )

            staged = stage()
            reading = _Blocks(con, path, source)
            found = reading.judge_all(staged, lines, report)
            if found is not None:
                _map_unsure(staged, mapper, source, cols, report, found)
                reread = reading.reread
            else:
                staged.days.discard()
                staged = stage()
                report.read_row_by_row = True
                found = _read_row_by_row(staged, source, mapper, cols, report)
                reread = None
            others = [
                str(f)
                for f in store.partition_files(days={d.isoformat() for d in staged.days.days()}, source=kind)
                if f.stem != report.sha256
            ]
            written = staged.settle(found, label=place_label, reread=reread, stored_elsewhere=others)
        finally:
            if staged is not None:
                staged.days.abandon()
            con.close()
        report.rows_loaded, report.rows_stored = written.loaded, written.stored
        _write_rejects(path, source, found, rejects, report)
        report.partitions = store.publish(staged.days.partitions(), report.sha256)
    store.write_receipt(
        Receipt(
            report.sha256,
            path.name,
            run_id,
            report.rows_read,
            report.rows_loaded,
            report.rows_rejected,
            report.partitions,
        )
    )
    report.seconds = monotonic() - started
    return report


def _columns(headers: Mapping[str, str], header: list[str], place_column: str) -> checks.PassageColumns:
    def col(name: str) -> str | None:
        written = headers.get(name)
        return f"c{header.index(written)}" if written is not None else None

    return checks.PassageColumns(
        passage_id=col("passage_id"),
        plate=col("plate"),
        place_id=col(place_column),
        time=col("time"),
        direction=col("direction"),
        lane=col("lane"),
        driver_id=col("driver_id"),
        plate_colour=col("plate_colour"),
        place_header=headers[place_column],
    )


class _Blocks:
    """The file read in Arrow blocks, each row numbered as the row readers number it; JSON
    lines taken apart by DuckDB."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, source: Source):
        self.con, self.path, self.source = con, path, source
        self.json = source.format == "jsonl"
        self.faults = blocks.Faults()
        self.numbering = blocks.Numbering(1 if self.json else 2, self.faults)
        self._blank = 0  # blank JSON lines: not rows
        self._shape = json.dumps(dict.fromkeys(source.header, "VARCHAR"), ensure_ascii=False, separators=(",", ":"))
        self._plain = plain_object_pattern(source.header) if self.json else None

    def judge_all(self, staged: staging.Staging, lines: int, report: PassageFileReport) -> staging.Found | None:
        """Every block judged into `staged`; None when the file's lines and records disagree."""
        records = 0
        for raw, doubted in self._tables(self.faults, self.numbering, None):
            staged.judge(raw)
            records += raw.num_rows
            if doubted is not None:
                staged.keep_unsure(doubted)
                records += doubted.num_rows
        header = 0 if self.json else 1
        if records + self._blank + len(self.faults.rows) + header != lines or not self.numbering.held():
            return None
        found = staging.Found()
        if self.json:
            # Lines Arrow would not take as one field: the row mapper reads them from their text.
            width = len(self.source.header)
            staged.keep_unsure(
                self._unsure_table(
                    [(-line, line, *(None,) * width, text, False, False) for line, *_, text in self.faults.rows]
                )
            )
        else:
            for line, reason, message, text in self.faults.rows:
                found.reject(Reject(line, "", "", reason, message, text))
        report.rows_read = records + len(self.faults.rows)
        return found

    def _unsure_table(self, rows: list[tuple]) -> pa.Table:
        schema = self._raw_schema(True)
        return pa.Table.from_pylist([dict(zip(schema.names, r, strict=True)) for r in rows], schema=schema)

    def _raw_schema(self, json_lines: bool) -> pa.Schema:
        fields = [("k", pa.int64()), ("number", pa.int32())]
        fields += [(f"c{i}", pa.string()) for i in range(len(self.source.header))]
        if json_lines:
            fields += [("line", pa.string()), ("valid", pa.bool_()), ("plain", pa.bool_())]
        return pa.schema(fields)

    def reread(self, numbers: list[int]) -> pa.Table:
        """The rows of these numbers as read (a JSON line Arrow refused is in `unsure`)."""
        found = [
            self.con.sql(
                "SELECT * EXCLUDE (k) FROM unsure WHERE number IN (SELECT unnest($n))", params={"n": numbers}
            ).to_arrow_table()
        ]
        missing = set(numbers) - set(found[0].column("number").to_pylist())
        if missing:
            # Numbered by the refused lines found on the first reading, which are all of them.
            again = blocks.Numbering(self.numbering.first, self.faults)
            wanted = pa.array(sorted(missing), pa.int32())
            for raw, doubted in self._tables(blocks.Faults(), again, wanted, keep=False):
                found.append(raw.drop_columns(["k"]))
                if doubted is not None:
                    found.append(doubted.drop_columns(["k"]))
        schema = self._raw_schema(self.json).remove(0)
        return pa.concat_tables([t.select(schema.names).cast(schema) for t in found])

    def _tables(
        self,
        faults: blocks.Faults,
        numbering: blocks.Numbering,
        only: pa.Array | None,
        *,
        keep: bool = True,
    ) -> Iterator[tuple[pa.Table, pa.Table | None]]:
        """Per block: its records taken apart (k, number, c0, …; JSON lines also line, valid,
        plain) and, for JSON lines, the lines that are not JSON objects (c0, … null), for the
        row mapper. `only`: just the rows of these numbers. `keep`: the numbering keeps what
        it used, for `held`."""
        self._blank = 0
        offset = 0
        read = (
            blocks.jsonl_lines(self.path, self.source.encoding, faults)
            if self.json
            else blocks.csv_batches(self.path, self.source.encoding, self.source.header, faults)
        )
        for group in _grouped(read, GROUP_ROWS):
            table = pa.Table.from_batches(group)
            numbers = numbering.numbers(offset, table.num_rows, keep=keep)
            table = table.add_column(0, "number", pa.chunked_array(_like(numbers, table), pa.int32()))
            ks = np.arange(offset, offset + table.num_rows, dtype=np.int64)
            table = table.add_column(0, "k", pa.chunked_array(_like(ks, table), pa.int64()))
            offset += table.num_rows
            if only is not None:
                table = table.filter(pc.is_in(table.column("number"), value_set=only))
            if not self.json:
                yield table, None
                continue
            yield self._taken_apart(table)

    def _taken_apart(self, lines: pa.Table) -> tuple[pa.Table, pa.Table]:
        """JSON lines into the header's keys as text, and the lines that are not objects."""
        names = ", ".join(f"c{i}" for i in range(len(self.source.header)))
        nulls = ", ".join(f"NULL::VARCHAR AS c{i}" for i in range(len(self.source.header)))
        # An object when valid: filtered before it is taken apart (a WHERE, not a CASE: JSON
        # functions raise on a malformed line even in a branch not taken). A line the plain
        # pattern matches is one already (most lines of a sensor's file): for it neither
        # json_valid nor json_structure, the dearest of the three parses, is run.
        valid = "json_valid(line) AND regexp_matches(line, '^[ \\t\\r\\n]*[{]')"
        fast = (
            pc.match_substring_regex(lines.column("line"), self._plain)
            if self._plain is not None
            else pa.repeat(False, lines.num_rows)
        )
        self.con.register("lines", lines.append_column("fast", fast))
        try:
            taken = self.con.sql(
                f"""
                SELECT k, number, {names}, line, true AS valid, plain FROM (
                    SELECT k, number, line,
                           CASE WHEN fast THEN true ELSE CAST(json_structure(line) AS VARCHAR) = $shape END AS plain,
                           unnest(from_json(line, $shape))
                    FROM (SELECT * FROM lines WHERE fast OR ({valid}))
                ) AS taken(k, number, line, plain, {names})
                """,
                params={"shape": self._shape},
            ).to_arrow_table()
            doubted = self.con.sql(
                f"SELECT k, number, {nulls}, line, false AS valid, false AS plain FROM lines "
                f"WHERE NOT fast AND NOT ({valid}) AND NOT regexp_full_match(line, '\\s*')"
            ).to_arrow_table()
        finally:
            self.con.unregister("lines")
        self._blank += lines.num_rows - taken.num_rows - doubted.num_rows
        return taken, doubted


def plain_object_pattern(keys: list[str]) -> str | None:
    """RE2 pattern of a line that is a JSON object of exactly these keys, in this order, each
    value a string with neither escapes nor control characters (either may make a line
    invalid, and then DuckDB's JSON functions raise). None where a key would need escaping."""
    if any(c in '"\\' or ord(c) < 0x20 for key in keys for c in key):
        return None
    space = "[ \\t\\r\\n]*"
    value = '"[^"\\\\\\x00-\\x1f]*"'
    members = f"{space},{space}".join(f'"{_literal(key)}"{space}:{space}{value}' for key in keys)
    return f"^{space}[{{]{space}{members}{space}[}}]{space}$"


def _literal(text: str) -> str:
    return "".join(f"\\{c}" if c in string.punctuation else c for c in text)


def _grouped(batches: Iterable[pa.RecordBatch], rows: int) -> Iterator[list[pa.RecordBatch]]:
    """Blocks gathered into groups of about `rows`: a group is judged at once, a block per thread."""
    group: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        group.append(batch)
        held += batch.num_rows
        if held >= rows:
            yield group
            group, held = [], 0
    if group:
        yield group


def _like(values: np.ndarray, table: pa.Table) -> list[np.ndarray]:
    """`values` cut as the table's chunks are."""
    bounds = np.cumsum([len(c) for c in table.column(0).chunks])[:-1]
    return np.split(values, bounds)


def _map_unsure(
    staged: staging.Staging,
    mapper: RowMapper,
    source: Source,
    cols: checks.PassageColumns,
    report: PassageFileReport,
    found: staging.Found,
) -> None:
    """The row mapper's verdict on the rows the SQL did not vouch for."""
    csv = source.format == "csv"
    width = len(source.header)

    def rows() -> Iterator[tuple[int, RawRow]]:
        for batch in staged.unsure_batches(SLOW_BATCH):
            data = batch.to_pydict()
            for i, k in enumerate(data["k"]):
                number = data["number"][i]
                if not csv:
                    yield k, parse_line(number, data["line"][i])
                    continue
                fields = [data[f"c{c}"][i] for c in range(width)]
                yield (
                    k,
                    RawRow(number, dict(zip(source.header, fields, strict=True)), fields, render=blocks.original_csv),
                )

    pending: list[checks.Mapped] = []
    for outcome in checks.map_slowly(mapper, rows(), _header_of(cols.plate_colour, source)):
        report.checked_by_rows += 1
        if isinstance(outcome, Reject):
            found.reject(outcome)
            continue
        pending.append(outcome)
        if len(pending) >= SLOW_BATCH:
            staged.accept_mapped(pending)
            pending = []
    staged.accept_mapped(pending)


def _read_row_by_row(
    staged: staging.Staging,
    source: Source,
    mapper: RowMapper,
    cols: checks.PassageColumns,
    report: PassageFileReport,
) -> staging.Found:
    """Every row through the row reader and mapper, as `goldenbell ingest` reads it."""
    found = staging.Found()
    duplicates = DuplicateFinder()
    colour = _header_of(cols.plate_colour, source)
    pending: list[checks.Mapped] = []
    try:
        for raw in source.rows():
            report.rows_read += 1
            report.checked_by_rows += 1
            outcome = next(checks.map_slowly(mapper, [(raw.number, raw)], colour))
            if isinstance(outcome, Reject):
                found.reject(outcome)
                continue
            first = duplicates.first_row(fingerprint(raw.values.values()), raw.number)
            if first is not None:
                found.reject(
                    Reject(raw.number, "", "", Reason.ROW_DUPLICATE, f"identical to row {first}", raw.original)
                )
                continue
            pending.append(outcome)
            if len(pending) >= SLOW_BATCH:
                staged.accept_mapped(pending, hashed=False)
                pending = []
    finally:
        duplicates.close()
    staged.accept_mapped(pending, hashed=False)
    return found


def _header_of(column: str | None, source: Source) -> str | None:
    return source.header[int(column[1:])] if column else None


def _write_rejects(
    path: Path, source: Source, found: staging.Found, rejects: RejectWriter, report: PassageFileReport
) -> None:
    wanted = found.without_original()
    originals: dict[int, str] = {}
    if wanted and source.format == "jsonl":
        # a JSON line's row number is its line: the text alone, without parsing every line again
        with path.open(encoding=source.encoding) as f:
            originals = {n: line.rstrip("\r\n") for n, line in enumerate(f, start=1) if n in wanted}
    elif wanted:
        originals = {raw.number: raw.original for raw in source.rows() if raw.number in wanted}
    for reject in found.with_originals(originals):
        rejects.write(path, reject)
        report.reasons[reject.reason.value] += 1
        report.rows_rejected += 1
