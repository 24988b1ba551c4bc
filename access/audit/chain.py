"""The audit log's entries on disk: their canonical bytes, their hashes, and the last one.

Shared by the writer (`access.audit.log`) and the verifier (`access.audit.check`); the format
itself is described in `access.audit.log`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

CHAIN_FIELDS = ("seq", "prev", "hash")
_CHUNK = 8192


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def canonical(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(record: Mapping[str, Any]) -> str:
    """The hash of an entry: over its canonical form without the `hash` field."""
    return hashlib.sha256(canonical({k: v for k, v in record.items() if k != "hash"})).hexdigest()


def is_entry(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("seq"), int)
        and not isinstance(value.get("seq"), bool)
        and isinstance(value.get("prev"), str)
        and isinstance(value.get("hash"), str)
    )


def parse_line(line: bytes) -> Any:
    try:
        return json.loads(line)
    except (UnicodeDecodeError, ValueError):
        return None


@dataclass
class Tail:
    seq: int
    hash: str
    needs_newline: bool  # the file ends inside a line (a torn write): end it before appending


HashOf = Callable[[Mapping[str, Any]], str | None]


def _hash(value: Mapping[str, Any], hash_of: HashOf) -> str:
    # An entry sealed with a key not at hand keeps the hash it carries.
    return hash_of(value) or value["hash"]


def last_entry(fd: int, hash_of: HashOf = entry_hash) -> Tail:
    """The last entry's seq and hash (as `hash_of` computes it), read backwards from the end."""
    size = os.fstat(fd).st_size
    if size == 0:
        return Tail(0, hashlib.sha256(b"").hexdigest(), False)
    torn = os.pread(fd, 1, size - 1) != b"\n"
    data = b""
    position = size
    while position > 0:
        step = min(_CHUNK, position)
        position -= step
        data = os.pread(fd, step, position) + data
        body = data.rstrip(b"\n")
        cut = body.rfind(b"\n")
        if body and (cut >= 0 or position == 0):
            value = parse_line(body[cut + 1 :])
            if is_entry(value):
                return Tail(value["seq"], _hash(value, hash_of), torn)
            break
    return _scan(fd, size, needs_newline=torn, hash_of=hash_of)


def _scan(fd: int, size: int, *, needs_newline: bool, hash_of: HashOf) -> Tail:
    """The slow path when the last line is not an entry: the last entry anywhere, or, for a
    log with none yet, the hash of everything so far (which the first entry seals)."""
    prefix = hashlib.sha256()
    last: dict[str, Any] | None = None
    offset = 0
    carry = b""
    while offset < size:
        chunk = os.pread(fd, min(1 << 20, size - offset), offset)
        offset += len(chunk)
        prefix.update(chunk)
        lines = (carry + chunk).split(b"\n")
        carry = lines.pop()
        for raw in lines:
            value = parse_line(raw) if raw.strip() else None
            if is_entry(value):
                last = value
    if carry.strip():
        value = parse_line(carry)
        if is_entry(value):
            last = value
    if last is not None:
        return Tail(last["seq"], _hash(last, hash_of), needs_newline)
    if needs_newline:
        prefix.update(b"\n")
    return Tail(0, prefix.hexdigest(), needs_newline)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
