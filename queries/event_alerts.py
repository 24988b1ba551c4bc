"""Alert rules on the event store: the event rules that name their entities (`alert:`) run
on DuckDB over the stored passages, and their hits become the same Alert nodes the pack's
Cypher twin would store — same id (rule and entities), same severity, same summaries —
so an alert raised by either engine is one alert.

The store's passages are joined with the graph's places (names and coordinates) and the
graph tables the rules declare (licences, owners, watch lists…), each read once per
connection; the entities of each hit are the graph's nodes with those keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

import duckdb

from access.actor import Actor
from access.audit.log import AuditLog
from events.store import EventStore
from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from queries import alerts, event_rules, event_tables
from queries.alert_summary import TemplateError, render
from queries.event_connection import open_events, whole_store
from queries.pack_model import Catalog


@dataclass(frozen=True)
class Found:
    rule: str
    hits: list[alerts.Hit]
    seconds: float  # the rule's SQL on DuckDB


def event_hits(
    con: duckdb.DuckDBPyConnection,
    gateway: Gateway,
    schema: Schema,
    catalog: Catalog,
    rule: event_rules.EventRule,
    params: Mapping[str, Any] | None = None,
) -> Found:
    """The alerts one rule finds, not yet stored."""
    if not rule.alert:
        raise alerts.AlertError(f"{rule.id} is not an alert rule (its file names no alert entities)")
    twin = catalog.query(rule.id)
    values = rule.values(params)  # idempotent: checked values check again as themselves
    began = perf_counter()
    rows = event_rules.run(con, rule, values)
    seconds = perf_counter() - began
    nodes = _nodes(gateway, schema, rule, rows)
    found: dict[str, alerts.Hit] = {}
    for row in rows:
        entities = []
        for entity in rule.alert:
            element_id = nodes.get((entity.label, row[entity.column]))
            if element_id is None:
                break  # as the Cypher twin, which matches the node, a hit without it is none
            entities.append(
                {"label": entity.label, "key": row[entity.column], "role": entity.role, "element_id": element_id}
            )
        else:
            alert_id = alerts.fingerprint(rule.id, [f"{e['label']}:{e['key']}" for e in entities])
            zh, en = _summaries(rule.id, twin.summary, row, values)
            evidence = tuple(row[rule.evidence] or ()) if rule.evidence else ()
            found[alert_id] = alerts.Hit(alert_id, rule.id, zh, entities, en, twin.severity or "", evidence)
    return Found(rule.id, list(found.values()), seconds)


def run_event_alerts(
    con: duckdb.DuckDBPyConnection,
    gateway: Gateway,
    schema: Schema,
    catalog: Catalog,
    audit: AuditLog,
    actor: Actor,
    *,
    store: EventStore | None = None,
    rule: str | None = None,
    params: Mapping[str, Any] | None = None,
    incremental: bool = False,
) -> list[alerts.RuleReport]:
    """Run one event alert rule or all of them and store what they find, audited as `alert.run`.

    With `incremental` (and the `store` the connection reads), a rule that ran before looks
    only at the plates the files stored since then concern (see `restrict`), if the graph
    facts it reads (its tables and the places) are as they were then; a rule that never
    ran, says nothing of how to, or reads facts that changed or that no key covers, looks
    at everything. Either way the run is the rule's new watermark."""
    chosen = [event_rules.rule(rule)] if rule else [r for r in event_rules.rules() if r.alert]
    run_id = "alerts-events-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    stored = {r.sha256 for r in store.receipts()} if store is not None else set()
    reports = []
    values_of = {each.id: each.values(params if rule else None) for each in chosen}
    graphs = {each.id: graph_state(con, each) for each in chosen}
    narrowed: dict[str, tuple[str, ...]] = {}  # rule → the files stored since its last run
    for each in chosen:
        before = store.considered(each.id) if store is not None and incremental else None
        graph = graphs[each.id]
        same_graph = graph is not None and store is not None and graph == store.considered_graph(each.id)
        if before is not None and each.incremental is not None and same_graph:
            narrowed[each.id] = tuple(sorted(stored - before))
    for files in set(narrowed.values()):
        # The plates of every rule narrowed to these files, read from the store at once.
        gather(con, [(r, values_of[r.id]) for r in chosen if narrowed.get(r.id) == files], list(files))
    for each in chosen:
        values, graph = values_of[each.id], graphs[each.id]
        scope = "all"
        if each.id in narrowed:
            scope = f"{restrict(con, each, values, list(narrowed[each.id]))} plates"
        try:
            found = event_hits(con, gateway, schema, catalog, each, values)
        finally:
            whole_store(con)
        created, updated = alerts.store(gateway, found.hits, run_id=run_id)
        if store is not None:
            store.consider(each.id, stored, graph)
        audit.append(
            actor.event(
                "alert.run",
                parameters={"engine": "events", "scope": scope, **{k: str(v) for k, v in values.items()}},
                query_id=each.id,
                rows=len(found.hits),
            )
        )
        reports.append(
            alerts.RuleReport(
                rule=each.id,
                hits=len(found.hits),
                created=created,
                updated=updated,
                elapsed_ms=found.seconds * 1000,
                alert_ids=[h.alert_id for h in found.hits],
                scope=scope,
            )
        )
    return reports


