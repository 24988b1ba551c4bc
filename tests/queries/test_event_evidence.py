"""An alert raised on the event store keeps the passages behind it, and an investigator reads
them back from the store: the planted cloned plate's hops too fast for one car, both
co-travelling cars' passages where they met; masked for a role that may not see ID
numbers, refused without a case, recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from access.actor import Actor
from access.audit.log import AuditLog
from access.errors import AccessDenied, ReasonRequired
from queries import alerts, event_rules
from queries.event_alerts import run_event_alerts
from queries.event_connection import open_events
from queries.event_evidence import evidence_passages
from queries.runner import Runner
from tests.queries.event_store import stored_sample

pytestmark = pytest.mark.slow
RULES = ("vehicles.cloned_plates", "vehicles.co_travel")


@pytest.fixture(scope="module")
def raised(graph, sample_dir, schema, catalog, tmp_path_factory):
    """The store of the sample's passages, the cloned-plate and co-travel alerts raised on
    it, and the audit log of the module's consultations."""
    folder = tmp_path_factory.mktemp("evidence")
    store = stored_sample(graph, schema, sample_dir, folder)
    audit = AuditLog(folder / "audit.jsonl")
    before = {r["id"] for r in graph.read("test.alerts", "MATCH (a:Alert) RETURN a.alert_id AS id").records}
    con = open_events(store, graph, [event_rules.rule(r) for r in RULES])
    try:
        reports = {}
        for rule in RULES:
            [reports[rule]] = run_event_alerts(
                con, graph, schema, catalog, audit, Actor.cli("test"), store=store, rule=rule
            )
        yield store, reports, audit
    finally:
        con.close()
        graph.write(
            "test.alerts_clear",
            "MATCH (a:Alert) WHERE NOT a.alert_id IN $before DETACH DELETE a",
            {"before": sorted(before)},
        )


def _planted(ground_truth: dict, kind: str) -> list[set[str]]:
    return [
        set(p["entities"]["Vehicle"]) for s in ground_truth["scenarios"] if s["kind"] == kind for p in s["positives"]
    ]


def _alert_of(gateway, report, plates: set[str]) -> str:
    for alert_id in report.alert_ids:
        found = gateway.read(
            "test.alert_plates",
            "MATCH (:Alert {alert_id: $id})-[:INVOLVES]->(v:Vehicle) RETURN collect(v.plate) AS plates",
            {"id": alert_id},
        ).records
        if set(found[0]["plates"]) == plates:
            return alert_id
    raise AssertionError(f"no alert for {plates}")


def test_a_cloned_plates_alert_reads_back_its_impossible_hops(raised, graph, ground_truth):
    store, reports, audit = raised
    investigator = Actor("wang", "supervisor", case_ref="JX-2025-01", reason="case_investigation")
    con = open_events(store, graph, [event_rules.rule("vehicles.cloned_plates")])
    try:
        worst_hops = event_rules.run(con, "vehicles.cloned_plates")
    finally:
        con.close()
    for plates in _planted(ground_truth, "cloned_plate"):
        alert_id = _alert_of(graph, reports["vehicles.cloned_plates"], plates)
        rows = evidence_passages(graph, store, audit, investigator, alert_id)
        assert {r["plate"] for r in rows} == plates
        assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)
        # Each hop is two passages of the plate at two places; the rule's worst hop is one.
        assert len(rows) >= 2 and len({r["place_id"] for r in rows}) >= 2
        [worst] = [r for r in worst_hops if r["plate"] in plates]
        assert (worst["first_time"], worst["first_place"]) in {(r["time"], r["place_id"]) for r in rows}
        assert (worst["second_time"], worst["second_place"]) in {(r["time"], r["place_id"]) for r in rows}
        assert all(r["source_file"] and r["source_row"] for r in rows)  # where each came from
    [entry] = audit.read(newest_first=True, action="alert.evidence")[:1]
    assert (entry["case_ref"], entry["parameters"]["alert_id"]) == ("JX-2025-01", alert_id)


