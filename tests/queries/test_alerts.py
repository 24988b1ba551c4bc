"""Alert rules store their hits as Alert nodes: once per set of facts, linked to the
entities involved, with the analyst's status left alone."""

from __future__ import annotations

import pytest

from access.actor import Actor
from queries.alerts import AlertError, fingerprint, list_alerts, run_rules, set_status

SHARED_PHONE = """
UNWIND range(1, $n) AS i
MERGE (ph:Phone {number: $number})
CREATE (:Person {id_number: $number + '-' + toString(i), name: '用户' + toString(i),
                 hukou_address: '户籍' + toString(i)})-[:HAS_PHONE]->(ph)
"""


def plant_phone(gateway, number: str, people: int = 5) -> None:
    gateway.write("test.phone", SHARED_PHONE, {"n": people, "number": number})


def alerts_in(gateway) -> list[dict]:
    return gateway.read(
        "test.alerts",
        "MATCH (a:Alert) OPTIONAL MATCH (a)-[r:INVOLVES]->(n) "
        "RETURN a.alert_id AS id, a.rule AS rule, a.status AS status, a.fire_count AS count, "
        "a.first_fired AS first, a.last_fired AS last, a.summary AS summary, "
        "collect([r.role, coalesce(n.number, n.id_number)]) AS involved ORDER BY id",
    ).data()


def test_a_hit_becomes_an_alert_linked_to_its_entities(empty_graph, runner, audit):
    plant_phone(empty_graph, "13900000001")
    [report] = run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    assert (report.hits, report.created, report.updated) == (1, 1, 0)
    [alert] = alerts_in(empty_graph)
    assert alert["rule"] == "identity.shared_phones" and alert["status"] == "new" and alert["count"] == 1
    assert alert["involved"] == [["phone", "13900000001"]]
    assert "13900000001" in alert["summary"] and alert["first"] == alert["last"]
    assert alert["id"] == report.alert_ids[0] == fingerprint("identity.shared_phones", ["Phone:13900000001"])
    assert [e["action"] for e in audit.events()] == ["alert.run"]


def test_the_same_facts_firing_again_update_the_alert_instead_of_adding_one(empty_graph, runner):
    plant_phone(empty_graph, "13900000001")
    run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    [first] = alerts_in(empty_graph)
    [report] = run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    assert (report.created, report.updated) == (0, 1)
    [again] = alerts_in(empty_graph)
    assert again["id"] == first["id"] and again["count"] == 2
    assert again["first"] == first["first"] and again["last"] > first["last"]
    assert len(again["involved"]) == 1


def test_an_analysts_status_survives_later_runs(empty_graph, runner, audit):
    plant_phone(empty_graph, "13900000001")
    [report] = run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    set_status(empty_graph, audit, report.alert_ids[0], "acknowledged", Actor.cli("analyst1", reason="核查中"))
    run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    [alert] = alerts_in(empty_graph)
    assert alert["status"] == "acknowledged" and alert["count"] == 2
    set_status(empty_graph, audit, report.alert_ids[0], "closed", Actor.cli("analyst1"))
    run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    assert alerts_in(empty_graph)[0]["status"] == "closed"
    ack = next(e for e in audit.events() if e["action"] == "alert.ack")
    assert (
        ack["user"] == "analyst1"
        and ack["reason"] == "核查中"
        and ack["parameters"] == {"alert_id": report.alert_ids[0]}
    )


def test_different_facts_make_a_different_alert(empty_graph, runner):
    plant_phone(empty_graph, "13900000001")
    run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    plant_phone(empty_graph, "13900000002", people=6)
    [report] = run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    assert (report.hits, report.created, report.updated) == (2, 1, 1)
    assert len({a["id"] for a in alerts_in(empty_graph)}) == 2


def test_the_fingerprint_depends_on_the_facts_not_their_order():
    assert fingerprint("r", ["Person:1", "Vehicle:浙F1"]) == fingerprint("r", ["Vehicle:浙F1", "Person:1"])
    assert fingerprint("r", ["Person:1"]) != fingerprint("r", ["Person:2"])
    assert fingerprint("r", ["Person:1"]) != fingerprint("s", ["Person:1"])


def test_running_every_rule_covers_each_alert_rule(empty_graph, runner):
    reports = run_rules(runner, Actor.cli("duty"))
    assert {r.rule for r in reports} == {q.id for q in runner.catalog.alert_rules()}
    assert all(r.hits == 0 for r in reports)
    assert alerts_in(empty_graph) == []


def test_parameters_reach_the_one_rule_they_are_given_for(empty_graph, runner):
    plant_phone(empty_graph, "13900000001", people=3)
    assert run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")[0].hits == 0
    [report] = run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones", params={"min_persons": "3"})
    assert report.hits == 1


def test_a_query_that_is_not_an_alert_rule_is_refused(runner):
    with pytest.raises(AlertError, match="not an alert rule"):
        run_rules(runner, Actor.cli("duty"), rule="links.timeline")


def test_listing_and_status_changes(empty_graph, runner, audit):
    plant_phone(empty_graph, "13900000001")
    [report] = run_rules(runner, Actor.cli("duty"), rule="identity.shared_phones")
    [record] = list_alerts(empty_graph, status="new")
    assert record["alert_id"] == report.alert_ids[0] and record["involved"][0]["role"] == "phone"
    assert list_alerts(empty_graph, status="closed") == []
    with pytest.raises(AlertError, match="no alert 'nope'"):
        set_status(empty_graph, audit, "nope", "closed", Actor.cli("analyst1"))
    assert list(audit.events())[-1]["outcome"] == "refused"
    with pytest.raises(AlertError, match="status must be one of"):
        set_status(empty_graph, audit, report.alert_ids[0], "done", Actor.cli("analyst1"))
