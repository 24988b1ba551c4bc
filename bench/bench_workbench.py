"""Workbench benchmark, in headless Chromium against the running database: the time from
double-clicking a node to the map drawn with its 2-hop neighbourhood (1-hop beside it) and to
the page settled (Streamlit's run over), frame times while panning and zooming with 100, 260,
1,000 and 5,000 nodes on the canvas (vehicles and the busiest places they were seen at, opened
from the Cypher console; a frozen layout; the 5,000 are the 1,000-node map with synthetic nodes
added in the browser, as the map's cap is 1,000), and the time the map's own
actions (select neighbours, group, ungroup, hide, undo, invert, fit, re-layout, pin) take.
Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/bench_workbench.py [--runs 7] [--against REVISION]

With --against, the benchmark as of that git revision runs first, in the same sitting, and
the expansion figures are printed side by side. Uses the configured database (NEO4J_URI or
the local Neo4j; load the sample first, as `make demo` does) and Debian's Chromium. Goals
(issue 17): map actions ≤ 100 ms p95; expansion drawn ≤ 500 ms p95 and settled ≤ 1 s p95;
5,000 nodes pan/zoom median frame ≤ 33 ms.
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
from revision import figure, run_at

from settings.table import PROJECT_ROOT
from tests.workbench.browser import pilot
from workspace import Workspace

# People with a vehicle, a phone and a registration or purchase: neighbourhoods worth drawing.
PEOPLE = """
MATCH (p:Person)-[:OWNS]->(:Vehicle)
WHERE COUNT { (p)--() } >= 3
RETURN p.id_number AS id ORDER BY p.id_number LIMIT $n
"""
# The 20 places (checkpoints and gates) most vehicles were seen at, and up to `limit` of those
# vehicles with one "seen at" link each: limit + 20 nodes at most, stars around busy places.
MANY = (
    "MATCH (c) WHERE c:Checkpoint OR c:Gate "
    "WITH c ORDER BY COUNT {{ (c)<-[:SEEN_AT]-() }} DESC, coalesce(c.checkpoint_id, c.gate_id) LIMIT 20 "
    "MATCH (c)<-[r:SEEN_AT]-(v:Vehicle) "
    "WITH v, head(collect({{r: r, c: c}})) AS top ORDER BY v.plate LIMIT {limit} "
    "RETURN v, top.r AS r, top.c AS c"
)
LARGE = 980  # vehicles on the large map, under the map's cap of 1,000 nodes with their places

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
# The map's own tools, each timed from the call to the second frame after it (painted);
# "none" is the two frames alone, the floor under every action.
TOOLS = ("none", "neighbours", "group", "ungroup", "hide", "undo", "invert", "deselect", "fit", "relayout", "pin")
ROUNDS = 15  # each tool timed this many times a map: a p95 of five would be their slowest
TIME_TOOLS = """
async ([tools, rounds]) => {
  if (!gbCanvas.tools) return null;  // a revision before the tools
  const cy = gbCanvas.cy, out = {};
  tools.forEach(t => { out[t] = []; });
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const app = window.parent.document.querySelector('[data-testid=stApp]');
  const settled = async () => {
    await new Promise(r => setTimeout(r, 150));  // the rerun's start
    for (let i = 0; i < 200 && app && app.dataset.testScriptState !== 'notRunning'; i++) {
      await new Promise(r => setTimeout(r, 25));
    }
    await frames();
  };
  const members = cy.nodes().not('[?group]');
  for (let i = 0; i < rounds; i++) {
    const one = members[(i * 37) % members.length];
    if (gbCanvas.select) gbCanvas.select([one.id()]);
    else { cy.nodes().unselect(); one.select(); }  // a revision before selection.js
    for (const t of tools) {
      const began = performance.now();
      if (t === 'none') {  // nothing: the two frames alone
      } else if (t === 'pin') {  // a menu choice, shown at once and then sent to Python
        if (!gbCanvas.act) continue;
        gbCanvas.act('pin', one.id());
      } else gbCanvas.tools.run(t);
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      out[t].push(performance.now() - began);
      if (t === 'pin') {  // a pinned node would outlive "clear"; the next round starts drawn
        gbCanvas.act('unpin', one.id());
        // Pin and unpin go to Python, and the map's part of the page reruns: the next round
        // starts once it has, so no action is timed with that rerun's redraw landing in it.
        await settled();
      }
    }
  }
  return out;
}
"""
# Grows the canvas to `total` nodes: a grid of synthetic nodes beside the map, each linked
# to its left neighbour, placed (no layout runs), as a frozen layout is.
GROW = """
(total) => {
  const cy = gbCanvas.cy, have = cy.nodes().length, bb = cy.nodes().boundingBox(), add = [];
  const side = Math.ceil(Math.sqrt(total - have));
  for (let i = 0; i < total - have; i++) {
    const id = 'syn' + i;
    add.push({group: 'nodes', data: {id, label: 'N' + i, type: 'Passage'},
              position: {x: bb.x2 + 60 + 50 * (i % side), y: bb.y1 + 50 * Math.floor(i / side)}});
    if (i % side) add.push({group: 'edges', data: {id: 'sye' + i, source: 'syn' + (i - 1), target: id, label: '过车'}});
  }
  cy.add(add);
  cy.fit(undefined, 30);
  return cy.nodes().length;
}
"""
SETTLED = "document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'"


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


def expand_times(page, refs: list[str], hops: int) -> list[tuple[float, float, int]]:
    """(click → drawn, click → page settled, nodes) per person."""
    set_hops(page, hops)
    out = []
    for ref in refs:
        version = clear_and_add(page, ref)
        page.wait_for_timeout(900)  # let the placement's layout event settle
        page.wait_for_function(SETTLED)
        version, _ = pilot.drawn(page)
        began = time.perf_counter()
        pilot.double_click_node(page, "true")
        _, nodes = pilot.wait_drawn_after(page, version)
        drawn = time.perf_counter() - began
        page.wait_for_function(SETTLED, polling=10)
        out.append((drawn, time.perf_counter() - began, nodes))
    return out


def pan_and_zoom(page, frame) -> list[float]:
    """Frame intervals (ms) while the mouse pans, then zooms in and out, over the canvas."""
    box = page.locator(f"iframe[title*='{pilot.CANVAS}']").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.wait_for_timeout(1500)
    frame.evaluate(START_FRAMES)
    page.mouse.move(cx, cy)
    page.mouse.down()
    for i in range(40):
        page.mouse.move(cx + 4 * i, cy + 2 * i)
        page.wait_for_timeout(16)
    page.mouse.up()
    for delta in [-120] * 15 + [120] * 15:
        page.mouse.wheel(0, delta)
        page.wait_for_timeout(30)
    return frame.evaluate(STOP_FRAMES)


def frames_with(page, base_url: str, limit: int) -> tuple[int, list[float], float, dict[str, list[float]]]:
    # A new page load would be a new session, back at the reason gate: use the menu.
    page.get_by_role("link", name="关系图谱").click()
    page.get_by_label("加入实体（标签:编码）").wait_for()
    page.wait_for_function(SETTLED)
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
    times = pan_and_zoom(page, frame)
    return nodes, times, drawn_after, frame.evaluate(TIME_TOOLS, [list(TOOLS), ROUNDS])


def frames_grown(page, total: int) -> tuple[int, list[float]]:
    """The map on the canvas grown to `total` nodes in the browser, then panned and zoomed."""
    frame = pilot.canvas_frame(page)
    nodes = frame.evaluate(GROW, total)
    return nodes, pan_and_zoom(page, frame)


def measure(runs: int) -> dict:
    with Workspace.open() as workspace:
        refs = [f"Person:{r['id']}" for r in workspace.gateway.read("bench.people", PEOPLE, {"n": runs}).data()]
        seen = len(workspace.gateway.read("bench.many", MANY.format(limit=LARGE), {}).records)
    if not refs:
        sys.exit("the database holds no people with vehicles: load the sample first (make demo)")
    if seen < LARGE:
        sys.exit(f"only {seen} vehicles were seen at the 20 busiest places, not {LARGE}: load the sample (make demo)")
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
            out = {"two": expand_times(page, refs, 2), "one": expand_times(page, refs, 1)}
            out["big"] = frames_with(page, url, LARGE)
            out["huge"] = frames_grown(page, 5000)
            out["small"] = frames_with(page, url, 90)
            out["middle"] = frames_with(page, url, 240)
            out["outside"] = pilot.foreign(requests, url)
    return out


def line(name: str, seconds: list[float], nodes: list[int]) -> tuple[float, float]:
    med, p95 = statistics.median(seconds), pct(seconds, 0.95)
    print(
        f"{name:<28} median {med * 1000:7.0f} ms   p95 {p95 * 1000:7.0f} ms   "
        f"nodes drawn {statistics.median(nodes):5.0f}   (n={len(seconds)})"
    )
    return med, p95


def report(out: dict, before: str | None, revision: str | None) -> None:
    print("click → map drawn, and → page settled (double-click a person on the map)")
    figures = {}
    for hops, key in ((2, "two"), (1, "one")):
        results, nodes = out[key], [n for _, _, n in out[key]]
        figures[f"{hops} drawn"] = line(f"{hops}-hop neighbourhood", [d for d, _, _ in results], nodes)
        figures[f"{hops} settled"] = line(f"{hops}-hop page settled", [s for _, s, _ in results], nodes)
    print(f"{'ratio 2-hop / 1-hop (drawn)':<28} {figures['2 drawn'][0] / figures['1 drawn'][0]:.2f}")
    if before is not None:
        print(f"\nthis revision against {revision} (same sitting; median / p95 ms)")
        for hops in (2, 1):
            then = [
                figure(before, rf"{hops}-hop neighbourhood\s+median\s+([\d,]+) ms"),
                figure(before, rf"{hops}-hop neighbourhood\s+median\s+[\d,]+ ms\s+p95\s+([\d,]+) ms"),
            ]
            now = [v * 1000 for v in figures[f"{hops} drawn"]]
            print(
                f"{hops}-hop drawn   {now[0]:6.0f} / {now[1]:6.0f}   against {then[0]:6.0f} / {then[1]:6.0f}"
                f"   × {now[0] / then[0]:.2f} / {now[1] / then[1]:.2f}"
            )
    print()
    print("frames while panning and zooming (requestAnimationFrame intervals)")
    medians = {}
    maps = (
        ("small map", out["small"][:2]),
        ("middle map", out["middle"][:2]),
        ("large map", out["big"][:2]),
        ("grown map", out["huge"]),
    )
    for name, (nodes, times) in maps:
        med = medians[name] = statistics.median(times)
        print(
            f"{name:<12} {nodes:5d} nodes   median {med:5.1f} ms   p95 {pct(times, 0.95):5.1f} ms   "
            f"{1000 / med:5.1f} fps   (frames={len(times)})"
        )
    print(f"{'ratio large / small (median frame)':<36} {medians['large map'] / medians['small map']:.2f}")
    print(f"{'ratio grown / small (median frame)':<36} {medians['grown map'] / medians['small map']:.2f}")
    print()
    print(f"the map's own actions, no page rerun (call → second frame painted; {ROUNDS} runs each; median / p95 ms)")
    print(f"{'':<12}" + "".join(f"{tool:>16}" for tool in TOOLS))
    for name, (nodes, _, _, tools) in (("large", out["big"]), ("middle", out["middle"]), ("small", out["small"])):
        if tools is None:
            print(f"{name:<6}{nodes:5d} n   (no map tools in this revision)")
            continue
        cells = "".join(
            f"{statistics.median(tools[t]):7.0f} /{pct(tools[t], 0.95):6.0f}  " if tools.get(t) else f"{'-':>16}"
            for t in TOOLS
        )
        print(f"{name:<6}{nodes:5d} n " + cells)
    print(f"requests outside the workbench: {len(out['outside'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="expansions measured per hop count")
    parser.add_argument("--against", metavar="REVISION", help="first run this benchmark as of a git revision")
    args = parser.parse_args()
    before = None
    if args.against:
        print(f"== at {args.against}")
        before = run_at(args.against, Path(__file__).name, ["--runs", str(args.runs)])
        print("== this revision")
    report(measure(args.runs), before, args.against)


if __name__ == "__main__":
    main()
