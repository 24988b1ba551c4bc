"""Work a first load runs in a process of its own while it goes on with the rest.

Mapping the registries is pure Python and keeps one core busy for minutes; storing the
passages (which needs only the places) and extracting the case reports' mentions (which
needs only their texts and the names and addresses staged) can use another core meanwhile.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Literal

NICENESS = 10


class BesideError(RuntimeError):
    """The process stopped without an answer (killed, or out of memory)."""


def _run(send: Connection, work: Callable[..., Any], args: tuple) -> None:
    # The load's own work is what it waits for: this yields to it, and takes what it leaves.
    os.nice(NICENESS)
    gc.enable()  # a fork inherits the load's paused collector (ingest/bulk/heap.py), not its reason
    try:
        answer: tuple[str, Any] = ("returned", work(*args))
    except Exception as exc:  # noqa: BLE001 - handed to the waiting process, which raises it
        answer = ("raised", exc if _crosses(exc) else RuntimeError(f"{type(exc).__name__}: {exc}"))
    try:
        send.send(answer)
    finally:
        send.close()


def _crosses(exc: Exception) -> bool:
    """Whether the exception comes back whole: one whose constructor takes other arguments
    than its message does not."""
    try:
        pickle.loads(pickle.dumps(exc))
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


class Beside:
    """`work(*args)` in another process; `result()` waits for its value or raises its error.

    "fork" shares what this process holds without copying it (for work whose arguments do
    not pickle), "spawn" starts a clean interpreter (for work started once this process is
    large, so the two do not share a heap that this one goes on changing)."""

    def __init__(self, what: str, work: Callable[..., Any], *args: Any, start: Literal["fork", "spawn"] = "fork"):
        context = multiprocessing.get_context(start)
        self.what = what
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(send, work, args), name=what, daemon=True)
        self._process.start()
        send.close()  # the child holds the sending end: when it ends, recv() sees EOF

    def result(self) -> Any:
        try:
            outcome, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise BesideError(f"{self.what} stopped without an answer (exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        if outcome == "raised":
            raise value
        return value

    def stop(self) -> None:
        """End the work unfinished: what it leaves must be safe to leave (a rerun redoes it)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


__all__ = ["Beside", "BesideError"]
