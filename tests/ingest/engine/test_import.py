"""Importing into the real local Neo4j: accounting, idempotence, resolution, references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.api import import_files
from ingest.readers import SourceError
from ingest.rejects import read_rejects
from ingest.spec import SpecError
from tests.ingest.engine.signature import graph_signature, node_properties

HOUSEHOLD = """户号,姓名,公民身份号码,性别,民族,出生日期,户籍地址,联系电话
1,张伟,11010519491231002X,男,汉族,19491231,浙江省嘉兴市南湖区新兴街道新兴社区3幢2单元501室,13812345678
2,李娜,110105194912310021,女,汉族,19491231,南湖区新兴街道新兴社区3幢2单元502室,+86 138 1234 5679
1,张伟,11010519491231002X,男,汉族,19491231,浙江省嘉兴市南湖区新兴街道新兴社区3幢2单元501室,13812345678
3,王五,,男,汉族,19800101,,
4,赵六,330402198001010014,男,汉族,19800230,南湖区新兴街道新兴社区3幢2单元503室,13900000001
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(paths, gateway, schema, tmp_path, **kwargs):
    return import_files(
        [Path(p) for p in paths], schema=schema, gateway=gateway, rejects_path=tmp_path / "rejects.csv", **kwargs
    )


def test_every_row_is_loaded_or_rejected_with_where_and_why(empty_graph, schema, tmp_path):
    path = write(tmp_path / "household_registry.csv", HOUSEHOLD)
    report = run([path], empty_graph, schema, tmp_path)
    (file_report,) = report.files
    assert file_report.rows_read == 5
    assert file_report.rows_loaded + file_report.rows_rejected == file_report.rows_read
    assert file_report.rows_loaded == 1
    rejects = {int(r["row"]): r for r in read_rejects(tmp_path / "rejects.csv")}
    assert rejects[3]["reason"] == "citizen_id.check_digit" and rejects[3]["column"] == "公民身份号码"
    assert rejects[3]["value"] == "110105194912310021" and rejects[3]["original"].startswith("2,李娜,")
    assert rejects[4]["reason"] == "row.duplicate" and "row 2" in rejects[4]["message"]
    assert rejects[5]["reason"] == "required.missing"
    assert rejects[6]["reason"] == "date.invalid" and rejects[6]["column"] == "出生日期"
    people = node_properties(empty_graph, "Person")
    assert [p["name"] for p in people] == ["张伟"]
    assert people[0]["prov_file"] and people[0]["prov_row"] == 2 and people[0]["prov_source"].startswith("户籍")
    phone = empty_graph.read(
        "test.phone", "MATCH (:Person {id_number: '11010519491231002X'})-[:HAS_PHONE]->(p) RETURN p.number"
    ).single_value()
    assert phone == "13812345678"
    run_node = empty_graph.read(
        "test.run", "MATCH (r:ImportRun {run_id: $run}) RETURN r {.*}", {"run": report.run_id}
    ).single_value()
    assert run_node["status"] == "completed" and run_node["rows_read"] == 5 and run_node["rows_rejected"] == 4


def test_importing_the_same_files_twice_leaves_the_graph_unchanged(empty_graph, schema, tmp_path):
    path = write(tmp_path / "household_registry.csv", HOUSEHOLD)
    run([path], empty_graph, schema, tmp_path)
    before = graph_signature(empty_graph, schema, with_properties=True)
    before_raw = graph_signature(empty_graph, schema, with_properties=True, ignore=("last_seen",))
    again = run([path], empty_graph, schema, tmp_path)
    assert again.files[0].skipped and "already imported" in again.files[0].skipped
    assert graph_signature(empty_graph, schema, with_properties=True) == before
    forced = run([path], empty_graph, schema, tmp_path, force=True)
    assert forced.files[0].rows_loaded == 1
    # A forced re-import only moves last_seen; counts, keys and every other property stay.
    after = graph_signature(empty_graph, schema, with_properties=True, ignore=("last_seen",))
    assert after == before_raw


def test_gbk_and_bom_files_load_with_correct_chinese(empty_graph, schema, tmp_path):
    gbk = write(tmp_path / "household_registry.csv", HOUSEHOLD, "gbk")
    bom_text = "档案编号,姓名,身份证明号码,准驾车型,初次领证日期,有效期止,驾驶证状态,状态日期\n" + (
        "330400000001,欧阳建国,11010519491231002X,C1,2000/1/2,2030/1/2,吊销,2025/6/1\n"
    )
    bom = write(tmp_path / "driving_licences.csv", bom_text, "utf-8-sig")
    report = run([gbk, bom], empty_graph, schema, tmp_path)
    assert [f.encoding for f in report.files] == ["gb18030", "utf-8-sig"]
    names = {p["name"] for p in node_properties(empty_graph, "Person")}
    assert names == {"张伟"}  # the licence register only fills names the household registry left empty
    status = empty_graph.read(
        "test.licence", "MATCH (:Person {name: '张伟'})-[:HOLDS_LICENCE]->(l) RETURN l.status"
    ).single_value()
    assert status == "吊销"


def test_a_file_in_neither_encoding_is_refused_and_nothing_is_written(empty_graph, schema, tmp_path):
    path = tmp_path / "household_registry.csv"
    path.write_bytes(HOUSEHOLD.splitlines()[0].encode() + b"\n1,M\xfcller,x,\xe9,,,,\n")
    with pytest.raises(SourceError, match="neither UTF-8 nor GBK"):
        run([path], empty_graph, schema, tmp_path)
    assert empty_graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0


