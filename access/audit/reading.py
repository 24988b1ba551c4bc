"""Finding entries in the audit log: by who, what, outcome, case and time; and by the entity a
consultation returned ("who looked at this person")."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from access.audit.seal import KEY_FIELD, Sealer, check_entity, is_keyed_entity


@dataclass(frozen=True)
class Consultations:
    entries: list[dict[str, Any]]  # newest first
    unsearchable: int  # entries keeping their entities under a key not at hand


def select(
    entries: Iterable[dict[str, Any]],
    *,
    user: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    case_ref: str | None = None,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[dict[str, Any]]:
    """Entries that match every filter given. `action` matches itself and its sub-actions
    ('query' matches 'query.run'); `since`/`until` bound the time (UTC, until exclusive);
    `limit` keeps the newest matches."""
    low = _utc_text(since)
    high = _utc_text(until)

    def wanted(entry: Mapping[str, Any]) -> bool:
        entry_action = str(entry.get("action", ""))
        stamp = str(entry.get("time", ""))
        return (
            (user is None or entry.get("user") == user)
            and (action is None or entry_action == action or entry_action.startswith(action + "."))
            and (outcome is None or entry.get("outcome") == outcome)
            and (case_ref is None or entry.get("case_ref") == case_ref)
            and (low is None or stamp >= low)
            and (high is None or stamp < high)
        )

    kept: deque[dict[str, Any]] = deque(maxlen=limit if limit and limit > 0 else None)
    for entry in entries:
        if wanted(entry):
            kept.append(entry)
    out = list(kept)
    return out[::-1] if newest_first else out


def consultations(
    entries: Iterable[dict[str, Any]], sealer: Sealer, entity: str, *, limit: int | None = None
) -> Consultations:
    """The entries that returned `entity` (Label:key), kept as it is or as its keyed hash;
    newest first, the newest `limit` of them. Entries whose entities are hashed with a key
    not at hand cannot be searched: they are counted."""
    forms = {check_entity(entity), sealer.entity(entity)}
    kept: deque[dict[str, Any]] = deque(maxlen=limit if limit and limit > 0 else None)
    unsearchable = 0
    for entry in entries:
        stored = entry.get("entities")
        if not isinstance(stored, list):
            continue
        if any(isinstance(item, str) and item in forms for item in stored):
            kept.append(entry)
        elif entry.get(KEY_FIELD) != sealer.key_id and any(
            isinstance(item, str) and is_keyed_entity(item) for item in stored
        ):
            unsearchable += 1
    return Consultations(list(kept)[::-1], unsearchable)


def _utc_text(value: str | datetime | None) -> str | None:
    """Times as comparable UTC text (the log writes UTC with milliseconds)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds")