def stored_alerts(
    store: EventStore,
    gateway: Gateway,
    schema: Schema,
    catalog: Catalog,
    audit: AuditLog,
    actor: Actor,
    rule_ids: list[str],
    params: Mapping[str, Any] | None = None,
) -> list[alerts.RuleReport]:
    """These event alert rules over the whole store, on one connection that reads only their
    graph tables: what `goldenbell alerts run` does for a passage rule once passages are in
    the store (alerts.run_rules' `on_store`)."""
    chosen = [event_rules.rule(rule_id) for rule_id in rule_ids]
    con = open_events(store, gateway, chosen)
    try:
        return [
            report
            for rule_id in rule_ids
            for report in run_event_alerts(
                con, gateway, schema, catalog, audit, actor, store=store, rule=rule_id, params=params
            )
        ]
    finally:
        con.close()


def graph_state(con: duckdb.DuckDBPyConnection, rule: event_rules.EventRule) -> str | None:
    """One key of the graph facts `rule` reads in `con` (queries/event_tables.py): its tables
    and the places. None when one of them has no key."""
    keys = event_tables.table_keys(con, [*(t.name for t in rule.tables), "places"])
    if None in keys.values():
        return None
    return hashlib.sha256(json.dumps(keys, sort_keys=True).encode("utf-8")).hexdigest()


def restrict(
    con: duckdb.DuckDBPyConnection, rule: event_rules.EventRule, values: Mapping[str, Any], new_files: list[str]
) -> int:
    """Point `passages` at the whole history of the plates a hit of `rule` could newly
    concern: those with a passage in `new_files`, and (for a meeting rule) those that met
    one. A hit whose plates are all outside saw no new passage and is what it was. Returns
    how many plates are looked at."""
    pool = _pool(con, new_files)
    concerned = _concerned(con, rule, values, pool)
    _extend(con, pool, [concerned])
    plates = con.execute(f"SELECT count(*) FROM {concerned}").fetchall()[0][0]
    if plates == con.execute(f"SELECT count(*) FROM {pool}_plates").fetchall()[0][0]:
        con.execute(f"CREATE OR REPLACE TEMP VIEW passages AS SELECT * FROM {pool}")
    else:
        narrowed = f"SELECT * FROM {pool} SEMI JOIN {concerned} USING (plate)"
        con.execute(f"CREATE OR REPLACE TEMP TABLE narrowed AS {narrowed}")
        con.execute("CREATE OR REPLACE TEMP VIEW passages AS SELECT * FROM narrowed")
    return plates


def gather(
    con: duckdb.DuckDBPyConnection,
    rules: list[tuple[event_rules.EventRule, Mapping[str, Any]]],
    new_files: list[str],
) -> None:
    """Read at once the whole history of every plate these rules (with these values) could
    newly concern after `new_files`, for `restrict` to find: reading the whole store to keep
    a day's plates takes a city a second or more, and every rule after a day's import needs
    the same plates, or a few more that met them."""
    pool = _pool(con, new_files)
    _extend(con, pool, [_concerned(con, rule, values, pool) for rule, values in rules])


