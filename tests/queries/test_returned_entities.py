"""Each consultation's audit entry names the entities that came back — through a saved query,
the console and a profile — so "who looked at this person, when and why" has an answer; and
a result is cut at GOLDENBELL_RESULT_MAX_BYTES as it is at the row cap (a 26 MB row once came
back whole)."""

from __future__ import annotations

from dataclasses import replace

from access.actor import Actor
from access.audit.view import who_audit
from queries.console import run_console
from queries.profiles import parse_ref, read_entity
from queries.returned import AUDITED_ENTITIES
from queries.runner import Runner

PEOPLE = """
CREATE (a:Person {id_number: 'P1', name: '王建国'})-[:HAS_PHONE]->(ph:Phone {number: '13900000001'}),
       (b:Person {id_number: 'P2', name: '王建华'})-[:HAS_PHONE]->(ph),
       (:Person {id_number: 'P3', name: '李四'})
"""
ANALYST = Actor("analyst-one", "analyst", "s-1", "JX-2025-0142", "intelligence_analysis")
SUPERVISOR = Actor("sup-one", "supervisor", "s-2", "JX-2025-0007", "case_investigation")
AUDITOR = Actor("auditor-one", "auditor", "s-3", reason="audit_review")


def test_a_saved_query_names_what_it_returned_and_the_auditor_finds_it(empty_graph, runner, audit):
    empty_graph.write("test.people", PEOPLE)
    runner.run("links.neighbourhood", {"start": "Phone:13900000001"}, actor=ANALYST)
    runner.run("search.entities", {"text": "李四"}, actor=SUPERVISOR)
    first, second = list(audit.events())
    assert set(first["entities"]) == {"Phone:13900000001", "Person:P1", "Person:P2"}
    assert second["entities"] == ["Person:P3"]
    [who] = who_audit(audit, AUDITOR, "Person:P2").entries
    assert (who["user"], who["case_ref"], who["reason"], who["query_id"]) == (
        "analyst-one",
        "JX-2025-0142",
        "intelligence_analysis",
        "links.neighbourhood",
    )
    assert [e["user"] for e in who_audit(audit, AUDITOR, "Person:P3").entries] == ["sup-one"]


def test_the_console_and_a_profile_name_theirs_too(empty_graph, runner, audit, schema):
    empty_graph.write("test.people", PEOPLE)
    run_console(runner, "MATCH p = (:Person {id_number: 'P1'})--(:Phone) RETURN p, 'x' AS text", actor=SUPERVISOR)
    read_entity(empty_graph, schema, audit, parse_ref("Person:P3", schema), actor=ANALYST)
    console, profile = list(audit.events())
    assert sorted(console["entities"]) == ["Person:P1", "Phone:13900000001"]
    assert profile["action"] == "profile.view" and profile["entities"] == ["Person:P3"]


def test_values_without_nodes_name_no_entity(empty_graph, runner, audit):
    empty_graph.write("test.people", PEOPLE)
    run_console(runner, "MATCH (p:Person) RETURN count(p) AS n", actor=SUPERVISOR)
    [entry] = list(audit.events())
    assert "entities" not in entry


def test_a_large_result_names_the_first_thousand_and_says_how_many(empty_graph, runner, audit):
    empty_graph.write("test.many", "UNWIND range(1, 1500) AS i CREATE (:Person {id_number: 'M' + toString(i)})")
    outcome = run_console(runner, "MATCH (p:Person) RETURN p", actor=SUPERVISOR)
    assert len(outcome.rows) == 1500
    [entry] = list(audit.events())
    assert len(entry["entities"]) == AUDITED_ENTITIES
    assert "1,500 entities returned; the first 1,000 are named" in entry["message"]


def _capped(runner: Runner, max_bytes: int) -> Runner:
    settings = replace(runner.settings, result_max_bytes=max_bytes)
    return Runner(runner.gateway, runner.catalog, runner.schema, settings, runner.audit)


def test_one_huge_row_is_not_returned(runner, audit):
    # The review's row: one string of 26 MB, built on the server from a short text.
    huge = "RETURN reduce(s = 'x', i IN range(1, 25) | s + s) AS blob"  # 2^25 characters = 32 MiB
    outcome = run_console(_capped(runner, 1 << 20), huge, actor=SUPERVISOR)
    assert outcome.rows == [] and outcome.truncated and outcome.over_bytes
    [entry] = list(audit.events())
    assert entry["rows"] == 0 and entry["message"] == "truncated at the result size cap"


def test_rows_past_the_byte_cap_are_cut_off(empty_graph, runner, audit):
    empty_graph.write(
        "test.long_names",
        "CREATE (ph:Phone {number: '13900000002'}) WITH ph UNWIND range(1, 50) AS i "
        "CREATE (:Person {id_number: 'L' + toString(i), name: reduce(s = '', j IN range(1, 1000) | s + '王')})"
        "-[:HAS_PHONE]->(ph)",
    )
    outcome = _capped(runner, 20_000).run("links.neighbourhood", {"start": "Phone:13900000002"}, actor=ANALYST)
    assert 10 <= len(outcome.rows) < 20 and outcome.truncated and outcome.over_bytes
    [entry] = list(audit.events())
    assert entry["rows"] == len(outcome.rows) and entry["message"] == "truncated at the result size cap"


def test_the_default_cap_leaves_ordinary_results_whole(empty_graph, runner):
    empty_graph.write("test.people", PEOPLE)
    outcome = runner.run("links.neighbourhood", {"start": "Phone:13900000001"}, actor=ANALYST)
    assert runner.settings.result_max_bytes == 32 << 20
    assert len(outcome.rows) == 2 and not outcome.truncated and not outcome.over_bytes
