"""`goldenbell query …` and `goldenbell alerts …` against the test database."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cli.main import main

PEOPLE = """
CREATE (:Person {id_number: 'P1', name: '王建国'})-[:HAS_PHONE]->(ph:Phone {number: '13900000001'}),
       (:Person {id_number: 'P2', name: '王建华'})-[:HAS_PHONE]->(ph)
"""

# Every consultation names its case and a reason code (tests/cli/test_query_attribution.py).
CONSULT = ("--case", "JX-1", "--reason", "intelligence_analysis")


@pytest.fixture
def cli(neo4j_env, tmp_path):
    env = {**neo4j_env, "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"), "COLUMNS": "220"}

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    invoke.audit = tmp_path / "audit.jsonl"
    return invoke


def test_query_list_names_every_builtin_query(cli, catalog):
    result = cli("query", "list")
    assert result.exit_code == 0
    for query_id in catalog.queries:
        assert query_id in result.output
    alerts_only = cli("query", "list", "--alerts").output
    assert "identity.shared_phones" in alerts_only and "links.timeline" not in alerts_only


def test_query_show_gives_parameters_and_cypher(cli):
    result = cli("query", "show", "links.neighbourhood")
    assert result.exit_code == 0
    assert "hops: int, ≥ 1, ≤ 3, default 1" in result.output
    assert "start: entity (any label:key), required" in result.output
    assert "MATCH (s) WHERE elementId(s) = $start" in result.output


def test_query_run_as_json(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    result = cli("query", "run", "search.entities", "-p", "text=王建国", "--format", "json", *CONSULT)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["columns"] == [
        "entity",
        "label",
        "caption",
        "score",
        "total",
        "more",
        "listed",
        "lists",
        "licence",
        "open_alerts",
    ]
    assert {row["entity"] for row in payload["rows"]} == {"Person:P1", "Person:P2"}
    assert payload["truncated"] is False and len(payload["nodes"]) == 2
    [event] = [json.loads(line) for line in cli.audit.read_text(encoding="utf-8").splitlines()]
    assert event["case_ref"] == "JX-1" and event["query_id"] == "search.entities" and event["rows"] == 2


def test_query_run_as_csv_and_table(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    result = cli("query", "run", "links.neighbourhood", "-p", "start=Phone:13900000001", "--format", "csv", *CONSULT)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["target"] for r in rows} == {"Person:P1", "Person:P2"}
    assert "2 rows" in result.stderr
    table = cli("query", "run", "links.neighbourhood", "-p", "start=Phone:13900000001", "--row-cap", "1", *CONSULT)
    assert table.exit_code == 0 and "relationship_type" in table.stdout
    assert "truncated at the row cap of 1" in table.stderr


def test_a_parameter_given_twice_is_a_list(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    result = cli(
        "query",
        "run",
        "search.entities",
        "-p",
        "text=王",
        "-p",
        "labels=Phone",
        "-p",
        "labels=Person",
        "--format",
        "json",
        *CONSULT,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["params"]["labels"] == ["Phone", "Person"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "run", "search.entities", "-p", "text=王", "-p", "limit=9999", *CONSULT), "above the maximum 200"),
        (("query", "run", "search.nothing", *CONSULT), "no query 'search.nothing'"),
        (("query", "run", "search.entities", "-p", "text"), "write parameters as name=value"),
        (("query", "show", "links.nothing"), "no query 'links.nothing'"),
        (("alerts", "ack", "nope"), "no alert 'nope'"),
        (("alerts", "run", "-p", "min_persons=2"), "-p needs --rule"),
    ],
)
def test_mistakes_end_with_one_line_and_exit_1(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_query_check_passes_the_builtin_packs(cli):
    result = cli("query", "check")
    assert result.exit_code == 0, result.output
    assert "all read-only" in result.output


def test_alerts_run_list_and_ack(empty_graph, cli):
    empty_graph.write(
        "test.phone",
        "UNWIND range(1, 5) AS i MERGE (ph:Phone {number: '13900000009'}) "
        "CREATE (:Person {id_number: 'P' + toString(i), hukou_address: 'H' + toString(i)})-[:HAS_PHONE]->(ph)",
    )
    run = cli("alerts", "run", "--rule", "identity.shared_phones")
    assert run.exit_code == 0, run.output
    assert "identity.shared_phones" in run.output
    listed = cli("alerts", "list", "--status", "new")
    assert "phone=Phone:13900000009" in listed.output
    alert_id = empty_graph.read("test.id", "MATCH (a:Alert) RETURN a.alert_id").single_value()
    assert cli("alerts", "ack", alert_id).exit_code == 0
    assert alert_id in cli("alerts", "list", "--status", "acknowledged").output
    assert cli("alerts", "close", alert_id).exit_code == 0
    assert alert_id not in cli("alerts", "list", "--status", "new").output
