"""One file's account of its rows: every row read is loaded or rejected, and a rejected
row goes to the reject file as it is counted. Values left out of loaded rows (a column's
`on_invalid: drop`) go there too, each on its own line, and are counted apart from rows.

The reading thread and the writer thread both add to it. Rows the writer refuses are
counted apart from the ones rejected on the reading thread because the progress saved
with a batch may count the reading thread's rejects only up to the batch's last row, and
by the time the writer saves it the reading thread has read on.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from ingest.mapping import MappedRow, Reject


def _discard(reject: Reject) -> None:
    pass


class Ledger:
    def __init__(self, record: Callable[[Reject], None] = _discard):
        self._record = record
        self._lock = threading.Lock()  # the writer thread records rejects too
        self.read = 0
        self.loaded = 0  # written, or counted as committed by an earlier run, or passed by a dry run
        self.rejected_here = 0  # on the reading thread: while mapping, or checked there (dry runs, resumed rows)
        self.refused = 0  # by the writer thread, for missing references
        self.reasons: Counter = Counter()
        self.dropped = 0  # values left out of rows that loaded
        self.dropped_reasons: Counter = Counter()

    @property
    def rejected(self) -> int:
        return self.rejected_here + self.refused

    def reject(self, reject: Reject, *, by_writer: bool = False) -> None:
        with self._lock:
            self._record(reject)
            self.reasons[reject.reason.value] += 1
            if by_writer:
                self.refused += 1
            else:
                self.rejected_here += 1

    def settle(self, kept: Sequence[MappedRow], refused: Iterable[Reject], *, by_writer: bool = False) -> None:
        """A batch checked for its references: the refused rows rejected, the `kept` others loaded,
        with the values they left out (only now: a refused row's are part of the row rejected)."""
        for reject in refused:
            self.reject(reject, by_writer=by_writer)
        with self._lock:
            for row in kept:
                for value in row.dropped:
                    self._record(value)
                    self.dropped += 1
                    self.dropped_reasons[value.reason.value] += 1
            self.loaded += len(kept)
