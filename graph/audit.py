"""The audit trail: who consulted what, when, why, and how many rows came back.

Every package records consultations through `AuditLog.append`; nothing else writes
the log. This first sink is an append-only JSON-lines file. The access-control work
replaces its internals (users, hash chaining, verification) behind the same two names,
so callers need not change.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from graph.settings import Settings

OUTCOMES = frozenset({"ok", "refused", "error"})


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class AuditEvent:
    user: str
    action: str  # 'query.run', 'search', 'expand', 'export', 'import', 'alert.run', 'alert.ack', …
    outcome: str = "ok"  # 'ok', 'refused' or 'error'
    message: str = ""  # why it was refused or failed
    query_id: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    case_ref: str = ""
    rows: int | None = None
    time: str = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"audit outcome must be one of {', '.join(sorted(OUTCOMES))}, not {self.outcome!r}")
        if not self.user:
            raise ValueError("an audit event needs the user who acted")


def _jsonable(value: Any) -> Any:
    # Parameters hold dates, durations and driver values; the log keeps their text form.
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"PT{value.total_seconds():g}S"
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


class AuditLog:
    """Append-only JSON lines; each event is flushed and synced before `append` returns."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog:
        return cls(settings.audit_log_path)

    def append(self, event: AuditEvent) -> None:
        line = json.dumps(_jsonable(asdict(event)), ensure_ascii=False, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # O_APPEND: every write lands at the end even with several writers; 0600: the log
        # names who looked at whom, so only its owner reads it.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def events(self) -> Iterator[dict[str, Any]]:
        """The recorded events, oldest first (for the audit page and tests)."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
