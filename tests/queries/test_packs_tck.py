"""Every built-in query, tested the way the openCypher TCK tests Cypher: given a small
graph and parameters, expect exactly these rows.

The scenarios live in tck/<pack>.yaml, one list per query id:

    links.neighbourhood:
      - scenario: what it shows
        given: |            # Cypher that builds the graph (run on an empty database)
          CREATE (:Person {id_number: 'P1'})-[:HAS_PHONE]->(:Phone {number: '13800000001'})
        parameters: {start: 'Person:P1'}
        ordered: false      # true when the query's ORDER BY is part of what is tested
        expect:             # rows in their plain form; only the columns named are compared
          - {depth: 1, target: 'Phone:13800000001'}

Nodes compare as Label:key, relationships as (Label:key)-[:TYPE]->(Label:key), paths as
the chain, dates and datetimes as ISO text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from access.actor import Actor
from graph.model import load_schema
from queries.pack_model import load_catalog
from settings.table import PROJECT_ROOT

TCK_DIR = Path(__file__).parent / "tck"
BUILTIN = load_catalog(load_schema(PROJECT_ROOT / "graph" / "schema"))


def _scenarios() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(TCK_DIR.glob("*.yaml")):
        for query_id, cases in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if query_id.startswith("x-"):  # shared graphs, referenced with YAML anchors
                continue
            for case in cases:
                out.append((query_id, case))
    return out


SCENARIOS = _scenarios()


def _key(row: dict) -> str:
    return yaml.safe_dump(row, allow_unicode=True, sort_keys=True)


def test_every_builtin_query_has_a_scenario():
    covered = {query_id for query_id, _ in SCENARIOS}
    assert sorted(set(BUILTIN.queries) - covered) == [], "built-in queries without a TCK scenario"
    assert sorted(covered - set(BUILTIN.queries)) == [], "scenarios for queries that do not exist"


@pytest.mark.parametrize(("query_id", "case"), SCENARIOS, ids=[f"{q}: {c['scenario']}" for q, c in SCENARIOS])
def test_scenario(empty_graph, runner, query_id, case):
    if case.get("given"):
        empty_graph.write("tck.given", case["given"])
    outcome = runner.run(query_id, case.get("parameters") or {}, actor=Actor.cli("tck", case_ref="TCK"))
    expected = case["expect"] or []
    columns = sorted({column for row in expected for column in row})
    for column in columns:
        assert column in outcome.columns, f"{query_id} returns no column {column!r}: {outcome.columns}"
    actual = [{column: row[column] for column in columns} for row in outcome.rows]
    if case.get("ordered"):
        assert actual == expected
    else:
        assert sorted(map(_key, actual)) == sorted(map(_key, expected))
