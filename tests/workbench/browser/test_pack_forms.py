"""The query forms in real Chromium, as a supervisor and as an analyst, on the sample data:
the failures a new user met, replayed.

- A name in a person parameter: typed into the picker, the two people called 张超洋 are
  listed apart (birth date for the supervisor; for the analyst only the masked reference
  and the watch-list flag), the wanted one is picked, and the co-residents run; a masked
  reference typed back is refused, never looked up.
- The result's column titles are Chinese, and the map draws the person with their links.
- A window reads "7 天", not `P7D`; dates and times are the browser's pickers; the description names the
  fields as the form shows them (on an empty graph: no data needed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import ARTIFACTS, shot

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

WANTED = "342123199009248434"  # the planted wanted tenant (ground_truth: wanted_person_active)
NAME = "张超洋"
TIMEOUT = 60_000


@pytest.fixture(params=["supervisor", "analyst"])
def server(request, neo4j_env, sample_graph, tmp_path):
    log = ARTIFACTS / f"streamlit-forms-{request.param}.log"
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=log, role=request.param) as url:
        yield url, request.param


def choose(page, label: str, option: str) -> None:
    """Pick `option` (a pattern) in the selectbox labelled `label`."""
    boxes = page.locator("[data-testid='stSelectbox']")
    boxes.filter(has=page.locator("label", has_text=re.compile(f"^{label}$"))).first.click()
    page.get_by_role("option", name=re.compile(option)).first.click()


def open_query(page, pack: str, query: str) -> None:
    choose(page, "查询包", pack)
    page.wait_for_timeout(500)
    choose(page, "查询", query)
    page.wait_for_timeout(500)


def test_forms_in_plain_words_in_chromium(server, ground_truth, tmp_path):
    url, role = server
    assert WANTED in str(ground_truth), "the sample still plants this wanted tenant"
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        pilot.pass_gate(page, url)
        page.get_by_role("link", name="查询包").click()
        open_query(page, "关系研判", "^同住人员")

        person = page.get_by_label("人员", exact=True)
        if role == "analyst":
            person.fill("Person:342123********8434")
            person.press("Enter")
            page.get_by_text("遮蔽后的号码不能用来查找").wait_for(timeout=TIMEOUT)
        person.fill(NAME)
        person.press("Enter")
        page.locator("[data-testid='stSelectbox']").filter(has_text="从检索结果中选择").first.click(timeout=TIMEOUT)
        options = page.get_by_role("option")
        options.first.wait_for(timeout=TIMEOUT)
        lines = options.all_inner_texts()
        shot(page, f"forms-1-picker-{role}")
        assert len([line for line in lines if NAME in line]) >= 2, lines
        ours = next(line for line in lines if "8434" in line)
        assert "在布控名单上" in ours, "the wanted one carries the watch-list flag"
        if role == "analyst":
            assert WANTED not in "".join(lines) and "1990-09-24" not in "".join(lines), "masked for the analyst"
        else:
            assert WANTED in ours and "1990-09-24" in ours
        options.filter(has_text="8434").first.click()
        page.get_by_role("button", name="运行").click()

        # The co-residents, under Chinese titles, and the person drawn with their links.
        page.get_by_text(re.compile(r"\d+ 行")).first.wait_for(timeout=TIMEOUT)
        frame = pilot.canvas_frame(page, timeout=60)
        subject = "gbCanvas.cy.nodes().filter(n => n.data('type') === 'Person' && n.data('label') === '张超洋')"
        assert frame.evaluate(f"{subject}.length") == 1, "the subject is drawn"
        assert frame.evaluate(f"{subject}.connectedEdges().length") >= 1, "with its links"
        people = "gbCanvas.cy.nodes().filter(n => n.data('type') === 'Person')"
        assert frame.evaluate(f"{people}.length") >= 3, "the person and the two co-residents"
        assert frame.evaluate(f"{people}.filter(n => n.connectedEdges().length === 0).length") == 0
        assert frame.evaluate("gbCanvas.cy.elements().components().length") == 1, "all tied to the person"
        # The grid draws on a canvas; its accessible table (hidden) holds the titles as text.
        header = page.locator("[data-testid='stDataFrame'] th[role='columnheader']")
        header.first.wait_for(state="attached", timeout=TIMEOUT)
        headers = header.all_text_contents()
        shot(page, f"forms-2-co-residents-{role}")
        assert "同住人员" in headers and "姓名" in headers, headers
        assert not [h for h in headers if re.fullmatch(r"[a-z_]+", h)], "no raw column names"
        assert WANTED not in page.content() or role == "supervisor"


@pytest.fixture(params=["supervisor", "analyst"])
def bare_server(request, neo4j_env, empty_graph, tmp_path):
    log = ARTIFACTS / f"streamlit-window-{request.param}.log"
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=log, role=request.param) as url:
        yield url, request.param


def test_a_window_in_days_and_dates_on_a_calendar_in_chromium(bare_server, tmp_path):
    url, role = bare_server
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        pilot.pass_gate(page, url)
        page.get_by_role("link", name="查询包").click()
        open_query(page, "危险物品", "多店购买管制刀具")
        page.get_by_text("“销售点数下限”").first.wait_for(timeout=TIMEOUT)
        try:
            window = page.locator("[data-testid='stNumberInput']").filter(has_text="时间窗").locator("input")
            assert window.input_value(timeout=TIMEOUT) == "7"
            unit = page.locator("[data-testid='stSelectbox']").filter(has_text="单位").first
            shown = unit.evaluate("el => el.innerText + [...el.querySelectorAll('input')].map(i => i.value).join('')")
            assert "天" in shown, shown
            body = page.locator("body").inner_text()
            assert "min_shops" not in body and "P7D" not in body
            # Chromium's own date and time pickers, not a free text box.
            since = page.locator("[data-testid='stDateInput']").filter(has_text="起始时间")
            assert since.locator("input[type='date']").count() == 1
            assert page.locator("[data-testid='stTimeInput']").filter(has_text="起始时间").count() == 1
        finally:
            shot(page, f"forms-3-window-{role}")
