"""Masking by role, through a real query run: an analyst sees masked ID numbers and phones
in rows, parameters, nodes and captions where a supervisor sees them in full; unmasking one
entity is audited and reveals that entity only. Also: no consultation without a reason."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from access import Permission, Visibility, unmask
from access.errors import AccessDenied, ReasonRequired
from queries.pack_model import load_catalog
from queries.runner import Runner
from tests.access.conftest import PASSWORD

ZHANG = "330402199001011234"
LI = "330402198505052345"
PHONE = "13812345678"
GRAPH = f"""
CREATE (a:Person {{id_number: '{ZHANG}', name: '张三', hukou_address: '南湖区，联系电话 {PHONE}'}})
CREATE (b:Person {{id_number: '{LI}', name: '李四'}})
CREATE (p:Phone {{number: '{PHONE}'}})
CREATE (a)-[:HAS_PHONE]->(p), (b)-[:HAS_PHONE]->(p)
"""
RAW = (ZHANG, LI, PHONE)


@pytest.fixture
def runner(empty_graph, schema, neo4j_settings, audit) -> Runner:
    empty_graph.write("test.graph", GRAPH)
    return Runner(empty_graph, load_catalog(schema), schema, neo4j_settings, audit)


def shown(schema, session, outcome) -> str:
    """Everything a page could draw or export from the outcome, as one text."""
    visible = Visibility.for_session(session).outcome(schema, outcome)
    return json.dumps(
        {"params": visible.params, "rows": visible.rows, "nodes": visible.nodes, "rels": visible.relationships},
        ensure_ascii=False,
    )


def signed_in(sessions, name: str):
    session = sessions.authenticate(name, PASSWORD)
    return sessions.set_reason(session.token, "JX-2025-0142", "case_investigation")


def test_an_analyst_sees_masked_what_a_supervisor_sees_in_full(runner, schema, sessions):
    analyst, supervisor = signed_in(sessions, "ana"), signed_in(sessions, "sup")
    for query_id, params in (
        ("links.neighbourhood", {"start": f"Person:{ZHANG}", "hops": 2}),
        ("search.entities", {"text": "张三"}),
        ("search.entities", {"text": PHONE}),
    ):
        as_analyst = shown(schema, analyst, runner.run(query_id, params, actor=analyst.actor.consulting()))
        as_supervisor = shown(schema, supervisor, runner.run(query_id, params, actor=supervisor.actor.consulting()))
        assert not [value for value in RAW if value in as_analyst], query_id
        assert "**************1234" in as_analyst or "138****5678" in as_analyst
        assert ZHANG in as_supervisor or PHONE in as_supervisor
        if query_id == "links.neighbourhood":  # names stay; numbers in free text are masked
            assert "张三" in as_analyst and "南湖区，联系电话 138****5678" in as_analyst


def test_unmasking_one_entity_is_audited_and_reveals_that_entity_only(runner, schema, sessions, audit):
    analyst = signed_in(sessions, "ana")
    unmasked = unmask(sessions, analyst, f"Person:{ZHANG}")
    entry = list(audit.events())[-1]
    assert (entry["user"], entry["action"], entry["outcome"]) == ("ana", "unmask", "ok")
    assert entry["parameters"] == {"entity": f"Person:{ZHANG}"} and entry["case_ref"] == "JX-2025-0142"
    outcome = runner.run(
        "links.neighbourhood", {"start": f"Person:{ZHANG}", "hops": 2}, actor=unmasked.actor.consulting()
    )
    text = shown(schema, unmasked, outcome)
    assert ZHANG in text and LI not in text and PHONE not in text
    # The grant lives in the server-side session: the next page run still has it.
    assert sessions.resume(analyst.token).unmasked == {f"Person:{ZHANG}"}


def test_a_role_without_unmask_is_refused_and_the_attempt_logged(sessions, users, operator, audit):
    users.set_role("aud", "auditor", by=operator)
    auditor = sessions.set_reason(sessions.authenticate("aud", PASSWORD).token, "AU-2025-0001", "audit_review")
    with pytest.raises(AccessDenied):
        unmask(sessions, auditor, f"Person:{ZHANG}")
    entry = list(audit.events())[-1]
    assert (entry["action"], entry["outcome"]) == ("unmask", "refused")
    assert not auditor.may(Permission.SEARCH)


def test_no_unmasking_and_no_search_without_a_reason_and_nothing_logged(runner, sessions, audit):
    session = sessions.authenticate("ana", PASSWORD)
    before = list(audit.events())
    with pytest.raises(ReasonRequired):
        unmask(sessions, session, f"Person:{ZHANG}")
    with pytest.raises(ReasonRequired):
        runner.run("search.entities", {"text": "张三"}, actor=session.actor.consulting())
    assert list(audit.events()) == before
    assert not [e for e in audit.events() if e["action"] in ("query.run", "search", "unmask")]


def test_a_consultation_carries_the_case_and_reason_into_the_audit(runner, sessions, audit):
    session = signed_in(sessions, "ana")
    runner.run("search.entities", {"text": "张三"}, actor=session.actor.consulting())
    entry = list(audit.events())[-1]
    assert (entry["user"], entry["action"], entry["case_ref"], entry["reason"]) == (
        "ana",
        "query.run",
        "JX-2025-0142",
        "case_investigation",
    )
    assert entry["rows"] >= 1 and entry["query_id"] == "search.entities"


def test_free_text_and_captions_are_masked_too(schema):
    visibility = Visibility(sees_all=False)
    node = {
        "ref": f"Phone:{PHONE}",
        "labels": ["Phone"],
        "caption": PHONE,
        "properties": {"number": PHONE},
    }
    assert visibility.node(schema, node) == {
        "ref": "Phone:138****5678",
        "labels": ["Phone"],
        "caption": "138****5678",
        "properties": {"number": "138****5678"},
    }
    assert Visibility(sees_all=True).node(schema, node) == node


@dataclass(frozen=True)
class ConsoleLike:
    """An outcome without parameters or driver records, as the Cypher console returns."""

    rows: list
    nodes: list
    relationships: list


def test_console_outcomes_are_masked_the_same_way(schema):
    outcome = ConsoleLike(rows=[{"id": ZHANG, "note": f"电话 {PHONE}"}], nodes=[], relationships=[])
    masked = Visibility(sees_all=False, unmasked=frozenset({f"Person:{ZHANG}"})).outcome(schema, outcome)
    assert masked.rows == [{"id": ZHANG, "note": "电话 138****5678"}]
    assert Visibility(sees_all=False).outcome(schema, outcome).rows[0]["id"] == "**************1234"
