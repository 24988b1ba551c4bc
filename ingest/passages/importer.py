"""One passage file into the event store, with the graph importer's accounting: every row
read is stored or rejected (file, row, column, value, reason, the row as read), a file
already stored is skipped, and a killed import leaves no partition half-written.

The file's rows are staged in an in-memory DuckDB that spills to the file's staging
folder past its memory limit, so a file larger than memory is checked and partitioned in
bounded memory. Where the file cannot be numbered from its blocks (see `blocks`), its rows are
read and mapped one by one, as `goldenbell ingest` reads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

import duckdb

from events.store import EventStore, Receipt
from graph.model import Schema
from ingest.duplicates import DuplicateFinder, fingerprint
from ingest.mapping import Reject, RowMapper
from ingest.passages import blocks, checks, staging
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
    csv = source.format == "csv"
    with store.staging(report.sha256) as folder:
        con = staging.open_db(folder, memory_limit)
        try:
            found = _read_in_blocks(con, path, source, lines, report)
            if found is not None:
                _judge(con, mapper, source, cols, report, found)
                staging.reject_duplicates(con, len(source.header), found, csv=csv)
            else:
                report.read_row_by_row = True
                found = _read_row_by_row(con, source, mapper, cols, report)
            staging.reject_unknown_places(
                con,
                known_places.get(place_label, set()),
                cols,
                place_label,
                found,
                csv=csv and not report.read_row_by_row,
            )
            written = staging.write_partitions(con, store, folder, kind, run_id, report.sha256)
        finally:
            con.close()
        report.rows_loaded, report.rows_stored = written.loaded, written.stored
        _write_rejects(path, source, found, rejects, report)
        report.partitions = store.publish(folder, report.sha256)
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


def _read_in_blocks(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source, lines: int, report: PassageFileReport
) -> staging.Found | None:
    """The file's rows into `raw` through Arrow; None when its lines and records disagree."""
    found = staging.Found()
    staging.create_raw(con, len(source.header))
    if source.format == "csv":
        faults = blocks.Faults()
        count = 0
        for batch in blocks.csv_batches(path, source.encoding, source.header, faults):
            staging.append_raw(con, batch, count)
            count += batch.num_rows
        if count + len(faults.rows) + 1 != lines:
            return None
        staging.number_rows(con, [line for line, *_ in faults.rows], first=2)
        for line, reason, message, text in faults.rows:
            found.reject(Reject(line, "", "", reason, message, text))
        report.rows_read = count + len(faults.rows)
        return found
    odd = blocks.Faults()
    staging.create_lines(con)
    count = 0
    for batch in blocks.jsonl_lines(path, source.encoding, odd):
        staging.append_raw(con, batch, count, table="lines")
        count += batch.num_rows
    if count + len(odd.rows) != lines:
        return None
    staging.number_rows(con, [line for line, *_ in odd.rows], first=1, table="lines")
    staging.lines_to_raw(con, source.header, [(line, text) for line, _, _, text in odd.rows])
    report.rows_read = con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
    return found


def _judge(
    con: duckdb.DuckDBPyConnection,
    mapper: RowMapper,
    source: Source,
    cols: checks.PassageColumns,
    report: PassageFileReport,
    found: staging.Found,
) -> None:
    """The SQL's verdict, then the row mapper on the rows it did not vouch for."""
    csv = source.format == "csv"
    con.execute(f"CREATE TABLE fast AS {checks.fast_select(cols, json=not csv)}")
    staging.create_mapped(con)
    width = len(source.header)
    # a cursor of its own: the accepted rows are inserted while these are still being read
    reading = con.cursor()
    unsure = reading.sql("SELECT * FROM raw ANTI JOIN fast USING (k) ORDER BY k").to_arrow_reader(SLOW_BATCH)

    def rows() -> Iterator[tuple[int, RawRow]]:
        for batch in unsure:
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
            staging.append_mapped(con, pending)
            pending = []
    staging.append_mapped(con, pending)
    reading.close()
    staging.accept(con, with_fast=True)


def _read_row_by_row(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    mapper: RowMapper,
    cols: checks.PassageColumns,
    report: PassageFileReport,
) -> staging.Found:
    """Every row through the row reader and mapper, as `goldenbell ingest` reads it."""
    found = staging.Found()
    con.execute("DROP TABLE IF EXISTS raw")
    staging.create_mapped(con)
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
                staging.append_mapped(con, pending)
                pending = []
    finally:
        duplicates.close()
    staging.append_mapped(con, pending)
    staging.accept(con, with_fast=False)
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
