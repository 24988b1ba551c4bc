"""The staging database of one passage file, filled a block at a time as the file is read.

Each block of rows is judged by the SQL where it arrives (an Arrow table, scanned in
place): the rows it vouches for go straight to the day files (`DayFiles`), with their key
in `keys`; the others keep their text in `unsure`, for the row mapper. What a block cannot
tell (a row identical to another, a place the graph lacks, a passage ID met before) is
settled from `keys` at the end (`settle`); only the few rows concerned are read again.

    keys    (number, h, hid, day): every accepted row: the row's number, the hash of the row
            as read (h: equal rows are compared in full), of its passage ID (hid), its day
    strays  (number, place_id): accepted rows at a place the graph lacks
    unsure  (k, number, c0, c1, …[, line, valid, plain]): rows the SQL did not vouch for
    dropped (number, day): accepted rows rejected later or not stored (their ID is stored)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ingest.mapping import Reject
from ingest.passages.blocks import original_csv
from ingest.passages.checks import Mapped, PassageColumns, judged_select, row_hash
from ingest.passages.day_files import STORED, DayFiles
from ingest.reject_reasons import Reason

# A row the mapper accepted: where it is in the file, and the values stored.
_MAPPED_SCHEMA = pa.schema([("k", pa.int64()), ("number", pa.int32()), *(f for f in STORED if f.name != "source_row")])
SHARD_BITS = 3
# What the stored row adds to its values, and its key.
_KEYED = """
    SELECT *, hash(passage_id) AS hid, CAST(time + INTERVAL 8 HOUR AS DATE) AS day,
           place_id IN (SELECT place_id FROM known) AS known, number AS source_row
    FROM ({rows})
