"""The review's alert failures replayed in Chromium on the sample, as supervisor and as analyst:
a planted wanted tenant's alert says its severity, when it fired and what each entity is to it,
in the chosen language; "open on map" opens a fresh map of the alert's entities, linked and
every one of them highlighted; the analyst's pages never hold the tenant's whole ID number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from access.actor import Actor
from access.audit.log import AuditLog
from queries.alerts import run_rules
from queries.pack_model import load_catalog
from queries.runner import Runner
from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import ARTIFACTS, planted, shot

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

RULE = "floating_population.wanted_registered"
# Every node on the canvas, and whether the alert's highlight (the path style) is on it.
DRAWN = "gbCanvas.cy.nodes().map(n => [n.data('type'), n.hasClass('path')])"


@pytest.fixture(params=["supervisor", "analyst"])
def served(request, neo4j_env, sample_graph, schema, neo4j_settings, tmp_path):
    runner = Runner(sample_graph, load_catalog(schema), schema, neo4j_settings, AuditLog(tmp_path / "rules.jsonl"))
    [report] = run_rules(runner, Actor.cli("duty"), rule=RULE)
    assert report.alert_ids
    log = ARTIFACTS / f"streamlit-alert-replays-{request.param}.log"
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=log, role=request.param) as url:
        yield url, request.param


def test_a_wanted_tenants_alert_is_worked_from_the_inbox_to_a_fresh_map(served, ground_truth, tmp_path):
    url, role = served
    wanted, _, _ = planted(ground_truth)
    with pilot.browser(tmp_path / "chromium-profile") as (page, requests):
        pilot.pass_gate(page, url)
        page.get_by_role("link", name="预警处置").click()
        page.get_by_label("规则").click()
        page.get_by_role("option", name="在逃人员登记居住预警").click()
        box = page.locator("[data-testid='stExpander']", has_text="在逃人员登记居住预警").first
        box.wait_for()
        heading = box.locator("summary").inner_text()
        assert re.search(r"\[高\] \[新预警\] \d{4}-\d\d-\d\d \d\d:\d\d · 在逃人员登记居住预警 — ", heading), heading
        box.locator("summary").click()
        box.get_by_text(re.compile("级别：高 · 状态：新预警 · 处置人：（无人） · 首次命中 20")).wait_for()
        involved = box.locator("[data-testid='stDataFrame']")
        involved.wait_for()
        shot(page, f"alert-replay-inbox-{role}")
        assert wanted not in page.inner_text("body") or role == "supervisor"

        box.get_by_role("button", name="在新关系图中打开（替换当前图）").click()
        page.get_by_role("heading", name="关系图谱").wait_for()
        frame = pilot.canvas_frame(page)
        drawn = frame.evaluate(DRAWN)
        kinds = {kind for kind, _ in drawn}
        assert {"Person", "Registration", "WatchList"} <= kinds, kinds
        assert all(highlighted for _, highlighted in drawn), "every entity of the alert is highlighted"
        edges = frame.evaluate("gbCanvas.cy.edges().length")
        assert edges >= len(drawn) - 1, "the entities are linked, not isolated"
        shot(page, f"alert-replay-map-{role}")
        if role == "analyst":
            assert wanted not in page.content(), "the analyst's map holds the ID number masked"

        # The tenant's profile names the alert by its rule's title, in its flags and among
        # what is linked to him, never by the rule's id.
        page.get_by_role("link", name="综合检索").click()
        page.get_by_label("姓名、身份号码").fill(wanted)
        page.get_by_role("button", name="检索").click()
        page.get_by_role("button", name="档案").first.click()
        flags = re.compile("未关闭预警 \\d+ 条：.*在逃人员登记居住预警")
        page.locator("[data-testid='stAlert']", has_text=flags).first.wait_for()
        page.get_by_text(re.compile(r"^预警 \(\d+\)")).first.click()
        page.locator("[data-testid='stText']", has_text="在逃人员登记居住预警").first.wait_for()
        shot(page, f"alert-replay-profile-{role}")
        assert RULE not in page.inner_text("body")
        assert wanted not in page.inner_text("body") or role == "supervisor"

        # In English the inbox says the same in English.
        page.get_by_role("link", name="预警处置").click()
        # The language choice is pressed on the inbox, not on the map page still being left.
        page.get_by_role("heading", name="预警处置").wait_for()
        page.locator("[data-testid='stExpander']").first.wait_for()
        page.get_by_text("English").click()
        page.get_by_role("heading", name="Alerts").wait_for()
        summaries = page.locator("[data-testid='stExpander'] summary")
        summaries.filter(has_text=re.compile(r"\[high\] \[new\] ")).first.wait_for()  # the page has rerun
        english = summaries.first.inner_text()
        english = english[english.index("[") :]  # after the expander's icon
        assert english.startswith("[high] [new] ") and not re.search(r"[\u4e00-\u9fff]", english.split("—")[0])
    assert pilot.foreign(requests, url) == [], "no request leaves the workbench"
