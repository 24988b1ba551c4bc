"""The map as data, masking by role, and escaping in everything the workbench writes."""

from __future__ import annotations

import re

from settings.table import PROJECT_ROOT
from workbench.display import Display, md_escape
from workbench.investigator import Investigator
from workbench.map_state import MapState
from workbench.report import _script_json, report_html

ID = "330402199001011234"
PHONE = "13812345678"
EVIL = '</script><img src=x onerror="alert(1)">'


def node(node_id: str, label: str, ref: str, caption: str, **properties) -> dict:
    return {"id": node_id, "label": label, "labels": [label], "ref": ref, "caption": caption, "properties": properties}


def rel(rel_id: str, rel_type: str, start: str, end: str) -> dict:
    return {"id": rel_id, "type": rel_type, "start": start, "end": end, "properties": {}}


def sample_map() -> MapState:
    state = MapState()
    state.merge(
        [
            node("n1", "Person", f"Person:{ID}", EVIL, id_number=ID),
            node("n2", "Phone", f"Phone:{PHONE}", PHONE, number=PHONE),
            node("n3", "Passage", "Passage:P1", "2025-03-01T08:00:00+08:00", time="2025-03-01T08:00:00+08:00"),
        ],
        [rel("r1", "HAS_PHONE", "n1", "n2"), rel("r2", "DRIVEN_BY", "n3", "n1")],
    )
    return state


def investigator(role: str = "analyst") -> Investigator:
    return Investigator(user="tester", role=role, case_ref="JX-1", reason="fugitive_search")


def test_merging_removing_pinning_and_saving(schema):
    state = sample_map()
    assert state.count_after([{"id": "n1"}, {"id": "n9"}]) == 4
    added, _ = state.merge([node("n1", "Person", f"Person:{ID}", "x")], [])
    assert added == [] and state.nodes["n1"]["caption"] == EVIL, "a node already on the map keeps its data"
    state.pin("n2")
    state.positions["n2"] = {"x": 5.0, "y": 6.0}
    saved = state.to_saved()
    assert saved.entities == ["Passage:P1", f"Person:{ID}", f"Phone:{PHONE}"]
    assert (f"Person:{ID}", "HAS_PHONE", f"Phone:{PHONE}") in saved.links
    assert saved.pinned == [f"Phone:{PHONE}"] and saved.positions[f"Phone:{PHONE}"] == {"x": 5.0, "y": 6.0}
    state.remove("n1")
    assert set(state.nodes) == {"n2", "n3"} and not state.edges
    state.clear()
    assert set(state.nodes) == {"n2"}, "clearing keeps pinned nodes"


def test_a_removal_the_canvas_undid_comes_back_as_it_was():
    state = sample_map()
    state.pin("n1")
    state.positions["n1"] = {"x": 1.0, "y": 2.0}
    state.remove("n1")
    state.remove("n2")
    assert state.restore("n2") and set(state.nodes) == {"n2", "n3"} and not state.edges, "n1 is still gone"
    assert state.restore("n1"), "restored in the other order than removed"
    assert set(state.edges) == {"r1", "r2"}, "the link between two removed nodes is back too"
    assert "n1" in state.pinned and state.positions["n1"] == {"x": 1.0, "y": 2.0}
    assert not state.restore("n1") and not state.restore("n9"), "only what was removed, once"


def test_filters_hide_other_types_and_times_outside_the_window():
    state = sample_map()
    assert state.visible() == {"n1", "n2", "n3", "r1", "r2"}
    assert state.visible(types=["HAS_PHONE"]) == {"n1", "n2", "r1"}
    assert state.visible(since="2025-04-01") == {"n1", "n2", "r1"}
    assert state.visible(until="2025-03-01") == {"n1", "n2", "n3", "r1", "r2"}


def test_masking_follows_the_role(schema):
    analyst, supervisor = Display(schema, investigator()), Display(schema, investigator("supervisor"))
    phone = sample_map().nodes["n2"]
    assert analyst.caption(phone) == "138****5678" and supervisor.caption(phone) == PHONE
    assert analyst.text(f"Person:{ID}") == "Person:**************1234"
    assert analyst.rows([{"id_number": ID, "note": f"call {PHONE}"}]) == [
        {"id_number": "**************1234", "note": "call 138****5678"}
    ]
    assert supervisor.rows([{"id_number": ID}]) == [{"id_number": ID}]


def test_markdown_escaping_keeps_text_as_typed():
    escaped = md_escape("[click](http://x) ![i](http://x/a.png) **b** :red[x]")
    assert "\\[" in escaped and "\\(" in escaped and "\\!" in escaped and "\\*" in escaped


def test_the_report_escapes_data_and_names_no_remote_address(schema):
    display = Display(schema, investigator())
    html = report_html(sample_map(), display, title=EVIL, notes=f"<b>{ID}</b>")
    assert EVIL not in html and "<img" not in html
    assert ID not in html and PHONE not in html, "the report is masked for the analyst"
    assert not re.search(r"https?://", html)
    assert "</" not in _script_json({"caption": EVIL}) and "<" not in _script_json(["<"])


def test_the_canvas_sets_data_as_text_only():
    ours_all = (
        "canvas.js",
        "styles.js",
        "tools.js",
        "layouts.js",
        "lasso.js",
        "placement.js",
        "timebar.js",
        "pending.js",
    )
    for ours in ours_all:  # not the vendored ones
        script = (PROJECT_ROOT / "workbench" / "frontend" / "canvas" / ours).read_text(encoding="utf-8")
        assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script, ours
    page = (PROJECT_ROOT / "workbench" / "frontend" / "canvas" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"https?:", page)
