"""One audit event: who did what, when, why, with what outcome, and which entities it touched."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from typing import Any

from access.audit.seal import check_entity

OUTCOMES = frozenset({"ok", "refused", "error"})


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
    # The entities a consultation returned, as Label:key (Person:330402…); the log keeps them
    # as they are, or as keyed hashes when it has a key (see access.audit.seal).
    entities: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"audit outcome must be one of {', '.join(sorted(OUTCOMES))}, not {self.outcome!r}")
        if not self.user:
            raise ValueError("an audit event needs the user who acted")
        if isinstance(self.entities, str):
            raise ValueError("an audit event's entities are a list of Label:key texts, not one text")
        for ref in self.entities:
            check_entity(ref)


# Entities are left out here: the log writes them in the form its key decides, and only when
# there are some, so entries without entities are as they always were.
_EVENT_FIELDS = tuple(f.name for f in fields(AuditEvent) if f.name != "entities")
_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    # Parameters hold dates, durations and driver values; the log keeps their text form.
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime | date | time_of_day):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"PT{value.total_seconds():g}S"
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


def record_of(event: AuditEvent) -> dict[str, Any]:
    """The event as the log's fields, entities aside. Not dataclasses.asdict: it deep-copies
    the parameters, which jsonable copies anyway."""
    return {name: jsonable(getattr(event, name)) for name in _EVENT_FIELDS}
