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
- Beyond the head: each sync also sends the head to the anchors (`access.audit.anchors`),
  file anchors before the head moves; entries may be sealed with a key
  (`access.audit.seal`); the live file rotates into numbered files and the chain runs on
  across them (`access.audit.files`).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from access.audit import files
from access.audit.anchors import Anchor, Anchoring, Report
from access.audit.chain import Head, Tail, canonical, entry_hash, last_entry, parse_line, write_all
from access.audit.check import MAX_FAULTS, ChainChecker, Fault, Verification
from access.audit.event import AuditEvent, record_of, utc_now
from access.audit.files import Retention
from access.audit.reading import Consultations, consultations, select
from access.audit.seal import Sealer, load_key
from access.audit.syncer import Syncer
from settings.home import private_dir
from settings.table import Settings

__all__ = ["AuditEvent", "AuditLog", "Fault", "Head", "Verification", "canonical", "entry_hash", "utc_now"]

SYNC_DELAY_S = 0.05  # how long an entry appended with sync=False may stay in the OS's cache
SYSTEM_USER = "goldenbell"  # who records what goldenbell itself noticed (an anchor that failed)


class AuditLog:
    """Append-only, hash-chained JSON lines; an entry is on disk when `append` returns, or within
    SYNC_DELAY_S when appended with sync=False."""

    def __init__(
        self,
        path: Path,
        *,
        anchors: Sequence[str] = (),
        key: bytes | None = None,
        rotate_bytes: int = 0,
        retention: Retention | None = None,
    ):
        self.path = Path(path)
        self.sealer = Sealer(key)
        self.anchoring = Anchoring(self.path.absolute(), anchors, self._record_reports, utc_now)
        self.rotate_bytes = rotate_bytes  # 0: never rotate
        self.retention = retention or Retention()
        # (device, inode, size) of the log after this object's last append, with that entry's
        # seq and hash: while the file stays so, the next append need not read its tail.
        self._after_last: tuple[tuple[int, int, int], int, str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog:
        """The log the settings name (AuditKeyError when the key file cannot be used)."""
        return cls(
            settings.audit_log_path,
            anchors=settings.audit_anchors,
            key=load_key(settings.audit_key_file) if settings.audit_key_file else None,
            rotate_bytes=settings.audit_rotate_bytes,
            retention=Retention.parse(settings.audit_retention),
        )

    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    @property
    def anchor_files(self) -> list[Path]:
        """The file anchors this log writes to: what `verify` checks against by default."""
        return [sink.path for sink in self.anchoring.files]

    # -- writing -------------------------------------------------------------------------

    def append(self, event: AuditEvent, *, sync: bool = True) -> dict[str, Any]:
        """Write `event` as the next entry of the chain; return the entry as stored.

        With `sync` (the default) the entry is on disk when this returns; without, it is
        in the file and reaches the disk within SYNC_DELAY_S (see the module's notes).
        """
        record = record_of(event)
        if event.entities:
            record["entities"] = self.sealer.entities(event.entities)
        reports: list[Report] = []
        fd = self._open_live()
        try:
            info = os.fstat(fd)
            if self._after_last is not None and self._after_last[0] == (info.st_dev, info.st_ino, info.st_size):
                # The file is as this object left it: its last entry is the one written here.
                seq, prev, needs_newline = self._after_last[1], self._after_last[2], False
            else:
                tail = self._tail(fd)
                head = self.read_head()
                # Continuing from the head, not only the file, keeps a cut-off end visible as a gap.
                seq, prev, needs_newline = max(tail.seq, head.seq if head else 0), tail.hash, tail.needs_newline
            record["seq"] = seq + 1
            record["prev"] = prev
            record["hash"] = self.sealer.seal(record)
            data = (b"\n" if needs_newline else b"") + canonical(record) + b"\n"
            write_all(fd, data)
            self._after_last = ((info.st_dev, info.st_ino, info.st_size + len(data)), record["seq"], record["hash"])
            if sync:
                os.fsync(fd)
                head = Head(record["seq"], record["hash"])
                reports = self.anchoring.anchor(head) if self.anchoring else []
                self._write_head(head)
        finally:
            os.close(fd)  # also releases the lock
        if not sync:
            _SYNCER.soon(self)
        self._record_reports(reports)
        return record

    def _open_live(self) -> int:
        """The live file, open and exclusively locked; rotated first when it is due."""
        while True:
            try:
                # 0600: the log names who looked at whom, so only its owner reads it.
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            except FileNotFoundError:
                private_dir(self.path.parent)
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            keep = False
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if self._still_live(fd):
                    size = os.fstat(fd).st_size
                    tail = self._tail(fd) if self.rotate_bytes and size >= self.rotate_bytes else None
                    if tail is None or not tail.seq:
                        keep = True
                        return fd
                    files.rotate(self.path, fd, tail.seq)
                    files.prune(self.path, self.retention)
                # Rotated away (by this writer or one we waited for): take the new live file.
            finally:
                if not keep:
                    os.close(fd)

    def _still_live(self, fd: int) -> bool:
        try:
            current = os.stat(self.path)
        except FileNotFoundError:
            return False
        info = os.fstat(fd)
        return (current.st_dev, current.st_ino) == (info.st_dev, info.st_ino)

    def _tail(self, fd: int) -> Tail:
        """The last entry; in a live file still empty after a rotation, the rotated file's last."""
        tail = last_entry(fd, self.sealer.hash_of)
        if tail.seq or os.fstat(fd).st_size:
            return tail
        older = files.rotated(self.path)
        if not older:
            return tail
        with older[-1].open("rb") as handle:
            before = last_entry(handle.fileno(), self.sealer.hash_of)
        return Tail(before.seq, before.hash, False)

    def flush(self) -> None:
        """Force entries appended with sync=False to disk now."""
        _SYNCER.now(self.path)

    def _sync(self) -> None:
        """Force the log to disk, anchor the last entry on disk, then move the head to it.

        The slow parts (the syncs) run without the lock, so appends do not wait for them.
        """
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            return  # removed since (a test's temporary folder): nothing left to keep
        reports: list[Report] = []
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            tail = last_entry(fd, self.sealer.hash_of)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.fsync(fd)  # everything up to `tail`, and maybe more, is now on disk
            head = self.read_head()
            if not tail.seq or (head is not None and head.seq >= tail.seq):
                return  # nothing new (or a rotation just emptied the live file: its writer synced)
            if self.anchoring:
                reports = self.anchoring.anchor(Head(tail.seq, tail.hash))  # before the head moves
            # The syncer thread and a flush (or the exit hook) may sync at once: a file each.
            suffix = f".sync{os.getpid()}.{id(self)}.{os.urandom(4).hex()}"
            temporary = self._head_file(Head(tail.seq, tail.hash), suffix=suffix)
            fcntl.flock(fd, fcntl.LOCK_EX)
            head = self.read_head()
            if head is None or head.seq < tail.seq:  # never move the head back
                os.replace(temporary, self.head_path)
            else:
                temporary.unlink()
        finally:
            os.close(fd)
            self._record_reports(reports)

    def _record_reports(self, reports: list[Report]) -> None:
        """Record that an anchor sink began or stopped failing (never while the log is locked)."""
        for outcome, message in reports:
            event = AuditEvent(user=SYSTEM_USER, action="audit.anchor", outcome=outcome, message=message)
            self.append(event, sync=False)

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

    def _snapshot(self) -> tuple[IO[bytes] | None, int, Head | None, list[Path]]:
        """The live file (open), its length, the head and the rotated files, as one writer left
        them: a shared lock waits out an append or a rotation."""
        while True:
            try:
                handle = self.path.open("rb")
            except FileNotFoundError:
                return None, 0, self.read_head(), files.rotated(self.path)
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
            if self._still_live(handle.fileno()):
                size, head, older = os.fstat(handle.fileno()).st_size, self.read_head(), files.rotated(self.path)
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
                return handle, size, head, older
            handle.close()

    @staticmethod
    def _lines(handle: IO[bytes], size: int | None = None) -> Iterator[tuple[int, bytes]]:
        """(line number, bytes without the newline) of the first `size` bytes."""
        offset = 0
        for number, raw in enumerate(handle, start=1):
            if size is not None and offset >= size:
                return
            yield number, raw.rstrip(b"\n")
            offset += len(raw)

    def events(self) -> Iterator[dict[str, Any]]:
        """Every readable entry, oldest first, rotated files first (unreadable lines are
        `verify`'s to report)."""
        for path in [*files.rotated(self.path), self.path]:
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                continue  # removed by retention meanwhile, or no log yet
            with handle:
                for raw in handle:
                    if raw.strip():
                        value = parse_line(raw)
                        if isinstance(value, dict):
                            yield value

    def read(self, *, limit: int | None = None, newest_first: bool = True, **filters: Any) -> list[dict[str, Any]]:
        """Entries that match every filter given (see `access.audit.reading.select`)."""
        return select(self.events(), limit=limit, newest_first=newest_first, **filters)

    def consulted(self, entity: str, *, limit: int | None = None) -> Consultations:
        """The entries whose consultation returned `entity` (Label:key), newest first."""
        return consultations(self.events(), self.sealer, entity, limit=limit)

    # -- verifying -----------------------------------------------------------------------

    def verify(self, anchors: Sequence[Anchor] | None = None) -> Verification:
        """Walk the chain across the rotated files and the live one, and the head; with
        `anchors`, check the log against those that name it. Name every entry that is not as
        it was written.

        After a fault the walk resynchronises, so one edit yields one fault and later
        faults are still found (at most MAX_FAULTS are kept).
        """
        handle, size, head, older = self._snapshot()
        name = str(self.path.absolute())
        mine = None if anchors is None else [anchor for anchor in anchors if anchor.log == name]
        checker = ChainChecker(head, self.sealer, mine, after_retention=bool(older))
        try:
            for path in older:
                checker.file = path.name
                with path.open("rb") as rotated:
                    self._walk(checker, self._lines(rotated))
            checker.file = None
            if handle is not None:
                self._walk(checker, self._lines(handle, size))
        finally:
            if handle is not None:
                handle.close()
        checker.finish()
        if anchors is not None and not mine and checker.entries:
            named = ", ".join(sorted({anchor.log for anchor in anchors}))
            found = f"none of the {len(anchors)} anchors names it (they name {named})" if anchors else "none was found"
            checker.fault("anchor", f"the log has entries but no anchor vouches for {name}: {found}")
        return Verification(
            path=self.path,
            entries=checker.entries,
            last_seq=checker.expected_seq - 1,
            last_hash=checker.expected_prev,
            unchained=checker.unchained,
            head=head,
            faults=tuple(checker.faults[:MAX_FAULTS]),
            notes=tuple(checker.notes),
            files=tuple(older),
            anchors=len(mine or ()),
            last_anchor=max(mine, key=lambda a: a.seq) if mine else None,
            keyed=checker.keyed,
        )

    @staticmethod
    def _walk(checker: ChainChecker, lines: Iterator[tuple[int, bytes]]) -> None:
        for number, raw in lines:
            checker.line(number, raw)
            if len(checker.faults) >= MAX_FAULTS:
                return


_SYNCER = Syncer(SYNC_DELAY_S)
