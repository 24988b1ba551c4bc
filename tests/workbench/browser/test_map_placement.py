"""New nodes never land on top of others: a 200-node map (the busiest vehicles and their
passages, opened from the console) is expanded node by node in real headless Chromium, and
after each expansion no two node boxes on the map overlap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.workbench.browser import pilot

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

MAP = (
    "MATCH (v:Vehicle) WITH v ORDER BY COUNT { (v)<-[:OF_VEHICLE]-() } DESC, v.plate LIMIT 12 "
    "MATCH (v)<-[r:OF_VEHICLE]-(p:Passage) RETURN v, r, p LIMIT 190"
)
# Pairs of nodes whose boxes (body, not label, not the selection ring) cover each other, in
# model coordinates.
OVERLAPS = """
(() => {
  const boxes = gbCanvas.cy.nodes(':visible').map(n => {
    // the body and its border, with the pixel of edge Cytoscape draws each side
    const p = n.position(), w = n.outerWidth() / 2 + 1, h = n.outerHeight() / 2 + 1;
    return { x1: p.x - w, x2: p.x + w, y1: p.y - h, y2: p.y + h };
  });
  let found = 0;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) found++;
    }
  return found;
})()
"""


@pytest.fixture
def server(neo4j_env, sample_graph, tmp_path):
    # A supervisor: the map is opened from the Cypher console, which analysts do not have.
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=tmp_path / "streamlit.log", role="supervisor") as url:
        yield url


def test_no_two_nodes_overlap_after_each_expansion_of_a_200_node_map(server, tmp_path):
    with pilot.browser(tmp_path / "chromium-profile") as (page, _requests):
        pilot.pass_gate(page, server)
        page.get_by_role("link", name="Cypher 控制台").click()
        page.get_by_label("只读 Cypher").fill(MAP)
        page.get_by_role("button", name="执行").click()
        page.get_by_text(re.compile(r"^190 行 · ")).wait_for(timeout=60_000)
        page.get_by_role("button", name="在关系图中打开").click()
        page.get_by_role("heading", name="关系图谱").wait_for()
        version, nodes = pilot.drawn(page)
        assert nodes >= 190
        assert pilot.canvas_frame(page).evaluate(OVERLAPS) == 0
        grown = nodes
        for _ in range(4):
            # A passage's other links (its checkpoint or gate, its driver) join the map beside it.
            version, grown_now = pilot.expand_by_double_click(
                page, "n.data('type') === 'Passage' && n.degree() === 1", version
            )
            assert pilot.canvas_frame(page).evaluate(OVERLAPS) == 0, f"after growing to {grown_now} nodes"
            grown = grown_now
        assert grown > nodes, "the expansions added nodes"
