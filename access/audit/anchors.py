"""Anchors: the head of the audit log, sent at every sync to places its writer cannot rewrite.

The head record beside the log catches entries cut off the end, but whoever can write the
log can write the head too. So each sync also sends the head — `{"anchor":
"goldenbell-audit", "log", "seq", "hash", "time", "sink"}` — to the sinks in
`GOLDENBELL_AUDIT_ANCHORS`, and `goldenbell audit verify --anchors FILE` checks the log
against what they kept:

- `file:/path` — one JSON line appended (and synced) per sync, before the head moves. Meant
  for a file the service account may append to but not rewrite: another mount, a file
  with `chattr +a`, a folder shipped off the machine.
- `syslog` or `syslog:/dev/log` or `syslog:host:port` — one message to the system log
  (journald, rsyslog) under the `auth` facility, through Python's SysLogHandler.
- `http://…` or `https://…` — the JSON POSTed to a log server, straight to it (no proxy).

Syslog and HTTP are sent by a thread of their own, after the head moves, with a timeout of
ANCHOR_TIMEOUT_S: the writer never waits for the network. When more heads queue up than it
can send, only the newest is sent (a later anchor covers the entries before it). A sink
that fails is reported once (a warning, and an `audit.anchor` entry with outcome `error`),
and once more when it works again.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from logging.handlers import SysLogHandler
from pathlib import Path
from typing import Any

from access.audit.chain import Head, write_all

MARK = "goldenbell-audit"
ANCHOR_TIMEOUT_S = 3.0
DEFAULT_SYSLOG = "/dev/log"
_log = logging.getLogger(__name__)

# (outcome, message) of a sink that began or stopped failing: the log records each.
Report = tuple[str, str]


@dataclass(frozen=True)
class Anchor:
    log: str
    seq: int
    hash: str
    time: str
    sink: str  # 'file', 'syslog' or 'http': a file anchor is written before its head moves

    def record(self) -> dict[str, Any]:
        fields = {"log": self.log, "seq": self.seq, "hash": self.hash, "time": self.time, "sink": self.sink}
        return {"anchor": MARK, **fields}

    def line(self) -> bytes:
        return json.dumps(self.record(), sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor in `path`: an anchor file, a log server's store or a syslog file (other
    lines are skipped). OSError when the file cannot be read."""
    found = []
    with Path(path).open("rb") as handle:
        for raw in handle:
            start = raw.find(b"{")
            if start < 0:
                continue
            try:
                value = json.loads(raw[start:].rstrip(b"\r\n\x00 "))
            except (UnicodeDecodeError, ValueError):
                continue
            anchor = _anchor_of(value)
            if anchor is not None:
                found.append(anchor)
    return found


def _anchor_of(value: Any) -> Anchor | None:
    if not (isinstance(value, dict) and value.get("anchor") == MARK):
        return None
    seq, digest = value.get("seq"), value.get("hash")
    if not (isinstance(seq, int) and not isinstance(seq, bool) and isinstance(digest, str)):
        return None
    return Anchor(str(value.get("log", "")), seq, digest, str(value.get("time", "")), str(value.get("sink", "")))


class Sink:
    kind = ""

    def __init__(self, spec: str):
        self.spec = spec
        self.failing = False

    def send(self, anchor: Anchor) -> None:
        raise NotImplementedError

    def outcome(self, error: BaseException | None, seq: int) -> Report | None:
        """What to record when this sink starts or stops failing (None while it stays so)."""
        if error is None:
            if not self.failing:
                return None
            self.failing = False
            return "ok", f"anchoring to {self.spec} works again (seq {seq})"
        _log.warning("could not anchor the audit log's head (seq %s) to %s: %s", seq, self.spec, error)
        if self.failing:
            return None
        self.failing = True
        return "error", f"could not anchor the head (seq {seq}) to {self.spec}: {error}"


class FileSink(Sink):
    kind = "file"

    def __init__(self, spec: str, path: Path):
        super().__init__(spec)
        self.path = path

    def send(self, anchor: Anchor) -> None:
        # Not tightened like goldenbell's own files: an administrator may have made it
        # append-only or readable by another account on purpose. It holds no personal data.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            write_all(fd, anchor.line())
            os.fsync(fd)
        finally:
            os.close(fd)


