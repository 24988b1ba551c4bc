"""An alert opens on a fresh map: its entities, the links that tie them to each other drawn and
highlighted, and nothing of the map that was open before."""

from __future__ import annotations

from access.actor import Actor
from queries.alerts import run_rules
from tests.workbench.conftest import one_page
from workbench import resources
from workbench.map_state import MapState


def test_the_wanted_tenant_alert_opens_on_a_fresh_map_with_its_links_highlighted(app_env, sample_graph):
    runner = resources.workspace().runner
    [report] = run_rules(runner, Actor.cli("duty"), rule="floating_population.wanted_registered")
    assert report.alert_ids
    at = one_page("alerts")
    at.session_state[f"gb_alert_box_{report.alert_ids[0]}"] = True
    at.run()
    before = MapState()
    before.merge([{"id": "old", "label": "Person", "labels": ["Person"], "ref": "Person:X", "properties": {}}], [])
    at.session_state["gb_map"] = before
    at.button(key=f"gb_alert_map_{report.alert_ids[0]}").click().run()
    assert not at.exception, at.exception
    state = at.session_state["gb_map"]
    assert "old" not in state.nodes, "a fresh map"
    labels = {node["label"] for node in state.nodes.values()}
    assert {"Person", "Registration", "WatchList"} <= labels
    types = {rel["type"] for rel in state.edges.values()}
    assert {"REGISTERED", "LISTED_ON"} <= types, "the entities are linked, not isolated"
    assert set(state.nodes) | set(state.edges) <= state.highlight
