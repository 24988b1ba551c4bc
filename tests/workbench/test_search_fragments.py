"""The search page finds the planted wanted tenant by the fragments a tip gives (the last four
digits of the ID, the middle four of his phone, a plate without its province), first; each hit
says who it is (gender, birth date) and whether they are on a watch list; a cut list says how
many were found in all. Masking holds for the analyst."""

from __future__ import annotations

import pytest

from tests.workbench.conftest import one_page

THEIRS = """
MATCH (p:Person {id_number: $id})
RETURN p.gender AS gender, p.birth_date AS born,
       [(p)-[:HAS_PHONE]->(f:Phone) | f.number][0] AS phone, [(p)-[:OWNS]->(v:Vehicle) | v.plate][0] AS plate
"""


def wanted(ground_truth) -> str:
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    return scenario["positives"][0]["entities"]["Person"][0]


def search(text: str, user: str):
    at = one_page("search", user=user).run()
    at.text_input(key="gb_search_text").input(text)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("user", ["sup", "ana"])
def test_the_wanted_tenant_is_found_by_fragments_first_with_who_he_is(app_env, sample_graph, ground_truth, user):
    person = wanted(ground_truth)
    theirs = sample_graph.read("test.theirs", THEIRS, {"id": person}).data()[0]
    fragments = [person[-4:]] + ([theirs["phone"][3:7]] if theirs["phone"] else [])
    fragments += [theirs["plate"][2:7]] if theirs["plate"] else []
    for fragment in fragments:
        at = search(fragment, user)
        refs = [node["ref"] for node in at.session_state["gb_search_results"]["nodes"]]
        assert f"Person:{person}" in refs[:3], (fragment, refs[:3])
    at = search(person[-4:], user)
    lines = [text.value for text in at.text]
    line = next(line for line in lines if line.endswith(person[-4:]) or person[-4:] in line)
    assert theirs["gender"] in line
    assert [c.value for c in at.caption if "⚑ 在逃" in c.value], "the wanted flag shows"
    if user == "ana":
        assert person not in "".join(lines), "the ID stays masked for the analyst"
        assert str(theirs["born"]) not in line, "so does the birth date it holds"
    else:
        assert str(theirs["born"]) in line


def test_a_cut_list_says_how_many_were_found(app_env, sample_graph):
    at = search("浙F1", "sup")
    shown = len(at.session_state["gb_search_results"]["nodes"])
    assert any(c.value.startswith("共 ") and f"显示前 {shown} 条" in c.value for c in at.caption)


def test_the_type_filter_speaks_the_pages_language(app_env, sample_graph):
    at = one_page("search", user="sup").run()
    assert at.multiselect(key="gb_search_labels").proto.placeholder == "全部类型"


def test_a_total_past_counting_is_said_to_be_a_floor(app_env, empty_graph):
    from tests.queries.test_fragment_search import MANY

    empty_graph.write("test.many", MANY, {"n": 2600})
    at = search("777", "sup")
    assert at.session_state["gb_search_results"]["more"]
    assert any(c.value.startswith("2,500 条以上结果") for c in at.caption), [c.value for c in at.caption]
