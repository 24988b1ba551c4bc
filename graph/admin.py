"""What a database holds, and emptying it: the queries behind `db status` and `db wipe`."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema


@dataclass(frozen=True)
class DatabaseStatus:
    uri: str
    database: str
    version: str
    edition: str
    nodes: int
    relationships: int
    labels: dict[str, int] = field(default_factory=dict)
    relationship_types: dict[str, int] = field(default_factory=dict)


_COMPONENTS = "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition"


def database_status(gateway: Gateway, schema: Schema) -> DatabaseStatus:
    info = gateway.read("admin.components", _COMPONENTS).records[0]
    # COUNT { } over one label or type reads Neo4j's count store, so these cost nothing
    # even on millions of nodes; the labels and types come from the schema.
    label_sql = ", ".join(f"COUNT {{ MATCH (:{quote(label)}) }} AS n{i}" for i, label in enumerate(schema.nodes))
    row = gateway.read("admin.label_counts", f"RETURN {label_sql}").records[0]
    labels = {label: row[f"n{i}"] for i, label in enumerate(schema.nodes)}
    type_sql = ", ".join(f"COUNT {{ MATCH ()-[:{quote(t)}]->() }} AS r{i}" for i, t in enumerate(schema.relationships))
    row = gateway.read("admin.type_counts", f"RETURN {type_sql}").records[0]
    types = {t: row[f"r{i}"] for i, t in enumerate(schema.relationships)}
    totals = gateway.read(
        "admin.totals",
        "RETURN COUNT { MATCH (n) } AS nodes, COUNT { MATCH ()-[r]->() } AS rels",
    ).records[0]
    return DatabaseStatus(
        uri=gateway.uri,
        database=gateway.database,
        version=info["version"],
        edition=info["edition"],
        nodes=totals["nodes"],
        relationships=totals["rels"],
        labels=labels,
        relationship_types=types,
    )


def wipe(gateway: Gateway, batch_size: int = 10_000) -> int:
    """Delete every node and relationship in batches; constraints and indexes stay.

    Relationships go first: detaching a checkpoint with a million passages in one
    go would need a million deletions in a single transaction.
    """
    before = gateway.read("admin.count_nodes", "MATCH (n) RETURN count(n) AS c").single_value(0)
    for what, cypher in (
        ("relationships", "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $batch ROWS"),
        ("nodes", "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF $batch ROWS"),
    ):
        gateway.write(f"admin.wipe.{what}", cypher, {"batch": batch_size}, timeout=24 * 3600, autocommit=True)
    return before
