"""Passages as Parquet files under GOLDENBELL_HOME/events/passages, one file per source
file and partition:

    passages/day=2025-01-01/source=checkpoint/<file sha256>.parquet
    passages/_receipts/<file sha256>.json      written last: the file is in the store
    watermarks/<rule id>.json                  the files a rule last ran over, and the key
                                               of the graph facts it ran with
    graph_tables/<table>.parquet               the rules' graph tables, kept under a key
                                               (queries/event_tables.py)

A file's partitions are written to a staging folder and each is moved into place with
one rename, so a partition is there whole or not at all. The receipt comes after the
last partition: a file without a receipt is written again from the start, and since its
partition files are named after its hash, that replaces what a killed run left and
gives the same store. Files are owner-only: a passage is where a car was.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from settings.home import open_private, private_dir
from settings.processes import alive

PASSAGE_COLUMNS = (
    "passage_id VARCHAR, plate VARCHAR, place_id VARCHAR, source VARCHAR, time TIMESTAMPTZ, day DATE, "
    "direction VARCHAR, lane INTEGER, driver_id VARCHAR, plate_colour VARCHAR, "
    "run_id VARCHAR, source_file VARCHAR, source_row INTEGER"
)
# A store without files still answers (with no rows): the view reads this empty table.
EMPTY_PASSAGES = f"CREATE OR REPLACE TEMP TABLE passages_none ({PASSAGE_COLUMNS})"
# Shanghai has kept UTC+8 without daylight saving since 1991: the day of a passage is
# its UTC instant moved by eight hours, with no time-zone database needed.
SHANGHAI_OFFSET = "INTERVAL 8 HOUR"
_FOLDER_MAKERS = 8


@dataclass(frozen=True)
class Receipt:
    sha256: str
    file: str
    run_id: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    partitions: list[str]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class EventStore:
    def __init__(self, root: Path, *, memory_limit: str = "1g"):
        self.root = Path(root)
        self.memory_limit = memory_limit  # of each connection: past it DuckDB spills
        self.passages_dir = self.root / "passages"
        self._receipts = self.passages_dir / "_receipts"
        self._staging = self.root / "staging"
        self._watermarks = self.root / "watermarks"

    @classmethod
    def under(cls, home: Path, *, memory_limit: str = "1g") -> EventStore:
        return cls(Path(home) / "events", memory_limit=memory_limit)

    # ---- reading ----

    def connect(self, *, memory_limit: str | None = None, threads: int | None = None) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB with the view `passages` over every partition file. Past its
        memory limit (the store's unless given) it spills to a folder of its own in the
        store's staging folder, owner-only as the passages are, which DuckDB removes when
        the connection closes (by default it would spill to `.tmp` in the current folder)."""
        config = {
            "memory_limit": memory_limit or self.memory_limit,
            "temp_directory": str(self._spill_folder()),
            **({"threads": threads} if threads else {}),
        }
        con = duckdb.connect(config=config)
        self.define_views(con)
        return con

    def _spill_folder(self) -> Path:
        staging = private_dir(self._staging)
        for left in staging.glob("spill-*-*"):  # a killed process's spill, which DuckDB could not remove
            pid = left.name.split("-")[1]
            if pid.isdigit() and not alive(int(pid)):
                with contextlib.suppress(FileNotFoundError):  # another process cleared it first
                    shutil.rmtree(left)
        return staging / f"spill-{os.getpid()}-{secrets.token_hex(4)}"

    def define_views(self, con: duckdb.DuckDBPyConnection, name: str = "passages") -> None:
        """The view `name` over every stored passage."""
        files = self.partition_files()
        if not files:
            con.execute(EMPTY_PASSAGES)
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM passages_none")
            return
        # The file list, not a glob: a staging file or a half-moved partition is never read. A
        # view cannot take parameters; the paths are the store's own, quotes doubled all the same.
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * EXCLUDE (day, source), day, source "
            f"FROM read_parquet([{listed}], hive_partitioning = true, hive_types = {{'day': DATE, 'source': VARCHAR}})"
        )

    def partition_files(self, *, days: set[str] | None = None, source: str | None = None) -> list[Path]:
        if not self.passages_dir.is_dir():
            return []
        found = []
        for day_dir in sorted(self.passages_dir.glob("day=*")):
            if days is not None and day_dir.name[4:] not in days:
                continue
            for source_dir in sorted(day_dir.glob("source=*")):
                if source is not None and source_dir.name[7:] != source:
                    continue
                found.extend(sorted(source_dir.glob("*.parquet")))
        return found

    def receipt(self, sha256: str) -> Receipt | None:
        path = self._receipts / f"{sha256}.json"
        if not path.is_file():
            return None
        return Receipt(**json.loads(path.read_text(encoding="utf-8")))

    def holds_passages(self) -> bool:
        """Whether any file is stored (a receipt is written last, so its file is whole)."""
        return self._receipts.is_dir() and any(self._receipts.glob("*.json"))

    def receipts(self) -> list[Receipt]:
        if not self._receipts.is_dir():
            return []
        return [Receipt(**json.loads(p.read_text(encoding="utf-8"))) for p in sorted(self._receipts.glob("*.json"))]

    def considered(self, rule_id: str) -> set[str] | None:
        """The files (by hash) a rule last ran over, or None if it never ran on this store."""
        watermark = self._watermark(rule_id)
        return None if watermark is None else set(watermark["files"])

    def considered_graph(self, rule_id: str) -> str | None:
        """The key of the graph facts a rule last ran with (None: not known)."""
        watermark = self._watermark(rule_id)
        return None if watermark is None else watermark.get("graph")

    def consider(self, rule_id: str, file_hashes: set[str], graph: str | None = None) -> None:
        """Record that `rule_id` has run over these files, with the graph facts of key `graph`:
        the rule's watermark."""
        path = self._watermarks / f"{rule_id}.json"
        partial = path.with_suffix(".json.partial")
        with open_private(partial, "w", encoding="utf-8") as f:
            json.dump({"files": sorted(file_hashes), "graph": graph}, f)
        os.replace(partial, path)

    def _watermark(self, rule_id: str) -> dict[str, Any] | None:
        path = self._watermarks / f"{rule_id}.json"
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    # ---- writing ----

    @contextmanager
    def staging(self, sha256: str) -> Iterator[Path]:
        """An empty owner-only folder for one file's partitions, removed afterwards."""
        folder = self._staging / sha256
        if folder.exists():  # what a killed import left: it is written again from the start
            shutil.rmtree(folder)
        private_dir(folder)
        try:
            yield folder
        finally:
            if folder.exists():
                shutil.rmtree(folder)

    def publish(self, staged: Mapping[str, Path], sha256: str) -> list[str]:
        """Move each staged partition file (partition → file) into place, one rename each;
        the partitions moved."""
        targets = {partition: self.passages_dir / partition for partition in sorted(staged)}
        missing = [folder for folder in targets.values() if not folder.is_dir()]
        if missing:
            # Making a folder is mostly waiting on the file system (a free inode, a block),
            # not the CPU: a year of new days is made side by side.
            with ThreadPoolExecutor(max_workers=_FOLDER_MAKERS, thread_name_prefix="partition-folders") as pool:
                list(pool.map(private_dir, missing))
        for partition, target_dir in targets.items():
            file = staged[partition]
            os.chmod(file, 0o600)
            os.replace(file, target_dir / f"{sha256}.parquet")
        return list(targets)

    def write_receipt(self, receipt: Receipt) -> None:
        path = self._receipts / f"{receipt.sha256}.json"
        partial = path.with_suffix(".json.partial")
        with open_private(partial, "w", encoding="utf-8") as f:
            json.dump(receipt.as_dict(), f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
