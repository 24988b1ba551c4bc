"""The planted wanted tenant's profile in real Chromium, as supervisor and as analyst: the
flags (在逃, the watch list) are the first thing on the page, above who he is, and the
registration's line names its address and the landlord who houses him; the analyst's page
holds no full ID number anywhere, the supervisor's holds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import ARTIFACTS, planted, shot

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]


@pytest.fixture(params=["supervisor", "analyst"])
def server(request, neo4j_env, sample_graph, tmp_path):
    log = ARTIFACTS / f"streamlit-profile-{request.param}.log"
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=log, role=request.param) as url:
        yield url, request.param


def test_the_wanted_tenants_profile_leads_with_flags_and_names_the_landlord(
    server, sample_graph, ground_truth, tmp_path
):
    url, role = server
    wanted, _, landlord = planted(ground_truth)
    [address] = [
        row["full"]
        for row in sample_graph.read(
            "test.tenant_address",
            "MATCH (:Person {id_number: $id})-[:REGISTERED]->(r:Registration)"
            "-[:HAS_LANDLORD]->(:Person {name: $landlord}) "
            "MATCH (r)-[:REGISTERED_AT]->(a) RETURN DISTINCT a.full AS full",
            {"id": wanted, "landlord": landlord},
        ).data()
    ]
    with pilot.browser(tmp_path / "chromium-profile") as (page, _):
        pilot.pass_gate(page, url)
        page.get_by_label("姓名、身份号码").fill(wanted)
        page.get_by_role("button", name="检索").click()
        page.get_by_role("button", name="档案").first.click()
        heading = page.get_by_role("heading", name="属性")
        heading.wait_for()

        wanted_flag = page.locator("[data-testid='stAlert']", has_text="在逃：列入").first
        wanted_flag.wait_for()
        listing = page.locator("[data-testid='stAlert']", has_text="在布控名单上").first
        assert wanted_flag.bounding_box()["y"] < listing.bounding_box()["y"] < heading.bounding_box()["y"]
        shot(page, f"profile-flags-{role}")

        page.get_by_text("流动人口登记 (").first.click()
        registration = page.locator("[data-testid='stText']", has_text=address).first
        registration.wait_for()
        text = registration.inner_text()
        assert text.startswith("登记") and f"房东：{landlord}" in text, text
        shot(page, f"profile-registration-{role}")
        asked = page.get_by_label("实体（标签:编码）").input_value()
        if role == "analyst":
            assert wanted not in asked + page.inner_text("body"), "the analyst sees the ID number masked"
            assert asked.endswith(wanted[-4:])
        else:
            assert asked == f"Person:{wanted}", "the supervisor sees the ID number whole"
