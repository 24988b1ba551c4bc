"""The map's selection and groups, in real headless Chromium, on the canvas component alone
(served as static files beside a page that speaks Streamlit's half of the protocol): a tap
toggles a node, a tap on the background clears, a Shift-drag box adds what it covers, a chosen
node drags the others chosen with it, and each chosen node has a ring on the sheet over the
canvas; a group Python draws is a box under its members, a click in it selects them, a drag
from it moves them, and a force re-layout keeps them together."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest

from tests.workbench.browser import pilot
from workbench.canvas import MENU_KEYS, TOOL_KEYS
from workbench.messages import message

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

CANVAS = Path(__file__).resolve().parents[3] / "workbench" / "frontend" / "canvas"
# Streamlit's half: answers the frame's "ready" with one drawing.
HOST = """<!doctype html><html><body style="margin:0">
<iframe id="map" src="canvas/index.html" style="width:900px;height:600px;border:0"></iframe>
<script>
window.addEventListener("message", async (e) => {
  if (e.data && e.data.type === "streamlit:componentReady") {
    const args = await (await fetch("args.json")).json();
    document.getElementById("map").contentWindow.postMessage({type: "streamlit:render", args}, "*");
  }
});
</script></body></html>"""
# A row of five persons, each linked to the next, placed.
NODES = [(f"p{i}", f"张{i}", 150 * i, 0) for i in range(5)]
# Whether the sheet `sheet` has a drawn pixel within `r` of a rendered point.
PAINTED = """
([sheet, x, y, r]) => {
  const canvas = document.getElementById(sheet), ratio = window.devicePixelRatio || 1;
  const side = Math.round(2 * r * ratio);
  const g = canvas.getContext('2d');
  const data = g.getImageData(Math.round((x - r) * ratio), Math.round((y - r) * ratio), side, side).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
  return false;
}
"""
RING = 24  # rendered pixels round a node's centre that hold its selection ring


def args(groups: dict[str, list[str]] | None = None) -> dict:
    groups = groups or {}
    parent = {node_id: group_id for group_id, members in groups.items() for node_id in members}
    elements = [{"data": {"id": group_id, "group": True, "label": "组"}, "classes": "group"} for group_id in groups]
    elements += [
        {
            "data": {"id": node_id, "label": name, "type": "Person", "tip": name}
            | ({"parent": parent[node_id]} if node_id in parent else {}),
            "position": {"x": x, "y": y},
        }
        for node_id, name, x, y in NODES
    ]
    elements += [
        {"data": {"id": f"e{i}", "source": f"p{i}", "target": f"p{i + 1}", "label": "同住", "type": "LIVES_WITH"}}
        for i in range(len(NODES) - 1)
    ]
    return {
        "elements": elements,
        "legend": [{"label": "Person", "name": "人员", "color": "#1f77b4", "shape": "ellipse"}],
        "legend_title": message("legend.title", "zh"),
        "rules": [],
        "select": None,
        "menu": {name: message(f"menu.{name}", "zh") for name in MENU_KEYS},
        "tools": {name: message(f"tools.{name}", "zh") for name in TOOL_KEYS},
        "interactive": True,
        "version": 1,
        "ack": 0,
        "map": "selection-test",
        "height": 600,
    }


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(CANVAS, site / "canvas")
    (site / "host.html").write_text(HOST, encoding="utf-8")
    (site / "args.json").write_text(json.dumps(args(), ensure_ascii=False), encoding="utf-8")
    return site


@pytest.fixture
def page_url(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/host.html"
        server.shutdown()


POSITION = "(id) => { const p = gbCanvas.cy.$id(id).renderedPosition(); return [p.x, p.y]; }"


def point(page, frame, node_id: str) -> tuple[float, float]:
    """Where a node is on the page."""
    inside = rendered(frame, node_id)
    box = page.locator("#map").bounding_box()
    top = frame.evaluate("document.getElementById('cy').offsetTop")
    return box["x"] + inside[0], box["y"] + top + inside[1]


def rendered(frame, node_id: str) -> list[float]:
    """Where a node is on the canvas."""
    return frame.evaluate(POSITION, node_id)


def drag_down(page, frame, start: tuple[float, float], by: float, nodes: tuple[str, ...]) -> tuple[dict, dict]:
    """A drag from `start` straight down; where `nodes` were on the canvas before and after."""
    before = {n: rendered(frame, n) for n in nodes}
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0], start[1] + by, steps=8)
    page.mouse.up()
    return before, {n: rendered(frame, n) for n in nodes}


def ringed(frame, node_id: str) -> bool:
    return frame.evaluate(PAINTED, ["selection", *rendered(frame, node_id), RING])


def test_taps_a_box_and_a_drag_select_and_each_chosen_node_is_ringed(page_url, tmp_path):
    with pilot.browser(tmp_path / "chromium-profile") as (page, requests):
        page.goto(page_url)
        page.wait_for_function("document.getElementById('map').contentDocument?.body.dataset.drawnVersion === '1'")
        frame = page.locator("#map").element_handle().content_frame()
        page.wait_for_timeout(300)

        # A tap selects a node and rings it; a second tap on another adds it; a tap on it again drops it.
        x0, y0 = point(page, frame, "p0")
        x1, y1 = point(page, frame, "p1")
        page.mouse.click(x0, y0)
        page.mouse.click(x1, y1)
        assert sorted(frame.evaluate("gbCanvas.selected()")) == ["p0", "p1"]
        page.wait_for_timeout(100)
        assert ringed(frame, "p0") and not ringed(frame, "p3")
        assert frame.evaluate("gbCanvas.cy.nodes(':selected').length") == 0, "Cytoscape's own selection stays off"
        page.mouse.click(x1, y1)
        assert frame.evaluate("gbCanvas.selected()") == ["p0"]

        # Neighbours and invert are the map's own tools on the same selection.
        frame.evaluate("gbCanvas.tools.run('neighbours')")
        assert sorted(frame.evaluate("gbCanvas.selected()")) == ["p0", "p1"]
        frame.evaluate("gbCanvas.tools.run('invert')")
        assert sorted(frame.evaluate("gbCanvas.selected()")) == ["p2", "p3", "p4"]
        assert frame.evaluate("+document.body.dataset.selected") == 3

        # A tap on the background clears; the rings go with it.
        page.mouse.click(x0 + 60, y0 + 150)
        assert frame.evaluate("gbCanvas.selected()") == []
        page.wait_for_timeout(100)
        assert not ringed(frame, "p3")

        # A Shift-drag box round p3 and p4 adds them.
        x3, y3 = point(page, frame, "p3")
        x4, y4 = point(page, frame, "p4")
        page.keyboard.down("Shift")
        page.mouse.move(x3 - 30, y3 - 30)
        page.mouse.down()
        page.mouse.move(x4 + 30, y4 + 30, steps=6)
        page.mouse.up()
        page.keyboard.up("Shift")
        page.wait_for_timeout(100)
        assert sorted(frame.evaluate("gbCanvas.selected()")) == ["p3", "p4"]

        # Dragging p3 drags p4, chosen with it, by as much; p2 stays.
        before, after = drag_down(page, frame, (x3, y3), 80, ("p2", "p3", "p4"))
        moved = after["p3"][1] - before["p3"][1]
        assert moved > 40
        assert abs((after["p4"][1] - before["p4"][1]) - moved) < 1
        assert after["p2"] == before["p2"]
        page.wait_for_timeout(100)
        assert frame.evaluate(PAINTED, ["selection", *after["p4"], RING]), "the ring moved with its node"
        assert not pilot.foreign(requests, page_url)


def test_a_group_is_a_box_under_its_members_that_selects_and_moves_them(site, page_url, tmp_path):
    (site / "args.json").write_text(json.dumps(args({"g1": ["p1", "p2"]}), ensure_ascii=False), encoding="utf-8")
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        page.goto(page_url)
        page.wait_for_function("document.getElementById('map').contentDocument?.body.dataset.drawnVersion === '1'")
        frame = page.locator("#map").element_handle().content_frame()
        page.wait_for_timeout(300)
        assert frame.evaluate("gbCanvas.tools.view().groups") == {"g1": ["p1", "p2"]}
        assert frame.evaluate("gbCanvas.cy.nodes().filter(n => n.isParent() || n.isChild()).length") == 0
        assert frame.evaluate("document.body.dataset.groups") == "1"

        # The box lies under the members, between them: painted there, and not round p4.
        (x1, y1), (x2, y2) = rendered(frame, "p1"), rendered(frame, "p2")
        between = [(x1 + x2) / 2, (y1 + y2) / 2 + 8]
        assert frame.evaluate(PAINTED, ["groups", *between, 2])
        assert not frame.evaluate(PAINTED, ["groups", *rendered(frame, "p4"), 2])

        # A click in the box, off its nodes, selects its members; a drag from it moves them, not p3.
        box = page.locator("#map").bounding_box()
        top = frame.evaluate("document.getElementById('cy').offsetTop")
        x, y = box["x"] + between[0], box["y"] + top + between[1]
        page.mouse.click(x, y)
        assert sorted(frame.evaluate("gbCanvas.selected()")) == ["p1", "p2"]
        before, after = drag_down(page, frame, (x, y), 90, ("p1", "p2", "p3"))
        assert after["p1"][1] - before["p1"][1] > 60 and abs(after["p2"][1] - before["p2"][1] - 90) < 1
        assert after["p3"] == before["p3"]
        assert frame.evaluate("+document.body.dataset.undo") == 1, "undo takes the drag back"

        # A force re-layout keeps the group's members together and leaves no compound node behind.
        frame.evaluate("gbCanvas.tools.run('relayout')")
        assert frame.evaluate("gbCanvas.cy.nodes().length") == len(NODES)
        assert frame.evaluate("gbCanvas.tools.view().groups") == {"g1": ["p1", "p2"]}

        # Ungroup (the selection holds its members): the box goes.
        frame.evaluate("gbCanvas.tools.run('ungroup')")
        assert frame.evaluate("gbCanvas.tools.view().groups") == {}
        page.wait_for_timeout(100)
        (x1, y1), (x2, y2) = rendered(frame, "p1"), rendered(frame, "p2")
        assert not frame.evaluate(PAINTED, ["groups", (x1 + x2) / 2, (y1 + y2) / 2 + 8, 2])
