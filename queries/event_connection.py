"""A DuckDB connection over the event store for the rules: `passages` (every stored
passage, or a narrower view a lookup points it at), `places` (the graph's checkpoints and
gates, with names and coordinates) and the graph tables the rules declare, each read once
per connection, or from the store's copy while what it depends on is unchanged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from events.store import EventStore
from graph.gateway import Gateway
from queries import event_rules, event_tables

_PLACES = """
MATCH (c) WHERE c:Checkpoint OR c:Gate
RETURN coalesce(c.checkpoint_id, c.gate_id) AS place_id,
       CASE WHEN c:Checkpoint THEN 'Checkpoint' ELSE 'Gate' END AS kind, c.name AS name,
       c.location.x AS longitude, c.location.y AS latitude
"""
_PLACE_COLUMNS = pa.schema(
    [
        ("place_id", pa.string()),
        ("kind", pa.string()),
        ("name", pa.string()),
        ("longitude", pa.float64()),
        ("latitude", pa.float64()),
    ]
)


def open_events(
    store: EventStore,
    gateway: Gateway,
    rules: Iterable[event_rules.EventRule] | None = None,
    *,
    fresh: bool = False,
) -> duckdb.DuckDBPyConnection:
    """DuckDB over the store's passages (`passages`, over `stored_passages`), with the graph's
    places beside them and the graph tables `rules` read (every built-in rule's by default:
    name fewer rules to read fewer, as the table of every person is large). With `fresh`, the
    tables are read from the graph even where a kept copy's key holds."""
    con = store.connect()
    store.define_views(con, "stored_passages")
    whole_store(con)
    places = pa.Table.from_pylist(gateway.read("events.places", _PLACES, {}).data(), schema=_PLACE_COLUMNS)
    con.register("graph_places", places)
    con.execute("CREATE TEMP TABLE places AS SELECT * FROM graph_places")
    con.unregister("graph_places")
    try:
        tables = event_tables.declared_in(event_rules.rules() if rules is None else rules)
        kept = None if fresh else store.root / event_tables.KEPT_FOLDER
        event_tables.register(con, gateway, tables, kept=kept)
        # The places are read every time (a few thousand rows); their key is their content.
        listed = json.dumps(places.sort_by("place_id").to_pylist(), ensure_ascii=False)
        content = hashlib.sha256(listed.encode("utf-8")).hexdigest()
        con.execute("INSERT INTO graph_table_keys VALUES ('places', $key)", {"key": content})
    except BaseException:
        con.close()
        raise
    return con


def whole_store(con: duckdb.DuckDBPyConnection) -> None:
    """Point `passages` at every stored passage again (after a run narrowed it)."""
    con.execute("CREATE OR REPLACE TEMP VIEW passages AS SELECT * FROM stored_passages")
