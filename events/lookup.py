"""Lookup copies of the stored passages, for questions about one plate (its trajectory, its
companions) that would otherwise read every day's file of the store.

The day partitions hold each day's passages in arrival order, so a question about one
plate reads them all: about 100 ms on a 100,000-person store, growing with the days kept.
The copies hold the same rows twice more, in 16 buckets by key and sorted by it, so a
plate's rows sit in a few row groups of one bucket and DuckDB skips the rest on the
row groups' min/max:

    lookups/by_plate/bucket=<0-f>/<generation>.parquet    sorted by plate, time, passage_id
    lookups/by_place/bucket=<0-f>/<generation>.parquet    sorted by place_id, time, passage_id
    lookups/manifest.json                                  written last: what the copies cover

A bucket is the first hex digit of the key's MD5, which DuckDB and Python compute alike.
A busy checkpoint sees a year of cars, so the plate's companions are not found by reading
its places whole: the copies by place come in small row groups, and the groups whose
min/max of place and time can hold a passage near one of the plate's are read alone.
A refresh copies the stored files the manifest does not cover as one new generation;
past MAX_GENERATIONS it rewrites the copies whole, so a plate's rows stay in a few files.
Readers take the manifest's file list (never a glob) and read the stored files it does
not cover directly, so a copy that is late, or a refresh killed halfway, changes how fast
an answer comes, never what it is. Files are owner-only, as the store's.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from time import monotonic
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from events.store import EMPTY_PASSAGES, EventStore
from settings.home import open_private, private_dir

KEYS = {"by_plate": "plate", "by_place": "place_id"}
BUCKETS = "0123456789abcdef"
MAX_GENERATIONS = 8
# Small row groups: a row group is the unit DuckDB skips or reads. A plate has tens to
# hundreds of passages; a checkpoint's 2,048 rows are half a day at the busiest one of a
# 1,000,000-person city, so a passage's companions are in one or two groups.
_ROW_GROUP_ROWS = {"by_plate": 16_384, "by_place": 2_048}
_SORTED_BATCH_ROWS = 1 << 17
SORT_ROWS = 4_000_000


def _utc(schema: pa.Schema) -> pa.Schema:
    """Instants as the store's own files give them (DuckDB names the zone as its session does)."""
    time = schema.get_field_index("time")
    return schema.set(time, schema.field(time).with_type(pa.timestamp("us", tz="UTC")))


def bucket(key: str) -> str:
    """The bucket of a plate or place ID: the first hex digit of its UTF-8 MD5 (DuckDB's md5)."""
    return hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()[0]


@dataclass(frozen=True)
class LookupRefresh:
    files: int  # stored files newly copied
    rows: int
    rewritten: bool  # the copies were written whole again
    seconds: float