class _RaisingSysLog(SysLogHandler):
    def handleError(self, record: logging.LogRecord) -> None:
        raise  # called inside emit's `except`: the error goes to the sender, which reports it


class SyslogSink(Sink):
    kind = "syslog"

    def __init__(self, spec: str, address: str | tuple[str, int]):
        super().__init__(spec)
        self.address = address
        self._handler: SysLogHandler | None = None

    def send(self, anchor: Anchor) -> None:
        if self._handler is None:
            self._handler = _RaisingSysLog(address=self.address, facility=SysLogHandler.LOG_AUTH)
            self._handler.append_nul = False
        text = f"{MARK}-anchor: " + anchor.line().decode("utf-8").rstrip("\n")
        self._handler.emit(logging.LogRecord(MARK, logging.INFO, __file__, 0, text, None, None))


class HttpSink(Sink):
    kind = "http"
    _opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def send(self, anchor: Anchor) -> None:
        request = urllib.request.Request(
            self.spec, data=anchor.line(), headers={"Content-Type": "application/json"}, method="POST"
        )
        with self._opener.open(request, timeout=ANCHOR_TIMEOUT_S) as answer:
            if not 200 <= answer.status < 300:
                raise OSError(f"the server answered {answer.status}")


def sink_of(spec: str) -> Sink:
    """A sink from one item of GOLDENBELL_AUDIT_ANCHORS."""
    if spec.startswith(("http://", "https://")):
        return HttpSink(spec)
    kind, _, rest = spec.partition(":")
    if kind == "file" and rest:
        return FileSink(spec, Path(rest))
    if kind == "syslog":
        host, _, port = rest.rpartition(":")
        if host and port.isdigit() and not rest.startswith("/"):
            return SyslogSink(spec, (host, int(port)))
        return SyslogSink(spec, rest or DEFAULT_SYSLOG)
    raise ValueError(f"an audit anchor is file:/path, syslog[:address] or an http(s):// URL, not {spec!r}")


class Anchoring:
    """The sinks of one log: file sinks written at once, the others by a sender thread."""

    def __init__(
        self, log: Path, specs: Sequence[str], report: Callable[[list[Report]], None], clock: Callable[[], str]
    ):
        self.log = str(log)
        self.clock = clock
        self.sinks = [sink_of(spec) for spec in specs]
        self.files = [sink for sink in self.sinks if isinstance(sink, FileSink)]
        self.remote = [sink for sink in self.sinks if not isinstance(sink, FileSink)]
        self._report = report
        self._pending: dict[Sink, Head] = {}
        self._busy = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def __bool__(self) -> bool:
        return bool(self.sinks)

    def anchor(self, head: Head) -> list[Report]:
        """Write `head` to the file sinks (before it moves) and queue it for the others."""
        now = self.clock()
        reports = [r for r in (self._send(sink, head, now) for sink in self.files) if r]
        if self.remote:
            with self._changed:
                for sink in self.remote:
                    if sink not in self._pending or self._pending[sink].seq < head.seq:
                        self._pending[sink] = head
                self._start()
                self._changed.notify_all()
        return reports

    def _send(self, sink: Sink, head: Head, now: str) -> Report | None:
        try:
            sink.send(Anchor(self.log, head.seq, head.hash, now, sink.kind))
        except (OSError, ValueError) as exc:  # urllib's errors are OSErrors; a bad address a ValueError
            return sink.outcome(exc, head.seq)
        return sink.outcome(None, head.seq)

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="goldenbell-audit-anchor", daemon=True)
            self._thread.start()
            _OPEN.append(self)

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._pending:
                    self._busy = False
                    self._changed.notify_all()
                    self._changed.wait()
                pending, self._pending = self._pending, {}
                self._busy = True
            reports = [r for r in (self._send(sink, head, self.clock()) for sink, head in pending.items()) if r]
            if reports:
                self._report(reports)

    def flush(self, timeout: float = ANCHOR_TIMEOUT_S * 2) -> bool:
        """Wait until every queued head is sent (or failed), at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True


_OPEN: list[Anchoring] = []


@atexit.register
def _flush_all() -> None:
    # Registered on import, before the log's syncer registers its own exit hook, so this runs
    # after it: the heads of the last sync are sent too.
    for anchoring in list(_OPEN):
        anchoring.flush()
