"""The link explorer's controls say what the map holds: path ends set from the map's menu show
in the path boxes, the counts follow the filters, and clearing the map says that pinned nodes
stay."""

from __future__ import annotations

from tests.workbench.conftest import one_page
from tests.workbench.test_map_analysis import bridged_map


def explorer(lang: str = "zh"):
    at = one_page("explorer")
    at.session_state["gb_lang"] = lang
    at.session_state["gb_map"] = bridged_map()
    return at.run()


def test_ends_set_from_the_menu_show_in_the_path_boxes(app_env):
    at = explorer()
    at.session_state["gb_canvas"] = {
        "events": [{"seq": 1, "kind": "path_start", "node": "a2"}, {"seq": 2, "kind": "path_end", "node": "b3"}],
        "positions": {},
    }
    at.run()
    assert not at.exception, at.exception
    assert (at.selectbox(key="gb_ps").value, at.selectbox(key="gb_pe").value) == ("a2", "b3")
    at.selectbox(key="gb_ps").set_value("a1").run()  # the analyst's own choice stands
    assert at.selectbox(key="gb_ps").value == "a1"


def test_the_counts_follow_the_filters(app_env):
    at = explorer("en")
    assert any("7 nodes · 8 links · 0 pinned" in c.value for c in at.caption)
    at.multiselect(key="gb_types").set_value(["HAS_PHONE"]).run()
    assert any("Filters show 0 of 7 nodes and 0 of 8 links" in c.value for c in at.caption)


def test_clearing_says_the_pinned_nodes_stay(app_env):
    at = explorer()
    at.session_state["gb_canvas"] = {"events": [{"seq": 1, "kind": "pin", "node": "L"}], "positions": {}}
    at.run()
    at.button(key="gb_clear").click().run()
    assert not at.exception, at.exception
    assert list(at.session_state["gb_map"].nodes) == ["L"]
    assert any("保留固定的 1 个节点" in i.value for i in at.info)