"""


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


class Staging:
    """One file's staging tables; `json`: the file is JSON lines (rows keep their line)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        cols: PassageColumns,
        width: int,
        *,
        json: bool,
        known: set[str],
        days: DayFiles,
    ):
        self.con, self.cols, self.width, self.json, self.days = con, cols, width, json, days
        self.accepted = 0
        columns = ", ".join(f"c{i} VARCHAR" for i in range(width))
        extra = ", line VARCHAR, valid BOOLEAN, plain BOOLEAN" if json else ""
        con.execute("CREATE OR REPLACE TABLE keys (number INTEGER, h UBIGINT, hid UBIGINT, day DATE)")
        con.execute("CREATE OR REPLACE TABLE strays (number INTEGER, place_id VARCHAR)")
        con.execute(f"CREATE OR REPLACE TABLE unsure (k BIGINT, number INTEGER, {columns}{extra})")
        con.execute("CREATE OR REPLACE TABLE dropped (number INTEGER, day DATE)")
        con.execute("CREATE OR REPLACE TABLE known (place_id VARCHAR)")
        con.register("known_arrow", pa.table({"place_id": pa.array(sorted(known), pa.string())}))
        con.execute("INSERT INTO known SELECT place_id FROM known_arrow")
        con.unregister("known_arrow")

    # ---- a block at a time ----

    def judge(self, raw: pa.Table) -> None:
        """`raw`: k, number, c0, c1, … (and line, valid, plain for JSON lines), every row a record."""
        if not raw.num_rows:
            return
        # DuckDB scans an Arrow table a chunk per thread: the group's blocks share the cores.
        self.con.register("arrived", raw)
        try:
            rows = judged_select(self.cols, "arrived", self.width, json=self.json)
            judged = self.con.sql(_KEYED.format(rows=rows)).to_arrow_table()
            sure = judged.column("sure")
            if pc.all(sure).as_py():  # most groups of a sensor's file: nothing to copy out
                self._keep(judged)
                return
            self._keep(judged.filter(sure))
            doubted = judged.filter(pc.invert(sure)).column("k")
            if len(doubted):
                self.keep_unsure(raw.filter(pc.is_in(raw.column("k"), value_set=doubted.combine_chunks())))
        finally:
            self.con.unregister("arrived")

    def keep_unsure(self, raw: pa.Table) -> None:
        if not raw.num_rows:
            return
        self.con.register("doubted", raw)
        try:
            self.con.execute("INSERT INTO unsure BY NAME SELECT * FROM doubted")
        finally:
            self.con.unregister("doubted")

    def _keep(self, accepted: pa.Table) -> None:
        if not accepted.num_rows:
            return
        self.con.register("accepted", accepted)
        try:
            self.con.execute("INSERT INTO keys SELECT number, h, hid, day FROM accepted")
            self.con.execute("INSERT INTO strays SELECT number, place_id FROM accepted WHERE NOT known")
        finally:
            self.con.unregister("accepted")
        self.days.add(accepted.select([*STORED.names, "day"]))
        self.accepted += accepted.num_rows

    # ---- the row mapper's rows ----

    def unsure_batches(self, size: int) -> pa.RecordBatchReader:
        return self.con.cursor().sql("SELECT * FROM unsure ORDER BY number").to_arrow_reader(size)

    def accept_mapped(self, rows: list[Mapped], *, hashed: bool = True) -> None:
        """Rows the row mapper accepted. `hashed`: their text is in `unsure`, to find identical
        rows by (not so for a file read row by row, whose identical rows are already found)."""
        if not rows:
            return
        table = pa.Table.from_pylist([dataclasses.asdict(r) for r in rows], schema=_MAPPED_SCHEMA)
        self.con.register("mapped_rows", table)
        try:
            if hashed:
                h = row_hash(self.width, json=self.json)
                source = f"SELECT m.*, u.h FROM mapped_rows m JOIN (SELECT k, {h} AS h FROM unsure) u USING (k)"
            else:
                source = "SELECT *, NULL::UBIGINT AS h FROM mapped_rows"
            self._keep(self.con.sql(_KEYED.format(rows=source)).to_arrow_table())
        finally:
            self.con.unregister("mapped_rows")

    # ---- what a block cannot tell ----

    def settle(
        self,
        found: Found,
        *,
        label: str,
        reread: Callable[[list[int]], pa.Table] | None,
        stored_elsewhere: list[str],
    ) -> Written:
        """Rows identical to an earlier accepted row, then rows at a place the graph lacks,
        are rejected; of the rest, a passage ID stored by another file or met earlier in this
        one is loaded but not stored. The day files are then made whole without them.
        `reread(numbers)`: those rows as read, from the file (None: the file was read row by
        row, its identical rows are rejected and its rejects' text is found by the caller)."""
        con = self.con
        # Identical rows share their passage ID: one pass over the IDs finds the few rows to
        # look at for both.
        # In shards: one aggregate over every ID of a city file would hold more than the rest.
        con.execute("CREATE OR REPLACE TABLE shared_ids (hid UBIGINT)")
        for shard in range(1 << SHARD_BITS):
            con.execute(
                f"INSERT INTO shared_ids SELECT hid FROM keys WHERE hid >> {64 - SHARD_BITS} = {shard} "
                "GROUP BY hid HAVING count(*) > 1"
            )
        con.execute("CREATE OR REPLACE TABLE sharing AS SELECT * FROM keys SEMI JOIN shared_ids USING (hid)")
        twins = [
            n
            for (n,) in con.execute(
                "SELECT number FROM sharing WHERE h IN "
                "(SELECT h FROM sharing WHERE h IS NOT NULL GROUP BY h HAVING count(*) > 1)"
            ).fetchall()
        ]
        strays = con.execute("SELECT number, place_id FROM strays ORDER BY number").fetchall()
        as_read: dict[int, str] = {}
        gone: set[int] = set()
        if reread is not None and (twins or strays):
            read = self._as_read(reread(sorted(set(twins) | {n for n, _ in strays})))
            as_read = {n: text for n, (text, _) in read.items()}
            gone = self._reject_twins(found, {n: read[n] for n in twins})
        for number, place in strays:
            if number in gone:
                continue
            key = "checkpoint_id" if label == "Checkpoint" else "gate_id"
            message = f"no {label} with {key} {place!r} exists"
            found.reject(
                Reject(
                    number, self.cols.place_header, place, Reason.REFERENCE_MISSING, message, as_read.get(number, "")
                )
            )
            gone.add(number)
        self._drop(sorted(gone))
        loaded = self.accepted - len(gone)
        self.days.close()
        pieces = [str(p) for p in self.days.pieces()]
        self._drop_repeated_ids(pieces)
        if stored_elsewhere and pieces:
            con.execute(
                """
                INSERT INTO dropped
                SELECT k.number, k.day FROM read_parquet($pieces, hive_partitioning = false) p
                JOIN keys k ON k.number = p.source_row
                WHERE p.passage_id IN (SELECT passage_id FROM read_parquet($others, hive_partitioning = false))
                  AND p.source_row NOT IN (SELECT number FROM dropped)
                """,
                {"pieces": pieces, "others": stored_elsewhere},
            )
        ((not_stored,),) = con.execute("SELECT count(*) FROM dropped").fetchall()
        days = [d for (d,) in con.execute("SELECT DISTINCT day FROM dropped").fetchall()]
        self.days.finish(con, days)
        return Written(loaded, loaded - (not_stored - len(gone)))

    def _as_read(self, rows: pa.Table) -> dict[int, tuple[str, tuple]]:
        """number → (the row as the reject file shows it, the values compared)."""
        columns = [f"c{i}" for i in range(self.width)]
        data = rows.to_pydict()
        read = {}
        for i, number in enumerate(data["number"]):
            values = tuple(data[c][i] for c in columns)
            if self.json:
                line = data["line"][i]
                read[number] = (line, (*values, None if data["valid"][i] else line))
            else:
                read[number] = (original_csv(["" if v is None else v for v in values]), values)
        return read

    def _reject_twins(self, found: Found, twins: dict[int, tuple[str, tuple]]) -> set[int]:
        first_of: dict[tuple, int] = {}
        gone = set()
        for number in sorted(twins):
            text, values = twins[number]
            first = first_of.setdefault(values, number)
            if first != number:
                found.reject(Reject(number, "", "", Reason.ROW_DUPLICATE, f"identical to row {first}", text))
                gone.add(number)
        return gone

    def _drop(self, numbers: list[int]) -> None:
        if numbers:
            self.con.execute(
                "INSERT INTO dropped SELECT number, day FROM keys WHERE number IN (SELECT unnest($n))", {"n": numbers}
            )

    def _drop_repeated_ids(self, pieces: list[str]) -> None:
        """Of the rows sharing a passage ID, all but the first are loaded, not stored twice."""
        self.con.execute(
            "CREATE OR REPLACE TABLE repeated AS SELECT hid FROM sharing ANTI JOIN dropped USING (number) "
            "GROUP BY hid HAVING count(*) > 1"
        )
        ((repeated,),) = self.con.execute("SELECT count(*) FROM repeated").fetchall()
        if not repeated or not pieces:
            return
        self.con.execute(
            """
            INSERT INTO dropped
            SELECT k.number, k.day FROM (
                SELECT source_row FROM read_parquet($pieces, hive_partitioning = false)
                WHERE hash(passage_id) IN (SELECT hid FROM repeated)
                  AND source_row NOT IN (SELECT number FROM dropped)
                QUALIFY row_number() OVER (PARTITION BY passage_id ORDER BY source_row) > 1
            ) p JOIN sharing k ON k.number = p.source_row
            """,
            {"pieces": pieces},
        )
