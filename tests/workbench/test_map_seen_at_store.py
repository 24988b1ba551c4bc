"""With passages in the event store, the map's seen-at links are the graph's SEEN_AT links and
a link opens into a table of the store's passages, not into Passage nodes.

The session's sample graph holds the same passages as Passage nodes. The store gets one
passage more than the graph (a later one, with a driver's ID): a link counted from Passage
nodes would be one short, and an opened link read from them would miss its newest row.
"""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from access.masking import mask_citizen_id
from access.roles import sees_sensitive
from events.store import EventStore
from graph.gateway import local_password
from ingest.normalize.dates import SHANGHAI
from ingest.passages.run import graph_places, import_passages
from tests.conftest import load_sample
from tests.queries.event_store import PASSAGE_FILES
from tests.workbench.conftest import USERS, audit_events, one_page
from workbench.explorer import PASSAGES_OPENED
from workbench.messages import message
from workbench.seen_links import edge_id

EXTRA_ID = "STORE-ONLY-1"
# The plate seen most, at two places or more, one of them a checkpoint where drivers are checked.
BUSY = """
SELECT plate FROM passages
GROUP BY plate
HAVING count(DISTINCT place_id) >= 2 AND count(*) FILTER (WHERE source = 'checkpoint') > 0
ORDER BY count(*) DESC, plate
LIMIT 1
"""
CHECKPOINT = """
SELECT place_id, max(time) AS last FROM passages WHERE plate = $plate AND source = 'checkpoint'
GROUP BY place_id ORDER BY count(*) DESC, place_id LIMIT 1
"""
PAIRS = """
SELECT place_id, count(*) AS n, min(time) AS first, max(time) AS last FROM passages WHERE plate = $plate
GROUP BY place_id
"""
OPENED = """
SELECT time, plate, direction, lane, driver_id FROM passages WHERE plate = $plate AND place_id = $place
ORDER BY time DESC, passage_id DESC LIMIT $limit
"""
DAY_PAIRS = """
SELECT place_id, count(*) AS n, min(time) AS first, max(time) AS last FROM passages
WHERE plate = $plate AND CAST(timezone('Asia/Shanghai', time) AS DATE) = $day
GROUP BY place_id
"""
GRAPH_COUNT = """
MATCH (:Vehicle {plate: $plate})<-[:OF_VEHICLE]-(p:Passage {place_id: $place}) RETURN count(p) AS n
"""
PLACE_REF = "MATCH (c:Checkpoint|Gate) RETURN coalesce(c.checkpoint_id, c.gate_id) AS id, labels(c)[0] AS label"


@pytest.fixture(scope="module")
def stored(gateway, schema, sample_dir, tmp_path_factory):
    """The sample's passages and one more in an event store under a home of their own, with
    their SEEN_AT and DROVE links in the graph (removed at the end: the sample graph is shared)."""
    sample_graph = load_sample(gateway, schema, sample_dir, tmp_path_factory)
    home = tmp_path_factory.mktemp("home")
    store = EventStore.under(home)
    places = graph_places(sample_graph)
    common = {"schema": schema, "store": store, "known_places": places, "gateway": sample_graph}
    try:
        import_passages([sample_dir / name for name in PASSAGE_FILES], rejects_path=home / "rejects.csv", **common)
        con = store.connect()
        try:
            plate = con.execute(BUSY).fetchall()[0][0]
            place, last = con.execute(CHECKPOINT, {"plate": plate}).fetchall()[0]
            driver = con.execute("SELECT min(driver_id) FROM passages WHERE driver_id IS NOT NULL").fetchall()[0][0]
        finally:
            con.close()
        extra = home / "checkpoint_passages_extra.csv"
        with extra.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(
                ["过车编号", "号牌号码", "号牌颜色", "检查站编号", "过车时间", "方向", "车道", "核录身份证号"]
            )
            when = (last + timedelta(days=1)).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow([EXTRA_ID, plate, "蓝", place, when, "进城", 2, driver])
        report = import_passages([extra], rejects_path=home / "extra_rejects.csv", **common)
        assert report.files[0].rows_loaded == 1, report.as_dict()
        yield {"home": home, "store": store, "plate": plate, "place": place, "driver": driver}
    finally:
        sample_graph.write("test.seen_at_clear", "MATCH ()-[s:SEEN_AT|DROVE]->() DELETE s", {})


@pytest.fixture
def store_app(app_env, stored, neo4j_settings, monkeypatch):
    """The app with GOLDENBELL_HOME at the store's home, and the test Neo4j named outright
    (its password file lives in the test server's own home)."""
    monkeypatch.setenv("GOLDENBELL_HOME", str(stored["home"]))
    if not neo4j_settings.uses_external_neo4j:
        monkeypatch.setenv("NEO4J_URI", neo4j_settings.local_uri)
        monkeypatch.setenv("NEO4J_USER", "neo4j")
        monkeypatch.setenv("NEO4J_PASSWORD", local_password(neo4j_settings))
    return stored


def _store_rows(store: EventStore, sql: str, params: dict) -> list[dict]:
    con = store.connect()
    try:
        cursor = con.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    finally:
        con.close()


def _expanded(user: str, plate: str, day=None):
    """The vehicle added and expanded, with the sidebar's window set to `day` first if given."""
    at = one_page("explorer", user=user)
    at.run()
    if day is not None:
        at.date_input(key="gb_since").set_value(day)
        at.date_input(key="gb_until").set_value(day)
        at.run()
    at.text_input(key="gb_add_ref").input(f"Vehicle:{plate}")
    next(b for b in at.button if b.label == "加入").click().run()
    vehicle = at.session_state["gb_map"].by_ref(f"Vehicle:{plate}")
    at.session_state["gb_canvas"] = {"events": [{"seq": 1, "kind": "expand", "node": vehicle}], "positions": {}}
    at.run()
    assert not at.exception, at.exception
    return at, vehicle


