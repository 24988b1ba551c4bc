"""Walking an audit log's chain and head, naming every entry that is not as it was written,
and checking it against the anchors its writers sent elsewhere (`access.audit.anchors`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from access.audit.anchors import Anchor
from access.audit.chain import CHAIN_FIELDS, Head, canonical, is_entry, parse_line
from access.audit.seal import KEY_FIELD, Sealer

MAX_FAULTS = 100


@dataclass(frozen=True)
class Fault:
    """One place where the log is not what goldenbell wrote."""

    # 'unreadable', 'edited', 'inserted', 'deleted', 'relinked', 'truncated', 'head', 'unkeyed', 'anchor'
    kind: str
    message: str
    line: int | None = None
    seq: int | None = None
    file: str | None = None  # a rotated file's name; None for the live file

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"{self.file} line {self.line}" if self.file else f"line {self.line}")
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
    files: tuple[Path, ...] = ()  # rotated files walked before the live one
    anchors: int = 0  # anchors of this log checked (None given: 0)
    last_anchor: Anchor | None = None
    keyed: int = 0  # entries sealed with a key

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def first_fault(self) -> Fault | None:
        return self.faults[0] if self.faults else None


class ChainChecker:
    def __init__(
        self,
        head: Head | None,
        sealer: Sealer | None = None,
        anchors: Sequence[Anchor] | None = None,
        *,
        after_retention: bool = False,
    ):
        self.head = head
        self.sealer = sealer or Sealer()
        self.anchors = anchors
        self.anchored = {anchor.seq for anchor in anchors or ()}
        self.anchor_hits: dict[int, str] = {}  # seq -> stored hash of the entry in the chain
        self.after_retention = after_retention  # the walk starts at a rotated file: earlier ones may be gone
        self.first_seq: int | None = None
        self.keyed = 0
        self.unchecked = 0  # keyed entries whose key is not at hand
        self.file: str | None = None
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
        self.faults.append(Fault(kind, message, line, seq, self.file if line is not None else None))

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
        actual = self._hash(value, number, seq)
        if self.first_seq is None:
            self.first_seq = seq
            if self.after_retention and seq > self.expected_seq and actual == stored:
                self.notes.append(f"entries 1–{seq - 1} were in rotated files since removed (retention)")
                if seq - 1 in self.anchored:  # the one link left to check: the removed file's last hash
                    self.anchor_hits[seq - 1] = prev
                self._advance(seq, actual, stored)
                return
        linked_prev = {self.expected_prev} | ({self.also_prev} if self.also_prev else set())
        self.also_prev = None
        if actual != stored or canonical(value) != raw:
            what = "its hash does not match its content" if actual != stored else "its bytes are not as written"
            self.fault("edited", f"the entry was changed after it was written ({what})", number, seq)
            self._advance(seq, actual, stored)
            self.also_prev = stored
            self.relink = False
            return
        if self.relink:
            self.relink = False
            self._advance(seq, actual, stored)
            return
        if seq > self.expected_seq:
            missing = (
                f"entry {self.expected_seq} is"
                if seq == self.expected_seq + 1
                else f"entries {self.expected_seq}–{seq - 1} are"
            )
            self.fault("deleted", f"{missing} missing before this line", number, seq)
            self._advance(seq, actual, stored)
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
        self._advance(seq, actual, stored)

    def _hash(self, value: dict, number: int, seq: int) -> str:
        """The hash the entry should carry; its own when sealed with a key not at hand."""
        actual = self.sealer.hash_of(value)
        if KEY_FIELD in value:
            self.keyed += 1
        elif self.keyed:
            self.fault(
                "unkeyed",
                "the entry is not sealed with the key, though entries before it are: "
                "written without the key (GOLDENBELL_AUDIT_KEY_FILE unset?) or forged",
                number,
                seq,
            )
        if actual is None:
            self.unchecked += 1
            return value["hash"]
        return actual

    def _advance(self, seq: int, actual: str, stored: str) -> None:
        self.expected_seq = seq + 1
        self.expected_prev = actual
        if self.head is not None and seq == self.head.seq:
            self.head_hash = actual
        if seq in self.anchored:
            self.anchor_hits[seq] = stored

    def finish(self) -> None:
        self._check_head()
        if self.anchors is not None:
            self._check_anchors(self.anchors)
        if self.sealer.keyed and self.entries and not self.keyed:
            self.notes.append(
                "the audit key is set but no entry is sealed with it: written before the key was set up, "
                "or the log was replaced"
            )
        if self.unchecked:
            self.notes.append(
                f"{self.unchecked} entries are sealed with a key not at hand: their content was not checked "
                "(set GOLDENBELL_AUDIT_KEY_FILE to the audit key)"
            )

    def _check_head(self) -> None:
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

    def _check_anchors(self, anchors: Sequence[Anchor]) -> None:
        """Every anchored entry is in the log with the anchored hash, the log does not end
        before the last anchor, and the head is not beyond the last anchor written before it."""
        last = self.expected_seq - 1
        first = self.first_seq or 1
        ordered = sorted(anchors, key=lambda a: (a.seq, a.time))
        gone = [a for a in ordered if a.seq < first - 1]
        if gone:
            self.notes.append(f"{len(gone)} anchors name entries in rotated files since removed: not checked")
        differ = [a for a in ordered if a.seq in self.anchor_hits and self.anchor_hits[a.seq] != a.hash]
        lost = [a for a in ordered if first - 1 <= a.seq <= last and a.seq not in self.anchor_hits]
        if differ:
            a = differ[0]
            more = f"; {len(differ) - 1} later anchors differ too" if len(differ) > 1 else ""
            self.fault(
                "anchor",
                f"entry {a.seq} is not the one anchored at {a.time} ({a.sink}): the log was rewritten{more}",
                seq=a.seq,
            )
        if lost:
            a = lost[0]
            more = f"; {len(lost) - 1} more anchored entries are missing" if len(lost) > 1 else ""
            self.fault("anchor", f"entry {a.seq}, anchored at {a.time} ({a.sink}), is not in the log{more}", seq=a.seq)
        if ordered and ordered[-1].seq > last:
            a = ordered[-1]
            cut = f"entry {a.seq}" if a.seq == last + 1 else f"entries {last + 1}–{a.seq}"
            self.fault(
                "truncated",
                f"the log ends at seq {last} but seq {a.seq} was anchored at {a.time} ({a.sink}): "
                f"{cut} were cut off the end",
                seq=last or None,
            )
        self._check_head_anchored([a for a in ordered if a.sink == "file"])
        if ordered and last > ordered[-1].seq:
            after = last - ordered[-1].seq
            unsealed = "" if self.keyed else ": without the audit key, whoever can write the log could have added them"
            self.notes.append(
                f"{after} entries after the last anchor (seq {ordered[-1].seq}) are in no anchor{unsealed}"
            )

    def _check_head_anchored(self, written_first: list[Anchor]) -> None:
        # A file anchor is written before its head moves: a head beyond the last one was
        # moved by something that did not anchor it.
        head = self.head
        if not written_first or head is None or head.seq <= written_first[-1].seq:
            return
        self.fault(
            "head",
            f"the head record names seq {head.seq}, but the last file anchor names seq {written_first[-1].seq}: "
            "the head was moved without anchoring it — rewritten, or the anchor file could not be written "
            "(see the audit.anchor entries)",
        )
