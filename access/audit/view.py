"""Reading, verifying, exporting and asking who consulted an entity — each itself an audited act.

The reader's entry is written before the entries are returned (or the file is
written), with the filters as parameters and the number of entries as the row count.
Only roles with READ_AUDIT (auditors, and the operator at the command line) may.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from access.actor import Actor, guard
from access.audit.anchors import read_anchors
from access.audit.log import AuditLog, Verification, canonical
from access.audit.reading import Consultations
from access.audit.seal import check_entity
from access.roles import Permission

EXPORT_FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "seq",
    "time",
    "user",
    "role",
    "session",
    "action",
    "outcome",
    "case_ref",
    "reason",
    "query_id",
    "parameters",
    "rows",
    "entities",
    "message",
    "hash",
)
# A cell starting with one of these is a formula to a spreadsheet; a quote makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    return {name: str(value) for name, value in filters.items() if value not in (None, "")}


def read_audit(audit: AuditLog, actor: Actor, *, limit: int | None = 200, **filters: Any) -> list[dict[str, Any]]:
    """Entries matching `filters` (see AuditLog.read), newest first."""
    asked = {**_filters(filters), **({"limit": limit} if limit else {})}
    guard(audit, actor, Permission.READ_AUDIT, "audit.read", asked)
    entries = audit.read(limit=limit, **filters)
    audit.append(actor.event("audit.read", parameters=asked, rows=len(entries)))
    return entries


def verify_audit(audit: AuditLog, actor: Actor, anchor_files: Sequence[Path] | None = None) -> Verification:
    """Verify the chain; against the anchors in `anchor_files` (None: the log's own file anchors,
    if it has any). OSError when an anchor file cannot be read."""
    files = list(audit.anchor_files if anchor_files is None else anchor_files)
    asked = {"anchors": [str(path) for path in files]} if files else {}
    guard(audit, actor, Permission.READ_AUDIT, "audit.verify", asked)
    anchors = [anchor for path in files for anchor in read_anchors(path)] if files else None
    result = audit.verify(anchors)
    message = "chain intact" if result.ok else f"{len(result.faults)} fault(s); first: {result.first_fault}"
    if anchors is not None:
        message += f"; {result.anchors} anchors checked"
    audit.append(
        actor.event(
            "audit.verify",
            outcome="ok" if result.ok else "error",
            message=message,
            rows=result.entries,
            parameters=asked,
        )
    )
    return result


def who_audit(audit: AuditLog, actor: Actor, entity: str, *, limit: int | None = 500) -> Consultations:
    """Who consulted `entity` (Label:key): the entries whose results held it, newest first.
    The question is itself recorded, naming the entity as the log names entities."""
    check_entity(entity)
    asked = {"limit": limit} if limit else {}
    guard(audit, actor, Permission.READ_AUDIT, "audit.who", asked)
    found = audit.consulted(entity, limit=limit)
    audit.append(replace(actor.event("audit.who", parameters=asked, rows=len(found.entries)), entities=(entity,)))
    return found


def export_audit(audit: AuditLog, actor: Actor, out: Path, fmt: str = "jsonl", **filters: Any) -> int:
    """Write the matching entries, oldest first, to a new owner-only file; return how many.
    JSON lines keep each entry byte for byte (an unfiltered export verifies as a chain)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format is one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    out = Path(out)
    asked = {**_filters(filters), "format": fmt, "out": str(out)}
    guard(audit, actor, Permission.READ_AUDIT, "audit.export", asked)
    entries = audit.read(newest_first=False, **filters)
    body = _jsonl(entries) if fmt == "jsonl" else _csv(entries)
    audit.append(actor.event("audit.export", parameters=asked, rows=len(entries)))
    try:
        # O_EXCL: an export never overwrites a file; 0600: it holds what the log holds.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
    except OSError as exc:
        audit.append(actor.event("audit.export", outcome="error", message=str(exc), parameters=asked))
        raise
    return len(entries)


def _jsonl(entries: list[dict[str, Any]]) -> bytes:
    return b"".join(canonical(entry) + b"\n" for entry in entries)


def _csv(entries: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([spreadsheet_safe(_cell(entry.get(column))) for column in CSV_COLUMNS])
    # A byte-order mark, so spreadsheet programs read the Chinese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
