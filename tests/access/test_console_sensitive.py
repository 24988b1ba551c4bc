"""The review's console attacks, replayed through the Python API: an analyst's console
expressions that compute on an ID number or a phone (`p.id_number + 'a'`, `toInteger(…)`,
`split(…)`, two `substring` halves, `'+86' + f.number`) are refused before anything is
planned, audited as refused, and return nothing. A supervisor, who sees the values in full
anyway, still runs them."""

from __future__ import annotations

import json

import pytest

from access.errors import AccessDenied
from access.roles import ROLES, Permission, console_allowed, may
from queries.console import run_console
from queries.pack_model import load_catalog
from queries.runner import Runner
from tests.access.conftest import PASSWORD

ID = "330402199001011234"
PHONE = "13812345678"
ATTACKS = {
    "concatenation": "MATCH (p:Person) RETURN p.id_number + 'a' AS x",
    "to integer": "MATCH (p:Person) RETURN toInteger(p.id_number) AS x",
    "split into characters": "MATCH (p:Person) RETURN split(p.id_number, '') AS x",
    "two substring halves": "MATCH (p:Person) RETURN substring(p.id_number, 0, 9) AS a, substring(p.id_number, 9) AS b",
    "prefixed phone": "MATCH (f:Phone) RETURN '+86' + f.number AS x",
}


@pytest.fixture
def runner(empty_graph, schema, neo4j_settings, audit) -> Runner:
    empty_graph.write(
        "test.graph",
        "CREATE (:Person {id_number: $id, name: '张三', birth_date: date('1990-01-01'), origin_region: '330402'})"
        "-[:HAS_PHONE]->(:Phone {number: $phone})",
        {"id": ID, "phone": PHONE},
    )
    return Runner(empty_graph, load_catalog(schema), schema, neo4j_settings, audit)


def actor_of(sessions, name: str):
    session = sessions.set_reason(sessions.authenticate(name, PASSWORD).token, "JX-2025-0142", "case_investigation")
    return session.actor


def test_only_roles_that_see_sensitive_values_have_the_console():
    for name, role in ROLES.items():
        assert not may(name, Permission.CONSOLE) or Permission.SEE_SENSITIVE in role.permissions, name
    assert not console_allowed("analyst") and console_allowed("supervisor")


@pytest.mark.parametrize("cypher", ATTACKS.values(), ids=ATTACKS.keys())
def test_each_console_attack_is_refused_for_the_analyst_and_audited(runner, sessions, audit, cypher):
    analyst = actor_of(sessions, "ana")
    before = len(list(audit.events()))
    with pytest.raises(AccessDenied) as refused:
        run_console(runner, cypher, actor=analyst)
    assert "console" in str(refused.value)
    entries = list(audit.events())[before:]
    assert [(e["user"], e["role"], e["action"], e["outcome"]) for e in entries] == [
        ("ana", "analyst", "console.run", "refused")
    ]
    assert entries[0]["parameters"] == {"cypher": cypher} and entries[0]["rows"] is None
    assert ID not in json.dumps(entries) and PHONE not in json.dumps(entries[0]["message"])


def test_the_supervisor_still_runs_them(runner, sessions):
    outcome = run_console(runner, ATTACKS["concatenation"], actor=actor_of(sessions, "sup"))
    assert outcome.rows == [{"x": ID + "a"}]
