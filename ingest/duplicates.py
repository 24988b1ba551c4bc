"""Find rows identical to an earlier row of the same file, in bounded memory.

Fingerprints (64-bit BLAKE2b of the row's values) are kept in a set until there
are 200,000 (about 30 MB), then in a temporary SQLite table on disk, so memory stays flat
however long the file is.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_IN_MEMORY_LIMIT = 200_000


def fingerprint(values: Iterable[Any]) -> int:
    digest = hashlib.blake2b(repr(tuple(values)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class DuplicateFinder:
    def __init__(self, in_memory_limit: int = _IN_MEMORY_LIMIT):
        self._seen: dict[int, int] = {}
        self._limit = in_memory_limit
        self._dir: tempfile.TemporaryDirectory | None = None
        self._db: sqlite3.Connection | None = None

    def first_row(self, fp: int, row: int) -> int | None:
        """The row this fingerprint was first seen on, or None (and remember this one)."""
        if self._db is None:
            earlier = self._seen.get(fp)
            if earlier is not None:
                return earlier
            self._seen[fp] = row
            if len(self._seen) > self._limit:
                self._spill()
            return None
        found = self._db.execute("SELECT row FROM seen WHERE fp = ?", (fp,)).fetchone()
        if found:
            return found[0]
        self._db.execute("INSERT INTO seen (fp, row) VALUES (?, ?)", (fp, row))
        return None

    def _spill(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="goldenbell-dups-")
        self._db = sqlite3.connect(Path(self._dir.name) / "seen.db")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("PRAGMA cache_size = -32000")
        self._db.execute("CREATE TABLE seen (fp INTEGER PRIMARY KEY, row INTEGER NOT NULL)")
        self._db.executemany("INSERT INTO seen (fp, row) VALUES (?, ?)", self._seen.items())
        self._seen = {}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
