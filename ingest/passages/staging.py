"""The staging database of one passage file: its rows as read (`raw`), the rows the SQL
vouched for (`fast`) and those the row mapper accepted (`mapped`), the row-level rejects,
and the partitioned Parquet written from them (the source file's hash is its provenance).

`raw` holds every column as text (c0, c1, …) with the row's place `k` and its number;
`mapped` holds the stored values of accepted rows. Rejects that need the row as read
but were found where only values are at hand keep an empty `original`, filled in by the
importer from one more pass over the file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from events.store import EventStore
from ingest.mapping import Reject
from ingest.passages.blocks import original_csv
from ingest.passages.checks import Mapped, PassageColumns
from ingest.reject_reasons import Reason

_MAPPED = (
    "k BIGINT, number INTEGER, passage_id VARCHAR, plate VARCHAR, place_id VARCHAR, time TIMESTAMPTZ, "
    "direction VARCHAR, lane INTEGER, driver_id VARCHAR, plate_colour VARCHAR"
)
_MAPPED_SCHEMA = pa.schema(
    [
        ("k", pa.int64()),
        ("number", pa.int32()),
        ("passage_id", pa.string()),
        ("plate", pa.string()),
        ("place_id", pa.string()),
        ("time", pa.timestamp("us", tz="UTC")),
        ("direction", pa.string()),
        ("lane", pa.int32()),
        ("driver_id", pa.string()),
        ("plate_colour", pa.string()),
    ]
)


@dataclass
class Found:
    """The file's rejects, in the order found."""

    rejects: list[Reject] = field(default_factory=list)

    def reject(self, reject: Reject) -> None:
        self.rejects.append(reject)

    def without_original(self) -> set[int]:
        return {r.number for r in self.rejects if not r.original}

    def with_originals(self, originals: dict[int, str]) -> list[Reject]:
        filled = [
            r if r.original else dataclasses.replace(r, original=originals.get(r.number, "")) for r in self.rejects
        ]
        return sorted(filled, key=lambda r: r.number)


@dataclass(frozen=True)
class Written:
    loaded: int  # accepted rows: stored now, or already in the store under their passage ID
    stored: int


