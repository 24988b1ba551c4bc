"""The audit log's files: the live one, and the rotated ones before it.

When the live file reaches `GOLDENBELL_AUDIT_ROTATE_SIZE` it is renamed `<log>.<last seq>`
(twelve digits, so the names sort in order) and a new live file begins; its first entry's
`prev` is the rotated file's last hash and its `seq` follows on, so the chain runs on across
files and `verify` walks them all, oldest first. `GOLDENBELL_AUDIT_RETENTION` says how many
rotated files (`12 files`) or how many days of them (`365 days`) are kept; `all` keeps every
one. Only rotated files are ever removed, right after a rotation.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

SEQ_DIGITS = 12
_RETENTION = re.compile(r"\s*(?:(all)|([1-9][0-9]*)\s+(files|days))\s*")


@dataclass(frozen=True)
class Retention:
    files: int | None = None  # keep this many rotated files
    days: int | None = None  # keep rotated files this many days

    @classmethod
    def parse(cls, text: str) -> Retention:
        found = _RETENTION.fullmatch(text or "all")
        if not found:
            raise ValueError(f"audit retention is 'all', 'N files' or 'N days', not {text!r}")
        if found.group(1):
            return cls()
        amount = int(found.group(2))
        return cls(files=amount) if found.group(3) == "files" else cls(days=amount)

    def __str__(self) -> str:
        if self.files is not None:
            return f"{self.files} files"
        return f"{self.days} days" if self.days is not None else "all"


def rotated(path: Path) -> list[Path]:
    """The rotated files of the log at `path`, oldest first."""
    name = re.compile(re.escape(path.name) + rf"\.[0-9]{{{SEQ_DIGITS}}}")
    try:
        found = [entry for entry in os.scandir(path.parent) if name.fullmatch(entry.name)]
    except FileNotFoundError:
        return []
    return sorted(path.parent / entry.name for entry in found)


def rotate(path: Path, fd: int, last_seq: int) -> Path:
    """Rename the live file (open as `fd`, under its writer's lock) after its last entry."""
    os.fsync(fd)  # everything in it is on disk before it stops being the live file
    target = path.with_name(f"{path.name}.{last_seq:0{SEQ_DIGITS}d}")
    if target.exists():  # never replace a rotated file: the chain it holds would be lost
        raise FileExistsError(f"cannot rotate the audit log: {target} exists")
    os.rename(path, target)
    _sync_folder(path.parent)
    return target


def prune(path: Path, retention: Retention, now: float | None = None) -> list[Path]:
    """Remove the rotated files beyond `retention`; return them."""
    files = rotated(path)
    if retention.files is not None:
        doomed = files[: max(0, len(files) - retention.files)]
    elif retention.days is not None:
        limit = (time.time() if now is None else now) - retention.days * 86400
        doomed = [file for file in files if file.stat().st_mtime < limit]
    else:
        doomed = []
    for file in doomed:
        with contextlib.suppress(FileNotFoundError):  # another writer pruned it first
            file.unlink()
    if doomed:
        _sync_folder(path.parent)
    return doomed


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
