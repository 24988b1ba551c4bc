"""Alert rules on the event store raise the very alerts their Cypher twins raise: the store
is filled by the passage importer from the sample's own files, the graph by the graph
importer, and both engines' hits agree in id, entities, severity and both summaries."""

from __future__ import annotations

import pytest

from access.actor import Actor
from events.store import EventStore
from queries import alerts, event_rules
from queries.entities import entity_ref
from queries.event_alerts import event_hits, run_event_alerts
from queries.event_connection import open_events, whole_store
from tests.queries.event_store import stored_sample
from tests.queries.ground_truth import score
from tests.queries.test_event_rules import ALERT_RULES, planted

pytestmark = pytest.mark.slow
PASSAGE_FILES = ("checkpoint_passages.csv", "gate_passages.jsonl")
# Looser settings than the defaults, for more alerts to compare.
LOOSER = {
    "vehicles.cloned_plates": {"max_speed_kmh": 40},
    "vehicles.co_travel": {"min_days": 2},
    "vehicles.revoked_licence_driving": {"statuses": ["吊销", "暂扣", "注销"]},
    "vehicles.hazmat_night_passages": {"usages": ["危险货物运输", "货运"], "night_start_hour": 20},
    "vehicles.wanted_owner_passages": {"kinds": ["在逃人员", "涉毒人员", "刑满释放人员", "其他重点人员"]},
}


@pytest.fixture
def events(sample_graph, sample_dir, schema, tmp_path):
    con = open_events(stored_sample(sample_graph, schema, sample_dir, tmp_path), sample_graph)
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
    assert {r.id for r in event_rules.rules() if r.alert} == set(LOOSER)
    for rule in (r for r in event_rules.rules() if r.alert):
        for params in ({}, LOOSER[rule.id]):
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
        hits = {r.rule: [_entities(sample_graph, schema, alert_id) for alert_id in r.alert_ids] for r in reports}
        kinds, _ = score(planted(ground_truth), hits)
        for kind in ALERT_RULES.values():
            assert kinds[kind].found == kinds[kind].positives and not kinds[kind].decoys_hit, kinds[kind]
        runs = audit.read(newest_first=False, action="alert.run")
        assert [e["query_id"] for e in runs] == [r.rule for r in reports] * 2
    finally:
        sample_graph.write(
            "test.alerts_clear",
            "MATCH (a:Alert) WHERE NOT a.alert_id IN $before DETACH DELETE a",
            {"before": sorted(before)},
        )


def _entities(gateway, schema, alert_id: str) -> set[str]:
    """The entities an alert involves, as Label:key."""
    found = gateway.read(
        "test.alert_entities", "MATCH (:Alert {alert_id: $id})-[:INVOLVES]->(n) RETURN n", {"id": alert_id}
    )
    return {str(entity_ref(r["n"], schema)) for r in found.records}


