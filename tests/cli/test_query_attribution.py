"""Who a command-line consultation is recorded as: the operating-system account, with a case
reference in the site's form and a reason code from the workbench's list, and the entities
it returned; a name typed with --user is only a note."""

from __future__ import annotations

import getpass
import json

import pytest
from click.testing import CliRunner

from access.actor import Actor
from access.audit.log import AuditLog
from access.errors import ReasonRefused
from access.sessions import Sessions
from access.users import UserStore
from cli.main import main
from settings.table import Settings

PEOPLE = """
CREATE (:Person {id_number: 'P1', name: '王建国'})-[:HAS_PHONE]->(ph:Phone {number: '13900000001'}),
       (:Person {id_number: 'P2', name: '王建华'})-[:HAS_PHONE]->(ph)
"""
SEARCH = ("query", "run", "search.entities", "-p", "text=王建国", "--format", "json")


@pytest.fixture
def cli(neo4j_env, tmp_path):
    log = tmp_path / "audit.jsonl"

    def invoke(*args: str, **env: str):
        environment = {**neo4j_env, "GOLDENBELL_AUDIT_LOG": str(log), "COLUMNS": "220", **env}
        return CliRunner().invoke(
            main, list(args), env=environment, input="Synthetic-Only-42\n", catch_exceptions=False
        )

    def entries() -> list[dict]:
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []

    invoke.entries = entries
    return invoke


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ((), "--case and --reason missing"),
        (("--case", "JX-2025-0142"), "--reason missing"),
        (("--reason", "intelligence_analysis"), "--case missing"),
    ],
)
def test_a_consultation_without_case_and_reason_is_refused_and_not_recorded(empty_graph, cli, given, missing):
    empty_graph.write("test.people", PEOPLE)
    result = cli(*SEARCH, *given)
    assert result.exit_code == 2
    assert missing in result.stderr and "intelligence_analysis" in result.stderr  # names the codes to pick from
    assert "王建国" not in result.stdout
    assert not [e for e in cli.entries() if e["action"] == "query.run"]


def test_the_entry_carries_the_os_user_the_role_the_reason_and_the_entities_returned(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    result = cli(*SEARCH, "--case", "jx-2025-0142", "--reason", "intelligence_analysis", "--note", "串并")
    assert result.exit_code == 0, result.output
    [entry] = [e for e in cli.entries() if e["action"] == "query.run"]
    assert entry["user"] == getpass.getuser() and entry["role"] == "operator"
    assert entry["case_ref"] == "JX-2025-0142" and entry["reason"] == "intelligence_analysis: 串并"
    assert sorted(entry["entities"]) == sorted({row["entity"] for row in json.loads(result.stdout)["rows"]})
    assert "Person:P1" in entry["entities"]


def test_a_claimed_name_is_a_note_not_the_actor(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    result = cli(*SEARCH, "--case", "JX-2025-0142", "--reason", "fugitive_search", "--user", "someone-else")
    assert result.exit_code == 0, result.output
    [entry] = [e for e in cli.entries() if e["action"] == "query.run"]
    assert entry["user"] == getpass.getuser()
    assert entry["reason"] == "fugitive_search: for someone-else"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--case", "x", "--reason", "intelligence_analysis"), "case reference is 3 to 64 characters"),
        (("--case", "JX-2025-0142", "--reason", "curiosity"), "unknown reason code 'curiosity'"),
    ],
)
def test_a_malformed_case_or_an_unknown_reason_is_refused(empty_graph, cli, args, says):
    result = cli(*SEARCH, *args)
    assert result.exit_code == 2 and says in result.stderr
    assert not cli.entries()


def test_the_sites_case_reference_pattern_holds_on_the_command_line(empty_graph, cli):
    empty_graph.write("test.people", PEOPLE)
    site = {"GOLDENBELL_CASE_REF_PATTERN": r"A\d{4}-\d{6}"}
    refused = cli(*SEARCH, "--case", "JX-2025-0142", "--reason", "intelligence_analysis", **site)
    assert refused.exit_code == 2 and "GOLDENBELL_CASE_REF_PATTERN" in refused.stderr
    accepted = cli(*SEARCH, "--case", "a2025-000142", "--reason", "intelligence_analysis", **site)
    assert accepted.exit_code == 0, accepted.output
    assert [e["case_ref"] for e in cli.entries() if e["action"] == "query.run"] == ["A2025-000142"]


def test_the_workbench_checks_the_same_pattern(tmp_path):
    settings = Settings.from_env({"GOLDENBELL_HOME": str(tmp_path), "GOLDENBELL_CASE_REF_PATTERN": r"A\d{4}-\d{6}"})
    audit = AuditLog(tmp_path / "audit.jsonl")
    sessions = Sessions.from_settings(settings, audit=audit)
    UserStore.from_settings(settings, audit=audit).add("analyst-one", "analyst", "Synthetic-Only-42", by=Actor.cli("t"))
    token = sessions.authenticate("analyst-one", "Synthetic-Only-42").token
    with pytest.raises(ReasonRefused, match="GOLDENBELL_CASE_REF_PATTERN"):
        sessions.set_reason(token, "JX-2025-0142", "intelligence_analysis")
    assert sessions.set_reason(token, "A2025-000142", "intelligence_analysis").case_ref == "A2025-000142"
    assert sessions.resume(token).purpose.case_ref == "A2025-000142"


def test_user_administration_records_the_os_user_and_the_claimed_name_as_a_note(cli, tmp_path):
    access = {"GOLDENBELL_ACCESS_DB": str(tmp_path / "access.db")}
    added = cli("user", "add", "analyst-two", "--role", "analyst", "--password-stdin", "--actor", "boss", **access)
    assert added.exit_code == 0, added.output
    [entry] = [e for e in cli.entries() if e["action"] == "user.add"]
    assert entry["user"] == getpass.getuser() and entry["reason"] == "user_administration: for boss"
