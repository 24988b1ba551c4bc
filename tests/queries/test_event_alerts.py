"""Alert rules on the event store raise the very alerts their Cypher twins raise: the store
is filled by the passage importer from the sample's own files, the graph by the graph
importer, and both engines' hits agree in id, entities, severity and both summaries."""

from __future__ import annotations

import pytest

from access.actor import Actor
from events.store import EventStore
from queries import alerts, event_rules
from queries.event_alerts import event_hits, open_events, run_event_alerts
from tests.queries.ground_truth import score

pytestmark = pytest.mark.slow
PASSAGE_FILES = ("checkpoint_passages.csv", "gate_passages.jsonl")


@pytest.fixture
def events(sample_graph, sample_dir, schema, tmp_path):
    from ingest.passages.run import graph_places, import_passages

    store = EventStore(tmp_path / "events")
    import_passages(
        [sample_dir / name for name in PASSAGE_FILES],
        schema=schema,
        store=store,
        known_places=graph_places(sample_graph),
        rejects_path=tmp_path / "rejects.csv",
    )
    con = open_events(store, sample_graph)
    yield con
    con.close()


def _comparable(found: list[alerts.Hit]) -> dict:
    return {
        h.alert_id: (
            h.rule,
            h.summary,
            h.summary_en,
            h.severity,
            sorted((e["label"], e["key"], e["role"]) for e in h.entities),
        )
        for h in found
    }


def test_each_event_alert_rule_raises_the_alerts_of_its_cypher_twin(events, sample_graph, schema, catalog, runner):
    actor = Actor.cli("test", case_ref="event-alerts")
    for rule in (r for r in event_rules.rules() if r.alert):
        for params in ({}, {"max_speed_kmh": 40} if "max_speed_kmh" in rule.parameters else {"min_days": 2}):
            ours = event_hits(events, sample_graph, schema, catalog, rule, params).hits
            twin = alerts.hits(runner.run(rule.id, params, actor=actor), schema, catalog.query(rule.id))
            assert ours, (rule.id, params)
            assert _comparable(ours) == _comparable(twin), (rule.id, params)


def test_event_alerts_find_every_planted_case_and_are_stored_once(
    events, sample_graph, schema, catalog, ground_truth, audit
):
    before = {r["id"] for r in sample_graph.read("test.alerts", "MATCH (a:Alert) RETURN a.alert_id AS id").records}
    try:
        reports = run_event_alerts(events, sample_graph, schema, catalog, audit, Actor.cli("test", case_ref="events"))
        again = run_event_alerts(events, sample_graph, schema, catalog, audit, Actor.cli("test", case_ref="events"))
        assert [r.alert_ids for r in again] == [r.alert_ids for r in reports]
        assert all(r.created == 0 for r in again)
        hits = {
            r.rule: [{f"Vehicle:{key}" for key in _keys(sample_graph, alert_id)} for alert_id in r.alert_ids]
            for r in reports
        }
        kinds, _ = score(ground_truth, hits)
        for kind in ("cloned_plate", "co_travel"):
            assert kinds[kind].found == kinds[kind].positives and not kinds[kind].decoys_hit, kinds[kind]
        runs = audit.read(newest_first=False, action="alert.run")
        assert [e["query_id"] for e in runs] == [r.rule for r in reports] * 2
    finally:
        sample_graph.write(
            "test.alerts_clear",
            "MATCH (a:Alert) WHERE NOT a.alert_id IN $before DETACH DELETE a",
            {"before": sorted(before)},
        )


def _keys(gateway, alert_id: str) -> list[str]:
    return [
        r["plate"]
        for r in gateway.read(
            "test.alert_entities",
            "MATCH (:Alert {alert_id: $id})-[:INVOLVES]->(v:Vehicle) RETURN v.plate AS plate",
            {"id": alert_id},
        ).records
    ]
