"""The planted wanted-tenant tip worked through in real headless Chromium, from search to the
saved report, with the map's own tools: select the tenant's neighbours, hide them, undo and
redo, show all, re-layout with a pinned node left where it is, a time-bar window and its
playback, the shortcuts' help — none of which reruns the page — then size the map by
betweenness from the analysis panel, group two nodes and hide one; after a switch to another
page and back the map still holds them, and the saved investigation's report draws the map as
it was left: positions, sizes and the legend, the watch-list ring, the group, without the
hidden node. Each step asserts on what the map holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import ARTIFACTS, planted

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]


@pytest.fixture
def server(neo4j_env, sample_graph, tmp_path):
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=tmp_path / "streamlit.log") as url:
        yield url


def state(frame) -> dict:
    """What the map holds once the last action is painted (two animation frames later)."""
    return frame.evaluate(
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r("
        "{hidden: +document.body.dataset.hidden, selected: +document.body.dataset.selected,"
        " undo: +document.body.dataset.undo, visible: gbCanvas.cy.nodes(':visible').length,"
        " nodes: gbCanvas.cy.nodes().length, version: +document.body.dataset.drawnVersion}))))"
    )


def state_of(frame, name: str) -> int:
    return int(frame.evaluate(f"+document.body.dataset.{name}"))


def tool(frame, action: str) -> None:
    frame.locator(f"#tools [data-action='{action}']").click()


def open_tip_on_the_map(page, server, wanted: str) -> int:
    pilot.pass_gate(page, server)
    page.get_by_label("姓名、身份号码").fill(wanted)
    page.get_by_role("button", name="检索").click()
    page.get_by_role("button", name="档案").first.click()
    page.get_by_role("button", name="在关系图中展开").click()  # onto the map, expanded
    version, _ = pilot.drawn(page)
    version, _ = pilot.expand_by_double_click(page, "n.data('type') === 'Registration'", version)
    return version


def test_the_tip_from_search_to_the_saved_report_with_the_maps_tools(server, ground_truth, tmp_path):
    wanted, _, accomplice_name = planted(ground_truth)
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        version = open_tip_on_the_map(page, server, wanted)
        tenant_id = select_hide_undo(page, wanted, version)
        landlord_id, version = pin_and_relayout(page, accomplice_name, version)
        time_bar_and_help(page)
        size_by_betweenness(page, tenant_id)
        gone, gone_caption = group_and_hide(page, tenant_id, landlord_id)
        kept_across_pages(page, gone, tenant_id, landlord_id)
        text = saved_report(page, tmp_path)
        drawn = re.search(r"new vis\.DataSet\((\[.*?\])\),", text, re.S).group(1)
        assert f'"id": "{gone}"' not in drawn and f'"id": "{tenant_id}"' in drawn, "the hidden node is not drawn"
        assert drawn.count('"physics": false') == drawn.count('"id"'), "every node where the analyst left it"
        assert "节点大小：中介中心性" in text and "红圈：在布控名单上" in text
        assert "组（2）" in text and accomplice_name in text
        assert gone_caption in text, "the hidden node is still listed among the entities"


def select_hide_undo(page, wanted: str, version: int) -> str:
    """Select the tenant, then his neighbours, hide, undo, redo, show all: all in the frame, no rerun."""
    frame = pilot.canvas_frame(page)
    start = state(frame)
    assert start["hidden"] == 0 and start["nodes"] > 4
    tenant = "n.data('type') === 'Person' && n.data('tip').endsWith('" + wanted[-4:] + "')"
    x, y, tenant_id = pilot.node_point(page, tenant)
    page.mouse.click(x, y)
    neighbours = frame.evaluate(f"gbCanvas.cy.$id('{tenant_id}').neighborhood('node').length")
    tool(frame, "neighbours")
    assert state(frame)["selected"] == 1 + neighbours

    tool(frame, "hide")
    hidden = state(frame)
    assert hidden["hidden"] == 1 + neighbours and hidden["visible"] == start["nodes"] - 1 - neighbours
    assert hidden["version"] == start["version"] == version, "hiding is the component's own: no redraw"

    page.keyboard.press("Control+z")  # the frame has the focus since the click
    assert state(frame)["hidden"] == 0
    tool(frame, "redo")
    assert state(frame)["hidden"] == 1 + neighbours
    tool(frame, "show_all")
    assert state(frame)["visible"] == start["nodes"]
    return tenant_id


def pin_and_relayout(page, accomplice_name: str, version: int) -> tuple[str, int]:
    """Pin the landlord (kept by Python), then re-layout: he stays, the rest move."""
    landlord_id = pilot.menu(page, f"n.data('label') === '{accomplice_name}'", "pin")
    version, _ = pilot.wait_drawn_after(page, version)
    frame = pilot.canvas_frame(page)
    before = frame.evaluate("Object.fromEntries(gbCanvas.cy.nodes().map(n => [n.id(), n.position()]))")
    tool(frame, "relayout")
    after = frame.evaluate("Object.fromEntries(gbCanvas.cy.nodes().map(n => [n.id(), n.position()]))")
    assert after[landlord_id] == before[landlord_id]
    assert any(after[n] != before[n] for n in before if n != landlord_id)
    return landlord_id, version


def time_bar_and_help(page) -> None:
    """A window at the very end fades what happened before; all times bring it back; playback moves it."""
    frame = pilot.canvas_frame(page)
    assert frame.locator("#timebar").is_visible()
    dated = frame.evaluate("gbCanvas.cy.elements('[t]').length")
    assert dated >= 2
    frame.evaluate(
        "for (const [id, v] of [['time-from', 1000], ['time-to', 1000]]) {"
        " const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event('input')); }"
    )
    assert 0 < state_of(frame, "faded") < dated
    frame.locator("#time-all").click()
    assert state_of(frame, "faded") == 0
    frame.locator("#time-play").click()
    page.wait_for_timeout(800)
    playing = frame.evaluate("document.body.dataset.window")
    page.wait_for_timeout(800)
    assert frame.evaluate("document.body.dataset.window") != playing, "playback moves the window"
    frame.locator("#time-all").click()

    page.keyboard.press("?")
    assert frame.locator("#help").is_visible() and "Ctrl+Z" in frame.locator("#help").inner_text()


def size_by_betweenness(page, tenant_id: str) -> None:
    """From the analysis panel; the legend explains it, and the ring on the wanted tenant."""
    page.get_by_text("网络分析").click()  # the panel's switch
    page.get_by_label("节点大小依据").click()
    page.get_by_role("option", name="中介中心性").click()
    frame = pilot.canvas_frame(page)
    frame.wait_for_function("gbCanvas.cy.nodes('[size]').length === gbCanvas.cy.nodes().length", timeout=30_000)
    sizes = frame.evaluate("Object.fromEntries(gbCanvas.cy.nodes().map(n => [n.data('type'), n.data('size')]))")
    assert all(size for size in sizes.values())
    assert "节点大小：中介中心性" in frame.locator("#legend").inner_text()
    assert frame.evaluate(f"gbCanvas.cy.$id('{tenant_id}').hasClass('watched')"), "the wanted tenant is ringed"
    assert "红圈：在布控名单上" in frame.locator("#legend").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "8-map-tools.png"), full_page=True)


def group_and_hide(page, tenant_id: str, landlord_id: str) -> tuple[str, str]:
    """Group the tenant with the landlord, hide one other node: the canvas tells Python."""
    frame = pilot.canvas_frame(page)
    frame.evaluate(f"gbCanvas.select(['{tenant_id}', '{landlord_id}'])")
    tool(frame, "group")
    assert state_of(frame, "groups") == 1
    gone = frame.evaluate(
        f"gbCanvas.cy.nodes().filter(n => !n.data('group') && !['{tenant_id}', '{landlord_id}'].includes(n.id())"
        " && n.data('type') !== 'Registration')[0].id()"
    )
    gone_caption = frame.evaluate(f"gbCanvas.cy.$id('{gone}').data('label')")
    frame.evaluate(f"gbCanvas.select(['{gone}'])")
    tool(frame, "hide")
    assert state(frame)["hidden"] == 1
    page.wait_for_timeout(1500)  # the view is sent to Python and handled
    return gone, gone_caption


def kept_across_pages(page, gone: str, tenant_id: str, landlord_id: str) -> None:
    """Another page and back: a new frame, drawn from what Python kept."""
    page.get_by_role("link", name="专案").click()
    page.get_by_label("专案名称").wait_for()
    page.get_by_role("link", name="关系图谱").click()
    frame = pilot.canvas_frame(page)
    frame.wait_for_function("document.body.dataset.groups === '1' && document.body.dataset.hidden === '1'")
    assert frame.evaluate(f"gbCanvas.cy.$id('{gone}').hasClass('hidden')")
    assert frame.evaluate(f"gbCanvas.cy.$id('{tenant_id}').parent().id()") == frame.evaluate(
        f"gbCanvas.cy.$id('{landlord_id}').parent().id()"
    )
    assert frame.evaluate("gbCanvas.cy.nodes('[size]').length") > 0, "the sizing rule is still on"


def saved_report(page, folder) -> str:
    """Save the map as an investigation and download its report; its text."""
    page.get_by_role("link", name="专案").click()
    page.get_by_label("专案名称").fill("在逃人员租住关系")
    page.get_by_role("button", name="保存当前关系图为专案").click()
    page.get_by_text(re.compile("租住关系”已保存")).wait_for()
    page.get_by_role("button", name="打开").first.wait_for()
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="下载 HTML 报告").click()
    report = folder / "report.html"
    download_info.value.save_as(str(report))
    return report.read_text(encoding="utf-8")
