"""Layouts, lasso and selection actions in real headless Chromium, on the planted wanted-tenant
tip: the grid, hierarchy, radial and force layouts leave no two node boxes on top of each other
and keep a pinned node where it is; a lasso selects what it encloses; a selection
expands with one key (each node goes to Python) and is removed with another (gone at once, and
still gone once Python has answered); undo brings the removed node back with its link, redo
takes it away again, and Python follows both."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import planted
from tests.workbench.browser.test_map_placement import OVERLAPS
from tests.workbench.browser.test_map_tools import open_tip_on_the_map, state

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

POSITIONS = "Object.fromEntries(gbCanvas.cy.nodes().not('[?group]').map(n => [n.id(), n.position()]))"


@pytest.fixture
def server(neo4j_env, sample_graph, tmp_path):
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=tmp_path / "streamlit.log") as url:
        yield url


def test_layouts_and_the_lasso(server, ground_truth, tmp_path):
    wanted, _, accomplice_name = planted(ground_truth)
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        version = open_tip_on_the_map(page, server, wanted)
        landlord_id = pilot.menu(page, f"n.data('label') === '{accomplice_name}'", "pin")
        frame = pilot.canvas_frame(page)
        assert frame.evaluate(f"gbCanvas.cy.$id('{landlord_id}').hasClass('pinned')"), "pinned at once"
        version, _ = pilot.wait_drawn_after(page, version)
        frame = pilot.canvas_frame(page)

        for layout in ("grid", "hierarchy", "radial", "force"):
            before = frame.evaluate(POSITIONS)
            frame.locator("#layout-name").select_option(layout)  # choosing one lays the map out
            after = frame.evaluate(POSITIONS)
            assert after[landlord_id] == before[landlord_id], f"{layout}: the pinned node stays"
            assert frame.evaluate(OVERLAPS) == 0, f"{layout}: node boxes overlap"
        ys = {round(p["y"]) for n, p in frame.evaluate(POSITIONS).items() if n != landlord_id}
        assert len(ys) > 1

        # A lasso drawn round the landlord alone (the lasso button, then a drag) selects him only.
        frame.evaluate("gbCanvas.select([])")
        x, y, _ = pilot.node_point(page, f"n.id() === '{landlord_id}'")
        frame.locator("#tools [data-action='lasso']").click()
        page.mouse.move(x - 14, y - 14)
        page.mouse.down()
        for dx, dy in ((14, -14), (14, 14), (-14, 14), (-14, -14)):
            page.mouse.move(x + dx, y + dy, steps=4)
        page.mouse.up()
        assert frame.evaluate("gbCanvas.selected()") == [landlord_id]


def test_a_selection_expands_and_is_removed(server, ground_truth, tmp_path):
    wanted, _, accomplice_name = planted(ground_truth)
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        version = open_tip_on_the_map(page, server, wanted)
        frame = pilot.canvas_frame(page)

        # Expand a selection of two (E on the keyboard): both go to Python, the map grows.
        nodes = state(frame)["nodes"]
        registration = frame.evaluate("gbCanvas.cy.nodes('[type = \"Registration\"]')[0].id()")
        landlord_id = frame.evaluate(
            f"gbCanvas.cy.nodes().filter(n => n.data('label') === '{accomplice_name}')[0].id()"
        )
        frame.evaluate(f"gbCanvas.select(['{registration}', '{landlord_id}']); gbCanvas.tools.run('expand_selection')")
        version, grown = pilot.wait_drawn_after(page, version)
        assert grown > nodes
        frame = pilot.canvas_frame(page)

        # Remove a selection (Delete): gone at once, and after Python's answer.
        leaf = f"n => !n.data('group') && n.id() !== '{landlord_id}' && n.degree() === 1"
        gone = frame.evaluate(f"gbCanvas.cy.nodes().filter({leaf})[0].id()")
        frame.evaluate(f"gbCanvas.select(['{gone}'])")
        frame.evaluate("gbCanvas.tools.run('remove_selection')")
        assert frame.evaluate(f"gbCanvas.cy.$id('{gone}').empty()")
        version = drawn_where(page, version, f"gbCanvas.cy.$id('{gone}').empty()")
        frame = pilot.canvas_frame(page)

        # Undo brings it back at once, with its link; Python's next drawing keeps it.
        frame.evaluate("gbCanvas.tools.run('undo')")
        assert frame.evaluate(f"gbCanvas.cy.$id('{gone}').degree()") == 1
        version = drawn_where(page, version, f"gbCanvas.cy.$id('{gone}').degree() === 1")  # Python restored it
        frame = pilot.canvas_frame(page)

        # Redo takes it away again, here and in Python.
        frame.evaluate("gbCanvas.tools.run('redo')")
        assert frame.evaluate(f"gbCanvas.cy.$id('{gone}').empty()")
        drawn_where(page, version, f"gbCanvas.cy.$id('{gone}').empty()")


def drawn_where(page, version: int, condition_js: str, timeout: float = 30.0) -> int:
    """The first drawing from Python after `version` in which `condition_js` holds. Python may
    draw more than once for one gesture (the canvas reports positions after an undo, say), so
    the drawing that answers the gesture is not always the very next one; a state Python never
    reaches times out."""
    deadline = time.monotonic() + timeout
    while True:
        version, _ = pilot.wait_drawn_after(page, version, timeout=max(deadline - time.monotonic(), 0.1))
        if pilot.canvas_frame(page).evaluate(condition_js):
            return version
