"""Write batches on a second thread while the next ones are read and mapped.

The driver spends its time waiting on the socket, which releases the interpreter
lock, so reading and mapping (Python) overlap with writing (Neo4j). At most
`depth` batches wait, which keeps memory bounded.

While a writer runs, the interpreter hands its lock between threads every millisecond
instead of every five: after each reply from Neo4j (several per batch) the writer needs
the lock only briefly to send what comes next, and waiting out the reading thread's
default turn left the server idle. Measured on one server: 100,000 passages into a graph
that already holds their vehicles 19 s → 16 s; all 740,673 of the 100,000-person sample
into an empty graph 145–159 s → 140 s.
"""

from __future__ import annotations

import queue
import sys
import threading
from dataclasses import dataclass

from ingest.ledger import Ledger
from ingest.loader import BatchWriter
from ingest.mapping import MappedRow

_STOP = object()
HANDOFF_INTERVAL_S = 0.001


class _Handoff:
    """The interpreter's switch interval, shortened while any writer runs (the setting is
    the process's: the first writer to start shortens it, the last to stop restores it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._writers = 0
        self._saved = 0.0

    def start(self) -> None:
        with self._lock:
            if self._writers == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, HANDOFF_INTERVAL_S))
            self._writers += 1

    def stop(self) -> None:
        with self._lock:
            self._writers -= 1
            if self._writers == 0:
                sys.setswitchinterval(self._saved)


_HANDOFF = _Handoff()


@dataclass
class _Batch:
    rows: list[MappedRow]
    through_row: int
    rejected_before: int  # rows of the file rejected on the reading thread, up to through_row
    prepared: list  # the batch's statements, built on the reading thread


class BackgroundWriter:
    """Writes the batches it is given in order, counting into the file's ledger."""

    def __init__(self, writer: BatchWriter, ledger: Ledger, *, depth: int = 2):
        self.writer = writer
        self.ledger = ledger
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._joined = False
        self._thread = threading.Thread(target=self._run, name="goldenbell-import-writer", daemon=True)
        _HANDOFF.start()
        self._thread.start()

    def submit(self, rows: list[MappedRow], *, through_row: int) -> None:
        """Queue a batch (on the reading thread, once it has read through `through_row`)."""
        self._raise_if_failed()
        self._queue.put(_Batch(rows, through_row, self.ledger.rejected_here, self.writer.prepare(rows)))

    def finish(self) -> None:
        self._queue.put(_STOP)
        self._join()
        self._raise_if_failed()

    def abandon(self) -> None:
        """Stop after the batch in hand, dropping the rest (an error elsewhere)."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(_STOP)
        self._join()

    def _join(self) -> None:
        self._thread.join()
        if not self._joined:  # `abandon` may follow a `finish` that raised
            self._joined = True
            _HANDOFF.stop()

    def _raise_if_failed(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is _STOP:
                return
            if self.error is not None:
                continue
            try:
                refused = self.writer.write(
                    batch.rows,
                    committed_through=batch.through_row,
                    loaded=self.ledger.loaded,
                    rejected=batch.rejected_before + self.ledger.refused,
                    prepared=batch.prepared,
                )
            except BaseException as exc:  # noqa: BLE001 - handed to the reading thread, which re-raises it
                self.error = exc
                continue
            numbers = {reject.number for reject in refused}
            kept = [row for row in batch.rows if row.number not in numbers] if numbers else batch.rows
            self.ledger.settle(kept, refused, by_writer=True)
