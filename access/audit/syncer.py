"""The background syncer: forces logs appended with sync=False to disk shortly after, many
entries per sync (group commit), and at exit."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from pathlib import Path
from typing import Protocol

_log = logging.getLogger(__name__)


class Syncable(Protocol):
    path: Path

    def _sync(self) -> None: ...


class Syncer:
    def __init__(self, delay: float):
        self.delay = delay
        self._dirty: dict[Path, Syncable] = {}
        self._lock = threading.Lock()
        # One round of syncs at a time: a flush returns only once a round the thread had
        # begun is over too (its head file written), so the folder can then be removed.
        self._syncing = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def soon(self, log: Syncable) -> None:
        with self._lock:
            self._dirty[log.path] = log  # the newest object of a path: it carries the log's settings
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="goldenbell-audit-sync", daemon=True)
                self._thread.start()
                atexit.register(self.now)
        self._wake.set()

    def now(self, path: Path | None = None) -> None:
        with self._syncing:
            with self._lock:
                chosen = [path] if path is not None else list(self._dirty)
                logs = [self._dirty.pop(p) for p in chosen if p in self._dirty]
            for log in logs:
                log._sync()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            time.sleep(self.delay)  # let more entries join this sync
            with self._syncing:
                self._sync_round()

    def _sync_round(self) -> None:
        with self._lock:
            logs, self._dirty = self._dirty, {}
        for log in logs.values():
            try:
                log._sync()
            except FileNotFoundError:
                pass  # its folder was removed (a test's): nothing left to keep
            except OSError as exc:  # the disk refused: keep it for the next round, and say so
                _log.warning("could not sync the audit log %s: %s; will retry", log.path, exc)
                with self._lock:
                    self._dirty.setdefault(log.path, log)
