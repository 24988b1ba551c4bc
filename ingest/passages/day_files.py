"""The stored passages of one file, written as they are judged: one Parquet piece or more
per day under the file's staging folder (`day=D/source=S/`), each day made one file at the
end (`finish`), less the rows found later not to be stored.

Rows are held per day until a day has enough for a row group, so a file in time order
writes each day once and a file in any order still writes row groups of useful size; past
`HELD_ROWS` held in all, the largest days are written out. A day whose writer had to be
closed (past `OPEN_FILES`) gets another piece, merged into one file by `finish`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# The stored columns, in the order every partition file holds them (day and source are
# the partition's folders).
STORED = pa.schema(
    [
        ("passage_id", pa.string()),
        ("plate", pa.string()),
        ("place_id", pa.string()),
        ("time", pa.timestamp("us", tz="UTC")),
        ("direction", pa.string()),
        ("lane", pa.int32()),
        ("driver_id", pa.string()),
        ("plate_colour", pa.string()),
        ("source_row", pa.int32()),
    ]
)
# Every row of a file has the same run and file (its hash): one dictionary value each, added
# as the rows are written.
_SAME = pa.dictionary(pa.int32(), pa.string())
WRITTEN = pa.schema([*list(STORED)[:-1], ("run_id", _SAME), ("source_file", _SAME), STORED.field("source_row")])
ROW_GROUP = 122_880  # DuckDB's own row group size
HELD_ROWS = 1 << 17
OPEN_FILES = 64
PENDING = 8
# Columns that repeat (plates, places, the file): not the passage IDs, instants and rows,
# which would only fill a dictionary to throw it away.
_DICTIONARY = ["plate", "place_id", "direction", "driver_id", "plate_colour", "run_id", "source_file"]


class DayFiles:
    def __init__(
        self,
        folder: Path,
        source: str,
        *,
        run_id: str,
        sha256: str,
        held_rows: int = HELD_ROWS,
        open_files: int = OPEN_FILES,
    ):
        self.folder, self.source = folder, source
        self._same = {"run_id": pa.array([run_id]), "source_file": pa.array([sha256])}
        self._held_limit, self._open_limit = held_rows, open_files
        self._held: dict[dt.date, list[pa.Table]] = {}
        self._held_rows: dict[dt.date, int] = {}
        self._writers: dict[dt.date, _Piece] = {}  # open, in the order last written
        self._pieces: dict[dt.date, list[Path]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future] = deque()

    def add(self, rows: pa.Table) -> None:
        """`rows`: the STORED columns and `day` (date)."""
        if not rows.num_rows:
            return
        days = rows.column("day")
        stored = rows.drop_columns(["day"]).select(STORED.names).cast(STORED)
        each = pc.unique(days).to_pylist()
        for day in each:
            part = stored.filter(pc.equal(days, day)) if len(each) > 1 else stored
            self._held.setdefault(day, []).append(part)
            self._held_rows[day] = self._held_rows.get(day, 0) + part.num_rows
            if self._held_rows[day] >= ROW_GROUP:
                self._write(day)
        while sum(self._held_rows.values()) > self._held_limit:
            self._write(max(self._held_rows, key=self._held_rows.__getitem__))

    def _write(self, day: dt.date) -> None:
        held = self._held.pop(day, [])
        self._held_rows.pop(day, None)
        if not held:
            return
        piece = self._writers.pop(day, None)
        if piece is None:
            if len(self._writers) >= self._open_limit:
                oldest = next(iter(self._writers))
                self._submit(self._writers.pop(oldest).close)
            pieces = self._pieces.setdefault(day, [])
            piece = _Piece(
                self.folder / f"day={day.isoformat()}" / f"source={self.source}" / f"piece-{len(pieces)}.parquet"
            )
            pieces.append(piece.path)
        self._submit(piece.append, held, self._same)
        self._writers[day] = piece

    def _submit(self, work: Callable[..., None], *args: object) -> None:
        """Writing runs on a thread of its own (Arrow lets go of the GIL), beside the judging
        of the next rows; in order, and at most PENDING writes behind."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="day-files")
        self._pending.append(self._pool.submit(work, *args))
        while len(self._pending) > PENDING:
            self._pending.popleft().result()

    def close(self) -> None:
        """Everything held written and every file closed; a write's error is raised here."""
        try:
            for day in list(self._held):
                self._write(day)
            for writer in self._writers.values():
                self._submit(writer.close)
            self._writers.clear()
            while self._pending:
                self._pending.popleft().result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
                self._pending.clear()

    def discard(self) -> None:
        """Nothing written is kept (the file is read again another way)."""
        self.close()
        for pieces in self._pieces.values():
            for piece in pieces:
                piece.unlink(missing_ok=True)
        self._pieces.clear()

    def abandon(self) -> None:
        """The import failed: the writing thread stops after what it has begun, raising nothing
        (the failure is the caller's to report; the staging folder goes with it)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()

    def pieces(self) -> list[Path]:
        return [p for day in sorted(self._pieces) for p in self._pieces[day]]

    def days(self) -> list[dt.date]:
        return sorted(self._pieces)

    def finish(self, con: duckdb.DuckDBPyConnection, dropped: Iterable[dt.date]) -> None:
        """Each day one file: days with more than one piece, or among `dropped` (days with
        rows in the table `dropped (number, day)`), are written anew without those rows."""
        self.close()
        redo = set(dropped)
        for day, pieces in sorted(self._pieces.items()):
            if len(pieces) == 1 and day not in redo:
                continue
            target = pieces[0].with_name("part.parquet")
            listed = [str(p) for p in pieces]
            ((kept,),) = con.execute(
                "SELECT count(*) FROM read_parquet($pieces, hive_partitioning = false) "
                "WHERE source_row NOT IN (SELECT number FROM dropped WHERE day = $day)",
                {"pieces": listed, "day": day},
            ).fetchall()
            if kept:
                con.execute(
                    f"COPY (SELECT * FROM read_parquet($pieces, hive_partitioning = false) "
                    f"WHERE source_row NOT IN (SELECT number FROM dropped WHERE day = $day) ORDER BY source_row) "
                    f"TO '{_quoted(target)}' (FORMAT parquet, COMPRESSION zstd)",
                    {"pieces": listed, "day": day},
                )
            for piece in pieces:
                piece.unlink()
            self._pieces[day] = [target] if kept else []


class _Piece:
    """One Parquet file of a day, opened by the writing thread when first written."""

    def __init__(self, path: Path):
        self.path = path
        self._writer: pq.ParquetWriter | None = None

    def append(self, held: list[pa.Table], same: dict[str, pa.Array]) -> None:
        rows = pa.concat_tables(held)
        first = pa.array(np.zeros(rows.num_rows, dtype=np.int32))
        for name, value in same.items():
            rows = rows.append_column(name, pa.DictionaryArray.from_arrays(first, value))
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._writer = pq.ParquetWriter(self.path, WRITTEN, compression="zstd", use_dictionary=_DICTIONARY)
        self._writer.write_table(rows.select(WRITTEN.names), row_group_size=ROW_GROUP)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _quoted(path: Path) -> str:
    # COPY … TO takes no parameter for its target; the path is the staging folder's own.
    return str(path).replace("'", "''")
