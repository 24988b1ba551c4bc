"""Event rules about one plate, run on the store's lookup copies (events/lookup.py) rather
than on every day's file: a rule declares `lookup: {plate: <its plate parameter>}` (and
`others_at_its_places: true` when it compares the plate with the others seen where it
was), and gives on the narrowed `passages` what it gives on the whole store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

from events.lookup import Lookups
from queries import event_rules
from queries.event_connection import whole_store


class NotALookup(ValueError):
    """The rule is not about one plate, so no lookup copy answers it."""


def run_lookup(
    con: duckdb.DuckDBPyConnection,
    lookups: Lookups,
    rule: event_rules.EventRule,
    params: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The rule's rows, read from the lookup copies; `passages` is the whole store again after.

    `con` is a connection of open_events (its `stored_passages` is the whole store)."""
    if rule.lookup is None:
        raise NotALookup(f"rule {rule.id} is not about one plate (its file declares no 'lookup')")
    values = rule.values(params)
    within = values[rule.lookup.others_within] if rule.lookup.others_within else None
    lookups.narrow_to_plate(
        con,
        values[rule.lookup.plate],
        others_at_its_places=rule.lookup.others_at_its_places,
        within_minutes=within,
    )
    try:
        return event_rules.run(con, rule, values)
    finally:
        whole_store(con)