def test_a_co_travel_alert_reads_back_both_cars_where_they_met(raised, graph, ground_truth):
    store, reports, audit = raised
    investigator = Actor("wang", "supervisor", case_ref="JX-2025-01", reason="case_investigation")
    for plates in _planted(ground_truth, "co_travel"):
        alert_id = _alert_of(graph, reports["vehicles.co_travel"], plates)
        rows = evidence_passages(graph, store, audit, investigator, alert_id)
        assert {r["plate"] for r in rows} == plates
        for r in rows:  # every passage has the other car at the same place, direction, minutes away
            assert any(
                o["plate"] != r["plate"]
                and (o["place_id"], o["direction"]) == (r["place_id"], r["direction"])
                and abs(o["time"] - r["time"]) <= timedelta(minutes=3)
                for o in rows
            ), r


def test_an_analyst_sees_captured_id_numbers_masked_and_a_reason_is_required(raised, graph):
    store, reports, audit = raised
    # The planted alerts' passages have no captured driver: an alert kept with passages that do.
    con = store.connect()
    try:
        captured = [
            r[0]
            for r in con.execute(
                "SELECT passage_id FROM passages WHERE driver_id IS NOT NULL ORDER BY passage_id LIMIT 3"
            ).fetchall()
        ]
    finally:
        con.close()
    [cloned, *_] = reports["vehicles.cloned_plates"].alert_ids
    involved = graph.read(
        "test.alert_entities",
        "MATCH (:Alert {alert_id: $id})-[r:INVOLVES]->(v) RETURN elementId(v) AS element_id, r.role AS role",
        {"id": cloned},
    ).data()
    kept = alerts.Hit("test-captured", "vehicles.cloned_plates", "测试", involved, evidence=tuple(captured))
    alerts.store(graph, [kept], run_id="test")

    analyst = Actor("li", "analyst", case_ref="JX-2025-01", reason="case_investigation")
    supervisor = Actor("wang", "supervisor", case_ref="JX-2025-01", reason="case_investigation")
    masked = evidence_passages(graph, store, audit, analyst, "test-captured")
    whole = evidence_passages(graph, store, audit, supervisor, "test-captured")
    assert len(masked) == len(whole) == len(captured) == 3
    for mine, theirs in zip(masked, whole, strict=True):
        assert len(theirs["driver_id"]) == 18 and mine["driver_id"] == "*" * 14 + theirs["driver_id"][-4:]
    [entry] = audit.read(newest_first=True, action="alert.evidence")[1:2]
    assert (entry["user"], entry["role"], entry["rows"]) == ("li", "analyst", 3)

    with pytest.raises(ReasonRequired):
        evidence_passages(graph, store, audit, Actor("li", "analyst"), "test-captured")
    with pytest.raises(AccessDenied):
        evidence_passages(graph, store, audit, Actor("au", "auditor", case_ref="X", reason="y"), "test-captured")


def test_an_alert_without_stored_passages_says_so(raised, graph, schema, catalog, neo4j_settings):
    store, _, audit = raised
    runner = Runner(graph, catalog, schema, neo4j_settings, audit)
    supervisor = Actor("wang", "supervisor", case_ref="JX-2025-01", reason="case_investigation")
    with pytest.raises(alerts.AlertError, match="no alert 'nothing'"):
        evidence_passages(graph, store, audit, supervisor, "nothing")
    # The Cypher twin raises the same alert on Passage nodes, and keeps the evidence stored.
    rule = catalog.query("vehicles.cloned_plates")
    twin = alerts.hits(runner.run(rule.id, {}, actor=Actor.cli("test")), schema, rule)
    alerts.store(graph, twin, run_id="test")
    assert evidence_passages(graph, store, audit, supervisor, twin[0].alert_id)
    fresh = alerts.Hit("test-no-evidence", "vehicles.cloned_plates", "测试", twin[0].entities)
    alerts.store(graph, [fresh], run_id="test")
    with pytest.raises(alerts.AlertError, match="keeps no passages from the event store"):
        evidence_passages(graph, store, audit, supervisor, "test-no-evidence")
