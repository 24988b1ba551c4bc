"""Styling rules: a number property as size and a property's values as fills, each explained in
the legend; masked properties never offered; a red ring on whoever is on a watch list (the
planted wanted tenant, found through the page); and the offline report draws the same rules,
leaves out what the analyst hid and lists their groups."""

from __future__ import annotations

import re

import pytest

from tests.workbench.conftest import one_page
from tests.workbench.test_map_and_exports import node
from workbench.canvas import elements, short_caption
from workbench.display import Display
from workbench.investigator import Investigator
from workbench.map_measures import measure
from workbench.map_state import MapState
from workbench.map_styles import CATEGORICAL, NUMERIC, PALETTE, WATCHED, property_options, style_of
from workbench.report import report_html

ANALYST = Investigator(user="tester", role="analyst", case_ref="JX-1", reason="fugitive_search")


def purchases() -> MapState:
    state = MapState()
    state.merge(
        [
            node("p1", "Person", "Person:1", "甲", gender="男"),
            node("p2", "Person", "Person:2", "乙", gender="女"),
            node("p3", "Person", "Person:3", "丙", gender="男"),
            node("b1", "Purchase", "Purchase:B1", "B1", quantity=40, category="fireworks"),
            node("b2", "Purchase", "Purchase:B2", "B2", quantity=10, category="fireworks"),
        ],
        [
            {"id": "r1", "type": "BOUGHT", "start": "p1", "end": "b1", "properties": {}},
            {"id": "r2", "type": "BOUGHT", "start": "p2", "end": "b2", "properties": {}},
        ],
    )
    return state


def styled(state: MapState, schema, lang: str = "zh"):
    nodes, ties = list(state.nodes), [(r["start"], r["end"]) for r in state.edges.values()]
    return style_of(state, None, schema, lang, lambda: measure(nodes, ties))


def test_a_property_colours_and_sizes_the_map_with_a_legend(schema):
    state = purchases()
    numeric, categorical = property_options(schema, state, NUMERIC), property_options(schema, state, CATEGORICAL)
    assert "prop:Purchase.quantity" in numeric
    assert "prop:Person.gender" in categorical and "prop:Purchase.category" in categorical
    assert not [o for o in numeric + categorical if "birth_date" in o or "id_number" in o], "masked: never offered"

    state.style = {"size_by": "prop:Purchase.quantity", "colour_by": "prop:Person.gender"}
    look = styled(state, schema, "en")
    assert look.sizes["b1"] > look.sizes["b2"] and "p1" not in look.sizes
    assert look.colours["p1"] == look.colours["p3"] == PALETTE[0], "the most frequent value first"
    assert look.colours["p2"] == PALETTE[1] and "b1" not in look.colours
    texts = [rule["text"] for rule in look.rules]
    assert texts == ["Node size: Dangerous-goods purchase · Quantity", "Person · Gender = 男", "Person · Gender = 女"]


def test_a_watch_listed_node_has_a_ring_explained_in_the_legend(schema):
    state = purchases()
    state.watched = {"p2"}
    look = styled(state, schema)
    assert {"text": "红圈：在布控名单上", "ring": WATCHED} in look.rules


def test_the_wanted_tenant_added_to_the_map_is_ringed(app_env, sample_graph, ground_truth):
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    wanted = scenario["positives"][0]["entities"]["Person"][0]
    at = one_page("explorer").run()
    at.text_input(key="gb_add_ref").input(f"Person:{wanted}")
    next(b for b in at.button if b.label == "加入").click().run()
    assert not at.exception, at.exception
    state = at.session_state["gb_map"]
    assert state.watched == {state.by_ref(f"Person:{wanted}")}


