"""Linking against the real Neo4j: known names link to their person, unknown ones are kept
as unresolved mentions, a wrong check digit is no ID number, and re-imports change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stdnum.cn import ric

from ingest.api import import_files
from ingest.extraction.case_view import case_view
from ingest.extraction.segments import segments


def valid_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


KNOWN = valid_id("33040219850312123")
TWIN_A, TWIN_B = valid_id("33040219900101001"), valid_id("33040219900101002")
BAD = KNOWN[:17] + ("0" if KNOWN[17] != "0" else "1")
ROOM = "浙江省嘉兴市南湖区新兴街道新兴社区3幢2单元501室"
HOUSEHOLD = f"""户号,姓名,公民身份号码,性别,民族,出生日期,户籍地址,联系电话
1,陆帆,{KNOWN},男,汉族,19850312,{ROOM},13812345678
2,王伟,{TWIN_A},男,汉族,19900101,{ROOM},13912345678
3,王伟,{TWIN_B},男,汉族,19900101,{ROOM},13987654321
"""
REPORTS = {
    # the known person by name and ID; an unknown person; an ID with a wrong check digit
    "JQ1": f"3月4日5时许，报警人陆帆（身份证号{KNOWN}）称其与邻居沈松竹因漏水问题发生争执，地点在嘉兴市南湖区新兴街道"
    f"新兴社区3幢2单元501室。沈松竹另提供一个身份证号{BAD}，经核查号码有误。",
    # a name two persons share: unresolved, unless the report writes one of their phones
    "JQ2": "报警人王伟称其电动车被盗。",
    "JQ3": "报警人王伟（联系电话139-8765-4321）称其电动车被盗。",
}


def write_sample(folder: Path) -> list[Path]:
    household = folder / "household_registry.csv"
    household.write_text(HOUSEHOLD, encoding="utf-8")
    cases = folder / "case_reports.jsonl"
    with cases.open("w", encoding="utf-8") as f:
        for case_id, text in REPORTS.items():
            row = {
                "警情编号": case_id,
                "报警时间": "2025-03-04 05:10:00",
                "警情类别": "纠纷",
                "标题": "测试",
                "案情简述": text,
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    # cases first: linking waits for the whole run, so the registry is there when names are resolved
    return [cases, household]


@pytest.fixture
def imported(empty_graph, schema, tmp_path):
    report = import_files(write_sample(tmp_path), schema=schema, gateway=empty_graph, rejects_path=tmp_path / "r.csv")
    return empty_graph, report


def mentions_of(gateway, case_id):
    return gateway.read(
        "test.mentions",
        """
        MATCH (c:Case {case_id: $id})-[m:MENTIONS]->(e)
        RETURN m.start AS start, m.end AS end, m.text AS text, m.entity_type AS type, m.confidence AS confidence,
               labels(e)[0] AS label, coalesce(e.id_number, e.number, e.plate, e.address_id) AS key,
               m.prov_run AS run, m.prov_file AS file, m.prov_row AS row, m.first_seen AS first_seen
        ORDER BY start
        """,
        {"id": case_id},
    ).data()


def unresolved_of(gateway, case_id):
    return gateway.read(
        "test.unresolved",
        """
        MATCH (:Case {case_id: $id})-[:HAS_MENTION]->(n:Mention)
        RETURN n.mention_id AS mention_id, n.text AS text, n.entity_type AS type, n.start AS start, n.end AS end,
               n.confidence AS confidence
        ORDER BY n.start
        """,
        {"id": case_id},
    ).data()


def test_a_known_persons_name_links_to_that_person(imported):
    gateway, _ = imported
    text = REPORTS["JQ1"]
    people = [m for m in mentions_of(gateway, "JQ1") if m["type"] == "person"]
    assert [(m["text"], m["key"], m["label"]) for m in people] == [("陆帆", KNOWN, "Person")]
    (m,) = people
    assert text[m["start"] : m["end"]] == "陆帆"
    assert m["confidence"] == pytest.approx(0.97)  # NER and gazetteer agree (0.97), backed by the ID in the report
    ids = [m for m in mentions_of(gateway, "JQ1") if m["type"] == "id_number"]
    assert [(m["text"], m["key"]) for m in ids] == [(KNOWN, KNOWN)]


def test_an_unknown_name_is_kept_as_an_unresolved_mention(imported):
    gateway, _ = imported
    unknown = [u for u in unresolved_of(gateway, "JQ1") if u["type"] == "person"]
    assert [u["text"] for u in unknown] == ["沈松竹", "沈松竹"]
    first = unknown[0]
    assert first["mention_id"] == f"JQ1:person:{first['start']}-{first['end']}"
    assert REPORTS["JQ1"][first["start"] : first["end"]] == "沈松竹"


def test_an_id_with_a_wrong_check_digit_is_not_an_id_number(imported):
    gateway, _ = imported
    at = REPORTS["JQ1"].index(BAD)
    linked = [m for m in mentions_of(gateway, "JQ1") if m["start"] < at + 18 and m["end"] > at]
    unresolved = [u for u in unresolved_of(gateway, "JQ1") if u["start"] < at + 18 and u["end"] > at]
    assert linked == [] and unresolved == []


def test_the_report_address_links_by_its_canonical_key(imported):
    gateway, _ = imported
    addresses = [m for m in mentions_of(gateway, "JQ1") if m["type"] == "address"]
    assert [(m["text"], m["key"]) for m in addresses] == [(ROOM.removeprefix("浙江省"), ROOM)]


def test_a_shared_name_resolves_only_when_the_report_backs_one_person(imported):
    gateway, _ = imported
    assert [m for m in mentions_of(gateway, "JQ2") if m["type"] == "person"] == []
    assert [u["text"] for u in unresolved_of(gateway, "JQ2")] == ["王伟"]
    backed = [m for m in mentions_of(gateway, "JQ3") if m["type"] == "person"]
    assert [m["key"] for m in backed] == [TWIN_B]
    phones = [m for m in mentions_of(gateway, "JQ3") if m["type"] == "phone"]
    assert [(m["text"], m["key"]) for m in phones] == [("139-8765-4321", "13987654321")]


def test_links_carry_provenance_and_the_import_counts_them(imported):
    gateway, report = imported
    cases_file = next(f for f in report.files if f.spec == "case_reports")
    stored = sum(len(mentions_of(gateway, c)) + len(unresolved_of(gateway, c)) for c in REPORTS)
    assert cases_file.mentions == stored > 0
    m = mentions_of(gateway, "JQ1")[0]
    assert m["run"] == report.run_id and m["row"] == 1 and len(m["file"]) == 64 and m["first_seen"] is not None


def test_a_forced_reimport_changes_nothing(imported, schema, tmp_path):
    gateway, _ = imported
    before = {c: (mentions_of(gateway, c), unresolved_of(gateway, c)) for c in REPORTS}
    again = import_files(
        write_sample(tmp_path), schema=schema, gateway=gateway, rejects_path=tmp_path / "r2.csv", force=True
    )
    after = {c: (mentions_of(gateway, c), unresolved_of(gateway, c)) for c in REPORTS}
    assert after == before  # MERGEd onto the first links: same runs, rows and first_seen
    assert next(f for f in again.files if f.spec == "case_reports").mentions == sum(
        len(a) + len(b) for a, b in before.values()
    )


def test_the_workbench_view_segments_the_text_at_its_mentions(imported):
    gateway, _ = imported
    view = case_view(gateway, "JQ1")
    parts = segments(view.text, view.mentions)
    assert "".join(p.text for p in parts) == REPORTS["JQ1"]
    marked = [
        (p.text, p.mention.label, p.mention.key) for p in parts if p.mention and p.mention.entity_type == "person"
    ]
    assert marked == [("陆帆", "Person", KNOWN), ("沈松竹", None, None), ("沈松竹", None, None)]
    assert case_view(gateway, "no such case") is None
