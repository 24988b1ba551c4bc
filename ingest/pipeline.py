"""Write batches on a second thread while the next ones are read and mapped.

The driver spends its time waiting on the socket, which releases the interpreter
lock, so reading and mapping (Python) overlap with writing (Neo4j). At most
`depth` batches wait, which keeps memory bounded.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ingest.loader import BatchWriter
from ingest.mapping import MappedRow, Reject

_STOP = object()


@dataclass
class _Batch:
    rows: list[MappedRow]
    through_row: int
    rejected_before: int  # rows of the file rejected while mapping, up to through_row
    prepared: list  # the batch's statements, built on the reading thread


class BackgroundWriter:
    def __init__(
        self, writer: BatchWriter, on_refused: Callable[[Reject], None], *, loaded_before: int = 0, depth: int = 2
    ):
        self.writer = writer
        self.on_refused = on_refused
        self.loaded = loaded_before  # rows written (and, before resuming, committed earlier)
        self.refused = 0  # rows refused for missing references
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._run, name="goldenbell-import-writer", daemon=True)
        self._thread.start()

    def submit(self, rows: list[MappedRow], *, through_row: int, rejected_before: int) -> None:
        self._raise_if_failed()
        self._queue.put(_Batch(rows, through_row, rejected_before, self.writer.prepare(rows)))

    def finish(self) -> None:
        self._queue.put(_STOP)
        self._thread.join()
        self._raise_if_failed()

    def abandon(self) -> None:
        """Stop after the batch in hand, dropping the rest (an error elsewhere)."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(_STOP)
        self._thread.join()

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
                    loaded=self.loaded,
                    rejected=batch.rejected_before + self.refused,
                    prepared=batch.prepared,
                )
            except BaseException as exc:  # noqa: BLE001 - handed to the reading thread, which re-raises it
                self.error = exc
                continue
            for reject in refused:
                self.on_refused(reject)
            self.refused += len(refused)
            self.loaded += len(batch.rows) - len(refused)
