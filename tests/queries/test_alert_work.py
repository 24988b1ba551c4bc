"""Alerts as work items: a severity from the rule, a summary in each language, an assignee
and a history of notes and changes kept in the graph beside the alert, every change audited;
the inbox's filters and sorts work over every alert, not only the latest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from access.actor import Actor
from queries.alerts import (
    AlertError,
    Hit,
    add_note,
    assign,
    list_alerts,
    plan_changes,
    run_rules,
    set_status,
    store,
)
from tests.queries.test_alerts import alerts_in, plant_phone


def one_alert(gateway, runner) -> str:
    plant_phone(gateway, "13900000001")
    [report] = run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    return report.alert_ids[0]


def test_a_fired_alert_carries_its_rules_severity_and_a_summary_in_each_language(empty_graph, runner):
    alert_id = one_alert(empty_graph, runner)
    [record] = list_alerts(empty_graph)
    assert record["alert_id"] == alert_id and record["severity"] == "medium"
    assert record["summary"] == "13900000001 被 5 人登记使用，分属 5 个户籍地址"
    assert record["summary_en"] == "13900000001 is registered to 5 people at 5 household addresses"
    assert alerts_in(empty_graph)[0]["summary"] == record["summary"], "the Chinese summary is where it was"


def test_assignments_notes_and_status_changes_make_a_history_newest_first(empty_graph, runner, audit):
    alert_id = one_alert(empty_graph, runner)
    assign(empty_graph, audit, alert_id, "analyst1", Actor.cli("lead"))
    add_note(empty_graph, audit, alert_id, "已电话核实机主 <b>不是</b> 链接", Actor.cli("analyst1"))
    change = set_status(empty_graph, audit, alert_id, "acknowledged", Actor.cli("analyst1"))
    [record] = list_alerts(empty_graph)
    assert record["assignee"] == "analyst1" and record["status"] == "acknowledged"
    assert (change.status, change.assignee) == ("acknowledged", "analyst1"), "the write says what it left"
    assert change.note == dict(record["notes"][0])
    history = [(n["kind"], n["author"], n["text"]) for n in record["notes"]]
    assert history == [
        ("status", "analyst1", "acknowledged"),
        ("note", "analyst1", "已电话核实机主 <b>不是</b> 链接"),
        ("assign", "lead", "analyst1"),
    ]
    assert all(n["written_at"] is not None for n in record["notes"])
    events = [(e["action"], e["user"], e["parameters"]) for e in audit.events()][-3:]
    assert events == [
        ("alert.assign", "lead", {"alert_id": alert_id, "assignee": "analyst1"}),
        ("alert.note", "analyst1", {"alert_id": alert_id}),
        ("alert.ack", "analyst1", {"alert_id": alert_id}),
    ]


def test_planning_the_change_ahead_writes_nothing(empty_graph, runner, audit):
    one_alert(empty_graph, runner)
    fields = ("alert_id", "status", "assignee", "last_fired", "fire_count", "notes")
    before = [[r[f] for f in fields] for r in list_alerts(empty_graph)]
    audited = len(list(audit.events()))
    plan_changes(empty_graph)
    assert [[r[f] for f in fields] for r in list_alerts(empty_graph)] == before
    notes = empty_graph.read("test.notes", "MATCH (n:AlertNote) RETURN count(n) AS n").data()
    assert notes == [{"n": 0}]
    assert len(list(audit.events())) == audited, "nothing was done to an alert, so nothing is audited"


def test_a_later_run_keeps_the_assignee_and_the_notes(empty_graph, runner, audit):
    alert_id = one_alert(empty_graph, runner)
    assign(empty_graph, audit, alert_id, "analyst1", Actor.cli("lead"))
    add_note(empty_graph, audit, alert_id, "待核实", Actor.cli("analyst1"))
    run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    [record] = list_alerts(empty_graph)
    assert record["assignee"] == "analyst1" and len(record["notes"]) == 2 and record["fire_count"] == 2


def test_unassigning_and_refusals(empty_graph, runner, audit):
    alert_id = one_alert(empty_graph, runner)
    assign(empty_graph, audit, alert_id, "analyst1", Actor.cli("lead"))
    assign(empty_graph, audit, alert_id, "", Actor.cli("lead"))
    assert list_alerts(empty_graph)[0]["assignee"] is None
    with pytest.raises(AlertError, match="a note needs some text"):
        add_note(empty_graph, audit, alert_id, "   ", Actor.cli("analyst1"))
    with pytest.raises(AlertError, match="at most 2000 characters"):
        add_note(empty_graph, audit, alert_id, "长" * 2001, Actor.cli("analyst1"))
    with pytest.raises(AlertError, match="no alert 'nope'"):
        add_note(empty_graph, audit, "nope", "x", Actor.cli("analyst1"))
    assert list(audit.events())[-1]["outcome"] == "refused"


def plant_alerts(gateway) -> None:
    """Three alerts fired at different times with different severities, statuses and assignees."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    gateway.write("test.people", "UNWIND ['A', 'B', 'C'] AS k CREATE (:Person {id_number: k, name: k})")
    nodes = {
        r["k"]: r["id"]
        for r in gateway.read("test.ids", "MATCH (p:Person) RETURN p.id_number AS k, elementId(p) AS id").data()
    }
    for i, (key, severity) in enumerate([("A", "low"), ("B", "high"), ("C", "medium")]):
        entity = {"label": "Person", "key": key, "role": "person", "element_id": nodes[key]}
        hit = Hit(f"alert{key}", f"rule.{severity}", key, [entity], key, severity)
        store(gateway, [hit], run_id="test", now=base + timedelta(days=i))


def test_filters_and_sorts(empty_graph, audit):
    plant_alerts(empty_graph)
    assign(empty_graph, audit, "alertA", "analyst1", Actor.cli("lead"))
    set_status(empty_graph, audit, "alertC", "closed", Actor.cli("lead"))

    def ids(**kwargs) -> list[str]:
        return [r["alert_id"] for r in list_alerts(empty_graph, **kwargs)]

    assert ids() == ["alertC", "alertB", "alertA"], "most recently fired first"
    assert ids(sort="severity") == ["alertB", "alertC", "alertA"]
    assert ids(sort="status") == ["alertB", "alertA", "alertC"], "new before closed, then latest first"
    assert ids(severity="high") == ["alertB"]
    assert ids(assignee="analyst1") == ["alertA"]
    assert ids(assignee="") == ["alertC", "alertB"], "the unassigned ones"
    assert ids(status="closed") == ["alertC"] and ids(rule="rule.low") == ["alertA"]
    assert ids(sort="severity", limit=1) == ["alertB"], "sorted over every alert before the limit"
    with pytest.raises(AlertError, match="severity must be one of high, medium, low"):
        list_alerts(empty_graph, severity="urgent")
    with pytest.raises(AlertError, match="sort must be one of"):
        list_alerts(empty_graph, sort="name")
