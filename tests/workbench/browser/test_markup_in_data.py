"""A person whose name is markup shows as that literal text everywhere, and no script runs.

The importer is the first defence: a person's name with symbols in it is rejected
(name.invalid). The second is that whatever reaches the graph anyway — from another system
writing to the same database, or a spec for a laxer source — is only ever shown as text.
So the person named `<img src=x onerror=alert(1)>` is refused by an import, then written
directly, and in real Chromium must read as typed in the search results, the profile, the
map's node information and the exported report, with no dialog opening and no such image
in the page, the canvas frame or the report.

Web and mail addresses in data (`https://…`, `www.…`, `…@…`) are text too: in the profile's
heading, the case's report text and the mention's button they read as typed, and no link in
the page points anywhere the data names.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from ingest.api import import_files
from synth.citizen_ids import make_id
from tests.workbench.browser import pilot
from tests.workbench.browser.test_browser_flow import ARTIFACTS, shot
from workbench.display import LINK_BREAK

pytest.importorskip("playwright")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(pilot.CHROMIUM).exists(), reason=f"no Chromium at {pilot.CHROMIUM}"),
]

NAME = "<img src=x onerror=alert(1)>"
ID = make_id("330402", date(1988, 5, 17), 73)
PHONE = "13905730042"
WRITE_PERSON = """
MERGE (p:Person {id_number: $id}) SET p.name = $name
MERGE (f:Phone {number: $phone})
MERGE (p)-[:HAS_PHONE]->(f)
"""
INJECTED = "document.querySelectorAll('img[src=\"x\"], img[onerror]').length"


@pytest.fixture
def server(neo4j_env, empty_graph, schema, tmp_path):
    source = tmp_path / "household_registry.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["户号", "姓名", "公民身份号码", "性别", "出生日期", "户籍地址", "联系电话"])
        writer.writerow(["H0001", NAME, ID, "男", "1988-05-17", "浙江省嘉兴市南湖区建国南路1号", PHONE])
    report = import_files([source], schema=schema, gateway=empty_graph, rejects_path=tmp_path / "rejects.csv")
    assert (report.rows_loaded, report.files[0].reasons) == (0, {"name.invalid": 1})
    empty_graph.write("test.markup_person", WRITE_PERSON, {"id": ID, "name": NAME, "phone": PHONE})
    with pilot.pilot_workbench(neo4j_env, tmp_path, log=ARTIFACTS / "streamlit-markup.log") as url:
        yield url


def injected_anywhere(page) -> int:
    return sum(frame.evaluate(INJECTED) for frame in page.frames)


def test_a_name_made_of_markup_stays_text_in_chromium(server, tmp_path):
    dialogs: list[str] = []
    masked = "*" * 14 + ID[-4:]
    with pilot.browser(tmp_path / "chromium-profile") as (page, requests):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        pilot.pass_gate(page, server)

        # Search results.
        page.get_by_label("姓名、身份号码").fill(ID)
        page.get_by_role("button", name="检索").click()
        page.get_by_text(masked).first.wait_for()
        page.get_by_text(NAME).first.wait_for()
        shot(page, "markup-1-search")
        assert injected_anywhere(page) == 0

        # Profile.
        page.get_by_role("button", name="档案").first.click()
        page.get_by_role("heading", name="属性").wait_for()
        assert NAME in page.get_by_role("heading", level=2).first.inner_text()
        shot(page, "markup-2-profile")
        assert injected_anywhere(page) == 0

        # The map: the node's information box, shown on a click, holds the name as text.
        page.get_by_role("button", name="在关系图中展开").click()
        x, y, _ = pilot.node_point(page, "n.data('type') === 'Person'")
        page.mouse.click(x, y)
        frame = pilot.canvas_frame(page)
        frame.locator("#info").wait_for(state="visible")
        assert NAME in frame.locator("#info").inner_text()
        assert frame.evaluate("gbCanvas.cy.nodes()[0].data('tip')").startswith(NAME)
        assert frame.evaluate("gbCanvas.cy.nodes()[0].data('label')") == NAME[:15] + "…", "a short caption"
        shot(page, "markup-3-map")
        assert injected_anywhere(page) == 0

        # The exported report, opened in the browser.
        page.get_by_role("link", name="专案").click()
        page.get_by_label("专案名称").fill(NAME)
        page.get_by_role("button", name="保存当前关系图为专案").click()
        page.get_by_role("button", name="打开").first.wait_for()
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name="下载 HTML 报告").click()
        report = tmp_path / "report.html"
        download_info.value.save_as(str(report))
        assert injected_anywhere(page) == 0
        online = list(requests)
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-drawn='yes']", timeout=20_000)
        assert NAME in page.locator("body").inner_text()
        assert masked in page.locator("body").inner_text() and ID not in report.read_text(encoding="utf-8")
        shot(page, "markup-4-report")
        assert injected_anywhere(page) == 0

    assert dialogs == [], "no script from the data ran"
    assert pilot.foreign(online, server) == [], "nothing was fetched from anywhere, not even the image"


# A web address, a bare `www.` host and a mail address, as another system might write them.
URL_NAME = "张链 https://evil.example/x"
URL_ADDRESS = "www.evil.example 南湖区1号"
URL_CASE_ID = "JX-URL-0001"
URL_CASE_TEXT = f"报警人称{URL_NAME}发来 https://evil.example/x ，又见 www.evil.example ，邮件 tip@evil.example 。"
URL_ID = make_id("330402", date(1990, 3, 8), 41)
WRITE_URLS = """
MERGE (p:Person {id_number: $id}) SET p.name = $name, p.hukou_address = $address
MERGE (c:Case {case_id: $case_id}) SET c.title = $name, c.text = $text
MERGE (c)-[m:MENTIONS]->(p) SET m.start = $start, m.end = $end, m.text = $name
"""
# Any link in any frame whose address came from the data above.
DATA_LINKS = "Array.from(document.querySelectorAll('a')).map(a => a.href).filter(h => /evil/i.test(h))"


@pytest.fixture
def url_server(neo4j_env, empty_graph, tmp_path):
    start = URL_CASE_TEXT.index(URL_NAME)
    parameters = {"id": URL_ID, "name": URL_NAME, "address": URL_ADDRESS, "case_id": URL_CASE_ID}
    parameters |= {"text": URL_CASE_TEXT, "start": start, "end": start + len(URL_NAME)}
    empty_graph.write("test.url_person", WRITE_URLS, parameters)
    env = {
        **neo4j_env,
        "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        "GOLDENBELL_ACCESS_DB": str(tmp_path / "access.db"),
    }
    pilot.add_user(env)
    with pilot.workbench_server(env, log=ARTIFACTS / "streamlit-urls.log") as url:
        yield url


def data_links(page) -> list[str]:
    return [href for frame in page.frames for href in frame.evaluate(DATA_LINKS)]


def as_read(text: str) -> str:
    """The text a reader sees: the invisible joiners that keep an address from becoming a link dropped."""
    return text.replace(LINK_BREAK, "")


def open_profile(page, ref: str) -> None:
    page.get_by_role("link", name="实体档案").click()
    box = page.get_by_label("实体（标签:编码）")
    box.fill(ref)
    box.press("Enter")
    page.get_by_role("heading", name="属性").wait_for()


def test_addresses_in_data_are_text_not_links_in_chromium(url_server, tmp_path):
    with pilot.browser(tmp_path / "chromium-profile") as (page, requests):
        pilot.pass_gate(page, url_server)

        # The person's profile: the name in the heading, the address in the properties.
        open_profile(page, f"Person:{URL_ID}")
        heading = page.get_by_role("heading", level=2).first
        assert as_read(heading.inner_text()).endswith(URL_NAME)
        shot(page, "urls-1-profile")
        assert data_links(page) == []

        # The case: its title in the heading, its report text with the mention's button.
        open_profile(page, f"Case:{URL_CASE_ID}")
        page.get_by_role("heading", name="案情简述").wait_for()
        assert as_read(page.get_by_role("heading", level=2).first.inner_text()).endswith(URL_NAME)
        text = page.locator("[data-testid='stMarkdownContainer']", has_text="tip@")
        assert as_read(text.first.inner_text()).strip() == URL_CASE_TEXT
        mention = page.get_by_role("button", name="张链")
        assert as_read(mention.inner_text()).strip() == URL_NAME
        shot(page, "urls-2-case")
        assert data_links(page) == []

        # The mention's button still opens the person it names.
        mention.click()
        page.get_by_role("heading", name="人员", exact=False).first.wait_for()
        assert as_read(page.get_by_role("heading", level=2).first.inner_text()).endswith(URL_NAME)
        assert data_links(page) == []

    assert pilot.foreign(list(requests), url_server) == [], "nothing was fetched from the addresses in the data"