class Lookups:
    def __init__(self, store: EventStore):
        self.store = store
        self.root = store.root / "lookups"
        self._manifest = self.root / "manifest.json"

    def manifest(self) -> dict[str, Any]:
        """{"covered": stored file hashes copied, "generations": [...], "files": relative paths}."""
        if not self._manifest.is_file():
            return {"covered": [], "generations": [], "files": []}
        return json.loads(self._manifest.read_text(encoding="utf-8"))

    # ---- reading ----

    def narrow_to_plate(
        self,
        con: duckdb.DuckDBPyConnection,
        plate: str,
        *,
        others_at_its_places: bool = False,
        within_minutes: int | None = None,
        name: str = "passages",
    ) -> int:
        """Point the view `name` at the plate's passages (and, with `others_at_its_places`, every
        other plate's passages at the places it was seen, or only those at most
        `within_minutes` from one of its passages there), as read from the copies and the
        stored files they do not cover yet. A rule about that plate gives on this view what
        it gives on the whole store. Returns the plate's passage count."""
        return self._retried(lambda: self._narrow(con, plate, others_at_its_places, within_minutes, name))

    def narrow_to_places(self, con: duckdb.DuckDBPyConnection, place_ids: list[str], *, name: str = "passages") -> int:
        """Point the view `name` at the passages of these places, read from the copies by place
        and the stored files they do not cover yet. Returns their count."""
        return self._retried(lambda: self._narrow_places(con, place_ids, name))

    @staticmethod
    def _retried(narrow: Callable[[], int]) -> int:
        try:
            return narrow()
        except duckdb.IOException:
            # A refresh that rewrote the copies removed a file between our reading the
            # manifest and the file: the new manifest lists what is there now.
            return narrow()

    def _narrow(
        self, con: duckdb.DuckDBPyConnection, plate: str, others_at_its_places: bool, within: int | None, name: str
    ) -> int:
        manifest = self.manifest()
        late = self._uncovered_files(set(manifest["covered"]))
        con.execute(
            "CREATE OR REPLACE TEMP TABLE lookup_mine AS SELECT * FROM ("
            + self._union(con, manifest, "by_plate", {bucket(plate)}, late)
            + ") WHERE plate = $plate",
            {"plate": plate},
        )
        shown = "SELECT * FROM lookup_mine"
        if others_at_its_places:
            if within is None:
                places = [r[0] for r in con.execute("SELECT DISTINCT place_id FROM lookup_mine").fetchall()]
                source = self._union(con, manifest, "by_place", {bucket(p) for p in places if p is not None}, late)
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE lookup_others AS SELECT * FROM ({source}) "
                    "WHERE place_id IN (SELECT unnest($places)) AND plate IS DISTINCT FROM $plate",
                    {"places": places, "plate": plate},
                )
            else:
                # A busy checkpoint sees a year of cars: only those near the plate's own
                # passages are read (see _near_mine).
                self._near_mine(con, manifest, late, within)
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE lookup_others AS SELECT o.* FROM lookup_near AS o "
                    "SEMI JOIN lookup_mine AS m ON o.place_id = m.place_id "
                    "AND o.time BETWEEN m.time - INTERVAL 1 MINUTE * $within AND m.time + INTERVAL 1 MINUTE * $within "
                    "WHERE o.plate IS DISTINCT FROM $plate",
                    {"plate": plate, "within": within},
                )
                con.execute("DROP VIEW lookup_near")
                con.unregister("lookup_near_groups")
            shown += " UNION ALL BY NAME SELECT * FROM lookup_others"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {shown}")
        return con.execute("SELECT count(*) FROM lookup_mine").fetchall()[0][0]

    def _near_mine(
        self, con: duckdb.DuckDBPyConnection, manifest: dict[str, Any], late: list[Path], within: int
    ) -> None:
        """The view `lookup_near`: the row groups of the copies by place that can hold a
        passage at most `within` minutes from one of `lookup_mine`'s at its place, and the
        late stored files' passages at its places. A superset; the caller keeps the exact."""
        margin = within * 60_000_000
        windows = con.execute(
            "SELECT place_id, epoch_us(time) - $margin, epoch_us(time) + $margin FROM lookup_mine "
            "WHERE place_id IS NOT NULL",
            {"margin": margin},
        ).fetchall()
        wanted: dict[str, list[tuple[str, int, int]]] = {}
        for window in windows:
            wanted.setdefault(bucket(window[0]), []).append(window)
        read = []
        for relative in manifest["files"]:
            kind, folder = relative.split("/")[:2]
            if kind == "by_place" and folder[7:] in wanted:
                read.append(_groups_near(self.root / relative, wanted[folder[7:]]))
        if read:
            con.register("lookup_near_groups", pa.concat_tables(read))
        else:
            con.execute(EMPTY_PASSAGES)
            con.register("lookup_near_groups", con.sql("SELECT * FROM passages_none").to_arrow_table())
        parts = ["SELECT * FROM lookup_near_groups"]
        if late:
            parts.append(
                f"SELECT * EXCLUDE (day, source), day, source FROM read_parquet([{_listed(late)}], "
                "hive_partitioning = true, hive_types = {'day': DATE, 'source': VARCHAR}) "
                "WHERE place_id IN (SELECT place_id FROM lookup_mine)"
            )
        con.execute("CREATE OR REPLACE TEMP VIEW lookup_near AS " + " UNION ALL BY NAME ".join(parts))

    def _narrow_places(self, con: duckdb.DuckDBPyConnection, place_ids: list[str], name: str) -> int:
        manifest = self.manifest()
        late = self._uncovered_files(set(manifest["covered"]))
        con.execute(
            "CREATE OR REPLACE TEMP TABLE lookup_places AS SELECT * FROM ("
            + self._union(con, manifest, "by_place", {bucket(p) for p in place_ids}, late)
            + ") WHERE place_id IN (SELECT unnest($places))",
            {"places": list(place_ids)},
        )
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM lookup_places")
        return con.execute("SELECT count(*) FROM lookup_places").fetchall()[0][0]

    def _uncovered_files(self, covered: set[str]) -> list[Path]:
        return [
            self.store.passages_dir / partition / f"{r.sha256}.parquet"
            for r in self.store.receipts()
            if r.sha256 not in covered
            for partition in r.partitions
        ]

    def _union(
        self, con: duckdb.DuckDBPyConnection, manifest: dict[str, Any], kind: str, buckets: set[str], late: list[Path]
    ) -> str:
        """One SELECT over the copies of `buckets` and the late stored files, same columns."""
        copies = [
            self.root / f for f in manifest["files"] if f.startswith(f"{kind}/") and f.split("/")[1][7:] in buckets
        ]
        parts = []
        if copies:
            parts.append(f"SELECT * FROM read_parquet([{_listed(copies)}])")
        if late:
            parts.append(
                f"SELECT * EXCLUDE (day, source), day, source FROM read_parquet([{_listed(late)}], "
                "hive_partitioning = true, hive_types = {'day': DATE, 'source': VARCHAR})"
            )
        if not parts:
            con.execute(EMPTY_PASSAGES)
            parts.append("SELECT * FROM passages_none")
        return " UNION ALL BY NAME ".join(parts)

    # ---- writing ----

    def refresh(self, *, memory_limit: str = "256MB") -> LookupRefresh:
        """Copy the stored files the copies do not cover yet; one refresh at a time."""
        began = monotonic()
        private_dir(self.root)
        with open_private(self.root / ".lock", "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            return self._refresh(began, memory_limit)

    def _refresh(self, began: float, memory_limit: str) -> LookupRefresh:
        for left in self.store.root.glob("staging/lookups-*"):  # what a killed refresh left
            shutil.rmtree(left)
        manifest = self.manifest()
        stored = {r.sha256: r for r in self.store.receipts()}
        covered = set(manifest["covered"])
        rewrite = not covered <= set(stored) or len(manifest["generations"]) >= MAX_GENERATIONS
        new = sorted(set(stored) if rewrite else set(stored) - covered)
        if not new:
            self._remove_strays(manifest)
            return LookupRefresh(0, 0, False, monotonic() - began)
        number = 1 + max((int(g[1:]) for g in manifest["generations"]), default=0)
        generation = f"g{number:06d}"
        staging = private_dir(self.store.root / "staging" / f"lookups-{generation}")
        con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": str(staging / "spill")})
        try:
            files = [self.store.passages_dir / p / f"{sha}.parquet" for sha in new for p in stored[sha].partitions]
            rows = 0
            written = []
            for kind, key in KEYS.items() if files else ():
                rows, paths = self._copy(con, files, staging, kind, key, generation)
                written += paths
        finally:
            con.close()
        for relative in written:
            target = self.root / relative
            private_dir(target.parent)
            os.chmod(staging / relative, 0o600)
            os.replace(staging / relative, target)
        kept = [] if rewrite else manifest["files"]
        updated = {
            "covered": sorted(set(stored) if rewrite else covered | set(new)),
            "generations": ([] if rewrite else manifest["generations"]) + [generation],
            "files": kept + written,
        }
        partial = self._manifest.with_suffix(".json.partial")
        with open_private(partial, "w", encoding="utf-8") as f:
            json.dump(updated, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, self._manifest)
        shutil.rmtree(staging)
        self._remove_strays(updated)
        return LookupRefresh(len(new), rows, rewrite, monotonic() - began)

    def _copy(
        self, con: duckdb.DuckDBPyConnection, files: list[Path], staging: Path, kind: str, key: str, generation: str
    ) -> tuple[int, list[str]]:
        """The files' rows sorted by bucket and key, written bucket after bucket as they come:
        (rows, the copies written). A sort per few buckets, not one per bucket; DuckDB
        spills past its memory limit."""
        ((total,),) = con.execute(f"SELECT count(*) FROM read_parquet([{_listed(files)}])").fetchall()
        # In passes of a few buckets each: a sort larger than memory spills, but its merge
        # still needs room that grows with the rows (14.4 M rows at once failed in 256 MB).
        passes = min(len(BUCKETS), max(1, -(-total // SORT_ROWS)))
        written: list[str] = []
        rows = 0
        for part in range(passes):
            chosen = list(BUCKETS[part * len(BUCKETS) // passes : (part + 1) * len(BUCKETS) // passes])
            rows += self._copy_buckets(con, files, staging, kind, key, generation, chosen, written)
        return rows, written

    def _copy_buckets(
        self,
        con: duckdb.DuckDBPyConnection,
        files: list[Path],
        staging: Path,
        kind: str,
        key: str,
        generation: str,
        chosen: list[str],
        written: list[str],
    ) -> int:
        # coalesce: a row without the key still lands in a bucket, so the copies lose nothing.
        sorted_rows = con.sql(
            f"SELECT * FROM (SELECT * EXCLUDE (day, source), day, source, md5(coalesce({key}, ''))[1] AS bucket "
            f"FROM read_parquet([{_listed(files)}], hive_partitioning = true, "
            "hive_types = {'day': DATE, 'source': VARCHAR})) WHERE bucket IN (SELECT unnest($chosen)) "
            f"ORDER BY bucket, {key}, time, passage_id",
            params={"chosen": chosen},
        ).to_arrow_reader(_SORTED_BATCH_ROWS)
        writer: pq.ParquetWriter | None = None
        rows = 0
        try:
            for batch in sorted_rows:
                rows += batch.num_rows
                buckets = batch.column("bucket")
                for one in pc.unique(buckets).to_pylist():
                    part = batch.filter(pc.equal(buckets, one)).drop_columns(["bucket"])
                    part = part.cast(_utc(part.schema))
                    relative = f"{kind}/bucket={one}/{generation}.parquet"
                    if not written or written[-1] != relative:
                        if writer is not None:
                            writer.close()
                        private_dir((staging / relative).parent)
                        writer = pq.ParquetWriter(staging / relative, part.schema, compression="zstd")
                        written.append(relative)
                    writer.write_batch(part, row_group_size=_ROW_GROUP_ROWS[kind])
        finally:
            if writer is not None:
                writer.close()
        return rows

    def _remove_strays(self, manifest: dict[str, Any]) -> None:
        """Copies no manifest lists: a rewrite's predecessors, or a killed refresh's files."""
        listed = set(manifest["files"])
        for kind in KEYS:
            for file in (self.root / kind).glob("bucket=*/*.parquet"):
                if str(file.relative_to(self.root)) not in listed:
                    file.unlink()


@dataclass(frozen=True)
class _RowGroups:
    """Each row group's min and max of place and time (µs since the epoch, UTC) in one
    copy; a group whose statistics are missing or inexact spans everything."""

    meta: pq.FileMetaData  # kept, so reading the groups does not parse the footer again
    place_min: np.ndarray
    place_max: np.ndarray
    time_min: np.ndarray
    time_max: np.ndarray


_EVERYTHING = ("", "\U0010ffff" * 4, np.iinfo(np.int64).min, np.iinfo(np.int64).max)


@functools.lru_cache(maxsize=256)
def _row_groups(path: str, mtime_ns: int, size: int) -> _RowGroups:
    # A copy is never rewritten in place (a refresh writes a new generation), and the key
    # carries its mtime and size all the same.
    meta = pq.ParquetFile(path).metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    place, time = names.index("place_id"), names.index("time")
    bounds = []
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        ps, ts = group.column(place).statistics, group.column(time).statistics
        if _exact(ps) and _exact(ts):
            bounds.append((ps.min, ps.max, ts.min_raw, ts.max_raw))
        else:
            bounds.append(_EVERYTHING)
    columns = list(zip(*bounds, strict=True)) if bounds else [(), (), (), ()]
    return _RowGroups(
        meta,
        np.array(columns[0], dtype=object),
        np.array(columns[1], dtype=object),
        np.array(columns[2], dtype=np.int64),
        np.array(columns[3], dtype=np.int64),
    )


def _exact(statistics: pq.Statistics | None) -> bool:
    if statistics is None or not statistics.has_min_max:
        return False
    return getattr(statistics, "is_min_value_exact", True) and getattr(statistics, "is_max_value_exact", True)


def _groups_near(path: Path, windows: list[tuple[str, int, int]]) -> pa.Table:
    """The row groups of the copy at `path` whose min/max can hold a row at one of the
    windows' place between its two instants (µs since the epoch)."""
    status = path.stat()
    groups = _row_groups(str(path), status.st_mtime_ns, status.st_size)
    place = np.array([w[0] for w in windows], dtype=object)
    low = np.array([w[1] for w in windows], dtype=np.int64)
    high = np.array([w[2] for w in windows], dtype=np.int64)
    # Groups × windows; strings compare by code point, which is UTF-8's byte order, the
    # order Parquet's statistics keep.
    near = (
        (groups.place_min[:, None] <= place[None, :])
        & (place[None, :] <= groups.place_max[:, None])
        & (groups.time_min[:, None] <= high[None, :])
        & (low[None, :] <= groups.time_max[:, None])
    ).any(axis=1)
    return pq.ParquetFile(path, metadata=groups.meta).read_row_groups(np.flatnonzero(near).tolist())


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _listed(files: list[Path]) -> str:
    # The paths are the store's own; a list of literals because a view takes no parameters.
    return ", ".join(f"'{_quoted(f)}'" for f in files)