def _pool(con: duckdb.DuckDBPyConnection, new_files: list[str]) -> str:
    """The name of this connection's temp tables for these files: `<it>` the passages of the
    plates gathered so far, `<it>_plates` those plates, `<it>_fresh` the files' own passages,
    `<it>_met_<digest>` the plates concerned for a meeting gap (none: by plate alone)."""
    pool = "narrowed_" + hashlib.sha256(json.dumps(new_files).encode("utf-8")).hexdigest()[:16]
    if not _exists(con, pool):
        # The names are this module's own: a digest of the files.
        con.execute(
            f"CREATE TEMP TABLE {pool}_fresh AS "
            "SELECT plate, place_id, coalesce(direction, '') AS direction, day, time FROM stored_passages "
            "WHERE source_file IN (SELECT unnest($files))",
            {"files": new_files},
        )
        con.execute(f"CREATE TEMP TABLE {pool}_plates (plate VARCHAR)")
        con.execute(f"CREATE TEMP TABLE {pool} AS SELECT * FROM stored_passages LIMIT 0")
    return pool


def _extend(con: duckdb.DuckDBPyConnection, pool: str, tables: list[str]) -> None:
    """Add to the pool the passages of the plates in these tables (of `_concerned`) it lacks."""
    plates = " UNION ".join(f"SELECT plate FROM {table}" for table in tables)
    lacking = f"SELECT DISTINCT plate FROM ({plates}) ANTI JOIN {pool}_plates USING (plate)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE lacking AS {lacking}")
    if con.execute("SELECT count(*) FROM lacking").fetchall()[0][0]:
        con.execute(f"INSERT INTO {pool} SELECT * FROM stored_passages SEMI JOIN lacking USING (plate)")
        con.execute(f"INSERT INTO {pool}_plates SELECT plate FROM lacking")


def _concerned(
    con: duckdb.DuckDBPyConnection, rule: event_rules.EventRule, values: Mapping[str, Any], pool: str
) -> str:
    """The temp table of the plates a hit of `rule` could newly concern, from the new files'
    passages in `<pool>_fresh`; one per meeting gap, as both `gather` and `restrict` ask."""
    minutes = values[rule.incremental.met_within] if rule.incremental and rule.incremental.met_within else None
    kept = f"{pool}_met_" + hashlib.sha256(json.dumps(minutes).encode("utf-8")).hexdigest()[:8]
    if not _exists(con, kept):
        met = ""
        if minutes is not None:
            met = f"""
                UNION
                SELECT o.plate FROM stored_passages AS o
                JOIN {pool}_fresh AS f
                  ON o.place_id = f.place_id AND coalesce(o.direction, '') = f.direction AND o.day = f.day
                WHERE abs(epoch_us(o.time) - epoch_us(f.time)) <= $minutes * 60 * 1000000
            """
        con.execute(
            f"CREATE TEMP TABLE {kept} AS SELECT DISTINCT plate FROM {pool}_fresh {met}",
            {"minutes": minutes} if met else {},
        )
    return kept


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    known = "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = $name"
    return bool(con.execute(known, {"name": table}).fetchall()[0][0])


def _nodes(
    gateway: Gateway, schema: Schema, rule: event_rules.EventRule, rows: list[dict[str, Any]]
) -> dict[tuple[str, Any], str]:
    """(label, key) → element id of every entity the rows name that the graph holds."""
    found: dict[tuple[str, Any], str] = {}
    for label in sorted({e.label for e in rule.alert}):
        if label not in schema.nodes:
            raise alerts.AlertError(f"rule {rule.id}: {label} is no label of the schema")
        key = schema.nodes[label].key
        keys = sorted({row[e.column] for row in rows for e in rule.alert if e.label == label} - {None})
        statement = (
            f"MATCH (n:{quote(label)}) WHERE n.{quote(key)} IN $keys RETURN n.{quote(key)} AS key, elementId(n) AS id"
        )
        for record in gateway.read("alerts.event_entities", statement, {"keys": keys}).records:
            found[(label, record["key"])] = record["id"]
    return found


def _summaries(rule_id: str, summary: Mapping[str, str] | None, row: Mapping[str, Any], values) -> tuple[str, str]:
    if summary is None:
        text = str(row.get("summary") or "")
        return text, text
    try:
        return render(summary.get("zh"), "zh", row, values), render(summary.get("en"), "en", row, values)
    except TemplateError as exc:
        raise alerts.AlertError(f"rule {rule_id}: {exc}") from None
