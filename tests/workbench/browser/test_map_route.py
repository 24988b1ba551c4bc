"""The map page in headless Chromium on the sample: a click on a place rings it on the map and
lists its passages, a planted plate's route is drawn with its stops numbered in time order and
their Beijing times written beside them, the map zooms to the route, district names and a
kilometre scale are on the map, and nothing is fetched from anywhere but the workbench.
Screenshots go to test-artifacts/browser/map-route*.png."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from settings.table import PROJECT_ROOT
from tests.workbench.browser import pilot
from workbench.geo_route import local

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"

LATEST_SEEN = """
MATCH (c:Checkpoint)<-[:PASSED_AT]-(p:Passage)
WITH c, max(p.time) AS last ORDER BY last DESC LIMIT 1
RETURN c.name
"""


def planted_plate(ground_truth) -> str:
    """The revoked-licence driver's car: seen leaving and coming home through a checkpoint."""
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "revoked_licence_driving")
    return scenario["positives"][0]["entities"]["Vehicle"][0]


def expected_stops(gateway, plate: str) -> list[str]:
    """ "n  MM-DD HH:MM" for each stop of the plate's last week with passages, in time order."""
    records = gateway.read("test.plate", "MATCH (p:Passage {plate: $plate}) RETURN p.time AS time", {"plate": plate})
    times = [local(record["time"]) for record in records.records]
    last = max(times)
    start = (last - timedelta(days=6)).normalize()
    week = sorted(t for t in times if t >= start)
    return [f"{i}  {t.strftime('%m-%d %H:%M')}" for i, t in enumerate(week, start=1)]


@pytest.fixture(params=["supervisor", "analyst"])
def server(request, neo4j_env, sample_graph, tmp_path):
    log = ARTIFACTS / f"streamlit-map-{request.param}.log"
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=log, role=request.param) as url:
        yield url, request.param


def map_text(page) -> str:
    """Every text the map's SVG writes (each line of a multi-line label on its own line)."""
    return page.locator(".vega-embed svg").first.evaluate(
        "svg => Array.from(svg.querySelectorAll('text')).flatMap(t => {"
        " const lines = t.querySelectorAll('tspan');"
        " return lines.length ? Array.from(lines, line => line.textContent) : [t.textContent]; }).join('\\n')"
    )


def scale_km(page) -> int:
    [km] = [int(line.split()[0]) for line in map_text(page).splitlines() if re.fullmatch(r"\d+ 公里", line)]
    return km


# The route's stops (white dots ringed in the route's colour) as drawn, and the map's own size.
ROUTE_SPREAD = """svg => {
  const stops = Array.from(svg.querySelectorAll('g.mark-symbol path[stroke="#c0392b"][fill="white"]'),
                           p => p.getBoundingClientRect());
  const map = svg.getBoundingClientRect();
  const xs = stops.map(b => b.x + b.width / 2), ys = stops.map(b => b.y + b.height / 2);
  return [(Math.max(...xs) - Math.min(...xs)) / map.width, (Math.max(...ys) - Math.min(...ys)) / map.height];
}"""


def test_a_planted_plates_route_shows_numbered_stops_with_times(server, sample_graph, ground_truth, tmp_path):
    url, role = server
    plate = planted_plate(ground_truth)
    stops = expected_stops(sample_graph, plate)
    latest = sample_graph.read("test.latest", LATEST_SEEN, {}).single_value()
    assert len(stops) >= 2
    with pilot.browser(tmp_path / "chromium-profile", viewport=(1400, 1300)) as (page, requests):
        pilot.pass_gate(page, url)
        page.get_by_role("link", name="地图").click()
        page.locator(".vega-embed svg").first.wait_for(timeout=30_000)
        # A click on a place lists its passages in the window (the last week with passages).
        page.locator(f".vega-embed svg path[aria-label*='名称: {latest}']").first.click(force=True)
        page.get_by_text(re.compile(f"^{latest}.*(共 \\d+ 条过车记录|显示最近的)")).wait_for(timeout=30_000)
        # ... and rings it on the map: the place clicked, not another.
        page.locator(f".vega-embed svg [aria-label='已选点位：{latest}']").wait_for(timeout=30_000)
        assert page.locator(".vega-embed svg [aria-label^='已选点位：']").count() == 1
        page.screenshot(path=str(ARTIFACTS / f"map-route-place-{role}.png"))
        whole_city_km = scale_km(page)
        box = page.get_by_label("车辆轨迹（号牌）")
        box.fill(plate)
        box.press("Enter")
        page.get_by_text(f"“{plate}”的轨迹：{len(stops)} 个经过点").wait_for(timeout=30_000)
        page.wait_for_function(
            "n => Array.from(document.querySelectorAll('.vega-embed svg text')).some(t => t.textContent.includes(n))",
            arg=stops[-1].split("  ")[1],
            timeout=30_000,
        )
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / f"map-route-{role}.png"))
        page.locator(".vega-embed").first.screenshot(path=str(ARTIFACTS / f"map-route-chart-{role}.png"))
        written = map_text(page).splitlines()
        for stop in stops:
            assert stop in written, f"stop {stop!r} is written on the map"
        assert scale_km(page) < whole_city_km, "the map zooms in to the route; the scale bar says so"
        across, down = page.locator(".vega-embed svg").first.evaluate(ROUTE_SPREAD)
        assert max(across, down) > 0.5, f"the route fills the map ({across:.0%} across, {down:.0%} down)"
        page.get_by_label("车辆轨迹（号牌）").fill("")
        page.get_by_label("车辆轨迹（号牌）").press("Enter")
        page.wait_for_function(
            "km => Array.from(document.querySelectorAll('.vega-embed svg text')).some(t => t.textContent === km)",
            arg=f"{whole_city_km} 公里",
            timeout=30_000,
        )
        written = map_text(page).splitlines()
        assert "南湖区" in written and "桐乡市" in written, "district names, with the whole city in view again"
    assert pilot.foreign(requests, url) == [], "no request leaves the workbench"
