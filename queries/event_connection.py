"""A DuckDB connection over the event store for the rules: `passages` (every stored
passage, or a narrower view a lookup points it at), `places` (the graph's checkpoints and
gates, with names and coordinates) and the graph tables the rules declare, each read once
per connection."""

from __future__ import annotations

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
    store: EventStore, gateway: Gateway, rules: Iterable[event_rules.EventRule] | None = None
) -> duckdb.DuckDBPyConnection:
    """DuckDB over the store's passages (`passages`, over `stored_passages`), with the graph's
    places beside them and the graph tables `rules` read (every built-in rule's by default:
    name fewer rules to read fewer, as the table of every person is large)."""
    con = store.connect()
    store.define_views(con, "stored_passages")
    whole_store(con)
    places = pa.Table.from_pylist(gateway.read("events.places", _PLACES, {}).data(), schema=_PLACE_COLUMNS)
    con.register("graph_places", places)
    con.execute("CREATE TEMP TABLE places AS SELECT * FROM graph_places")
    con.unregister("graph_places")
    try:
        event_tables.register(con, gateway, event_tables.declared_in(event_rules.rules() if rules is None else rules))
    except BaseException:
        con.close()
        raise
    return con


def whole_store(con: duckdb.DuckDBPyConnection) -> None:
    """Point `passages` at every stored passage again (after a run narrowed it)."""
    con.execute("CREATE OR REPLACE TEMP VIEW passages AS SELECT * FROM stored_passages")
