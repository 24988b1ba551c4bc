"""The planted wanted tenant's profile in real Chromium, as supervisor and as analyst: the
flags (在逃, the watch list) are the first thing on the page, above who he is, and the
registration's line names its address and the landlord who houses him; the analyst's page
holds no full ID number anywhere, the supervisor's holds it. Its timeline speaks the page's
language (no English month names in Chinese), and so does a refused console query: the
supervisor's query that writes, the analyst's console itself, each wholly in one language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import ARTIFACTS, planted, shot

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]


MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b")
CJK = re.compile(r"[\u4e00-\u9fff]")
# An ISO time as stored (2026-12-02T04:34:20.275679+00:00): the profile writes local wall-clock time.
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
PROVENANCE = ("源文件指纹", "源文件行号", "导入批次")
WRITES = "MATCH (p:Person) SET p.name = 'x'"
# Every text the timeline chart writes: its axis, its lanes and their dates.
CHART_WORDS = "() => Array.from(document.querySelectorAll('.vega-embed svg text'), t => t.textContent).join('\\n')"


@pytest.fixture(params=["supervisor", "analyst"])
def server(request, neo4j_env, sample_graph, tmp_path):
    log = ARTIFACTS / f"streamlit-profile-{request.param}.log"
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=log, role=request.param) as url:
        yield url, request.param


def test_the_wanted_tenants_profile_leads_with_flags_and_names_the_landlord(
    server, sample_graph, ground_truth, tmp_path
):
    url, role = server
    wanted, _, landlord = planted(ground_truth)
    [address] = [
        row["full"]
        for row in sample_graph.read(
            "test.tenant_address",
            "MATCH (:Person {id_number: $id})-[:REGISTERED]->(r:Registration)"
            "-[:HAS_LANDLORD]->(:Person {name: $landlord}) "
            "MATCH (r)-[:REGISTERED_AT]->(a) RETURN DISTINCT a.full AS full",
            {"id": wanted, "landlord": landlord},
        ).data()
    ]
    with pilot.browser(tmp_path / "chromium-profile") as (page, _):
        pilot.pass_gate(page, url)
        page.get_by_label("姓名、身份号码").fill(wanted)
        page.get_by_role("button", name="检索").click()
        page.get_by_role("button", name="档案").first.click()
        heading = page.get_by_role("heading", name="属性")
        heading.wait_for()

        wanted_flag = page.locator("[data-testid='stAlert']", has_text="在逃：列入").first
        wanted_flag.wait_for()
        listing = page.locator("[data-testid='stAlert']", has_text="在布控名单上").first
        assert wanted_flag.bounding_box()["y"] < listing.bounding_box()["y"] < heading.bounding_box()["y"]
        shot(page, f"profile-flags-{role}")
        chinese = timeline_words(page, "居住登记")
        assert "时间" in chinese and not MONTHS.search(chinese), chinese
        # Who he is, without where the record came from (folded away below it), and the
        # timeline's table in local time, as the review found neither.
        identity = cells(page.locator("[data-testid='stDataFrame']").first)
        assert "姓名" in identity and not any(word in identity for word in PROVENANCE), identity
        provenance = page.locator("[data-testid='stExpander']", has_text="数据来源").first
        provenance.locator("summary").click()
        folded = cells(provenance.locator("[data-testid='stDataFrame']"))
        assert any(word in folded for word in PROVENANCE), folded
        timeline = cells(page.locator("[data-testid='stDataFrame']").last)
        assert "居住登记" in timeline and re.search(r"\d{4}-\d\d-\d\d", timeline), timeline
        assert not ISO_TIME.search(identity + folded + timeline + page.inner_text("body"))

        page.get_by_text("流动人口登记 (").first.click()
        registration = page.locator("[data-testid='stText']", has_text=address).first
        registration.wait_for()
        text = registration.inner_text()
        assert text.startswith("登记") and f"房东：{landlord}" in text, text
        shot(page, f"profile-registration-{role}")
        asked = page.get_by_label("实体（标签:编码）").input_value()
        if role == "analyst":
            assert wanted not in asked + page.inner_text("body"), "the analyst sees the ID number masked"
            assert asked.endswith(wanted[-4:])
        else:
            assert asked == f"Person:{wanted}", "the supervisor sees the ID number whole"

        page.get_by_text("English").click()
        page.get_by_role("heading", name="Profile").wait_for()
        english = timeline_words(page, "registration")
        assert "Time" in english and not CJK.search(english), english
        shot(page, f"profile-timeline-en-{role}")
        refused_console(page, url, role)


def cells(frame) -> str:
    """The text of a table's header and cells, as the grid gives it to assistive technology."""
    frame.locator("[role='gridcell']").first.wait_for(state="attached")
    return "\n".join(frame.locator("[role='columnheader'], [role='gridcell']").all_text_contents())


def timeline_words(page, lane: str) -> str:
    page.wait_for_function(f"() => ({CHART_WORDS})().split('\\n').includes({lane!r})", timeout=30_000)
    return page.evaluate(CHART_WORDS)


def refusal(page, words: str) -> str:
    box = page.locator("[data-testid='stAlert']", has_text=words).first
    box.wait_for(timeout=30_000)
    return box.inner_text()


def refused_console(page, url: str, role: str) -> None:
    """In English, then in Chinese: the supervisor's query that writes is refused in one
    language; the analyst, whose menu has no console, opens its address and is refused so."""
    if role == "supervisor":
        page.get_by_role("link", name="Cypher console").click()
        page.get_by_label("Read-only Cypher").fill(WRITES)
        page.get_by_role("button", name="Run").click()
        english = refusal(page, "Reads only")
        page.get_by_text("中文").click()
        page.get_by_role("heading", name="Cypher 控制台").wait_for()
        page.get_by_label("只读 Cypher").fill(WRITES)
        page.get_by_role("button", name="执行").click()
        chinese = refusal(page, "只允许读取")
    else:
        assert page.get_by_role("link", name=re.compile("Cypher")).count() == 0, "no console in the menu"
        pilot.sign_in(page, url, "/console")
        english = refusal(page, "does not allow")
        page.get_by_text("中文").click()
        chinese = refusal(page, "无权使用")
    shot(page, f"console-refused-{role}")
    assert "writes (SET)" in english or role == "analyst", english
    assert not CJK.search(english), f"Chinese in the English refusal: {english}"
    assert not re.search(r"\b[a-z]{2,}\b", chinese), f"English in the Chinese refusal: {chinese}"
