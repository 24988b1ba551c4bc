"""Graph tables: the graph facts an event rule joins with the passages, declared in its
rule file as named, read-only Cypher with the columns it returns and their types.

    tables:
      licences:
        cypher: |
          MATCH (holder:Person)-[:HOLDS_LICENCE]->(lic:DrivingLicence)
          RETURN holder.id_number AS person_id, lic.status AS status, lic.status_since AS status_since
        columns: {person_id: string, status: string, status_since: date}

A table takes no parameters: it is the same for every run, read once per connection
(`register`) into Arrow with the declared types and given to DuckDB as a temp table of
that name, or to Spark as a view (queries/event_spark.py). A rule filters it with its own
parameters in SQL. Loading checks the Cypher as far as the text goes (no writes, no
procedure off the read list, no parameter); reading asks the server's plan as well and
checks the columns it returns are the declared ones, in order.

A table read is kept in the event store (`graph_tables/<name>.parquet`) under a key of
what its rows depend on, and read from there while the key holds: a city's alert tables
take 10 s from the server and a tenth of that from the file. The key is the graph's
store, the Cypher and its columns, and the change log's tokens (graph/changes.py) of
every name the rows could depend on: each word of the Cypher as a label or type (`L+`;
`L+key` instead for a label the plan finds nodes of only through an index on `key`), and
each word as a property of the labels and types it names and of the labels at the ends of
those types (`L.word`). A table whose plan reads past what those names cover (every node,
relationships of any type, a procedure's rows) is read from the server every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from neo4j.time import Date, DateTime

from graph.errors import MemoryLimitExceeded
from graph.schema_types import ANY_LABEL
from graph.yaml_lines import FileFault, LineDict
from queries import cypher_text
from queries.event_parameters import builtin_schema
from queries.readonly import NotReadOnly, operators, read_plan, text_check
from settings.home import open_private, private_dir

if TYPE_CHECKING:
    from graph.gateway import Gateway

# Column type → (Arrow type, Spark DDL type). Times are instants: UTC in Arrow, shown in
# the session's zone by either engine.
COLUMN_TYPES: dict[str, tuple[pa.DataType, str]] = {
    "string": (pa.string(), "STRING"),
    "int": (pa.int64(), "BIGINT"),
    "float": (pa.float64(), "DOUBLE"),
    "bool": (pa.bool_(), "BOOLEAN"),
    "date": (pa.date32(), "DATE"),
    "datetime": (pa.timestamp("us", tz="UTC"), "TIMESTAMP"),
}
# The relations every connection has already, and the store's own helpers: no table may
# take their names.
BUILT_IN = frozenset({"passages", "places"})
_RESERVED = BUILT_IN | {
    "stored_passages",
    "passages_none",
    "fresh",
    "concerned",
    "graph_places",
    "lookup_mine",
    "lookup_others",
    "graph_table_keys",
    "narrowed",
    "lacking",
}
_TABLE_KEYS = {"description", "cypher", "columns", "timeout_s"}
_CHUNK_ROWS = 50_000
# The driver makes a Python date of each Neo4j date, which was most of reading a city's
# 630,000 licences: a date comes as its text instead, in a list of one, so that a text the
# Cypher itself returned is still refused for a date column.
_DATE_AS_TEXT = "CASE WHEN {0} IS :: DATE THEN [toString({0})] ELSE {0} END"
_NAME = re.compile(r"[a-z][a-z0-9_]*")
# A plan operator reading nodes of any label or relationships of any type, or the details
# of one that follows relationships of any type: no names cover what such a table reads.
_ANY_ENTITY_OPERATOR = re.compile(r"AllNodes|AllRelationships|ProcedureCall")
# An index scan or seek returns only the nodes that have its properties:
# "RANGE INDEX v:Vehicle(usage) WHERE usage IS NOT NULL".
_INDEX_OF = re.compile(r"INDEX \w+:(\w+)\(([^)]*)\)")
_ANY_TYPE_DETAILS = re.compile(r"-\[[^\]:]*\]-|--|count\( \(\) \)")
_KEY = b"goldenbell.key"
KEPT_FOLDER = "graph_tables"


def _fault(path: Path, fault: str, line: int) -> FileFault:
    # Imported late: event_rules imports this module for its loader.
    from queries.event_rules import EventRuleError

    return EventRuleError(path, None, fault, line)


@dataclass(frozen=True)
class GraphTable:
    name: str
    path: Path
    line: int
    cypher: str
    columns: tuple[tuple[str, str], ...]  # (name, type), in the order the Cypher returns them
    timeout_s: float | None = None

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(name, COLUMN_TYPES[kind][0]) for name, kind in self.columns])

    @property
    def spark_schema(self) -> str:
        return ", ".join(f"{name} {COLUMN_TYPES[kind][1]}" for name, kind in self.columns)

    def same_as(self, other: GraphTable) -> bool:
        return (self.cypher, self.columns) == (other.cypher, other.columns)


def load_tables(path: Path, block: Any, line: int) -> dict[str, GraphTable]:
    """The `tables:` block of a rule file, checked; EventRuleError naming the line otherwise."""
    if block is None:
        return {}
    if not isinstance(block, LineDict) or not block:
        raise _fault(path, "'tables' is a mapping of name → {cypher, columns}", line)
    return {str(name): _table(path, str(name), entry, block.line_of(name)) for name, entry in block.items()}


def _table(path: Path, name: str, entry: Any, line: int) -> GraphTable:
    def fail(fault: str, key: str | None = None) -> FileFault:
        where = entry.line_of(key) if key and isinstance(entry, LineDict) and key in entry else line
        return _fault(path, f"table {name}: {fault}", where)

    if not _NAME.fullmatch(name):
        raise fail("the name must be lower_snake_case")
    if name in _RESERVED or name.startswith("narrowed_"):
        raise fail("the name is the event store's own")
    if not isinstance(entry, LineDict):
        raise fail("a table is a mapping of cypher and columns")
    unknown = sorted(map(str, set(entry) - _TABLE_KEYS))
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_TABLE_KEYS))}", unknown[0])
    cypher = entry.get("cypher")
    if not isinstance(cypher, str) or not cypher.strip():
        raise fail("'cypher' is missing", "cypher")
    try:
        text_check(cypher)
    except NotReadOnly as exc:
        raise fail(f"the Cypher is not a plain read: {exc.reason}", "cypher") from None
    given = sorted(cypher_text.parameters_used(cypher))
    if given:
        raise fail(f"the Cypher uses ${', $'.join(given)}; a table takes no parameters", "cypher")
    columns = entry.get("columns")
    if not isinstance(columns, LineDict) or not columns:
        raise fail(f"'columns' maps each returned column to one of {', '.join(COLUMN_TYPES)}", "columns")
    for column, kind in columns.items():
        if not isinstance(column, str) or not _NAME.fullmatch(column) or kind not in COLUMN_TYPES:
            where = columns.line_of(column)
            fault = f"table {name}: column {column!r} of type {kind!r}: the name is lower_snake_case, the type"
            raise _fault(path, f"{fault} one of {', '.join(COLUMN_TYPES)}", where)
    timeout = entry.get("timeout_s")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0):
        raise fail(f"'timeout_s' is a number of seconds, not {timeout!r}", "timeout_s")
    return GraphTable(
        name=name,
        path=path,
        line=line,
        cypher=cypher.strip(),
        columns=tuple((str(c), str(k)) for c, k in columns.items()),
        timeout_s=float(timeout) if timeout is not None else None,
    )


def relations(sql: str) -> set[str]:
    """The relations a statement reads (its CTEs left out), from DuckDB's own parse tree;
    ValueError when DuckDB cannot parse it."""
    con = duckdb.connect()
    try:
        [[text]] = con.execute("SELECT json_serialize_sql($sql)", {"sql": sql}).fetchall()
    finally:
        con.close()
    tree = json.loads(text)
    if tree.get("error"):
        raise ValueError(tree.get("error_message") or "DuckDB cannot parse it")
    tables: set[str] = set()
    ctes: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                tables.add(str(node.get("table_name")))
            for cte in (node.get("cte_map") or {}).get("map") or ():
                ctes.add(str(cte.get("key")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return tables - ctes


def read_table(gateway: Gateway, table: GraphTable) -> pa.Table:
    """The table's rows from the graph, with its declared types."""
    _checked_plan(gateway, table)
    return _fetch(gateway, table)


