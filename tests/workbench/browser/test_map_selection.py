"""The map's selection, in real headless Chromium, on the canvas component alone (served as
static files beside a page that speaks Streamlit's half of the protocol): a tap toggles a node,
a tap on the background clears, a Shift-drag box adds what it covers, a chosen node drags the
others chosen with it, and each chosen node has a ring on the sheet over the canvas."""

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
RING = """
([x, y]) => {
  const sheet = document.getElementById('selection'), ratio = window.devicePixelRatio || 1;
  const g = sheet.getContext('2d');
  // Any ring pixel on a square around the node's rim.
  const r = Math.ceil(gbCanvas.cy.nodes()[0].renderedOuterWidth() / 2 + 8);
  const side = 2 * r * ratio;
  const data = g.getImageData(Math.round((x - r) * ratio), Math.round((y - r) * ratio), side, side).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
  return false;
}
"""


def args() -> dict:
    elements = [
        {"data": {"id": node_id, "label": name, "type": "Person", "tip": name}, "position": {"x": x, "y": y}}
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
def page_url(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(CANVAS, site / "canvas")
    (site / "host.html").write_text(HOST, encoding="utf-8")
    (site / "args.json").write_text(json.dumps(args(), ensure_ascii=False), encoding="utf-8")
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
        assert frame.evaluate(RING, rendered(frame, "p0")) and not frame.evaluate(RING, rendered(frame, "p3"))
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
        assert not frame.evaluate(RING, rendered(frame, "p3"))

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
        before = {n: rendered(frame, n) for n in ("p2", "p3", "p4")}
        page.mouse.move(x3, y3)
        page.mouse.down()
        page.mouse.move(x3, y3 + 80, steps=8)
        page.mouse.up()
        after = {n: rendered(frame, n) for n in ("p2", "p3", "p4")}
        moved = after["p3"][1] - before["p3"][1]
        assert moved > 40
        assert abs((after["p4"][1] - before["p4"][1]) - moved) < 1
        assert after["p2"] == before["p2"]
        page.wait_for_timeout(100)
        assert frame.evaluate(RING, after["p4"]), "the ring moved with its node"
        assert not pilot.foreign(requests, page_url)
