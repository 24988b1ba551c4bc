"""Under the country-neutral schema profile every page of the workbench opens, and an
investigator finds a foreign company, person and phone by a fragment, with the numbers
masked for an analyst."""

from __future__ import annotations

import pytest

from tests.neutral_graph import neutral_graph
from tests.workbench.conftest import one_page, workbench
from workbench.navigation import PAGES


@pytest.fixture
def neutral_app(app_env, monkeypatch, gateway, tmp_path):
    monkeypatch.setenv("GOLDENBELL_SCHEMA_PROFILE", "neutral")
    (tmp_path / "eu").mkdir()
    (tmp_path / "work").mkdir()
    with neutral_graph(gateway, tmp_path / "eu", tmp_path / "work") as (schema, report):
        assert report.rows_rejected == 0
        yield schema


def test_every_page_opens_under_the_neutral_profile(neutral_app):
    for name in PAGES:
        for lang in ("zh", "en"):
            at = one_page(name)
            at.session_state["gb_lang"] = lang
            at.run()
            assert not at.exception, f"{name} ({lang}): {at.exception}"


def test_search_finds_a_foreign_company_and_a_phone_by_its_fragment(neutral_app):
    at = workbench().run()
    at.text_input(key="gb_search_text").input("Harbour Freight")
    next(b for b in at.button if b.label == "检索").click().run()
    assert not at.exception
    assert any("机构" in h.value for h in at.subheader)
    found = at.session_state["gb_search_results"]
    assert any(n["ref"] == "Organisation:GB-0001" for n in found["nodes"])

    at.text_input(key="gb_search_text").input("7946 0456")
    next(b for b in at.button if b.label == "检索").click().run()
    assert not at.exception
    shown = " ".join(t.value for t in at.text) + " ".join(m.value for m in at.markdown)
    assert "Mira Kovac" in shown
    assert "+442079460456" not in shown and "2079460456" not in shown, "an analyst sees the number masked"
