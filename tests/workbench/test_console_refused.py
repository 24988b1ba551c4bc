"""The console is not the analyst's: the review's console attacks, typed into the console page as
an analyst, are refused (and the refusal recorded) before anything runs; nothing is shown and
nothing can be downloaded. The supervisor still has the console."""

from __future__ import annotations

import re

import pytest

from tests.workbench.conftest import audit_events, one_page
from workbench.navigation import allowed

ATTACKS = (
    "MATCH (p:Person) RETURN p.id_number + 'a' AS x",
    "MATCH (p:Person) RETURN toInteger(p.id_number) AS x",
    "MATCH (p:Person) RETURN split(p.id_number, '') AS x",
    "MATCH (p:Person) RETURN substring(p.id_number, 0, 9) AS a, substring(p.id_number, 9) AS b",
    "MATCH (f:Phone) RETURN '+86' + f.number AS x",
)


def test_the_analysts_menu_has_no_console():
    assert "console" not in allowed("analyst") and "console" in allowed("supervisor")


@pytest.mark.parametrize("cypher", ATTACKS)
def test_each_attack_typed_as_an_analyst_is_refused(app_env, sample_graph, audit_path, cypher):
    at = one_page("console", user="ana")
    at.session_state["gb_cypher"] = cypher
    at.run()
    assert not at.exception
    assert [box.value for box in at.error] == ["研判员无权使用只读 Cypher 控制台。"]
    assert not at.dataframe and not at.text_area, "no result and no box to type into"
    assert not at.get("download_button"), "no CSV or JSON to download"
    events = audit_events(audit_path)
    assert ("ana", "page.open", "refused", {"page": "console"}) in [
        (e["user"], e["action"], e["outcome"], e["parameters"]) for e in events
    ]
    assert not [e for e in events if e["action"] == "console.run" and e["outcome"] == "ok"]


def test_the_analysts_refusal_is_worded_in_the_chosen_language_alone(app_env, empty_graph):
    at = one_page("console", user="ana")
    at.session_state["gb_lang"] = "en"
    at.run()
    shown = [box.value.replace("\\", "") for box in at.error]
    assert shown == ["The Analyst role does not allow the read-only Cypher console."]


def test_the_supervisor_runs_the_console(app_env, sample_graph):
    at = one_page("console", user="sup").run()
    assert not at.exception and at.text_area


REFUSED = (
    ("MATCH (p:Person) SET p.name = 'x'", "会写入数据（SET）", "writes (SET)"),
    ("MATCH (n) RETURN n; MATCH (m) RETURN m", "含多条语句", "more than one statement"),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "使用 LOAD CSV", "uses LOAD CSV"),
    ("CALL dbms.listConfig() YIELD name RETURN name", "调用了 dbms.listConfig", "calls dbms.listConfig"),
)


@pytest.mark.parametrize(("cypher", "zh", "en"), REFUSED)
def test_a_refusal_is_worded_in_the_chosen_language(app_env, sample_graph, cypher, zh, en):
    for lang, words in (("zh", zh), ("en", en)):
        at = one_page("console", user="sup")
        at.session_state["gb_lang"] = lang
        at.run()
        at.text_area(key="gb_cypher").input(cypher)
        at.button[0].click().run()
        assert not at.exception, at.exception
        shown = at.error[0].value.replace("\\", "")
        assert words in shown, shown
        if lang == "zh":
            assert not re.search(r"\b(the|query|writes|which|calls)\b", shown), f"English in the Chinese page: {shown}"


def test_every_refusal_code_is_worded_in_both_languages():
    from settings.table import PROJECT_ROOT
    from workbench.refusals import REFUSALS

    sources = "".join(
        (PROJECT_ROOT / "queries" / name).read_text(encoding="utf-8") for name in ("readonly.py", "cypher_text.py")
    )
    codes = set(re.findall(r"(?:Fault|_refuse)\(\s*\"(\w+)\"", sources)) | {"other"}
    assert len(codes) >= 10
    assert {f"readonly.{code}" for code in codes} <= set(REFUSALS)