def _opened(at, vehicle: str, link: str):
    at.session_state["gb_canvas"] = {
        "events": [
            {"seq": 1, "kind": "expand", "node": vehicle},
            {"seq": 2, "kind": "passages", "node": link},
        ],
        "positions": {},
    }
    at.run()
    assert not at.exception, at.exception
    return at


def test_seen_at_links_are_the_stores_counts_not_the_passage_nodes(store_app, sample_graph):
    plate, place, store = store_app["plate"], store_app["place"], store_app["store"]
    at, vehicle = _expanded("sup", plate)
    state = at.session_state["gb_map"]
    assert not [n for n in state.nodes.values() if n["label"] == "Passage"]
    seen = {
        state.nodes[rel["end"]]["ref"].partition(":")[2]: rel for rel in state.edges.values() if rel.get("aggregate")
    }
    truth = {row["place_id"]: row for row in _store_rows(store, PAIRS, {"plate": plate})}
    assert seen and set(seen) == set(truth), "one link per place the store saw the plate at"
    for place_id, rel in seen.items():
        assert rel["start"] == vehicle
        assert rel["properties"]["count"] == truth[place_id]["n"]
        assert rel["properties"]["first"][:19] == truth[place_id]["first"].astimezone(SHANGHAI).isoformat()[:19]
        assert rel["properties"]["last"][:19] == truth[place_id]["last"].astimezone(SHANGHAI).isoformat()[:19]
    # The passage only the store holds is counted: the Passage nodes are one short.
    in_graph = sample_graph.read("test.graph_count", GRAPH_COUNT, {"plate": plate, "place": place}).single_value(0)
    assert seen[place]["properties"]["count"] == in_graph + 1


@pytest.mark.parametrize("user", ["ana", "sup"])
def test_an_opened_link_lists_the_stores_passages_newest_first_with_drivers_masked_by_role(
    store_app, sample_graph, audit_path, user
):
    plate, place, store, driver = store_app["plate"], store_app["place"], store_app["store"], store_app["driver"]
    at, vehicle = _expanded(user, plate)
    state = at.session_state["gb_map"]
    place_node = next(n for n, node in state.nodes.items() if node["ref"].partition(":")[2] == place)
    link = edge_id(vehicle, place_node)
    before = set(state.nodes)

    at = _opened(at, vehicle, link)
    state = at.session_state["gb_map"]
    assert set(state.nodes) == before, "passages in the store are not nodes on the map"
    assert link in state.opened

    expected = _store_rows(store, OPENED, {"plate": plate, "place": place, "limit": PASSAGES_OPENED})
    assert expected[0]["driver_id"] == driver, "the store-only passage is the newest"
    sees = sees_sensitive(USERS[user])
    assert sees == (user == "sup"), "a supervisor sees ID numbers in full, an analyst does not"
    table = at.dataframe[0].value
    shown = table.to_dict("records")
    column = lambda key: message(f"seen.{key}", "zh")  # noqa: E731
    assert [row[column("time")] for row in shown] == [
        row["time"].astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") for row in expected
    ]
    assert {row[column("plate")] for row in shown} == {plate}
    assert [row[column("lane")] for row in shown] == ["" if r["lane"] is None else str(r["lane"]) for r in expected]
    drivers = [row[column("driver")] for row in shown]
    truth = [r["driver_id"] or "" for r in expected]
    assert drivers == (truth if sees else [mask_citizen_id(d) if d else "" for d in truth])
    assert drivers[0] == (driver if sees else mask_citizen_id(driver)) and (sees or driver not in drivers)
    assert any(plate in c.value for c in at.caption)

    # Read from the store, and recorded with the vehicle as the entity looked at.
    reads = [e for e in audit_events(audit_path) if e["action"] == "map.seen_passages"]
    assert len(reads) == 1
    assert reads[0]["entities"] == [f"Vehicle:{plate}"] and reads[0]["rows"] == len(expected)
    assert reads[0]["user"] == user


def test_a_window_counts_each_link_again_in_the_store_and_draws_only_those_in_it(store_app, audit_path):
    plate, place, store = store_app["plate"], store_app["place"], store_app["store"]
    newest = _store_rows(store, OPENED, {"plate": plate, "place": place, "limit": 1})[0]["time"]
    day = newest.astimezone(SHANGHAI).date()
    at, vehicle = _expanded("sup", plate, day)
    state = at.session_state["gb_map"]
    seen = {
        state.nodes[rel["end"]]["ref"].partition(":")[2]: rel for rel in state.edges.values() if rel.get("aggregate")
    }
    truth = {r["place_id"]: r for r in _store_rows(store, DAY_PAIRS, {"plate": plate, "day": day})}
    assert place in seen and set(seen) == set(truth), "only the places it passed that day"
    for place_id, rel in seen.items():
        assert rel["properties"]["count"] == truth[place_id]["n"], "counted for the window, not the whole history"
        assert rel["properties"]["first"][:19] == truth[place_id]["first"].astimezone(SHANGHAI).isoformat()[:19]
    [counted] = [e for e in audit_events(audit_path) if e["action"] == "map.seen_counts"]
    assert counted["entities"] == [f"Vehicle:{plate}"] and counted["rows"] == len(truth)

    # Opened, the link lists only the window's passages.
    at = _opened(at, vehicle, edge_id(vehicle, seen[place]["end"]))
    shown = at.dataframe[0].value.to_dict("records")
    assert shown and all(row[message("seen.time", "zh")].startswith(day.isoformat()) for row in shown)
