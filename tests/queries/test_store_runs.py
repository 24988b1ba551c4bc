"""Once the event store holds the passages, a passage query of the packs runs there, by
whichever path asks (`goldenbell query run`, the packs page, the map): the runner gives
its event twin's rows, records the run as the query's with the entities it named, refuses
a bad value the same way, and leaves every other query on the graph. `goldenbell alerts
run` raises the passage alerts from the store too, as `goldenbell events alerts` does."""

from __future__ import annotations

import pytest

from access.actor import Actor
from events.store import EventStore
from queries import alerts, event_rules
from queries.event_alerts import stored_alerts
from queries.event_connection import open_events
from queries.runner import QueryRefused, Runner
from queries.store_runs import twin
from tests.queries.event_store import stored_sample

pytestmark = pytest.mark.slow
ACTOR = Actor("wang", "supervisor", case_ref="JX-2025-07", reason="case_investigation")


@pytest.fixture(scope="module")
def store(graph, schema, sample_dir, tmp_path_factory) -> EventStore:
    return stored_sample(graph, schema, sample_dir, tmp_path_factory.mktemp("store_runs"))


@pytest.fixture
def on_store(graph, catalog, schema, neo4j_settings, audit, store) -> Runner:
    return Runner(graph, catalog, schema, neo4j_settings, audit, store)


def _direct(graph, store: EventStore, rule_id: str, params: dict) -> list[dict]:
    con = open_events(store, graph, [event_rules.rule(rule_id)])
    try:
        return event_rules.run(con, rule_id, params)
    finally:
        con.close()


def test_a_passage_query_runs_on_the_store_and_is_recorded_as_the_query(on_store, graph, store, audit, ground_truth):
    scenarios = [s for s in ground_truth["scenarios"] if s["kind"] == "co_travel"]
    pair = set(scenarios[0]["positives"][0]["entities"]["Vehicle"])
    plate = sorted(pair)[0]
    outcome = on_store.run("vehicles.companions", {"plate": plate}, actor=ACTOR)
    direct = _direct(graph, store, "vehicles.companions", {"plate": plate})
    assert [row["companion"] for row in outcome.rows] == [row["companion"] for row in direct]
    assert set(pair) - {plate} <= {row["companion"] for row in outcome.rows}, "the planted companion is found"
    assert outcome.nodes == [] and outcome.columns == list(direct[0])
    assert all(row["first_seen"].endswith("+08:00") for row in outcome.rows), "times in Beijing time, as text"
    [entry] = [e for e in audit.read() if e["query_id"] == "vehicles.companions"]
    assert entry["action"] == "query.run" and entry["message"] == "event store" and entry["rows"] == len(direct)
    assert f"Vehicle:{plate}" in entry["entities"] and entry["case_ref"] == "JX-2025-07"


def test_the_row_cap_cuts_a_store_result_and_says_so(on_store, audit):
    outcome = on_store.run("vehicles.cloned_plates", {"max_speed_kmh": 40}, actor=ACTOR, row_cap=1)
    assert outcome.truncated and len(outcome.rows) == 1
    [entry] = [e for e in audit.read() if e["query_id"] == "vehicles.cloned_plates"]
    assert "truncated at the row cap" in entry["message"]


def test_a_bad_value_is_refused_as_on_the_graph(on_store, audit):
    with pytest.raises(QueryRefused, match="plate"):
        on_store.run("vehicles.trajectory", {"plate": "浙F1"}, actor=ACTOR)
    assert [e["outcome"] for e in audit.read() if e["query_id"] == "vehicles.trajectory"] == ["refused"]


def test_other_queries_stay_on_the_graph_and_an_empty_store_changes_nothing(
    graph, catalog, schema, neo4j_settings, audit, on_store, tmp_path
):
    assert twin("links.neighbourhood") is None and not on_store.on_store("identity.shared_phones")
    empty = Runner(graph, catalog, schema, neo4j_settings, audit, EventStore(tmp_path / "events"))
    assert not empty.on_store("vehicles.trajectory"), "no passages stored: Passage nodes answer"
    assert on_store.on_store("vehicles.trajectory")


def test_alerts_run_raises_the_passage_alerts_from_the_store(on_store, graph, store, schema, catalog, audit):
    rule = "vehicles.cloned_plates"
    with pytest.raises(alerts.AlertError, match="events alerts"):
        alerts.run_rules(on_store, ACTOR, rule=rule)

    def on(ids, params):
        return stored_alerts(store, graph, schema, catalog, audit, ACTOR, ids, params)

    before = {r["id"] for r in graph.read("test.alerts", "MATCH (a:Alert) RETURN a.alert_id AS id").records}
    try:
        [report] = alerts.run_rules(on_store, ACTOR, rule=rule, on_store=on)
        assert report.rule == rule and report.hits and report.alert_ids
        kept = graph.read(
            "test.evidence",
            "MATCH (a:Alert) WHERE a.alert_id IN $ids RETURN count(a.evidence_passages) AS n",
            {"ids": report.alert_ids},
        ).single_value()
        assert kept == len(report.alert_ids), "alerts raised on the store keep their passages"
    finally:
        graph.write(
            "test.alerts_clear",
            "MATCH (a:Alert) WHERE NOT a.alert_id IN $before DETACH DELETE a",
            {"before": sorted(before)},
        )
