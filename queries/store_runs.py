"""A pack query about passages, run on the event store once the store holds them: each
passage query of the packs has a twin in queries/event_rules/ with its id and parameters
(and plain-valued columns: a node becomes its key), so `goldenbell query run`, the packs
page and every other caller of the runner get the store's answer instead of the empty one
Passage nodes that are not there would give.

A rule about one plate reads that plate's lookup copies; any other reads every stored file.
Times come back in Beijing time, as the graph's passages carry them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from events.lookup import Lookups
from events.store import EventStore
from graph.gateway import Gateway
from queries import event_rules
from queries.event_connection import open_events
from queries.event_lookups import run_lookup

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class StoreRows:
    columns: list[str]
    rows: list[dict[str, Any]]  # JSON-ready
    truncated: bool
    entities: list[str]  # Label:key of the entities the rows name (for the audit log)


def twin(query_id: str) -> event_rules.EventRule | None:
    """The event rule with this pack query's id, if the packs' query has one."""
    try:
        return event_rules.rule(query_id)
    except event_rules.UnknownRule:
        return None


def run_on_store(
    gateway: Gateway, store: EventStore, rule: event_rules.EventRule, params: Mapping[str, Any], row_cap: int
) -> StoreRows:
    """The rule's rows on the store, at most `row_cap`. ParameterError (a ValueError) for a
    value the rule refuses."""
    values = rule.values(params)
    con = open_events(store, gateway, [rule])
    try:
        found = run_lookup(con, Lookups(store), rule, values) if rule.lookup else event_rules.run(con, rule, values)
    finally:
        con.close()
    kept = found[:row_cap]
    rows = [{k: _plain(v) for k, v in row.items()} for row in kept]
    return StoreRows(list(found[0]) if found else [], rows, len(found) > row_cap, _named(rule, values, kept))


def _named(rule: event_rules.EventRule, values: Mapping[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """The entities an alert rule's rows name, or the plate a lookup is about."""
    named: dict[str, None] = {}
    if rule.lookup is not None and rows:
        named[f"Vehicle:{values[rule.lookup.plate]}"] = None
    for row in rows:
        for entity in rule.alert:
            if row.get(entity.column) is not None:
                named[f"{entity.label}:{row[entity.column]}"] = None
    return list(named)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value.astimezone(BEIJING) if value.tzinfo is not None else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
