"""`goldenbell cypher "MATCH …"`: a one-off read-only question from the command line, under
the console's rules — reads only, parameters as `-p name=value`, the row cap, the text's
length limit, an audit entry for every attempt with the case and the reason, and the
operator's view of the values."""

from __future__ import annotations

import getpass
import json

import pytest
from click.testing import CliRunner

from cli.main import main

PEOPLE = """
CREATE (:Person {id_number: '330402199001011234', name: '王建国'})-[:HAS_PHONE]->(ph:Phone {number: '13900000001'}),
       (:Person {id_number: '330402198505055678', name: '[bold]王建华[/bold]'})-[:HAS_PHONE]->(ph)
"""
CONSULT = ("--case", "JX-2025-0142", "--reason", "intelligence_analysis")
BY_NAME = "MATCH (p:Person) WHERE p.name = $name RETURN p.id_number AS id_number, p.name AS name, p"


@pytest.fixture
def cli(neo4j_env, tmp_path):
    log = tmp_path / "audit.jsonl"

    def invoke(*args: str, stdin: str | None = None, **env: str):
        environment = {**neo4j_env, "GOLDENBELL_AUDIT_LOG": str(log), "COLUMNS": "220", **env}
        return CliRunner().invoke(main, list(args), env=environment, input=stdin, catch_exceptions=False)

    def entries() -> list[dict]:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return [e for e in map(json.loads, lines) if e["action"] == "console.run"]

    invoke.entries = entries
    return invoke


def test_a_read_with_parameters_as_json_is_recorded_with_case_and_reason(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    result = cli("cypher", BY_NAME, "-p", "name=王建国", "--json", *CONSULT)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["columns"] == ["id_number", "name", "p"]
    # The operator sees what the console's roles see: ID numbers in full.
    assert payload["rows"] == [{"id_number": "330402199001011234", "name": "王建国", "p": "Person:330402199001011234"}]
    assert [n["ref"] for n in payload["nodes"]] == ["Person:330402199001011234"]
    [entry] = cli.entries()
    assert entry["user"] == getpass.getuser() and entry["role"] == "operator"
    assert entry["case_ref"] == "JX-2025-0142" and entry["reason"].startswith("intelligence_analysis")
    assert entry["parameters"] == {"cypher": BY_NAME, "params": {"name": "王建国"}}
    assert entry["rows"] == 1 and entry.get("outcome", "ok") == "ok"


def test_a_write_is_refused_exits_1_and_changes_nothing(empty_graph, cli):
    result = cli("cypher", "CREATE (:Person {id_number: 'X1', name: 'intruder'}) RETURN 1 AS done", *CONSULT)
    assert result.exit_code == 1
    assert "refused" in result.stderr and "CREATE" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert empty_graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0
    [entry] = cli.entries()
    assert entry["outcome"] == "refused"


def test_a_write_the_text_check_misses_is_refused_by_the_plan(empty_graph, cli):
    # No write keyword in the text at the top level: the server's plan still says it writes.
    result = cli("cypher", "MATCH (p:Person) CALL (p) { WITH p DETACH DELETE p } RETURN count(*) AS n", *CONSULT)
    assert result.exit_code == 1 and "refused" in result.stderr


def test_without_case_and_reason_nothing_runs_or_is_recorded(empty_graph, cli):
    result = cli("cypher", "MATCH (p:Person) RETURN p.name AS name")
    assert result.exit_code == 2
    assert "--case and --reason missing" in result.stderr
    assert cli.entries() == []


def test_a_syntax_error_ends_with_one_clear_line(empty_graph, cli):
    result = cli("cypher", "MATCH (p:Person RETURN p", *CONSULT)
    assert result.exit_code == 1
    assert "error:" in result.stderr and "Traceback" not in result.output


def test_the_row_cap_and_the_length_limit_hold(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    capped = cli("cypher", "MATCH (p:Person) RETURN p.name AS name", "--row-cap", "1", *CONSULT)
    assert capped.exit_code == 0, capped.output
    assert "truncated at the row cap of 1" in capped.stderr
    long = cli("cypher", "MATCH (p:Person) RETURN p.name AS name", *CONSULT, GOLDENBELL_CONSOLE_MAX_CHARS="20")
    assert long.exit_code == 1 and "GOLDENBELL_CONSOLE_MAX_CHARS" in long.stderr
    assert [e["outcome"] for e in cli.entries()][-1] == "refused"


def test_text_from_stdin_and_values_shown_as_stored(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    query = "MATCH (p:Person)-[:HAS_PHONE]->(ph:Phone) RETURN p.name AS name, ph.number AS phone ORDER BY name"
    result = cli("cypher", "-", *CONSULT, stdin=query)
    assert result.exit_code == 0, result.output
    assert "[bold]王建华[/bold]" in result.stdout  # data, never read as markup
    assert "13900000001" in result.stdout and "2 rows" in result.stderr
