"""The language chosen in the sidebar holds on every page the investigator moves to (Streamlit
forgets a widget's value when another page draws it, so the choice is kept apart from it)."""

from __future__ import annotations

from tests.workbench.conftest import workbench
from tests.workbench.test_workbench_pages import wanted_and_accomplice


def test_english_chosen_on_search_holds_on_the_profile_it_opens(app_env, sample_graph, ground_truth):
    wanted, _ = wanted_and_accomplice(ground_truth)
    at = workbench().run()
    assert at.title[0].value == "综合检索"
    at.radio(key="gb_lang_choice").set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Search"

    at.text_input(key="gb_search_text").input(wanted)
    next(b for b in at.button if b.label == "Search").click().run()
    person = next(n for n in at.session_state["gb_search_results"]["nodes"] if n["ref"] == f"Person:{wanted}")
    at.button(key=f"gb_profile_{person['id']}").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Profile", "the profile page opens in English"
    assert at.radio(key="gb_lang_choice").value == "en"

    at.radio(key="gb_lang_choice").set_value("zh").run()
    assert at.title[0].value == "实体档案"
