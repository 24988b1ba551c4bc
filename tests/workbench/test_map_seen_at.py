"""A vehicle's passages reach the map as one "seen at" link per place, with the count and the
first and last time the graph holds, and open into the passages themselves; what the analyst
hid and grouped on the canvas is kept by the page and by a saved investigation."""

from __future__ import annotations

from queries.investigations import SavedMap
from tests.workbench.conftest import one_page
from workbench.canvas import elements
from workbench.display import Display
from workbench.investigator import Investigator
from workbench.map_state import MapState
from workbench.seen_links import is_seen

ANALYST = Investigator(user="tester", role="analyst", case_ref="JX-1", reason="fugitive_search")
BUSY_VEHICLE = """
MATCH (v:Vehicle)<-[:OF_VEHICLE]-(p:Passage)
WITH v, count(p) AS n WHERE n >= 3
RETURN v.plate AS plate ORDER BY n DESC, plate LIMIT 1
"""
TRUTH = """
MATCH (v:Vehicle {plate: $plate})<-[:OF_VEHICLE]-(p:Passage)-[:PASSED_AT]->(place)
RETURN elementId(place) AS place, count(p) AS n, toString(min(p.time)) AS first, toString(max(p.time)) AS last
"""


def expanded_vehicle(sample_graph):
    plate = sample_graph.read("test.busy_vehicle", BUSY_VEHICLE).data()[0]["plate"]
    at = one_page("explorer", user="sup")
    at.run()
    at.text_input(key="gb_add_ref").input(f"Vehicle:{plate}")
    next(b for b in at.button if b.label == "加入").click().run()
    state = at.session_state["gb_map"]
    vehicle = state.by_ref(f"Vehicle:{plate}")
    at.session_state["gb_canvas"] = {"events": [{"seq": 1, "kind": "expand", "node": vehicle}], "positions": {}}
    at.run()
    assert not at.exception, at.exception
    return at, plate, vehicle


def test_passages_are_one_link_per_place_with_count_and_first_and_last(app_env, sample_graph, schema):
    at, plate, vehicle = expanded_vehicle(sample_graph)
    state = at.session_state["gb_map"]
    assert not [n for n in state.nodes.values() if n["label"] == "Passage"], "no passage is a node by default"
    seen = {rel["end"]: rel for rel in state.edges.values() if rel.get("aggregate")}
    truth = {row["place"]: row for row in sample_graph.read("test.truth", TRUTH, {"plate": plate}).data()}
    assert seen and set(seen) == set(truth)
    for place, rel in seen.items():
        assert rel["start"] == vehicle
        assert rel["properties"]["count"] == truth[place]["n"]
        assert rel["properties"]["first"][:19] == truth[place]["first"][:19]
        assert rel["properties"]["last"][:19] == truth[place]["last"][:19]

    # Drawn as a link captioned with its count, spanning first to last on the time bar.
    display = Display(schema, ANALYST)
    drawn = {e["data"]["id"]: e for e in elements(state, display)}
    busiest = max(seen.values(), key=lambda r: r["properties"]["count"])
    data = drawn[busiest["id"]]["data"]
    assert data["label"] == f"经过 ×{busiest['properties']['count']}" and data["t0"] <= data["t"]

    # Opened: its passages join the map, each linked to the vehicle and the place.
    at.session_state["gb_canvas"] = {
        "events": [
            {"seq": 1, "kind": "expand", "node": vehicle},
            {"seq": 2, "kind": "passages", "node": busiest["id"]},
        ],
        "positions": {},
    }
    at.run()
    assert not at.exception, at.exception
    state = at.session_state["gb_map"]
    passages = {n for n, node in state.nodes.items() if node["label"] == "Passage"}
    assert len(passages) == min(50, busiest["properties"]["count"])
    ends = {(rel["start"], rel["end"]) for rel in state.edges.values() if not rel.get("aggregate")}
    assert all((p, vehicle) in ends and (p, busiest["end"]) in ends for p in passages)
    assert busiest["id"] in state.opened
    assert any("过车记录" in s.value for s in at.success)


def test_the_view_the_canvas_reports_is_kept_and_saved(app_env, sample_graph, schema):
    at, _, vehicle = expanded_vehicle(sample_graph)
    state = at.session_state["gb_map"]
    places = [rel["end"] for rel in state.edges.values() if rel.get("aggregate")]
    assert len(places) >= 2
    at.session_state["gb_canvas"] = {
        "events": [{"seq": 1, "kind": "expand", "node": vehicle}, {"seq": 2, "kind": "layout", "node": None}],
        "positions": {},
        "view": {"hidden": [places[0], "not-on-the-map"], "groups": {"g1": [vehicle, places[1]], "g2": ["gone"]}},
    }
    at.run()
    assert not at.exception, at.exception
    state = at.session_state["gb_map"]
    assert state.hidden == {places[0]} and state.groups == {"g1": [vehicle, places[1]]}

    display = Display(schema, ANALYST)
    drawn = {e["data"]["id"]: e for e in elements(state, display)}
    assert "hidden" in drawn[places[0]]["classes"].split()
    assert drawn[vehicle]["data"]["parent"] == "g1" and drawn["g1"]["data"]["label"] == "组（2）"
    assert next(iter(drawn)) == "g1", "a group box comes before its members"

    # Saved and opened again: hidden, groups, style and the seen-at links as they were.
    state.style = {"size_by": "betweenness", "community": True}
    saved = SavedMap.from_json(state.to_saved().to_json())
    assert not [link for link in saved.links if link[1] == "SEEN_AT"], "a seen-at link is not read back by type"
    reopened = MapState.from_saved(saved, state.nodes, {k: v for k, v in state.edges.items() if not is_seen(k)})
    assert reopened.hidden == state.hidden
    assert {g: set(m) for g, m in reopened.groups.items()} == {g: set(m) for g, m in state.groups.items()}
    assert reopened.style == state.style
    seen = lambda s: {k: v["properties"] for k, v in s.edges.items() if v.get("aggregate")}  # noqa: E731
    assert seen(reopened) == seen(state)


def test_a_map_saved_before_views_were_kept_opens_as_it_was():
    old = SavedMap.from_json('{"version": 1, "entities": ["Person:1"], "links": [], "positions": {}, "pinned": []}')
    assert (old.hidden, old.groups, old.style, old.aggregates) == ([], {}, {}, [])
