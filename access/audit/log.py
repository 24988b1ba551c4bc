"""The audit trail: who consulted what, when, why, and how many rows came back.

Every package records consultations through `AuditLog.append`; nothing else writes
the log. The log is a JSON-lines file in which each entry carries a sequence number,
the hash of the entry before it and its own hash, so that an edited, inserted or
deleted entry breaks the chain and `AuditLog.verify` names it.

- Hash: SHA-256 over the entry's canonical form (JSON, keys sorted, no spaces, UTF-8)
  without its `hash` field. Each line *is* that canonical form with `hash` added, so a
  line that re-parses to the same values but differs in its bytes is also caught.
- Chain: `prev` is the previous entry's hash. The first entry's `prev` is the SHA-256
  of every byte before it in the file: empty for a new log, or the lines an older,
  unchained version of goldenbell wrote, which are sealed that way.
- Head: a sidecar file (`<log>.head`) holds the last entry's sequence number and hash.
  Without it, cutting entries off the end leaves a valid chain; with it, `verify`
  sees the log end short of the head. An append after such a cut continues the
  sequence from the head, so the gap stays visible for good.
- Writers: the whole append (read the tail, write, fsync, write the head) holds an
  exclusive `flock` on the log file, so threads and processes (the workbench and the
  CLI at once) take turns and the chain never forks. Nothing returns before the entry
  is on disk.
- Frequent consultations (`append(…, sync=False)`, the query runner's) return once the
  entry is written to the file — the operating system holds it, so killing the process
  loses nothing — and a background syncer forces it to disk within `SYNC_DELAY_S`,
  together with whatever else was appended meanwhile (group commit), and at exit; it
  moves the head then. A disk sync costs more than a typical query; making every
  consultation wait for its own kept the runner from staying within 10 % of the raw
  driver call. Until the syncer runs, the head lags the log, which `verify` notes
  (it is what a writer stopped between entry and head leaves) but is not a fault.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

from access.audit.chain import Head, canonical, entry_hash, last_entry, parse_line, write_all
from access.audit.check import MAX_FAULTS, ChainChecker, Fault, Verification
from settings.table import Settings

__all__ = ["AuditEvent", "AuditLog", "Fault", "Head", "Verification", "canonical", "entry_hash", "utc_now"]

OUTCOMES = frozenset({"ok", "refused", "error"})
_log = logging.getLogger(__name__)
SYNC_DELAY_S = 0.05  # how long an entry appended with sync=False may stay in the OS's cache


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class AuditEvent:
    user: str
    action: str  # 'query.run', 'search', 'expand', 'export', 'import', 'alert.run', 'login', 'user.add', …
    outcome: str = "ok"  # 'ok', 'refused' or 'error'
    message: str = ""  # why it was refused or failed
    query_id: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    case_ref: str = ""
    rows: int | None = None
    time: str = field(default_factory=utc_now)
    role: str = ""
    session: str = ""  # the session's public id (never its token)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"audit outcome must be one of {', '.join(sorted(OUTCOMES))}, not {self.outcome!r}")
        if not self.user:
            raise ValueError("an audit event needs the user who acted")


_EVENT_FIELDS = tuple(f.name for f in fields(AuditEvent))


def _jsonable(value: Any) -> Any:
    # Parameters hold dates, durations and driver values; the log keeps their text form.
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime | date | time_of_day):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"PT{value.total_seconds():g}S"
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _record_of(event: AuditEvent) -> dict[str, Any]:
    # Not dataclasses.asdict: it deep-copies the parameters, which _jsonable copies anyway.
    return {name: _jsonable(getattr(event, name)) for name in _EVENT_FIELDS}


class AuditLog:
    """Append-only, hash-chained JSON lines; an entry is on disk when `append` returns, or within
    SYNC_DELAY_S when appended with sync=False."""

    def __init__(self, path: Path):
        self.path = Path(path)
        # (device, inode, size) of the log after this object's last append, with that entry's
        # seq and hash: while the file stays so, the next append need not read its tail.
        self._after_last: tuple[tuple[int, int, int], int, str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog:
        return cls(settings.audit_log_path)

    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    # -- writing -------------------------------------------------------------------------

    def append(self, event: AuditEvent, *, sync: bool = True) -> dict[str, Any]:
        """Write `event` as the next entry of the chain; return the entry as stored.

        With `sync` (the default) the entry is on disk when this returns; without, it is
        in the file and reaches the disk within SYNC_DELAY_S (see the module's notes).
        """
        record = _record_of(event)
        # 0600: the log names who looked at whom, so only its owner reads it.
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            info = os.fstat(fd)
            where = (info.st_dev, info.st_ino, info.st_size)
            if self._after_last is not None and self._after_last[0] == where:
                # The file is as this object left it: its last entry is the one written here.
                seq, prev, needs_newline = self._after_last[1], self._after_last[2], False
            else:
                tail = last_entry(fd)
                head = self.read_head()
                # Continuing from the head, not only the file, keeps a cut-off end visible as a gap.
                seq, prev, needs_newline = max(tail.seq, head.seq if head else 0), tail.hash, tail.needs_newline
            record["seq"] = seq + 1
            record["prev"] = prev
            record["hash"] = entry_hash(record)
            data = (b"\n" if needs_newline else b"") + canonical(record) + b"\n"
            write_all(fd, data)
            self._after_last = ((info.st_dev, info.st_ino, info.st_size + len(data)), record["seq"], record["hash"])
            if sync:
                os.fsync(fd)
                self._write_head(Head(record["seq"], record["hash"]))
        finally:
            os.close(fd)  # also releases the lock
        if not sync:
            _SYNCER.soon(self.path)
        return record

    def flush(self) -> None:
        """Force entries appended with sync=False to disk now."""
        _SYNCER.now(self.path)

    def _sync(self) -> None:
        """Force the log to disk, then move the head to the last entry that is on disk.

        The slow parts (the syncs) run without the lock, so appends do not wait for them.
        """
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            return  # removed since (a test's temporary folder): nothing left to keep
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            tail = last_entry(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.fsync(fd)  # everything up to `tail`, and maybe more, is now on disk
            if not tail.seq:
                return
            # The syncer thread and a flush (or the exit hook) may sync at once: a file each.
            suffix = f".sync{os.getpid()}.{threading.get_ident()}"
            temporary = self._head_file(Head(tail.seq, tail.hash), suffix=suffix)
            fcntl.flock(fd, fcntl.LOCK_EX)
            head = self.read_head()
            if head is None or head.seq < tail.seq:  # never move the head back
                os.replace(temporary, self.head_path)
            else:
                temporary.unlink()
        finally:
            os.close(fd)

    def _write_head(self, head: Head) -> None:
        os.replace(self._head_file(head), self.head_path)

    def _head_file(self, head: Head, suffix: str = ".tmp") -> Path:
        """A synced file holding `head`, to be renamed over the head record."""
        temporary = self.head_path.with_name(self.head_path.name + suffix)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            write_all(fd, json.dumps({"seq": head.seq, "hash": head.hash}).encode() + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        return temporary

    # -- reading -------------------------------------------------------------------------

    def read_head(self) -> Head | None:
        try:
            value = json.loads(self.head_path.read_bytes())
        except FileNotFoundError:
            return None
        except (UnicodeDecodeError, ValueError):
            return Head(-1, "")  # unreadable: `verify` says so; appends ignore it
        if not (isinstance(value, dict) and isinstance(value.get("seq"), int) and isinstance(value.get("hash"), str)):
            return Head(-1, "")
        return Head(value["seq"], value["hash"])

    def _snapshot(self) -> tuple[int, Head | None]:
        """The log's length and head as one writer left them (a shared lock waits out an append)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return 0, self.read_head()
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            return os.fstat(fd).st_size, self.read_head()
        finally:
            os.close(fd)

    def _lines(self, size: int | None = None) -> Iterator[tuple[int, bytes]]:
        """(line number, bytes without the newline) of the first `size` bytes."""
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            offset = 0
            for number, raw in enumerate(handle, start=1):
                if size is not None and offset >= size:
                    return
                yield number, raw.rstrip(b"\n")
                offset += len(raw)

    def events(self) -> Iterator[dict[str, Any]]:
        """Every readable entry, oldest first (unreadable lines are `verify`'s to report)."""
        for _number, raw in self._lines():
            if raw.strip():
                value = parse_line(raw)
                if isinstance(value, dict):
                    yield value

    def read(
        self,
        *,
        user: str | None = None,
        action: str | None = None,
        outcome: str | None = None,
        case_ref: str | None = None,
        since: str | datetime | None = None,
        until: str | datetime | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[dict[str, Any]]:
        """Entries that match every filter given. `action` matches itself and its sub-actions
        ('query' matches 'query.run'); `since`/`until` bound the time (UTC, until exclusive);
        `limit` keeps the newest matches."""
        low = _utc_text(since)
        high = _utc_text(until)

        def wanted(entry: Mapping[str, Any]) -> bool:
            entry_action = str(entry.get("action", ""))
            stamp = str(entry.get("time", ""))
            return (
                (user is None or entry.get("user") == user)
                and (action is None or entry_action == action or entry_action.startswith(action + "."))
                and (outcome is None or entry.get("outcome") == outcome)
                and (case_ref is None or entry.get("case_ref") == case_ref)
                and (low is None or stamp >= low)
                and (high is None or stamp < high)
            )

        kept: deque[dict[str, Any]] = deque(maxlen=limit if limit and limit > 0 else None)
        for entry in self.events():
            if wanted(entry):
                kept.append(entry)
        out = list(kept)
        return out[::-1] if newest_first else out

    # -- verifying -----------------------------------------------------------------------

    def verify(self) -> Verification:
        """Walk the chain and the head; name every entry that is not as it was written.

        After a fault the walk resynchronises, so one edit yields one fault and later
        faults are still found (at most MAX_FAULTS are kept).
        """
        size, head = self._snapshot()
        checker = ChainChecker(head)
        for number, raw in self._lines(size):
            checker.line(number, raw)
            if len(checker.faults) >= MAX_FAULTS:
                break
        checker.finish()
        return Verification(
            path=self.path,
            entries=checker.entries,
            last_seq=checker.expected_seq - 1,
            last_hash=checker.expected_prev,
            unchained=checker.unchained,
            head=head,
            faults=tuple(checker.faults[:MAX_FAULTS]),
            notes=tuple(checker.notes),
        )


def _utc_text(value: str | datetime | None) -> str | None:
    """Times as comparable UTC text (the log writes UTC with milliseconds)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


class _Syncer:
    """Forces recently appended logs to disk shortly after, many entries per sync."""

    def __init__(self, delay: float):
        self.delay = delay
        self._dirty: set[Path] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def soon(self, path: Path) -> None:
        with self._lock:
            self._dirty.add(path)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="goldenbell-audit-sync", daemon=True)
                self._thread.start()
                atexit.register(self.now)
        self._wake.set()

    def now(self, path: Path | None = None) -> None:
        with self._lock:
            paths = {path} & self._dirty if path is not None else set(self._dirty)
            self._dirty -= paths
        for each in paths:
            AuditLog(each)._sync()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            time.sleep(self.delay)  # let more entries join this sync
            with self._lock:
                paths, self._dirty = self._dirty, set()
            for path in paths:
                try:
                    AuditLog(path)._sync()
                except FileNotFoundError:
                    pass  # its folder was removed (a test's): nothing left to keep
                except OSError as exc:  # the disk refused: keep it for the next round, and say so
                    _log.warning("could not sync the audit log %s: %s; will retry", path, exc)
                    with self._lock:
                        self._dirty.add(path)


_SYNCER = _Syncer(SYNC_DELAY_S)
