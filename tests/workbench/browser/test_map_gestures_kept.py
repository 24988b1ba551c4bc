"""The map's frame stays while the page reruns (a notice that comes and goes above it does not
replace it), and a gesture outlives the frame it was made in: a page switch replaces the
canvas's frame, perhaps before Python has seen a double-click or a hidden node, and the frame
that replaces it sends the gesture again. Replayed in headless Chromium by holding the frame's
messages back, then switching to the search page and back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import planted

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

# The frame's messages to the page go nowhere, as when the frame goes before they are read.
HOLD = "window.parent.gbPost = window.parent.postMessage; window.parent.postMessage = function () {}"
LET_GO = "window.parent.postMessage = window.parent.gbPost"
# What the tab keeps for the map's next frame.
KEPT = "JSON.parse(window.sessionStorage.getItem('goldenbell-canvas-pending') || 'null')"
HIDE_REGISTRATION = """
(() => {
  const cy = gbCanvas.cy, node = cy.nodes().filter(n => n.data('type') === 'Registration')[0];
  gbCanvas.select([node.id()]);
  gbCanvas.tools.run('hide');
  return node.id();
})()
"""


@pytest.fixture
def server(neo4j_env, sample_graph, tmp_path):
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=tmp_path / "streamlit.log") as url:
        yield url


def open_on_map(page, wanted: str) -> None:
    page.get_by_label("姓名、身份号码").fill(wanted)
    page.get_by_role("button", name="检索").click()
    page.get_by_role("button", name="档案").first.click()
    page.get_by_role("button", name="在关系图中展开").click()
    page.get_by_role("heading", name="关系图谱").wait_for()


def away_and_back(page) -> None:
    page.get_by_role("link", name="综合检索").click()
    page.get_by_label("姓名、身份号码").wait_for()
    page.get_by_role("link", name="关系图谱").click()
    page.get_by_role("heading", name="关系图谱").wait_for()


def test_a_double_click_survives_the_frame_being_replaced(server, ground_truth, tmp_path):
    wanted, _, _ = planted(ground_truth)
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        pilot.pass_gate(page, server)
        open_on_map(page, wanted)
        frame = pilot.canvas_frame(page)
        frame.evaluate("window.gbFirstFrame = true")
        # The expansion's notice goes at the next rerun (the first layout's report): the map
        # keeps its place on the page, and so its frame.
        page.get_by_text(re.compile(r"新增 \d+ 个节点")).first.wait_for()
        page.get_by_text(re.compile(r"新增 \d+ 个节点")).first.wait_for(state="detached")
        frame = pilot.canvas_frame(page)
        assert frame.evaluate("window.gbFirstFrame === true"), "the map's frame was replaced"
        version, nodes = pilot.drawn(page)

        frame.evaluate(HOLD)
        pilot.double_click_node(page, "n.data('type') === 'Registration'")
        page.wait_for_timeout(1000)
        assert pilot.drawn(page) == (version, nodes), "Python has not heard of the double-click"

        frame.evaluate(LET_GO)
        page.get_by_role("link", name="综合检索").click()
        page.get_by_label("姓名、身份号码").wait_for()
        page.get_by_role("link", name="关系图谱").click()
        _, grown = pilot.wait_drawn_after(page, version)
        assert grown > nodes, "the registration's landlord and address joined the map"


def test_a_node_hidden_in_a_frame_python_never_heard_from_stays_hidden(server, ground_truth, tmp_path):
    """The map hands what only it changed to Python once the analyst pauses; if
    the frame goes before Python has it, the tab keeps it and the next frame sends it."""
    wanted, _, _ = planted(ground_truth)
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        pilot.pass_gate(page, server)
        open_on_map(page, wanted)
        page.get_by_text(re.compile(r"新增 \d+ 个节点")).first.wait_for()
        frame = pilot.canvas_frame(page)
        frame.evaluate(HOLD)
        hidden = frame.evaluate(HIDE_REGISTRATION)
        page.wait_for_timeout(1500)  # past the pause after which the map sends it: swallowed
        assert frame.evaluate(KEPT)["view"]["view"]["hidden"] == [hidden]

        frame.evaluate(LET_GO)
        away_and_back(page)
        is_hidden = f"gbCanvas.cy.$id({json.dumps(hidden)}).hasClass('hidden')"
        pilot.canvas_frame(page).wait_for_function(is_hidden)
        # Python acknowledges it: the tab keeps it no longer, and a frame drawn from Python's
        # state alone hides the node too.
        pilot.canvas_frame(page).wait_for_function(f"{KEPT} !== null && {KEPT}.view === null")
        page.evaluate("window.sessionStorage.clear()")
        away_and_back(page)
        frame = pilot.canvas_frame(page)
        frame.wait_for_function(is_hidden)
        assert frame.evaluate("document.body.dataset.hidden") == "1"


def test_a_page_switch_right_after_hiding_keeps_the_node_hidden_and_draws_the_next_page(server, ground_truth, tmp_path):
    """Pressing a link to another page stops the map's frame from sending: a value sent after
    the switch would rerun the map's fragment there and leave the next page half drawn. The
    hidden node, not yet sent, comes back with the map."""
    wanted, _, _ = planted(ground_truth)
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        pilot.pass_gate(page, server)
        open_on_map(page, wanted)
        page.get_by_text(re.compile(r"新增 \d+ 个节点")).first.wait_for()
        page.get_by_text(re.compile(r"新增 \d+ 个节点")).first.wait_for(state="detached")
        frame = pilot.canvas_frame(page)
        hidden = frame.evaluate(HIDE_REGISTRATION)
        page.get_by_role("link", name="综合检索").click()  # at once: the map has not sent it
        page.get_by_label("姓名、身份号码").wait_for()
        page.get_by_role("button", name="检索").wait_for()
        page.get_by_role("link", name="关系图谱").click()
        page.get_by_role("heading", name="关系图谱").wait_for()
        pilot.canvas_frame(page).wait_for_function(f"gbCanvas.cy.$id({json.dumps(hidden)}).hasClass('hidden')")
