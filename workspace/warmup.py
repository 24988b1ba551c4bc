"""The background warm-up `goldenbell db start` runs: the graph's caches (graph.warmup),
then the workbench's first queries — a search, an expansion with its seen-at links, a
timeline and a path — run a few times, so the server has planned and compiled them before an
analyst asks (a plan not cached costs the first double-click on the map 1–2.5 s).

These runs read on no one's behalf and return nothing to anyone, so they are not
consultations and leave no audit line: the text searched is a common surname and the
nodes expanded are taken by the database, not chosen by a person.

    python -m workspace.warmup      # what `db start` starts; logs to $GOLDENBELL_HOME/warmup.log
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from graph.ddl import quote
from graph.errors import GraphError
from graph.warmup import log_path, warm
from queries.page_queries import NEIGHBOURHOOD, SEARCH, SEEN_AT, SHORTEST_PATHS, TIMELINE
from queries.readonly import check_read_only
from settings.home import open_private
from settings.table import Settings
from workspace.wiring import Workspace

ROUNDS = 5
_SEARCHED = ("张", "王", "李", "浙F", "1")
_EXPANDED = ("Person", "Vehicle", "Address")
_PER_LABEL = 7
# What an analyst's first search, double-click, profile and path run.
FIRST_QUERIES = (SEARCH, NEIGHBOURHOOD, SEEN_AT, TIMELINE, SHORTEST_PATHS)


def warm_workspace(workspace: Workspace, report: Callable[[str], None]) -> None:
    settings = workspace.settings
    store = None if settings.uses_external_neo4j else settings.neo4j_home / "data" / "databases"
    warm(workspace.gateway, workspace.schema, report, store)
    began = time.monotonic()
    ran: set[str] = set()
    nodes = []
    for label in (name for name in _EXPANDED if name in workspace.schema.nodes):
        key = workspace.schema.nodes[label].key
        statement = f"MATCH (n:{quote(label)}) RETURN n.{quote(key)} AS key LIMIT $n"
        records = workspace.gateway.read("warmup.nodes", statement, {"n": _PER_LABEL}).records
        nodes += [{"label": label, "key": r["key"]} for r in records]
    for round_ in range(ROUNDS):
        for text in _SEARCHED:
            _run(workspace, ran, SEARCH, {"text": text})
        for node in nodes:
            _run(workspace, ran, NEIGHBOURHOOD, {"start": node, "hops": 2, "passages": False})
            _run(workspace, ran, SEEN_AT, {"start": node, "hops": 2, "stored": True})
            _run(workspace, ran, TIMELINE, {"entity": node})
        if len(nodes) > round_ + 1:  # one path a round: a path can read far on a big graph
            _run(workspace, ran, SHORTEST_PATHS, {"a": nodes[round_], "b": nodes[round_ + 1]})
    report(f"first queries planned and compiled in {time.monotonic() - began:.1f} s: {', '.join(sorted(ran))}")


def _run(workspace: Workspace, ran: set[str], query_id: str, given: dict[str, Any]) -> None:
    query = workspace.catalog.query(query_id)
    params = {name: given.get(name, spec.default) for name, spec in query.parameters.items()}
    if query_id not in ran:
        # The runner asks for each query's plan once before its first run (queries/runner.py):
        # an uncached plan request costs the first double-click 0.2–0.3 s a query.
        check_read_only(workspace.gateway, query.compiled, params, name="warmup.plan")
        ran.add(query_id)
    workspace.gateway.read("warmup.query", query.compiled, params, max_rows=1000)


def main() -> None:
    settings = Settings.from_env()
    with open_private(log_path(settings), "w", encoding="utf-8") as log:

        def report(line: str) -> None:
            log.write(f"{time.strftime('%H:%M:%S')} {line}\n")
            log.flush()

        try:
            with Workspace.open(settings) as workspace:
                warm_workspace(workspace, report)
        except GraphError as exc:
            # Nobody waits on this process: what stopped it goes where its progress went.
            report(f"stopped: {exc}")


if __name__ == "__main__":
    sys.exit(main())
