"""Workbench benchmark, in headless Chromium against the running database: the time from
double-clicking a node to the map drawn with its 2-hop neighbourhood (1-hop beside it),
frame times while panning and zooming with 1,000 nodes on the canvas (100 beside it), and the
time the map's own tools (select neighbours, hide, undo, invert, fit, re-layout) take on both.
Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/bench_workbench.py [--runs 7]

Uses the configured database (NEO4J_URI or the local Neo4j; load the sample first, as
`make demo` does) and Debian's Chromium. Goals: under 1 s from click to drawn map;
smooth (frames near 16.7 ms) at 1,000 nodes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from settings.table import PROJECT_ROOT
from tests.workbench.browser import pilot
from workspace import Workspace

# People with a vehicle, a phone and a registration or purchase: neighbourhoods worth drawing.
PEOPLE = """
MATCH (p:Person)-[:OWNS]->(:Vehicle)
WHERE COUNT { (p)--() } >= 3
RETURN p.id_number AS id ORDER BY p.id_number LIMIT $n
"""
# The busiest 20 vehicles and up to `limit` of their passages: limit + 20 nodes at most.
MANY = (
    "MATCH (v:Vehicle) WITH v ORDER BY COUNT {{ (v)<-[:OF_VEHICLE]-() }} DESC, v.plate LIMIT 20 "
    "MATCH (v)<-[r:OF_VEHICLE]-(p:Passage) RETURN v, r, p LIMIT {limit}"
)

# Records requestAnimationFrame intervals in the canvas frame until asked for them.
START_FRAMES = """
() => {
  window.gbFrames = [];
  let last = performance.now();
  function tick(now) { window.gbFrames.push(now - last); last = now; if (!window.gbStop) requestAnimationFrame(tick); }
  window.gbStop = false;
  requestAnimationFrame(tick);
}
"""
STOP_FRAMES = "() => { window.gbStop = true; return window.gbFrames.slice(1); }"
# The map's own tools, each timed from the call to the second frame after it (painted).
TOOLS = ("neighbours", "hide", "undo", "invert", "deselect", "fit", "relayout")
TIME_TOOLS = """
async (tools) => {
  if (!gbCanvas.tools) return null;  // a revision before the tools
  const cy = gbCanvas.cy, out = {};
  tools.forEach(t => { out[t] = []; });
  for (let i = 0; i < 5; i++) {
    cy.nodes().unselect();
    cy.nodes()[(i * 37) % cy.nodes().length].select();
    for (const t of tools) {
      const began = performance.now();
      gbCanvas.tools.run(t);
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      out[t].push(performance.now() - began);
    }
  }
  return out;
}
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def clear_and_add(page, ref: str) -> int:
    if page.get_by_role("button", name="清空关系图").count():
        page.get_by_role("button", name="清空关系图").click()
        page.get_by_text("关系图为空").wait_for()
    page.get_by_label("加入实体（标签:编码）").fill(ref)
    page.get_by_role("button", name="加入", exact=True).click()
    version, _ = pilot.drawn(page)
    return version


def set_hops(page, hops: int) -> None:
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(3):
        slider.press("ArrowLeft")
    for _ in range(hops - 1):
        slider.press("ArrowRight")
    page.wait_for_timeout(800)


def expand_times(page, refs: list[str], hops: int) -> list[tuple[float, int]]:
    set_hops(page, hops)
    out = []
    for ref in refs:
        version = clear_and_add(page, ref)
        page.wait_for_timeout(900)  # let the placement's layout event settle
        version, _ = pilot.drawn(page)
        began = time.perf_counter()
        pilot.double_click_node(page, "true")
        _, nodes = pilot.wait_drawn_after(page, version)
        out.append((time.perf_counter() - began, nodes))
    return out


