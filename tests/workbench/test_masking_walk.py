"""One sample person, walked through everything the workbench shows or hands out, as an analyst:
the search hits, the profile (properties, links, timeline), the link map (node labels and
tooltips), the exported map and report, and the pack tables and their CSV and JSON downloads.
Nowhere — however the digits are read back — is there more of the person than the masked forms:
not their ID number, its first fourteen digits, their birth date or region code, nor their
phone number. The supervisor sees them in full, and an analyst's unmasking of this one person
(audited) shows them."""

from __future__ import annotations

import json
import re
import unicodedata

from tests.workbench.conftest import audit_events, one_page, workbench
from workbench import canvas, exports, resources
from workbench.display import Display
from workbench.investigator import Investigator
from workbench.report import map_html, report_html

_SEPARATORS = re.compile(r"[\s.\-/_·\u200b\\]")


def page_text(at, *, inputs: bool = True) -> str:
    """Everything a page put on screen, as text; with `inputs`, what its boxes hold too."""
    parts = []
    for kind in ("title", "header", "subheader", "text", "markdown", "caption", "info", "success", "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.label for e in at.expander] + ([str(e.value) for e in at.text_input] if inputs else [])
    parts += [frame.value.to_json(force_ascii=False) for frame in at.dataframe]
    return "\n".join(parts)


def read_back(text: str) -> str:
    """The digits a reader gets from a text: width folded, separators dropped."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).upper())


def the_person(gateway, ground_truth) -> dict:
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    wanted = next(p for p in scenario["positives"] if p.get("accomplice"))["entities"]["Person"][0]
    return gateway.read(
        "test.person",
        "MATCH (p:Person {id_number: $id}) "
        "RETURN p.id_number AS id, toString(p.birth_date) AS born, p.origin_region AS region, "
        "[(p)-[:HAS_PHONE]->(f) | f.number] AS phones, [(p)-[:OWNS]->(v) | v.plate] AS plates",
        {"id": wanted},
    ).data()[0]


def assert_masked(text: str, person: dict, where: str) -> None:
    seen = read_back(text)
    number = person["id"]
    assert number not in seen and number[:14] not in seen, f"{where}: the ID number"
    assert person["born"].replace("-", "") not in seen, f"{where}: the birth date"
    for phone in person["phones"]:
        assert phone not in seen, f"{where}: the phone"


def analyst() -> Investigator:
    return Investigator(user="ana", role="analyst", case_ref="JX-2025-0142", reason="fugitive_search")


def test_an_analyst_sees_no_more_of_a_sample_person_than_the_masked_forms(app_env, sample_graph, ground_truth):
    person = the_person(sample_graph, ground_truth)
    assert person["phones"] and person["born"] and person["region"]
    ref = f"Person:{person['id']}"

    # Search by the ID number.
    at = workbench(user="ana").run()
    at.text_input(key="gb_search_text").input(person["id"])
    next(b for b in at.button if b.label == "检索").click().run()
    assert not at.exception
    # The search box holds what the analyst typed; everything the page answered is masked.
    assert_masked(page_text(at, inputs=False), person, "search")
    assert "*" * 14 + person["id"][-4:] in page_text(at), "the last four show, so a tip still matches"

    # The profile, opened from the hit: properties, links and timeline.
    hit = next(n for n in at.session_state["gb_search_results"]["nodes"] if n["ref"] == ref)
    at.button(key=f"gb_profile_{hit['id']}").click().run()
    assert not at.exception and at.title[0].value == "实体档案"
    assert_masked(page_text(at), person, "profile")
    properties = dict(zip(at.dataframe[0].value.iloc[:, 0], at.dataframe[0].value.iloc[:, 1], strict=True))
    assert properties["出生日期"] == "****-**-**" and properties["籍贯地区代码"] == "******"

    # The link map, expanded from the person: node labels, tooltips, the exported map and report.
    at.button(key="gb_profile_to_map").click().run()
    assert not at.exception and at.title[0].value == "关系图谱"
    state = at.session_state["gb_map"]
    start = state.by_ref(ref)
    at.session_state["gb_canvas"] = {"events": [{"seq": 1, "kind": "expand", "node": start}], "positions": {}}
    at.run()
    assert not at.exception
    state = at.session_state["gb_map"]
    assert len(state.nodes) > 3
    display = Display(resources.workspace().schema, analyst())
    assert_masked(json.dumps(canvas.elements(state, display), ensure_ascii=False), person, "map")
    assert_masked(map_html(state, display, None, title="图"), person, "map.html")
    for fmt in ("graphml", "ftm"):  # the map for Gephi, yEd or Aleph
        drawn = exports.graph_file(state, display, None, fmt=fmt, title="图").decode("utf-8")
        assert "*" + person["id"][-4:] in drawn  # the person is in it, masked
        assert_masked(drawn, person, f"map.{fmt}")
    assert_masked(report_html(state, display, title="报告", notes=f"涉及 {person['id']}"), person, "report")

    # Pack tables and their downloads.
    runner, catalog = resources.workspace().runner, resources.workspace().catalog
    actor = analyst().actor
    plates = person["plates"][:1]
    for query_id, params in [
        ("links.pivots", {"start": ref}),
        ("links.timeline", {"entity": ref}),
        ("links.co_residents", {"person": ref}),
        ("search.entities", {"text": person["phones"][0]}),
        *[("vehicles.trajectory", {"plate": plate}) for plate in plates],
    ]:
        outcome = runner.run(query_id, params, actor=actor)
        shown = display.declaring(catalog.query(query_id).sensitive)
        table = shown.frame(outcome.rows, outcome.columns)
        assert_masked(table.to_json(force_ascii=False), person, f"table {query_id}")
        csv = exports.csv_file(outcome.rows, outcome.columns, shown, what=query_id).decode("utf-8")
        assert_masked(csv, person, f"csv {query_id}")
        assert_masked(exports.json_file(outcome.rows, shown, what=query_id).decode("utf-8"), person, f"json {query_id}")
        nodes = [shown.properties(n["labels"], n["properties"], n["ref"]) for n in outcome.nodes]
        assert_masked(json.dumps(nodes, ensure_ascii=False), person, f"nodes {query_id}")


def test_the_supervisor_and_an_unmasking_analyst_see_the_person_in_full(
    app_env, sample_graph, ground_truth, audit_path
):
    person = the_person(sample_graph, ground_truth)
    ref = f"Person:{person['id']}"
    at = one_page("profile", user="sup")
    at.session_state["gb_profile_ref"] = ref
    at.run()
    assert person["id"] in page_text(at) and person["born"] in page_text(at)

    at = one_page("profile", user="ana")
    at.session_state["gb_profile_ref"] = ref
    at.run()
    at.button(key="gb_unmask").click().run()
    assert not at.exception
    text = page_text(at)
    assert person["id"] in text and person["born"] in text and person["region"] in text
    assert ("ana", "unmask", "ok", {"entity": ref}) in [
        (e["user"], e["action"], e["outcome"], e["parameters"]) for e in audit_events(audit_path)
    ]
