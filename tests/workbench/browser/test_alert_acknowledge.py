"""Acknowledging an alert in Chromium: the alert alone reruns and a confirmation shows at once,
in a full inbox (200 alerts), where a rerun of the whole page used to take seconds.

The time from the click to the confirmation is measured twice, from the pilot's click and in
the page from the press of the button, for the first alert worked on a new database and for
the next one, and printed (and written to
test-artifacts/browser/alert-acknowledge.txt), not asserted tightly: the machine is shared."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from queries.alerts import Hit, store
from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import ARTIFACTS, shot

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

ALERTS = 200
# In the page: when the button is pressed and when the toast is added. The pilot's own click
# (scrolling, waiting for the button to stand still) comes before the press and is no part of
# what the user waits for.
CLICK_TO_TOAST = """() => {
  const shown = new Set(document.querySelectorAll("[data-testid='stToast']"));
  window.gbAck = {};
  document.addEventListener('pointerdown', () => { window.gbAck.click ??= performance.now(); }, true);
  new MutationObserver(() => {
    const toasts = [...document.querySelectorAll("[data-testid='stToast']")];
    if (toasts.some((toast) => !shown.has(toast))) window.gbAck.toast ??= performance.now();
  }).observe(document.body, {childList: true, subtree: true});
}"""
PEOPLE = """
UNWIND range(1, $n) AS i
CREATE (:Person {id_number: 'P' + toString(i), name: '测试' + toString(i)})
"""


@pytest.fixture
def server(neo4j_env, empty_graph, tmp_path):
    empty_graph.write("test.people", PEOPLE, {"n": ALERTS})
    ids = empty_graph.read("test.ids", "MATCH (p:Person) RETURN p.id_number AS k, elementId(p) AS id").data()
    found = [
        Hit(
            f"alert{i:03d}",
            "identity.shared_phones",
            f"{row['k']} 第 {i} 条测试预警",
            [{"label": "Person", "key": row["k"], "role": "person", "element_id": row["id"]}],
            f"test alert {i} for {row['k']}",
            ("high", "medium", "low")[i % 3],
        )
        for i, row in enumerate(ids)
    ]
    store(empty_graph, found, run_id="browser-test")
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=ARTIFACTS / "streamlit-alerts.log") as url:
        yield url


def test_acknowledging_an_alert_confirms_within_a_second(server, tmp_path):
    with pilot.browser(tmp_path / "chromium-profile") as (page, _):
        pilot.pass_gate(page, server)
        page.get_by_role("link", name="预警处置").click()
        boxes = page.locator("[data-testid='stExpander']")
        boxes.nth(ALERTS - 1).wait_for()
        first = boxes.first
        began = time.perf_counter()
        first.locator("summary").click()
        first.get_by_role("button", name="确认", exact=True).wait_for()
        open_ms = (time.perf_counter() - began) * 1000
        elapsed_ms, seen_ms = acknowledge(page, first)
        shot(page, "alert-acknowledged")
        assert first.get_by_role("button", name="确认", exact=True).is_disabled()
        assert "[已确认]" in first.locator("summary").inner_text()
        # The first note a new database holds costs the server 0.1-0.3 s more than the next
        # ones (measured with the change statement planned ahead): the next alert shows an
        # analyst's usual wait.
        boxes.nth(1).locator("summary").click()
        next_ms, next_seen_ms = acknowledge(page, boxes.nth(1))

        # For comparison: a filter reruns the whole page (the inbox read and drawn again).
        began = time.perf_counter()
        by_status = page.get_by_role("option", name="状态（新预警在前）")
        page.get_by_label("排序").click()
        if page.get_by_label("排序").get_attribute("aria-expanded") != "true":
            # The click that moves the focus out of a just-worked alert does not open the list.
            page.get_by_label("排序").click()
        by_status.click()
        # New before acknowledged: the third alert comes first once the page has rerun.
        boxes.first.locator("summary").get_by_text(re.compile(" 第 2 条测试预警")).wait_for()
        boxes.nth(ALERTS - 1).wait_for()
        whole_ms = (time.perf_counter() - began) * 1000

    report = (
        f"open an alert: {open_ms:.0f} ms; acknowledge → confirmation: {elapsed_ms:.0f} ms "
        f"({seen_ms:.0f} ms from the press to the toast in the page); the next alert: {next_ms:.0f} ms "
        f"({next_seen_ms:.0f} ms in the page); "
        f"a whole-page rerun (sort, {ALERTS} alerts): {whole_ms:.0f} ms\n"
    )
    (ARTIFACTS / "alert-acknowledge.txt").write_text(report, encoding="utf-8")
    print("\n" + report)


def acknowledge(page, box) -> tuple[float, float]:
    """Press the open alert's 确认 and wait for its toast and its status line: the time from
    the pilot's click, and in the page from the press of the button (ms)."""
    button = box.get_by_role("button", name="确认", exact=True)
    button.wait_for()
    page.evaluate(CLICK_TO_TOAST)
    began = time.perf_counter()
    button.click()
    page.locator("[data-testid='stToast']").get_by_text(re.compile("pilot 于 .* 将预警设为“已确认”")).last.wait_for()
    elapsed_ms = (time.perf_counter() - began) * 1000
    seen_ms = page.evaluate("window.gbAck.toast - window.gbAck.click")
    box.get_by_text(re.compile("将预警设为“已确认”")).wait_for()  # the status line in the alert
    return elapsed_ms, seen_ms