def test_a_header_missing_a_column_is_refused_before_anything_is_written(empty_graph, schema, tmp_path):
    good = write(tmp_path / "household_registry.csv", HOUSEHOLD)
    bad = write(tmp_path / "driving_licences.csv", "档案编号,姓名\n1,张伟\n")
    with pytest.raises(SpecError) as caught:
        run([good, bad], empty_graph, schema, tmp_path)
    assert "driving_licences.yaml" in str(caught.value) and "身份证明号码" in str(caught.value)
    assert empty_graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0


def test_a_person_without_id_is_kept_apart_with_a_scored_candidate_match(empty_graph, schema, tmp_path):
    household = write(tmp_path / "household_registry.csv", HOUSEHOLD)
    registrations = tmp_path / "floating_registrations.jsonl"
    rows = [
        {
            "registrationNo": "R1",
            "channel": "房东申报",
            "name": "张伟",
            "idNumber": "",
            "birthDate": "1949-12-31",
            "phone": "138 1234 5678",
            "residenceAddress": "嘉兴市南湖区新兴街道新兴社区3幢2单元601室",
            "registeredOn": "2026-01-05",
            "validUntil": "2026-07-05",
        },
        {
            "registrationNo": "R2",
            "channel": "房东申报",
            "name": "张伟",
            "idNumber": "",
            "birthDate": "1990-01-01",
            "phone": "13700000000",
            "residenceAddress": "嘉兴市南湖区新兴街道新兴社区3幢2单元602室",
            "registeredOn": "2026-01-05",
            "validUntil": "2026-07-05",
        },
    ]
    registrations.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    report = run([household, registrations], empty_graph, schema, tmp_path)
    assert report.files[1].rows_loaded == 2
    matches = empty_graph.read(
        "test.matches",
        "MATCH (r:PersonRecord)-[m:CANDIDATE_MATCH]->(p:Person) RETURN r.name AS name, r.birth_date AS birth, "
        "p.id_number AS person, m.score AS score, m.reasons AS reasons",
    ).data()
    assert len(matches) == 1, "the namesake with another birth date and phone is not linked by name alone"
    assert matches[0]["person"] == "11010519491231002X"
    assert set(matches[0]["reasons"]) == {"name", "birth_date", "phone"} and matches[0]["score"] >= 0.9
    assert empty_graph.read("test.records", "MATCH (r:PersonRecord) RETURN count(r)").single_value() == 2
    assert empty_graph.read("test.people", "MATCH (p:Person) RETURN count(p)").single_value() == 1


def test_rows_naming_a_missing_reference_are_rejected(empty_graph, schema, tmp_path):
    shops = write(
        tmp_path / "dangerous_goods_shops.csv",
        "销售点编号,销售点名称,许可证号,经营类别,经营地址,经度,纬度\n"
        "S1,平安五金店,X1,管制刀具,嘉兴市南湖区中山路1号,120.75,30.75\n",
    )
    sales = write(
        tmp_path / "dangerous_goods_sales.csv",
        "交易流水号,交易时间,销售点编号,购买人姓名,购买人证件号码,购买人联系电话,物品类别,物品名称,数量,单位,智付码\n"
        "P1,2026/03/01 10:00:00,S1,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,1\n"
        "P2,2026/03/01 11:00:00,S9,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,2\n",
        "gbk",
    )
    report = run([shops, sales], empty_graph, schema, tmp_path)
    assert (report.files[1].rows_loaded, report.files[1].rows_rejected) == (1, 1)
    (reject,) = read_rejects(tmp_path / "rejects.csv")
    assert reject["row"] == "3" and reject["reason"] == "reference.missing" and "S9" in reject["message"]
    shop = empty_graph.read(
        "test.sold", "MATCH (:Purchase {purchase_id: 'P1'})-[:SOLD_BY]->(s:Shop) RETURN s.name"
    ).single_value()
    assert shop == "平安五金店"
    location = empty_graph.read(
        "test.location", "MATCH (:Shop)-[:LOCATED_AT]->(a:Address) RETURN a.location.longitude"
    ).single_value()
    assert location == pytest.approx(120.75)


def test_an_unknown_driver_id_leaves_the_passage_loaded_without_a_driver(empty_graph, schema, tmp_path):
    checkpoints = write(
        tmp_path / "checkpoints.csv",
        "检查站编号,检查站名称,所在道路,所属区县,经度,纬度\nCP01,嘉兴南湖区07省道检查站,07省道,南湖区,120.80,30.70\n",
    )
    passages = write(
        tmp_path / "checkpoint_passages.csv",
        "过车编号,号牌号码,号牌颜色,检查站编号,过车时间,方向,车道,核录身份证号\n"
        "G1,浙f·12345,蓝,CP01,2026-03-01 08:00:00,进城,1,11010519491231002X\n",
    )
    report = run([checkpoints, passages], empty_graph, schema, tmp_path)
    assert report.files[1].rows_loaded == 1
    row = empty_graph.read(
        "test.passage",
        "MATCH (p:Passage {passage_id: 'G1'})-[:OF_VEHICLE]->(v) OPTIONAL MATCH (p)-[:DRIVEN_BY]->(d) "
        "RETURN v.plate AS plate, p.place_id AS place, d IS NULL AS no_driver, "
        "valueType(p.time) AS time_type, toString(p.time) AS time",
    ).data()
    assert row == [
        {
            "plate": "浙F12345",
            "place": "CP01",
            "no_driver": True,
            "time_type": "ZONED DATETIME NOT NULL",
            "time": "2026-03-01T08:00:00+08:00",
        }
    ]


def test_a_dry_run_writes_nothing(empty_graph, schema, tmp_path):
    path = write(tmp_path / "household_registry.csv", HOUSEHOLD)
    report = run([path], empty_graph, schema, tmp_path, dry_run=True)
    assert (report.rows_loaded, report.rows_rejected) == (1, 4)
    assert empty_graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0
