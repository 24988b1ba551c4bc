"""Every page runs headlessly, in both languages and both roles, and the investigator's
flow — search, profile, expand, path — works on the sample data."""

from __future__ import annotations

import re

import pytest

from tests.workbench.conftest import PURPOSE, audit_events, one_page, workbench
from workbench.navigation import PAGES


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_runs_without_exceptions(app_env, sample_graph, name):
    at = one_page(name).run()
    assert not at.exception, at.exception
    at.session_state["gb_lang"] = "en"
    at.run()
    assert not at.exception, at.exception


def wanted_and_accomplice(ground_truth) -> tuple[str, str]:
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    positive = next(p for p in scenario["positives"] if p.get("accomplice"))
    return positive["entities"]["Person"][0], positive["accomplice"]["Person"]


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_search_profile_expand_path_on_the_sample(app_env, sample_graph, ground_truth, audit_path):
    wanted, accomplice = wanted_and_accomplice(ground_truth)
    at = workbench().run()
    assert not at.exception
    assert at.title[0].value == "综合检索"

    # Search: the wanted person's ID number finds them, grouped under 人员.
    at.text_input(key="gb_search_text").input(wanted)
    button(at, "检索").click().run()
    assert not at.exception
    assert any("人员" in h.value for h in at.subheader)
    state = at.session_state["gb_search_results"]
    person = next(n for n in state["nodes"] if n["ref"] == f"Person:{wanted}")
    shown = " ".join(t.value for t in at.text)
    assert wanted not in shown, "an analyst sees the ID number masked"
    assert "*" * 14 + wanted[-4:] in shown

    # Profile.
    at.button(key=f"gb_profile_{person['id']}").click().run()
    assert not at.exception
    assert at.title[0].value == "实体档案"
    properties = at.dataframe[0].value
    assert wanted not in " ".join(map(str, properties["值"]))
    assert any(e.label.startswith("居住登记") or "流动人口登记" in e.label for e in at.expander)
    assert [e.value for e in at.error if "在布控名单上" in e.value], "the watch list first, as a banner"
    assert any(e.label.startswith("数据来源") for e in at.expander), "provenance folded away"
    assert not [name for name in properties["属性"] if "导入批次" in str(name)], "not among who he is"

    # Into the link explorer, then expand from the map: the canvas sends {seq, kind, node}.
    at.button(key="gb_profile_to_map").click().run()
    assert not at.exception
    assert at.title[0].value == "关系图谱"
    state = at.session_state["gb_map"]
    start = state.by_ref(f"Person:{wanted}")
    assert start is not None and len(state.nodes) > 1, "expanded, not only placed"

    at.session_state["gb_canvas"] = {
        "events": [{"seq": 1, "kind": "expand", "node": start}],
        "positions": {start: [0, 0]},
    }
    at.run()
    assert not at.exception
    state = at.session_state["gb_map"]
    registration = next(n for n, node in state.nodes.items() if node["label"] == "Registration")
    assert state.positions[start] == {"x": 0.0, "y": 0.0}

    at.session_state["gb_canvas"] = {
        "events": [{"seq": 1, "kind": "expand", "node": start}, {"seq": 2, "kind": "expand", "node": registration}],
        "positions": {},
    }
    at.run()
    assert not at.exception
    state = at.session_state["gb_map"]
    landlord = state.by_ref(f"Person:{accomplice}")
    assert landlord is not None, "the landlord who houses the wanted tenant is two hops away"

    # The same event again (a rerun) changes nothing.
    before = state.version
    at.run()
    assert at.session_state["gb_map"].version == before

    # Path between the two, chosen in the path boxes.
    at.selectbox(key="gb_ps").set_value(start)
    at.selectbox(key="gb_pe").set_value(landlord)
    at.button(key="gb_find_path").click().run()
    assert not at.exception
    state = at.session_state["gb_map"]
    assert {start, registration, landlord} <= state.highlight
    assert any("最短路径" in s.value for s in at.success)

    actions = [(e["action"], e["case_ref"], e["reason"]) for e in audit_events(audit_path)]
    for action in ("search", "profile.view", "expand", "path"):
        assert (action, PURPOSE["case_ref"], PURPOSE["reason"]) in actions, action


def test_a_supervisor_sees_what_an_analyst_sees_masked(app_env, sample_graph, ground_truth):
    wanted, _ = wanted_and_accomplice(ground_truth)
    for user, visible in (("ana", False), ("sup", True)):
        at = one_page("profile", user=user)
        at.session_state["gb_profile_ref"] = f"Person:{wanted}"
        at.run()
        assert not at.exception
        values = " ".join(map(str, at.dataframe[0].value.iloc[:, 1]))
        assert (wanted in values) is visible, user


def test_a_case_profile_shows_its_report_with_mentions_masked(app_env, sample_graph):
    found = sample_graph.read(
        "test.case_with_mention",
        "MATCH (c:Case)-[:MENTIONS]->(:Person) RETURN c.case_id AS id, c.text AS text LIMIT 1",
    ).data()
    if not found:
        pytest.skip("the sample's import linked no case report to a person")
    at = one_page("profile")
    at.session_state["gb_profile_ref"] = f"Case:{found[0]['id']}"
    at.run()
    assert not at.exception
    report = next(m.value for m in at.markdown if "**" in m.value)
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", report.replace("\\", "")), "ID numbers in the text are masked"
    assert any(b.key and b.key.startswith("gb_mention_") for b in at.button)