def open_db(folder: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    # In memory, spilling to the staging folder past the limit: a database file would write
    # every table of the file twice (its log and its checkpoint) for nothing.
    return duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": str(folder / "spill")})


def create_raw(con: duckdb.DuckDBPyConnection, width: int) -> None:
    columns = ", ".join(f"c{i} VARCHAR" for i in range(width))
    con.execute(f"CREATE OR REPLACE TABLE raw (k BIGINT, {columns}, number INTEGER)")


def create_lines(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE OR REPLACE TABLE lines (k BIGINT, line VARCHAR, number INTEGER)")


def append_raw(con: duckdb.DuckDBPyConnection, data: pa.RecordBatch, offset: int, *, table: str = "raw") -> None:
    with_k = pa.Table.from_batches([data])
    with_k = with_k.add_column(0, "k", pa.array(range(offset, offset + with_k.num_rows), pa.int64()))
    con.register("arrived", with_k)
    con.execute(f"INSERT INTO {table} SELECT *, NULL FROM arrived")
    con.unregister("arrived")


def lines_to_raw(con: duckdb.DuckDBPyConnection, header: list[str], odd: list[tuple[int, str]]) -> None:
    """JSON lines taken apart into `raw`: c0, c1, … the header's keys as text, `line` as read,
    and `plain` where the line is an object of exactly the header's keys, in its order, with
    text values: the values the row reader would see, so the SQL may judge them."""
    shape = json.dumps(dict.fromkeys(header, "VARCHAR"), ensure_ascii=False, separators=(",", ":"))
    names = ", ".join(f"c{i}" for i in range(len(header)))
    # Two steps: JSON functions raise on a malformed line even in a branch not taken, so
    # the lines are sorted out before any is taken apart.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE checked AS
        SELECT k, line, number, json_valid(line) AND regexp_matches(line, '^[ \\t\\r\\n]*[{]') AS valid FROM lines
        WHERE NOT regexp_full_match(line, '\\s*')
        """
    )
    nulls = ", ".join(f"NULL AS c{i}" for i in range(len(header)))
    con.execute(
        f"""
        CREATE OR REPLACE TABLE raw AS
        SELECT k, {names}, number, line, plain FROM (
            SELECT k, number, line, CAST(json_structure(line) AS VARCHAR) = $shape AS plain,
                   unnest(from_json(line, $shape))
            FROM checked WHERE valid
        ) AS taken(k, number, line, plain, {names})
        UNION ALL
        SELECT k, {nulls}, number, line, false AS plain FROM checked WHERE NOT valid
        """,
        {"shape": shape},
    )
    con.execute("DROP TABLE checked")
    con.execute("DROP TABLE lines")
    if odd:
        nulls = ", ".join("NULL" for _ in header)
        con.executemany(
            f"INSERT INTO raw VALUES (-?, {nulls}, ?, ?, false)", [(number, number, text) for number, text in odd]
        )


def number_rows(con: duckdb.DuckDBPyConnection, skipped: list[int], *, first: int, table: str = "raw") -> None:
    """Number the rows read: `first`, `first`+1, … leaving out the lines in `skipped`
    (rows the reader refused, which keep their own lines)."""
    if not skipped:
        con.execute(f"UPDATE {table} SET number = k + $first", {"first": first})
        return
    # The j-th refused line (1-based) moves every later row on by one: from the row whose
    # place k reaches line - (j - 1) - first.
    con.execute("CREATE TEMP TABLE skips (line INTEGER)")
    con.executemany("INSERT INTO skips VALUES (?)", [(line,) for line in sorted(skipped)])
    con.execute(
        """
        CREATE TEMP TABLE moves AS
        SELECT line - (row_number() OVER (ORDER BY line) - 1) - $first AS at, row_number() OVER (ORDER BY line) AS moved
        FROM skips
        """,
        {"first": first},
    )
    con.execute(
        f"""
        UPDATE {table} SET number = {table}.k + $first + coalesce(m.moved, 0)
        FROM (SELECT r.k, m.moved FROM {table} r ASOF LEFT JOIN moves m ON r.k >= m.at) AS m
        WHERE m.k = {table}.k
        """,
        {"first": first},
    )
    con.execute("DROP TABLE skips")
    con.execute("DROP TABLE moves")


def create_mapped(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE OR REPLACE TABLE mapped ({_MAPPED})")


def append_mapped(con: duckdb.DuckDBPyConnection, rows: list[Mapped]) -> None:
    if not rows:
        return
    table = pa.Table.from_pylist([dataclasses.asdict(r) for r in rows], schema=_MAPPED_SCHEMA)
    con.register("arrived", table)
    con.execute("INSERT INTO mapped SELECT * FROM arrived")
    con.unregister("arrived")


def accept(con: duckdb.DuckDBPyConnection, *, with_fast: bool) -> None:
    """`ok`: the rows the SQL vouched for and those the row mapper accepted, less the rows
    rejected later (`gone`). A view, not a copy: the rows are read once more, when written."""
    fast = "SELECT * FROM fast UNION ALL " if with_fast else ""
    con.execute("CREATE OR REPLACE TABLE gone (k BIGINT)")
    con.execute(f"CREATE OR REPLACE VIEW ok AS SELECT * FROM ({fast}SELECT * FROM mapped) ANTI JOIN gone USING (k)")


def _drop(con: duckdb.DuckDBPyConnection, ks: list[int]) -> None:
    if ks:
        con.execute("INSERT INTO gone SELECT unnest($ks)", {"ks": ks})


def reject_duplicates(con: duckdb.DuckDBPyConnection, width: int, found: Found, *, csv: bool) -> None:
    """Accepted rows identical to an earlier accepted row of the file (every column as read)."""
    columns = ", ".join(f"r.c{i}" for i in range(width))
    as_read = columns if csv else "r.line"
    # One 64-bit hash per row finds the few candidates; only they are compared in full.
    rows = con.execute(
        f"""
        WITH hashed AS (SELECT r.k, hash({columns}) AS h FROM raw r SEMI JOIN ok USING (k)),
        repeated AS (SELECT h FROM hashed GROUP BY h HAVING count(*) > 1),
        seen AS (
            SELECT r.k, r.number, min(r.number) OVER (PARTITION BY {columns}) AS first, {as_read}
            FROM raw r SEMI JOIN (SELECT k FROM hashed SEMI JOIN repeated USING (h)) USING (k)
        )
        SELECT * FROM seen WHERE number > first ORDER BY number
        """
    ).fetchall()
    for _k, number, first, *fields in rows:
        original = _csv_or_none(fields) if csv else fields[0]
        found.reject(Reject(number, "", "", Reason.ROW_DUPLICATE, f"identical to row {first}", original))
    _drop(con, [r[0] for r in rows])


def reject_unknown_places(
    con: duckdb.DuckDBPyConnection, known: Iterable[str], cols: PassageColumns, label: str, found: Found, *, csv: bool
) -> None:
    """Rows at a place the graph does not hold: the graph importer's `reference.missing`."""
    con.execute("CREATE OR REPLACE TEMP TABLE known (place_id VARCHAR PRIMARY KEY)")
    known = sorted(set(known))
    if known:
        con.register("known_arrow", pa.table({"place_id": pa.array(known, pa.string())}))
        con.execute("INSERT INTO known SELECT place_id FROM known_arrow")
        con.unregister("known_arrow")
    key = "checkpoint_id" if label == "Checkpoint" else "gate_id"
    has_raw = bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'raw'").fetchall()[0][0])
    as_read = "NULL" if not has_raw else "r.* EXCLUDE (k, number)" if csv else "r.line"
    join = "LEFT JOIN raw r USING (k)" if has_raw else ""
    rows = con.execute(
        f"""
        SELECT ok.k, ok.number, ok.place_id, {as_read} FROM ok {join}
        WHERE ok.place_id NOT IN (SELECT place_id FROM known) ORDER BY ok.number
        """
    ).fetchall()
    for _k, number, place, *values in rows:
        original = "" if not has_raw else _csv_or_none(values) if csv else values[0]
        message = f"no {label} with {key} {place!r} exists"
        found.reject(Reject(number, cols.place_header, place, Reason.REFERENCE_MISSING, message, original))
    _drop(con, [r[0] for r in rows])


def write_partitions(
    con: duckdb.DuckDBPyConnection,
    store: EventStore,
    folder: Path,
    kind: str,
    run_id: str,
    sha256: str,
) -> Written:
    """The accepted rows, one Parquet file per day, into `folder`. A passage ID already in
    the store (from another file) or earlier in this file is loaded but not stored twice."""
    loaded, distinct, days = con.execute(
        "SELECT count(*), count(DISTINCT passage_id), list(DISTINCT CAST(time + INTERVAL 8 HOUR AS DATE)) FROM ok"
    ).fetchall()[0]
    others = [str(f) for f in store.partition_files(days={str(d) for d in days or ()}, source=kind) if f.stem != sha256]
    stored_before = "AND passage_id NOT IN (SELECT passage_id FROM read_parquet($others))" if others else ""
    first_of_id = "QUALIFY row_number() OVER (PARTITION BY passage_id ORDER BY number) = 1" if distinct < loaded else ""
    keep = f"""
        SELECT * EXCLUDE (k, number), $run AS run_id, $file AS source_file, number AS source_row,
               CAST(time + INTERVAL 8 HOUR AS DATE) AS day, $kind AS source
        FROM ok
        WHERE true {stored_before}
        {first_of_id}
    """
    params = {"run": run_id, "file": sha256, "kind": kind, **({"others": others} if others else {})}
    stored = loaded
    if others or distinct < loaded:
        stored = con.execute(f"SELECT count(*) FROM ({keep})", params).fetchall()[0][0]
    if stored:
        con.sql(f"{keep} ORDER BY day, time, passage_id", params=params).write_parquet(
            str(folder),
            compression="zstd",
            partition_by=["day", "source"],
            filename_pattern="part",
            overwrite=True,
        )
    return Written(loaded, stored)


def _csv_or_none(fields: list) -> str:
    return original_csv(["" if v is None else v for v in fields])
