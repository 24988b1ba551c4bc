"""Warm the local Neo4j after a start, in the background.

Neo4j Community has no page-cache warm-up of its own: right after `db start` every index
page and store record a query needs is read from disk first, and searches and expansions
are several times slower until the analyst's own queries have touched them. `goldenbell db
start` therefore starts this module in a process of its own, which reads, from the
schema's own labels, types and properties (never a user's text):

1. every range and full-text index (the search box and every keyed lookup), then
2. every node of each label with its properties, then
3. every relationship of each type with its properties (expansion and paths).

Each step is one read query, logged with its time to `$GOLDENBELL_HOME/warmup.log`; the
workbench is usable all the while. Run it by hand with `python -m graph.warmup`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.ddl import quote
from graph.errors import GraphError
from graph.gateway import Gateway
from graph.model import Schema, schema_for
from settings.home import open_private
from settings.table import Settings

# A full-text query that matches in every analyser: the commonest surnames and plate
# province, digits. Lucene reads the index's segments to answer it.
_FULLTEXT_TERMS = "张 OR 王 OR 李 OR 刘 OR 陈 OR 浙 OR 1* OR 3*"
_INDEXES = "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state WHERE state = 'ONLINE'"


def steps(gateway: Gateway, schema: Schema) -> Iterator[tuple[str, str, dict]]:
    """(what, Cypher, parameters) for each warm-up read, indexes first."""
    labels, types = set(schema.nodes), set(schema.relationships)
    for index in gateway.read("warmup.indexes", _INDEXES, {}).records:
        owners, props = index["labelsOrTypes"] or [], index["properties"] or []
        if index["type"] == "FULLTEXT" and index["entityType"] == "NODE":
            yield (
                f"full-text index {index['name']}",
                "CALL db.index.fulltext.queryNodes($name, $terms) YIELD node RETURN count(node) AS n",
                {"name": index["name"], "terms": _FULLTEXT_TERMS},
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


def warm(gateway: Gateway, schema: Schema, report: Callable[[str], None]) -> float:
    """Run every step; `report` gets one line per step. Returns the seconds taken."""
    began = time.monotonic()
    for what, cypher, params in steps(gateway, schema):
        started = time.monotonic()
        # No query timeout of its own beyond the server's: a big store takes minutes to read.
        count = gateway.read("warmup.read", cypher, params, timeout=3600).records[0]["n"]
        report(f"{what}: {count} in {time.monotonic() - started:.1f} s")
    report(f"warm in {time.monotonic() - began:.1f} s")
    return time.monotonic() - began


def log_path(settings: Settings) -> Path:
    return settings.home.resolve() / "warmup.log"


def main() -> None:
    settings = Settings.from_env()
    with open_private(log_path(settings), "w", encoding="utf-8") as log:

        def report(line: str) -> None:
            log.write(f"{time.strftime('%H:%M:%S')} {line}\n")
            log.flush()

        try:
            with Gateway.open(settings) as gateway:
                warm(gateway, schema_for(settings), report)
        except GraphError as exc:
            # Nobody waits on this process: what stopped it goes where its progress went.
            report(f"stopped: {exc}")


if __name__ == "__main__":
    sys.exit(main())
