"""Walking an audit log's chain and head, naming every entry that is not as it was written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from access.audit.chain import CHAIN_FIELDS, Head, canonical, entry_hash, is_entry, parse_line

MAX_FAULTS = 100


@dataclass(frozen=True)
class Fault:
    """One place where the log is not what goldenbell wrote."""

    kind: str  # 'unreadable', 'edited', 'inserted', 'deleted', 'relinked', 'truncated', 'head'
    message: str
    line: int | None = None
    seq: int | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.seq is not None:
            where.append(f"seq {self.seq}")
        return (f"{', '.join(where)}: " if where else "") + f"{self.kind}: {self.message}"


@dataclass(frozen=True)
class Verification:
    path: Path
    entries: int  # chained entries read
    last_seq: int
    last_hash: str
    unchained: int  # lines from before chaining, sealed by the first entry's `prev`
    head: Head | None
    faults: tuple[Fault, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def first_fault(self) -> Fault | None:
        return self.faults[0] if self.faults else None


class ChainChecker:
    def __init__(self, head: Head | None):
        self.head = head
        self.faults: list[Fault] = []
        self.notes: list[str] = []
        self.entries = 0
        self.unchained = 0
        self.started = False  # a chained entry has been seen
        self.prefix = hashlib.sha256()  # the bytes before the first entry
        self.expected_seq = 1
        self.expected_prev = hashlib.sha256(b"").hexdigest()
        self.also_prev: str | None = None  # after an edit: the edited entry's stored hash also links
        self.relink = False  # after a gap or break: accept the next link as it stands
        self.head_hash: str | None = None  # the hash of the entry the head names, once seen
        self.last_line = 0

    def fault(self, kind: str, message: str, line: int | None = None, seq: int | None = None) -> None:
        self.faults.append(Fault(kind, message, line, seq))

    def line(self, number: int, raw: bytes) -> None:
        self.last_line = number
        value = parse_line(raw) if raw.strip() else None
        before_chain = not self.started and not (isinstance(value, dict) and "seq" in value)
        if before_chain and (isinstance(value, dict) or not raw.strip()):
            # A line from before chaining: sealed by the first entry's `prev`.
            self.prefix.update(raw + b"\n")
            self.unchained += 1
            self.expected_prev = self.prefix.hexdigest()
            return
        if not is_entry(value):
            if isinstance(value, dict) and not any(name in value for name in CHAIN_FIELDS):
                # The next genuine entry still links to the one before this line.
                self.fault("inserted", "a line with no place in the chain (no seq, prev and hash)", number)
            else:
                self.fault("unreadable", "not an audit entry (edited, or a write cut short)", number)
                self.relink = True
            if not self.started:
                self.prefix.update(raw + b"\n")
                self.expected_prev = self.prefix.hexdigest()
            return
        self.started = True
        self.entries += 1
        seq, prev, stored = value["seq"], value["prev"], value["hash"]
        actual = entry_hash(value)
        linked_prev = {self.expected_prev} | ({self.also_prev} if self.also_prev else set())
        self.also_prev = None
        if actual != stored or canonical(value) != raw:
            what = "its hash does not match its content" if actual != stored else "its bytes are not as written"
            self.fault("edited", f"the entry was changed after it was written ({what})", number, seq)
            self._advance(seq, actual)
            self.also_prev = stored
            self.relink = False
            return
        if self.relink:
            self.relink = False
            self._advance(seq, actual)
            return
        if seq > self.expected_seq:
            missing = (
                f"entry {self.expected_seq} is"
                if seq == self.expected_seq + 1
                else f"entries {self.expected_seq}–{seq - 1} are"
            )
            self.fault("deleted", f"{missing} missing before this line", number, seq)
            self._advance(seq, actual)
            return
        if seq < self.expected_seq:
            # Keep expecting what came before: the next genuine entry still links to it.
            self.fault(
                "inserted",
                f"the log had already reached seq {self.expected_seq - 1}; this entry was inserted, copied or moved",
                number,
                seq,
            )
            return
        if prev not in linked_prev:
            self.fault(
                "relinked",
                "the entry does not link to the one before it: that one, or this one, was replaced",
                number,
                seq,
            )
        self._advance(seq, actual)

    def _advance(self, seq: int, actual: str) -> None:
        self.expected_seq = seq + 1
        self.expected_prev = actual
        if self.head is not None and seq == self.head.seq:
            self.head_hash = actual

    def finish(self) -> None:
        last = self.expected_seq - 1
        head = self.head
        if head is None:
            if self.entries:
                self.fault("head", "the head record is missing, so entries cut off the end would go unnoticed")
            return
        if head.seq < 0:
            self.fault("head", "the head record is unreadable")
        elif head.seq > last:
            cut = f"entry {head.seq}" if head.seq == last + 1 else f"entries {last + 1}–{head.seq}"
            self.fault(
                "truncated",
                f"the log ends at seq {last} but had reached seq {head.seq}: {cut} were cut off the end",
                self.last_line or None,
                last or None,
            )
        elif self.head_hash is not None and self.head_hash != head.hash:
            self.fault("head", f"entry {head.seq} is not the one the head record names: the log was rewritten")
        elif head.seq < last:
            self.notes.append(
                f"the head record names seq {head.seq}, {last - head.seq} behind the log "
                "(a writer stopped between writing an entry and the head)"
            )
