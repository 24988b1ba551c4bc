"""The language chosen in the sidebar holds on every page the investigator moves to (Streamlit
forgets a widget's value when another page draws it, so the choice is kept apart from it)."""

from __future__ import annotations

from tests.workbench.conftest import PASSWORD, workbench
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


def test_switching_language_on_an_analysts_profile_keeps_the_entity(app_env, sample_graph, ground_truth):
    # The analyst sees the ID masked in the box; the switch must not look the masked text up.
    wanted, _ = wanted_and_accomplice(ground_truth)
    at = workbench().run()
    at.text_input(key="gb_search_text").input(wanted)
    next(b for b in at.button if b.label == "检索").click().run()
    person = next(n for n in at.session_state["gb_search_results"]["nodes"] if n["ref"] == f"Person:{wanted}")
    at.button(key=f"gb_profile_{person['id']}").click().run()
    assert "*" in at.text_input(key="gb_profile_input").value, "masked for the analyst"
    at.radio(key="gb_lang_choice").set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Profile"
    # No "not found" and no "masked" warning: the profile stays, its flags (a revoked licence) with it.
    lost = [w.value for w in at.warning if "not in the graph" in w.value or "masked" in w.value]
    assert not lost, lost
    assert at.session_state["gb_profile_ref"] == f"Person:{wanted}"


def test_masked_text_in_the_profile_box_is_never_looked_up(app_env, sample_graph, ground_truth):
    wanted, _ = wanted_and_accomplice(ground_truth)
    at = workbench().run()
    at.radio(key="gb_lang_choice").set_value("en").run()
    at.text_input(key="gb_search_text").input(wanted)
    next(b for b in at.button if b.label == "Search").click().run()
    person = next(n for n in at.session_state["gb_search_results"]["nodes"] if n["ref"] == f"Person:{wanted}")
    at.button(key=f"gb_profile_{person['id']}").click().run()
    masked = at.text_input(key="gb_profile_input").value
    at.text_input(key="gb_profile_input").input(masked[:-1] + "0").run()  # another masked number
    assert not at.exception, at.exception
    assert [w.value.replace("\\", "") for w in at.warning] == [
        "A masked number cannot be looked up: type the whole key, or open the profile from search."
    ]


def test_the_language_chosen_follows_the_user_to_the_next_sign_in(app_env, empty_graph):
    at = workbench().run()
    at.radio(key="gb_lang_choice").set_value("en").run()
    assert at.title[0].value == "Search"
    at.sidebar.button(key="gb_logout").click().run()

    # Another browser: a new tab, in the default language until the user signs in.
    fresh = workbench(user=None).run()
    assert fresh.subheader[0].value == "登录"
    fresh.text_input(key="gb_login_user").input("ana")
    fresh.text_input(key="gb_login_password").input(PASSWORD)
    fresh.button(key="FormSubmitter:gb_login-登录").click().run()
    assert not fresh.exception, fresh.exception
    assert fresh.subheader[0].value == "Why are you consulting?", "signed in, the user's English comes back"
    assert fresh.radio(key="gb_lang_choice").value == "en"

    # Someone else signing in on that tab is not given ana's choice.
    other = workbench(user=None).run()
    other.text_input(key="gb_login_user").input("sup")
    other.text_input(key="gb_login_password").input(PASSWORD)
    other.button(key="FormSubmitter:gb_login-登录").click().run()
    assert other.subheader[0].value == "查询事由登记"
