"""The audit page's work: filters from what the auditor picked, entries as table rows.

Days are picked on the calendar of the workbench (Beijing time) and become UTC bounds for
`AuditLog.read`; the last day picked is included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from access.audit.seal import check_entity
from access.audit.view import CSV_COLUMNS

LOCAL = ZoneInfo("Asia/Shanghai")
# Filters on the action match it and its sub-actions ('query' matches 'query.run').
ACTIONS = (
    "login",
    "logout",
    "session",
    "reason",
    "page",
    "search",
    "query",
    "profile",
    "expand",
    "path",
    "map",
    "console",
    "alert",
    "alerts",
    "investigation",
    "export",
    "import",
    "unmask",
    "user",
    "audit",
)
OUTCOMES = ("ok", "refused", "error")
# The export's columns but the hash, which says nothing to a reader.
COLUMNS = tuple(column for column in CSV_COLUMNS if column != "hash")
# Who consulted an entity: when, who, why, and with what.
WHO_COLUMNS = ("time", "user", "role", "session", "case_ref", "reason", "action", "query_id", "parameters", "rows")


def filters(
    *,
    user: str = "",
    action: str = "",
    outcome: str = "",
    case_ref: str = "",
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """Keyword filters for `read_audit` / `export_audit`; blank ones are left out."""
    out: dict[str, Any] = {
        "user": user.strip().lower(),
        "action": action,
        "outcome": outcome,
        "case_ref": case_ref.strip().upper(),
    }
    if since is not None:
        out["since"] = datetime.combine(since, time.min, LOCAL)
    if until is not None:
        out["until"] = datetime.combine(until + timedelta(days=1), time.min, LOCAL)
    return {name: value for name, value in out.items() if value not in (None, "")}


def rows(entries: Iterable[Mapping[str, Any]], columns: tuple[str, ...] = COLUMNS) -> list[dict[str, Any]]:
    """Entries as table rows with one column each; parameters as JSON text."""
    return [
        {
            column: json.dumps(entry.get(column), ensure_ascii=False, sort_keys=True)
            if column == "parameters"
            else entry.get(column)
            for column in columns
        }
        for entry in entries
    ]


def who_rows(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return rows(entries, WHO_COLUMNS)


def entity_ref(text: str) -> str | None:
    """What the auditor typed as Label:key (spaces around it dropped), or None if it is not."""
    ref = (text or "").strip()
    try:
        return check_entity(ref)
    except ValueError:
        return None
