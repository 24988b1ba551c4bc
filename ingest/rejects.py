"""The reject file: every row not loaded, with where and why, and the row as read; and
every value left out of a row that loaded (a column's `on_invalid: drop`), told apart by
`outcome`.

UTF-8 with a byte-order mark so that it opens with its Chinese text intact in a
spreadsheet.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from ingest.mapping import Reject
from settings.home import open_private

COLUMNS = ["file", "row", "column", "value", "reason", "message", "original", "outcome"]
ROW_REJECTED = "row rejected"
VALUE_DROPPED = "value dropped"


class RejectWriter:
    def __init__(self, path: Path | None):
        self.path = path
        self._file: TextIO | None = None
        self._writer = None
        self.count = 0

    def write(self, file: Path | str, reject: Reject) -> None:
        """`file`: the file as its user named it."""
        self.count += 1
        if self.path is None:
            return
        self._open().writerow(
            [
                str(file),
                reject.number,
                reject.column,
                reject.value,
                reject.reason.value,
                reject.message,
                reject.original,
                VALUE_DROPPED if reject.dropped else ROW_REJECTED,
            ]
        )

    def copy(self, path: Path) -> None:
        """Add the rejects another writer wrote to `path` (work done in another process); a
        writer that had none wrote no file."""
        if not path.exists():
            return
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = csv.reader(f)
            if next(rows, None) is None:
                return
            for row in rows:
                self.count += 1
                if self.path is not None:
                    self._open().writerow(row)

    def _open(self):
        if self._writer is None:
            # Owner-only (0600, folder 0700): each line holds a whole source row in clear.
            self._file = open_private(self.path, "w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow(COLUMNS)
        return self._writer

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
