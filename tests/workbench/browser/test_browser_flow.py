"""The workbench in real headless Chromium, on the sample data, with every request recorded.

Search a planted wanted person, open their profile, expand their links on the map,
find the path to the landlord who houses them, save the map as an investigation and
download its report, which must open offline. Screenshots of each step go to
test-artifacts/browser/; with GOLDENBELL_README_SCREENSHOT=1 the map also becomes
docs/images/link-explorer.png. No request may leave the workbench's own address.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from settings.table import PROJECT_ROOT
from tests.workbench.browser import pilot

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
README_SCREENSHOT = PROJECT_ROOT / "docs" / "images" / "link-explorer.png"


def planted(ground_truth) -> tuple[str, str, str]:
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    positive = next(p for p in scenario["positives"] if p.get("accomplice"))
    accomplice = positive["accomplice"]
    return positive["entities"]["Person"][0], accomplice["Person"], accomplice["name"]


@pytest.fixture
def server(neo4j_env, sample_graph, tmp_path):
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=ARTIFACTS / "streamlit.log") as url:
        yield url


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def find_path_to(page, version: int, accomplice_name: str) -> int:
    """Path ends from the node menu, then the path found and drawn (3 nodes, 2 edges)."""
    pilot.menu(page, "n.data('type') === 'Person' && n.connectedEdges().length > 2", "path_start")
    version, _ = pilot.wait_drawn_after(page, version)
    pilot.menu(page, f"n.data('label') === '{accomplice_name}'", "path_end")
    version, _ = pilot.wait_drawn_after(page, version)
    page.get_by_role("button", name="查找路径").click()
    page.get_by_text("条最短路径").wait_for()
    version, _ = pilot.wait_drawn_after(page, version)
    frame = pilot.canvas_frame(page)
    assert frame.evaluate("gbCanvas.cy.nodes('.path').length") == 3
    assert frame.evaluate("gbCanvas.cy.edges('.path').length") == 2
    page.wait_for_timeout(500)
    shot(page, "5-path")
    if os.environ.get("GOLDENBELL_README_SCREENSHOT") == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / "5-path.png", README_SCREENSHOT)
    return version


def test_wanted_person_to_accomplice_in_chromium(server, ground_truth, tmp_path):
    wanted, accomplice, accomplice_name = planted(ground_truth)
    masked = "*" * 14 + wanted[-4:]
    with pilot.browser(tmp_path / "chromium-profile") as (page, requests):
        pilot.pass_gate(page, server)

        page.get_by_label("姓名、身份号码").fill(wanted)
        page.get_by_role("button", name="检索").click()
        page.get_by_text(masked).first.wait_for()
        shot(page, "1-search")

        page.get_by_role("button", name="档案").first.click()
        page.get_by_role("heading", name="属性").wait_for()
        shot(page, "2-profile")

        page.get_by_role("button", name="在关系图中展开").click()
        version, nodes = pilot.drawn(page)
        assert nodes > 1, "expanded, as the button says, not only placed"
        shot(page, "3-explorer")

        # Expand further from the map itself: double-click the registration.
        version, nodes = pilot.expand_by_double_click(page, "n.data('type') === 'Registration'", version)
        frame = pilot.canvas_frame(page)
        assert frame.evaluate(f"gbCanvas.cy.nodes().filter(n => n.data('label') === '{accomplice_name}').length") == 1
        shot(page, "4-expanded")

        version = find_path_to(page, version, accomplice_name)

        # The map page draws places without tiles (any tile request would show below).
        page.get_by_role("link", name="地图").click()
        page.locator(".vega-embed").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        shot(page, "5b-map-page")

        # Save the map as an investigation and download its report.
        page.get_by_role("link", name="专案").click()
        page.get_by_label("专案名称").fill("在逃人员王某租住关系")
        page.get_by_label("工作笔记").fill("房东疑似知情。<script>alert(1)</script>")
        page.get_by_role("button", name="保存当前关系图为专案").click()
        page.get_by_text(re.compile("租住关系”已保存")).wait_for()
        page.get_by_role("button", name="打开").first.wait_for()  # the list shows it: the rerun is over
        shot(page, "6-investigation")
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name="下载 HTML 报告").click()
        report = ARTIFACTS / "report.html"
        download_info.value.save_as(str(report))

        text = report.read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), "the report names no remote address"
        assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text
        assert wanted not in text and masked in text
        assert accomplice_name in text

        # Offline: the report draws its map with nothing but itself.
        online = list(requests)
        seen_before = len(requests)
        page.context.set_offline(True)
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-drawn='yes']", timeout=20_000)
        shot(page, "7-report-offline")
        assert all(url.startswith(("file:", "data:")) for url in requests[seen_before:])
        page.context.set_offline(False)

    assert pilot.foreign(online, server) == [], "every request stays on the workbench's own address"
    assert any(url.startswith(server) for url in online)
    assert accomplice not in text, "the accomplice's ID number is masked in the report too"
