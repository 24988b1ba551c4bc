"""The stored passages of one file, written as they are judged: one Parquet piece or more
per day in the file's staging folder (`D.0.parquet`, `D.1.parquet`, …), each day made one
file (`D.parquet`) at the end (`finish`), less the rows found later not to be stored.
The folder holds no folders of its own: each new folder is a wait on the file system, and
a year holds hundreds of days.

Rows are held per day until a day has enough for a row group, so a file in time order
writes each day once and a file in any order still writes row groups of useful size; past
`HELD_ROWS` held in all, the largest days are written out. A day whose writer had to be
closed (past `OPEN_FILES`) gets another piece, merged into one file by `finish`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator
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
# Rows handed to the writing thread and not yet written: about one judged group, so the
# next group is judged while this one's days are written.
PENDING_ROWS = HELD_ROWS
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
        self._pending: deque[tuple[Future, int]] = deque()
        self._pending_rows = 0

    def add(self, rows: pa.Table) -> None:
        """`rows`: the STORED columns and `day` (date)."""
        if not rows.num_rows:
            return
        for day, part in _by_day(rows):
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
            piece = _Piece(self.folder / f"{day.isoformat()}.{len(pieces)}.parquet")
            pieces.append(piece.path)
        self._submit(piece.append, held, self._same, rows=sum(t.num_rows for t in held))
        self._writers[day] = piece

    def _submit(self, work: Callable[..., None], *args: object, rows: int = 0) -> None:
        """Writing runs on a thread of its own (Arrow lets go of the GIL), beside the judging
        of the next rows; in order, and at most PENDING_ROWS rows behind."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="day-files")
        self._pending.append((self._pool.submit(work, *args), rows))
        self._pending_rows += rows
        while self._pending and self._pending_rows > PENDING_ROWS:
            self._wait_one()

    def _wait_one(self) -> None:
        future, rows = self._pending.popleft()
        self._pending_rows -= rows
        future.result()

    def close(self) -> None:
        """Everything held written and every file closed; a write's error is raised here."""
        try:
            for day in list(self._held):
                self._write(day)
            for writer in self._writers.values():
                self._submit(writer.close)
            self._writers.clear()
            while self._pending:
                self._wait_one()
        finally:
            self.abandon()  # the thread stopped; after a failed write, what was queued behind it is dropped

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
        self._pending_rows = 0

    def pieces(self) -> list[Path]:
        return [p for day in sorted(self._pieces) for p in self._pieces[day]]

    def days(self) -> list[dt.date]:
        return sorted(self._pieces)

    def partitions(self) -> dict[str, Path]:
        """After `finish`: each stored partition (`day=D/source=S`) and its one file."""
        return {
            f"day={day.isoformat()}/source={self.source}": pieces[0]
            for day, pieces in sorted(self._pieces.items())
            if pieces
        }

    def finish(self, con: duckdb.DuckDBPyConnection, dropped: Iterable[dt.date]) -> None:
        """Each day one file: days with more than one piece, or among `dropped` (days with
        rows in the table `dropped (number, day)`), are written anew without those rows."""
        self.close()
        redo = set(dropped)
        for day, pieces in sorted(self._pieces.items()):
            if len(pieces) == 1 and day not in redo:
                continue
            target = self.folder / f"{day.isoformat()}.parquet"
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
            self._writer = pq.ParquetWriter(self.path, WRITTEN, compression="zstd", use_dictionary=_DICTIONARY)
        self._writer.write_table(rows.select(WRITTEN.names), row_group_size=ROW_GROUP)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _by_day(rows: pa.Table) -> Iterator[tuple[dt.date, pa.Table]]:
    """The STORED columns of `rows`, a table per day, each in the rows' order: one stable sort,
    not a pass over every row for each day. Each day is taken into buffers of its own (not
    sliced from one sorted copy): a day held or waiting to be written keeps only its rows."""
    days = rows.column("day")
    stored = rows.drop_columns(["day"]).select(STORED.names).cast(STORED)
    if pc.count_distinct(days).as_py() == 1:
        yield days[0].as_py(), stored
        return
    # One chunk first: a take from a table of many chunks joins them all again on every call.
    stored = stored.combine_chunks()
    order = pc.sort_indices(days)
    ordinal = days.take(order).combine_chunks().cast(pa.int32()).to_numpy()
    starts = np.flatnonzero(np.diff(ordinal)) + 1
    for start, end in zip([0, *starts], [*starts, len(ordinal)], strict=True):
        yield _EPOCH + dt.timedelta(days=int(ordinal[start])), stored.take(order.slice(start, end - start))


_EPOCH = dt.date(1970, 1, 1)


def _quoted(path: Path) -> str:
    # COPY … TO takes no parameter for its target; the path is the staging folder's own.
    return str(path).replace("'", "''")
