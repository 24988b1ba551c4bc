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


def rows(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Entries as table rows with one column each; parameters as JSON text."""
    return [
        {
            column: json.dumps(entry.get(column), ensure_ascii=False, sort_keys=True)
            if column == "parameters"
            else entry.get(column)
            for column in COLUMNS
        }
        for entry in entries
    ]
