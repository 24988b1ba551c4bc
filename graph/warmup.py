"""Warm the local Neo4j after a start, in the background.

Neo4j Community has no page-cache warm-up of its own: right after `db start` every index
page and store record a query needs is read from disk first, and searches and expansions
are several times slower until the analyst's own queries have touched them. `goldenbell db
start` therefore starts a process of its own (workspace/warmup.py) that reads, from the
schema's own labels, types and properties (never a user's text):

0. every file of the local store, into the operating system's file cache, then
1. every range and full-text index (the search box and every keyed lookup), then
2. every node of each label with its properties, then
3. every relationship of each type with its properties (expansion and paths).

Each step is one read query, logged with its time to `$GOLDENBELL_HOME/warmup.log`; the
workbench is usable all the while (workspace/warmup.py runs it, then the workbench's
first queries).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from settings.table import Settings

# Full-text queries over the commonest surnames, the plate province and digits: Lucene
# reads its segments to answer them, and the planner keeps the query's plan.
_FULLTEXT_TERMS = ("张 OR 王 OR 李 OR 刘 OR 陈", "浙 OR 杨 OR 黄 OR 赵 OR 吴", *(f"{d}*" for d in range(10)))
_READ_CHUNK = 1 << 20
_INDEXES = "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state WHERE state = 'ONLINE'"


def steps(gateway: Gateway, schema: Schema) -> Iterator[tuple[str, str, dict]]:
    """(what, Cypher, parameters) for each warm-up read, indexes first."""
    labels, types = set(schema.nodes), set(schema.relationships)
    for index in gateway.read("warmup.indexes", _INDEXES, {}).records:
        owners, props = index["labelsOrTypes"] or [], index["properties"] or []
        if index["type"] == "FULLTEXT" and index["entityType"] == "NODE":
            for terms in _FULLTEXT_TERMS:
                yield (
                    f"full-text index {index['name']} ({terms})",
                    "CALL db.index.fulltext.queryNodes($name, $terms) YIELD node RETURN count(node) AS n",
                    {"name": index["name"], "terms": terms},
                )
        elif index["type"] == "RANGE" and index["entityType"] == "NODE" and owners and owners[0] in labels:
            label, prop = owners[0], props[0]
            if prop in schema.nodes[label].properties:
                yield (
                    f"index {index['name']}",
                    f"MATCH (n:{quote(label)}) WHERE n.{quote(prop)} IS NOT NULL RETURN count(*) AS n",
                    {},
                )
    for label in sorted(labels):
        yield f"nodes {label}", f"MATCH (n:{quote(label)}) RETURN sum(size(keys(n))) AS n", {}
    for rel_type in sorted(types):
        yield f"links {rel_type}", f"MATCH ()-[r:{quote(rel_type)}]->() RETURN sum(size(keys(r))) AS n", {}


def read_files(folder: Path, report: Callable[[str], None]) -> None:
    """Read every file of the local store once, in order, into the operating system's file
    cache: Lucene's full-text segments are read through it, and Neo4j's own page cache
    fills from memory instead of the disk."""
    began, size = time.monotonic(), 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            with path.open("rb") as f:
                while chunk := f.read(_READ_CHUNK):
                    size += len(chunk)
        except OSError as exc:  # a file the server removed or locked meanwhile
            report(f"skipped {path.name}: {exc.strerror}")
    report(f"store files: {size / 1e6:,.0f} MB read in {time.monotonic() - began:.1f} s")


def warm(gateway: Gateway, schema: Schema, report: Callable[[str], None], store: Path | None = None) -> float:
    """Read `store`'s files (the local server's database folder) if given, then run every
    step; `report` gets one line per step. Returns the seconds taken."""
    began = time.monotonic()
    if store is not None and store.is_dir():
        read_files(store, report)
    for what, cypher, params in steps(gateway, schema):
        started = time.monotonic()
        # No query timeout of its own beyond the server's: a big store takes minutes to read.
        count = gateway.read("warmup.read", cypher, params, timeout=3600).records[0]["n"]
        report(f"{what}: {count} in {time.monotonic() - started:.1f} s")
    report(f"warm in {time.monotonic() - began:.1f} s")
    return time.monotonic() - began


def log_path(settings: Settings) -> Path:
    return settings.home.resolve() / "warmup.log"