def frames_with(page, base_url: str, limit: int) -> tuple[int, list[float], float, dict[str, list[float]]]:
    # A new page load would be a new session, back at the reason gate: use the menu.
    page.get_by_role("link", name="关系图谱").click()
    for _ in range(3):  # a click that lands while the page is still rerunning is lost: click again
        if page.get_by_text("关系图为空").count():
            break
        page.get_by_role("button", name="清空关系图").click()
        with contextlib.suppress(PlaywrightTimeout):
            page.get_by_text("关系图为空").wait_for(timeout=10_000)
    page.get_by_text("关系图为空").wait_for()
    page.get_by_role("link", name="Cypher 控制台").click()
    page.get_by_label("只读 Cypher").fill(MANY.format(limit=limit))
    page.get_by_role("button", name="执行").click()
    # The previous result stays on the page until this one replaces it: wait for its row count.
    page.get_by_text(re.compile(rf"^{limit} 行 · ")).wait_for(timeout=60_000)
    page.get_by_role("button", name="在关系图中打开").click()
    began = time.perf_counter()
    page.get_by_role("heading", name="关系图谱").wait_for()
    frame = pilot.canvas_frame(page, timeout=60)
    _, nodes = pilot.drawn(page)
    drawn_after = time.perf_counter() - began
    while True:  # until the count holds for a second: the whole result is on the canvas
        page.wait_for_timeout(1000)
        frame = pilot.canvas_frame(page)
        _, now = pilot.drawn(page)
        if now == nodes:
            break
        nodes = now
    box = page.locator(f"iframe[title*='{pilot.CANVAS}']").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.wait_for_timeout(1500)
    frame.evaluate(START_FRAMES)
    # Pan, then zoom in and out, while the frames are counted.
    page.mouse.move(cx, cy)
    page.mouse.down()
    for i in range(40):
        page.mouse.move(cx + 4 * i, cy + 2 * i)
        page.wait_for_timeout(16)
    page.mouse.up()
    for delta in [-120] * 15 + [120] * 15:
        page.mouse.wheel(0, delta)
        page.wait_for_timeout(30)
    times = frame.evaluate(STOP_FRAMES)
    return nodes, times, drawn_after, frame.evaluate(TIME_TOOLS, list(TOOLS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="expansions measured per hop count")
    args = parser.parse_args()
    with Workspace.open() as workspace:
        refs = [f"Person:{r['id']}" for r in workspace.gateway.read("bench.people", PEOPLE, {"n": args.runs}).data()]
    if not refs:
        sys.exit("the database holds no people with vehicles: load the sample first (make demo)")
    env = {k: v for k, v in os.environ.items() if k.startswith(("GOLDENBELL_", "NEO4J_"))}
    with tempfile.TemporaryDirectory(prefix="goldenbell-bench-") as tmp:
        log = PROJECT_ROOT / "test-artifacts" / "bench-workbench.log"
        with (
            # A supervisor: the large map is opened from the Cypher console, which analysts do not have.
            pilot.pilot_workbench(env, Path(tmp), log=log, role="supervisor") as url,
            pilot.browser(Path(tmp) / "profile") as (page, requests),
        ):
            pilot.pass_gate(page, url, case_ref="BENCH-1")
            page.get_by_role("link", name="关系图谱").click()
            page.get_by_label("加入实体（标签:编码）").wait_for()
            two = expand_times(page, refs, 2)
            one = expand_times(page, refs, 1)
            big = frames_with(page, url, 980)
            small = frames_with(page, url, 90)
            outside = pilot.foreign(requests, url)

    def line(name: str, results: list[tuple[float, int]]) -> float:
        seconds = [s for s, _ in results]
        med = statistics.median(seconds)
        print(
            f"{name:<28} median {med * 1000:7.0f} ms   p95 {pct(seconds, 0.95) * 1000:7.0f} ms   "
            f"nodes drawn {statistics.median(n for _, n in results):5.0f}   (n={len(results)})"
        )
        return med

    print("click → map drawn (double-click a person on the map until the canvas shows the result)")
    m2 = line("2-hop neighbourhood", two)
    m1 = line("1-hop neighbourhood", one)
    print(f"{'ratio 2-hop / 1-hop':<28} {m2 / m1:.2f}")
    print()
    print("frames while panning and zooming (requestAnimationFrame intervals)")
    medians = {}
    for name, (nodes, times, drawn_after, _) in (("large map", big), ("small map", small)):
        med = statistics.median(times)
        medians[name] = med
        print(
            f"{name:<12} {nodes:5d} nodes   median {med:5.1f} ms   p95 {pct(times, 0.95):5.1f} ms   "
            f"{1000 / med:5.1f} fps   (frames={len(times)}; opened and drawn in {drawn_after:.1f} s)"
        )
    print(f"{'ratio large / small (median frame)':<36} {medians['large map'] / medians['small map']:.2f}")
    print()
    print("the map's own tools, no page rerun (call → second frame painted; 5 runs each; median / p95 ms)")
    print(f"{'':<12}" + "".join(f"{tool:>16}" for tool in TOOLS))
    for name, (nodes, _, _, tools) in (("large map", big), ("small map", small)):
        if tools is None:
            print(f"{name:<6}{nodes:5d} n   (no map tools in this revision)")
            continue
        cells = "".join(f"{statistics.median(tools[t]):7.0f} /{pct(tools[t], 0.95):6.0f}  " for t in TOOLS)
        print(f"{name:<6}{nodes:5d} n " + cells)
    print(f"requests outside the workbench: {len(outside)}")


if __name__ == "__main__":
    main()
