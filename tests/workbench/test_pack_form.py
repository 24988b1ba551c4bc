"""A saved query's form in plain words: a person is found by name and picked from the hits
(the search audited, masking intact), a window is a number of days or hours, dates and
times are picked, and the result's columns have titles in the page's language."""

from __future__ import annotations

from datetime import date

import pytest

from tests.queries.test_pack_graphs import GRAPH
from tests.workbench.conftest import audit_events, one_page

PERSON = "330402199001011234"  # synthetic
# The name is shared by two people: the picker tells them apart by birth date and flag.
TWINS = """
MATCH (p:Person {id_number: '330402199001011234'}) SET p.gender = '男', p.birth_date = date('1990-01-01')
CREATE (:Person {id_number: '330402198505055678', name: '张三', gender: '男', birth_date: date('1985-05-05')})
"""


def co_residents(user: str):
    at = one_page("packs", user=user).run()
    at.selectbox(key="gb_pack").set_value("links").run()
    at.selectbox(key="gb_query").set_value("links.co_residents").run()
    assert not at.exception, at.exception
    return at


def pick(at, text: str):
    at.text_input(key="gb_param_links.co_residents_person_text").input(text).run()
    assert not at.exception, at.exception
    return at


def hits(at) -> list:
    return [box for box in at.selectbox if box.key and box.key.startswith("gb_param_links.co_residents_person_pick")]


@pytest.mark.parametrize("user", ["sup", "ana"])
def test_a_person_is_picked_by_name_and_the_result_speaks_chinese(app_env, empty_graph, audit_path, user):
    empty_graph.write("graph.given", GRAPH)
    empty_graph.write("graph.twins", TWINS)
    at = pick(co_residents(user), "张三")
    [box] = hits(at)
    lines = list(box.options)  # as the page shows them
    assert len(lines) == 2 and all("张三" in line for line in lines)
    ours = next(i for i, line in enumerate(lines) if "1234" in line)
    if user == "ana":
        assert PERSON not in "".join(lines) and "1990-01-01" not in "".join(lines), "masked for the analyst"
    else:
        assert PERSON in lines[ours] and "1990-01-01" in lines[ours], "what tells the two apart"
    box.set_value(ours)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    columns = list(at.dataframe[0].value.columns)
    assert "同住人员" in columns and "重叠起" in columns and "co_resident" not in columns
    events = audit_events(audit_path)
    assert [e for e in events if e["action"] == "search" and e["parameters"]["text"] == "张三"], "audited as a search"
    run = next(e for e in events if e.get("query_id") == "links.co_residents" and e["outcome"] == "ok")
    assert run["parameters"]["person"] == f"Person:{PERSON}", "the real key, not what the page showed"


def test_a_masked_number_is_never_looked_up(app_env, empty_graph, audit_path):
    empty_graph.write("graph.given", GRAPH)
    at = pick(co_residents("ana"), "Person:330402********1234")
    assert hits(at) == []
    assert any("遮蔽" in w.value for w in at.warning)
    assert not [e for e in audit_events(audit_path) if e["action"] == "search"]


def test_nothing_picked_says_which_field(app_env, empty_graph):
    at = co_residents("sup")
    at.button[0].click().run()
    assert any("“人员”" in e.value for e in at.error)


def test_a_window_is_days_or_hours_and_dates_are_picked(app_env, empty_graph, audit_path):
    at = one_page("packs", user="sup").run()
    at.selectbox(key="gb_pack").set_value("dangerous_goods").run()
    at.selectbox(key="gb_query").set_value("dangerous_goods.knives_multi_shop").run()
    key = "gb_param_dangerous_goods.knives_multi_shop"
    amount, unit = at.number_input(key=f"{key}_window"), at.selectbox(key=f"{key}_window_unit")
    assert (amount.value, unit.value) == (7, "days")
    assert unit.options == ["天", "小时"]
    assert "min_shops" not in "".join(c.value for c in at.caption)
    amount.set_value(36)
    unit.set_value("hours")
    at.date_input(key=f"{key}_since").set_value(date(2025, 3, 1))
    at.button[0].click().run()
    assert not at.exception, at.exception
    run = next(e for e in audit_events(audit_path) if e.get("query_id") == "dangerous_goods.knives_multi_shop")
    assert run["parameters"]["window"] == "P1DT43200S"
    assert run["parameters"]["since"] == "2025-03-01T00:00:00+08:00"


def test_a_window_out_of_bounds_is_said_in_the_forms_words(app_env, empty_graph):
    at = one_page("packs", user="sup").run()
    at.selectbox(key="gb_pack").set_value("dangerous_goods").run()
    at.selectbox(key="gb_query").set_value("dangerous_goods.knives_multi_shop").run()
    at.number_input(key="gb_param_dangerous_goods.knives_multi_shop_window").set_value(400)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["“时间窗”应在 1 小时 到 365 天 之间。"]