def _split(source, early, late, cut: str) -> None:
    """The file's rows before `cut` (an ISO date) into `early`, the rest into `late`."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[:1] if source.suffix == ".csv" else []
    time_at = None
    if source.suffix == ".csv":
        time_at = header[0].rstrip("\r\n").split(",").index("过车时间")
    first, second = [*header], [*header]
    for line in lines[len(header) :]:
        if time_at is not None:
            fields = line.split(",")
            when = fields[time_at] if len(fields) > time_at else ""
        else:
            start = line.find('"passTime":"')
            when = line[start + 12 : start + 22] if start >= 0 else ""
        (second if when[:10] >= cut else first).append(line)
    early.write_text("".join(first), encoding="utf-8")
    late.write_text("".join(second), encoding="utf-8")


def test_a_run_over_the_plates_a_new_batch_concerns_leaves_the_alerts_a_whole_run_gives(
    sample_graph, sample_dir, schema, catalog, tmp_path
):
    from ingest.passages.run import graph_places, import_passages
    from queries.event_alerts import restrict

    places = graph_places(sample_graph)
    batches: dict[str, list] = {"early": [], "late": []}
    for name in PASSAGE_FILES:
        early, late = tmp_path / f"early_{name}", tmp_path / f"late_{name}"
        _split(sample_dir / name, early, late, "2025-10-01")
        batches["early"].append(early)
        batches["late"].append(late)

    def stored(files: list, folder: str) -> EventStore:
        store = EventStore(tmp_path / folder)
        import_passages(files, schema=schema, store=store, known_places=places, rejects_path=tmp_path / "r.csv")
        return store

    growing = stored(batches["early"], "growing")
    con = open_events(growing, sample_graph)
    state = {}
    for rule in (r for r in event_rules.rules() if r.alert):
        state.update(_comparable(event_hits(con, sample_graph, schema, catalog, rule).hits))
    before = {r.sha256 for r in growing.receipts()}
    con.close()

    stored(batches["late"], "growing")  # the same store, one batch more
    con = open_events(growing, sample_graph)
    new_files = sorted({r.sha256 for r in growing.receipts()} - before)
    total = con.execute("SELECT count(DISTINCT plate) FROM stored_passages").fetchall()[0][0]
    for rule in (r for r in event_rules.rules() if r.alert):
        if rule.incremental is not None:  # the others look at everything, as run_event_alerts has them
            looked_at = restrict(con, rule, rule.values(None), new_files)
            assert 0 < looked_at < total
        state.update(_comparable(event_hits(con, sample_graph, schema, catalog, rule).hits))
        whole_store(con)
    con.close()

    whole = open_events(stored(batches["early"] + batches["late"], "whole"), sample_graph)
    expected = {}
    for rule in (r for r in event_rules.rules() if r.alert):
        expected.update(_comparable(event_hits(whole, sample_graph, schema, catalog, rule).hits))
    whole.close()
    assert expected
    assert {alert_id: state.get(alert_id) for alert_id in expected} == expected


def test_after_an_import_every_rule_looks_at_the_new_plates_while_the_graph_facts_it_reads_hold(
    sample_graph, sample_dir, schema, catalog, audit, tmp_path
):
    """As `goldenbell events alerts --incremental` after each day's import: the passage import's
    own graph writes (SEEN_AT, DROVE) leave the rules' graph tables as they were, so even the
    rules that join licences, owners, usages and watch lists look only at the plates with a new
    passage; once the graph changes otherwise, those look at everything again."""
    from ingest.passages.run import graph_places, import_passages

    places = graph_places(sample_graph)
    early, late = [], []
    for name in PASSAGE_FILES:
        early.append(tmp_path / f"early_{name}")
        late.append(tmp_path / f"late_{name}")
        _split(sample_dir / name, early[-1], late[-1], "2025-10-01")
    store = EventStore(tmp_path / "events")
    actor = Actor.cli("test", case_ref="event-alerts")

    def imported_and_run(files: list | None) -> dict[str, str]:
        if files:
            import_passages(
                files,
                schema=schema,
                store=store,
                known_places=places,
                rejects_path=tmp_path / "r.csv",
                gateway=sample_graph,
            )
        con = open_events(store, sample_graph, [r for r in event_rules.rules() if r.alert])
        try:
            reports = run_event_alerts(con, sample_graph, schema, catalog, audit, actor, store=store, incremental=True)
        finally:
            con.close()
        return {r.rule: r.scope for r in reports}

    assert set(imported_and_run(early).values()) == {"all"}, "a first run looks at everything"
    scopes = imported_and_run(late)
    assert set(scopes) == set(LOOSER) and all(scope.endswith(" plates") for scope in scopes.values()), scopes

    # Any write that says nothing of what it changes: every graph table may have changed.
    sample_graph.write("test.touch", "MATCH (l:DrivingLicence) WITH l LIMIT 1 SET l.status = l.status")
    scopes = imported_and_run(None)
    joined = {r.id for r in event_rules.rules() if r.alert and r.tables}
    assert joined == {
        "vehicles.revoked_licence_driving",
        "vehicles.hazmat_night_passages",
        "vehicles.wanted_owner_passages",
    }
    assert {rule for rule, scope in scopes.items() if scope == "all"} == joined
    assert scopes["vehicles.cloned_plates"] == "0 plates", "the places are what they were, no new file"