def test_the_wanted_tenant_added_from_search_is_ringed_too(app_env, sample_graph, ground_truth):
    # Search, packs and alerts hand the map nodes without their listings: the map asks.
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    wanted = scenario["positives"][0]["entities"]["Person"][0]
    at = one_page("search").run()
    at.text_input(key="gb_search_text").input(wanted)
    at.button[0].click().run()
    next(b for b in at.button if b.key and b.key.startswith("gb_add_")).click().run()
    assert not at.exception, at.exception
    state = at.session_state["gb_map"]
    assert state.watched == {state.by_ref(f"Person:{wanted}")}


def test_the_report_draws_the_rules_without_what_was_hidden_and_lists_the_groups(schema):
    state = purchases()
    state.style = {"size_by": "prop:Purchase.quantity", "colour_by": "prop:Person.gender"}
    state.watched = {"p1"}
    state.hidden = {"p3"}
    state.groups = {"g1": ["p1", "b1"]}
    html = report_html(state, Display(schema, ANALYST), title="T", notes="")
    drawn = re.search(r"new vis\.DataSet\((\[.*?\])\),\s*edges", html, re.S).group(1)
    assert '"p3"' not in drawn and '"p1"' in drawn, "a hidden node is not drawn"
    assert f'"border": "{WATCHED}"' in drawn.replace("\\u0026", "&")
    assert "节点大小：危险物品购买 · 数量" in html
    assert "人员 · 性别 = 男" in html
    assert "分组 (1)" in html and "组（2）" in html


def test_places_carry_their_coordinates_for_the_geographic_layout(schema):
    state = MapState()
    where = {"longitude": 120.75, "latitude": 30.76}
    checkpoint = node("c1", "Checkpoint", "Checkpoint:C1", "七星检查站", location=where)
    state.merge([checkpoint, *purchases().nodes.values()], [])
    drawn = {e["data"]["id"]: e["data"] for e in elements(state, Display(schema, ANALYST))}
    assert drawn["c1"]["geo"] == [120.75, 30.76]
    assert "geo" not in drawn["p1"]


@pytest.mark.parametrize(
    ("lang", "option", "rule"),
    [("zh", "人员 · 性别", "人员 · 性别 = 男"), ("en", "Person · Gender", "Person · Gender = 男")],
)
def test_the_panel_colours_by_a_property_in_either_language(app_env, schema, lang, option, rule):
    at = one_page("explorer")
    at.session_state["gb_lang"] = lang
    at.session_state["gb_map"] = purchases()
    at.run()
    at.toggle(key="gb_analysis").set_value(True).run()
    assert option in at.selectbox(key="gb_colour_by").options
    assert "Purchase" not in " ".join(at.selectbox(key="gb_size_by").options), "names, not labels"
    at.selectbox(key="gb_colour_by").set_value("prop:Person.gender").run()
    assert not at.exception, at.exception
    state = at.session_state["gb_map"]
    assert state.style == {"size_by": "none", "colour_by": "prop:Person.gender"}
    assert rule in [r["text"] for r in styled(state, schema, lang).rules]
    at.toggle(key="gb_analysis").set_value(False).run()
    assert at.session_state["gb_map"].style == {}, "off, the map has no style"


def test_captions_are_short_and_the_tip_keeps_the_whole(schema):
    assert short_caption("2025-03-01T08:00:00+08:00") == "2025-03-01 08:00"
    assert short_caption("2025-03-01T08:00:00.123456789+08:00[Asia/Shanghai]") == "2025-03-01 08:00"
    assert short_caption("浙江省嘉兴市南湖区幸福路1号3幢2单元501室") == "浙江省嘉兴市南湖区幸福路1号3…"
    state = MapState()
    state.merge([node("a", "Address", "Address:A1", "浙江省嘉兴市南湖区幸福路1号3幢2单元501室")], [])
    drawn = elements(state, Display(schema, ANALYST))[0]["data"]
    assert drawn["label"] == "浙江省嘉兴市南湖区幸福路1号3…"
    assert drawn["tip"].startswith("浙江省嘉兴市南湖区幸福路1号3幢2单元501室 · ")