def _checked_plan(gateway: Gateway, table: GraphTable) -> Mapping[str, Any] | None:
    query_id = f"events.table.{table.name}"
    try:
        returned, plan = read_plan(gateway, table.cypher, {}, name=query_id)
    except NotReadOnly as exc:
        fault = f"table {table.name}: the Cypher is not a plain read: {exc.reason}"
        raise _fault(table.path, fault, table.line) from None
    declared = [name for name, _ in table.columns]
    if returned != declared:
        fault = f"table {table.name}: the Cypher returns {returned}, the declaration {declared}"
        raise _fault(table.path, fault, table.line)
    return plan


def _fetch(gateway: Gateway, table: GraphTable) -> pa.Table:
    query_id = f"events.table.{table.name}"
    try:
        rows = _rows_in_chunks(gateway, query_id, table)
    except MemoryLimitExceeded:
        # Too many rows to gather in the server's transaction memory: one record a row.
        rows = [r.values() for r in gateway.read(query_id, table.cypher, {}, timeout=table.timeout_s).records]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in table.columns]
    try:
        return pa.Table.from_arrays(
            [_column(values, kind) for values, (_, kind) in zip(columns, table.columns, strict=True)],
            schema=table.arrow_schema,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as exc:
        fault = f"table {table.name}: a value is not of its declared type: {exc}"
        raise _fault(table.path, fault, table.line) from None


def depends_on(cypher: str, plan: Mapping[str, Any] | None) -> frozenset[str] | None:
    """The change log's names the rows of `cypher` depend on (module docstring); None when
    its plan reads what no name covers."""
    for op in operators(plan):
        details = str((op.get("args") or {}).get("Details") or "")
        if _ANY_ENTITY_OPERATOR.search(str(op.get("operatorType", ""))) or _ANY_TYPE_DETAILS.search(details):
            return None
    schema = builtin_schema()
    words = set(re.findall(r"\w+", cypher))
    by_index = _found_by_index_alone(plan)
    types = words & set(schema.relationships)
    reached = words & set(schema.nodes)
    for rel_type in types:
        ends = {*schema.relationships[rel_type].start, *schema.relationships[rel_type].end}
        reached |= set(schema.nodes) if ANY_LABEL in ends else ends
    names = {f"{word}+" for word in words - set(by_index)}
    names |= {f"{label}+{key}" for label, keys in by_index.items() for key in keys}
    names |= {f"{owner}.{word}" for owner in reached | types for word in words}
    return frozenset(names)


def _found_by_index_alone(plan: Mapping[str, Any] | None) -> dict[str, set[str]]:
    """Label → the indexed properties, for each label the plan finds nodes of only by index
    (any other operator naming it is a filter): a node created without those properties
    cannot be among its rows."""
    indexed: dict[str, set[str]] = {}
    otherwise: set[str] = set()
    for op in operators(plan):
        details = str((op.get("args") or {}).get("Details") or "")
        found = _INDEX_OF.findall(details)
        for label, keys in found:
            indexed.setdefault(label, set()).update(k.strip() for k in keys.split(","))
        if not found and not str(op.get("operatorType", "")).startswith("Filter"):
            otherwise |= set(re.findall(r":(\w+)", details))
    return {label: keys for label, keys in indexed.items() if label not in otherwise}


class _Keys:
    """Each table's key, for one connection: the graph's store is asked once."""

    def __init__(self, gateway: Gateway):
        self.gateway = gateway
        self._store: list[Any] | None = None

    def key(self, table: GraphTable, plan: Mapping[str, Any] | None) -> str | None:
        names = depends_on(table.cypher, plan)
        if names is None or self.gateway.changes is None:
            return None
        tokens = self.gateway.changes.tokens(names)
        if tokens is None:
            return None
        if self._store is None:
            # A store made anew (a bulk load, a wiped folder) has another id and creation time.
            info = "CALL db.info() YIELD id, creationDate RETURN id, toString(creationDate) AS created"
            self._store = list(self.gateway.read("events.graph_store", info, {}).records[0].values())
        text = json.dumps([self._store, table.cypher, table.columns, tokens], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _kept(path: Path, table: GraphTable, key: str) -> pa.Table | None:
    """The table as kept at `path`, if it was kept under `key`."""
    try:
        if (pq.read_schema(path).metadata or {}).get(_KEY) != key.encode():
            return None
        rows = pq.read_table(path)
    except (FileNotFoundError, pa.ArrowException, OSError):
        return None  # not kept, or not readable: read from the graph and kept again
    return rows.replace_schema_metadata(None) if rows.schema.remove_metadata() == table.arrow_schema else None


def _keep(path: Path, rows: pa.Table, key: str) -> None:
    private_dir(path.parent)
    partial = path.with_name(path.name + ".partial")
    with open_private(partial, "wb") as out:
        pq.write_table(rows.replace_schema_metadata({_KEY: key.encode()}), out)
    os.replace(partial, path)


def _rows_in_chunks(gateway: Gateway, query_id: str, table: GraphTable) -> list[list[Any]]:
    """The table's rows, gathered in the server and sent in lists of _CHUNK_ROWS: a million
    rows come back as twenty records, not a million, and the driver's cost is per record
    (a city's million persons: 2 s, against 22 s a record a row). A row is a list, so a
    null keeps its place (collect() drops a bare null)."""
    # The column names are checked lower_snake_case at load, and the Cypher a plain read.
    row = ", ".join(_DATE_AS_TEXT.format(name) if kind == "date" else name for name, kind in table.columns)
    gathered = (
        f"CALL () {{\n{table.cypher}\n}}\nWITH collect([{row}]) AS rows\n"
        f"UNWIND range(0, size(rows) - 1, {_CHUNK_ROWS}) AS at\nRETURN rows[at..at + {_CHUNK_ROWS}] AS chunk"
    )
    chunks = gateway.read(query_id, gathered, {}, timeout=table.timeout_s).records
    return [row for chunk in chunks for row in chunk["chunk"]]


def _column(values: tuple[Any, ...], kind: str) -> pa.Array:
    arrow_type = COLUMN_TYPES[kind][0]
    if kind == "date" and all(isinstance(v, list) or v is None for v in values):
        return pc.cast(pa.array([v and v[0] for v in values], pa.string()), arrow_type)
    if kind in ("date", "datetime"):
        values = [v.to_native() if isinstance(v, Date | DateTime) else v for v in values]
    return pa.array(values, type=arrow_type)


def register(
    con: duckdb.DuckDBPyConnection, gateway: Gateway, tables: Iterable[GraphTable], *, kept: Path | None = None
) -> dict[str, pa.Table]:
    """Read each table once and give it to `con` as a temp table of its name; the Arrow
    tables, by name, for another engine to read the same rows. With `kept` (a folder),
    each is read from there while its key holds, and kept there when read from the graph.
    `graph_table_keys` (name, key) in `con` holds each table's key, null for a table no
    key covers: a rule's hits stay what they were while its tables' keys do."""
    read: dict[str, pa.Table] = {}
    keys = _Keys(gateway)
    con.execute("CREATE OR REPLACE TEMP TABLE graph_table_keys (name VARCHAR PRIMARY KEY, key VARCHAR)")
    for table in tables:
        if table.name in read:
            continue
        plan = _checked_plan(gateway, table)
        key = keys.key(table, plan)
        path = Path(kept) / f"{table.name}.parquet" if kept is not None else None
        rows = _kept(path, table, key) if path is not None and key is not None else None
        if rows is None:
            rows = _fetch(gateway, table)
            if path is not None and key is not None:
                _keep(path, rows, key)
        read[table.name] = rows
        con.execute("INSERT INTO graph_table_keys VALUES ($name, $key)", {"name": table.name, "key": key})
        con.register("graph_table_arrow", rows)
        # The name is checked lower_snake_case at load, and not any relation of the store's.
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table.name} AS SELECT * FROM graph_table_arrow")
        con.unregister("graph_table_arrow")
    return read


def table_keys(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> dict[str, str | None]:
    """The keys `register` gave these tables in `con` (None: no key covers it, or not read)."""
    wanted = sorted(set(names))
    query = "SELECT name, key FROM graph_table_keys WHERE list_contains($names, name)"
    found = dict(con.execute(query, {"names": wanted}).fetchall())
    return {name: found.get(name) for name in wanted}


def declared_in(rules: Iterable[Any]) -> list[GraphTable]:
    """The tables the given rules read, each once, by name."""
    found: dict[str, GraphTable] = {}
    for rule in rules:
        for table in rule.tables:
            found.setdefault(table.name, table)
    return [found[name] for name in sorted(found)]


def write_parquet(gateway: Gateway, tables: Iterable[GraphTable], folder: Path) -> list[tuple[Path, int]]:
    """Each table as `<folder>/<name>.parquet`, owner-only (the rows name people), for the
    Spark entry's --table; the files and their row counts."""
    written = []
    for table in tables:
        rows = read_table(gateway, table)
        path = private_dir(Path(folder)) / f"{table.name}.parquet"
        with open_private(path, "wb") as out:
            pq.write_table(rows, out)
        written.append((path, rows.num_rows))
    return written
