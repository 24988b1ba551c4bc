"""Place mentions against the real Neo4j: a report that names a checkpoint, a compound's
gate or a compound links to it; two places of one name are told apart by the district the
report writes, or the mention stays unresolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import admin
from ingest.api import import_files

CHECKPOINTS = """检查站编号,检查站名称,所在道路,所属区县,经度,纬度
JCZ330401,嘉兴南湖区07省道检查站,07省道,南湖区,120.872000,30.688000
JCZ330411,嘉兴秀洲区07省道检查站,07省道,秀洲区,120.651000,30.801000
JCZ330421,平湖检查站,01省道,平湖市,121.015000,30.705000
"""
GATE_COLUMNS = "卡口编号,卡口名称,小区编号,小区名称,所属区县,街道,社区,小区地址,小区经度,小区纬度,卡口经度,卡口纬度\n"
SOUTH = "浙江省嘉兴市南湖区七星街道紫阳社区锦绣花园"
NORTH = "浙江省嘉兴市秀洲区新城街道北港社区锦绣花园"
GATES = GATE_COLUMNS + (
    f"MJ000001,锦绣花园南门,XQ33040200000,锦绣花园,南湖区,七星街道,紫阳社区,{SOUTH},120.771385,30.738766,120.770180,30.738236\n"
    f"MJ000002,锦绣花园西门,XQ33040200000,锦绣花园,南湖区,七星街道,紫阳社区,{SOUTH},120.771385,30.738766,120.770763,30.739041\n"
    f"MJ000003,锦绣花园北门,XQ33041100001,锦绣花园,秀洲区,新城街道,北港社区,{NORTH},120.702000,30.771000,120.702300,30.771400\n"
)
REPORTS = {
    # the district written before the checkpoint tells apart the two 07省道 checkpoints; a gate by its name
    "JQ1": "3月5日22时许，民警在嘉兴南湖区07省道检查站查获一辆货车，随后在锦绣花园南门发现嫌疑人张某。",
    # a checkpoint named in full without a district; a compound by its canonical address
    "JQ2": "报警人称其住在嘉兴市南湖区七星街道紫阳社区锦绣花园，平湖检查站曾拦下同一辆车。",
    # two compounds are named 锦绣花园 and the report says which: 秀洲区
    "JQ3": "巡逻至秀洲区锦绣花园时，发现有人燃放烟花。",
    # neither the district nor the checkpoint's full name: both 07省道 checkpoints fit
    "JQ4": "民警在07省道检查站附近巡查时，发现锦绣花园门口停有可疑车辆。",
}


def write_sample(folder: Path) -> list[Path]:
    (folder / "checkpoints.csv").write_text(CHECKPOINTS, encoding="utf-8")
    (folder / "compound_gates.csv").write_text(GATES, encoding="utf-8")
    cases = folder / "case_reports.jsonl"
    rows = (
        {"警情编号": case_id, "报警时间": "2025-03-05 22:10:00", "警情类别": "巡查", "标题": "测试", "案情简述": text}
        for case_id, text in REPORTS.items()
    )
    cases.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return [folder / "checkpoints.csv", folder / "compound_gates.csv", cases]


@pytest.fixture(scope="module")
def places(gateway, schema, tmp_path_factory):
    """One import for the module's tests, which only read."""
    admin.wipe(gateway)
    folder = tmp_path_factory.mktemp("places")
    import_files(write_sample(folder), schema=schema, gateway=gateway, rejects_path=folder / "r.csv")
    return gateway


def linked(gateway, case_id):
    rows = gateway.read(
        "test.place_mentions",
        """
        MATCH (c:Case {case_id: $id})-[m:MENTIONS {entity_type: 'address'}]->(e)
        RETURN m.text AS text, labels(e)[0] AS label, coalesce(e.checkpoint_id, e.gate_id, e.compound_id) AS key,
               m.confidence AS confidence
        ORDER BY m.start
        """,
        {"id": case_id},
    ).data()
    return [(r["text"], r["label"], r["key"]) for r in rows]


def unresolved(gateway, case_id):
    rows = gateway.read(
        "test.place_unresolved",
        "MATCH (:Case {case_id: $id})-[:HAS_MENTION]->(n:Mention {entity_type: 'address'}) RETURN n.text AS text",
        {"id": case_id},
    ).data()
    return sorted(r["text"] for r in rows)


def test_a_checkpoint_after_its_district_and_a_gate_by_name_link(places):
    assert linked(places, "JQ1") == [
        ("07省道检查站", "Checkpoint", "JCZ330401"),
        ("锦绣花园南门", "Gate", "MJ000001"),
    ]


def test_a_compound_by_its_address_and_a_checkpoint_by_its_full_name_link(places):
    assert linked(places, "JQ2") == [
        ("嘉兴市南湖区七星街道紫阳社区锦绣花园", "Compound", "XQ33040200000"),
        ("平湖检查站", "Checkpoint", "JCZ330421"),
    ]


def test_two_compounds_of_one_name_are_told_apart_by_the_district_written(places):
    assert linked(places, "JQ3") == [("秀洲区锦绣花园", "Compound", "XQ33041100001")]


def test_a_place_name_two_places_share_stays_unresolved(places):
    assert linked(places, "JQ4") == []
    assert "07省道检查站" in unresolved(places, "JQ4")
