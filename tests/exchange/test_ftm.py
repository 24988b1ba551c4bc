"""FollowTheMoney entities out and back in: the FtM schemata and properties Aleph reads, the
goldenbell objects that make the round trip whole, masking, and files from elsewhere."""

from __future__ import annotations

import json

import pytest

from exchange.rows import UnreadableFile
from graph import admin
from ingest.rejects import read_rejects
from tests.exchange.conftest import P1, P3, SHARED_PHONE, analyst, answers, counts, export_whole, load


def entities(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_round_trip_keeps_counts_and_answers(small_graph, schema, audit, runner, tmp_path):
    before_counts, before_answers = counts(small_graph), answers(runner)
    out = tmp_path / "graph.ftm.jsonl"
    export_whole(small_graph, schema, audit, "ftm", out)
    admin.wipe(small_graph)
    report = load(small_graph, schema, audit, out, tmp_path / "rejects.csv")
    assert (report.nodes_loaded, report.links_loaded, report.rows_rejected, report.values_dropped) == (9, 9, 0, 0)
    assert counts(small_graph) == before_counts
    assert answers(runner) == before_answers
    load(small_graph, schema, audit, out, tmp_path / "rejects-2.csv")
    assert counts(small_graph) == before_counts


def test_entities_use_ftm_schemata_and_properties(small_graph, schema, audit, tmp_path):
    out = tmp_path / "graph.jsonl"
    export_whole(small_graph, schema, audit, "ftm", out)
    found = entities(out)
    assert all(set(e) == {"id", "schema", "properties", "goldenbell"} for e in found)
    assert all(isinstance(v, list) for e in found for v in e["properties"].values())
    by_schema: dict[str, list[dict]] = {}
    for entity in found:
        by_schema.setdefault(entity["schema"], []).append(entity)
    assert {k: len(v) for k, v in by_schema.items()} == {
        "Person": 3,
        "UserAccount": 2,
        "Vehicle": 2,
        "Address": 1,
        "Organization": 1,
        "Ownership": 2,
        "UnknownLink": 7,
    }
    wang = next(e for e in by_schema["Person"] if e["properties"]["idNumber"] == [P1])
    assert wang["properties"]["name"] == ["王建国"] and wang["properties"]["birthDate"] == ["1990-01-02"]
    assert wang["properties"]["gender"] == ["male"] and wang["properties"]["phone"] == [SHARED_PHONE]
    ids = {e["id"] for e in found}
    owns = next(e for e in by_schema["Ownership"] if e["properties"].get("startDate"))
    assert owns["properties"]["owner"] == [wang["id"]] and owns["properties"]["asset"][0] in ids
    assert owns["properties"]["startDate"] == ["2020-05-01"]
    phone_links = [e for e in by_schema["UnknownLink"] if e["properties"]["role"] == ["HAS_PHONE"]]
    assert len(phone_links) == 3
    # The same graph exported twice gives the same ids: a second load into Aleph updates, not duplicates.
    again = tmp_path / "again.jsonl"
    export_whole(small_graph, schema, audit, "ftm", again)
    assert {e["id"] for e in entities(again)} == ids


def test_masked_export_has_no_full_id_number_and_is_refused(small_graph, schema, audit, tmp_path):
    out = tmp_path / "masked.jsonl"
    export_whole(small_graph, schema, audit, "ftm", out, analyst())
    text = out.read_text(encoding="utf-8")
    assert P1 not in text and P3 not in text and SHARED_PHONE not in text
    assert all(e["goldenbell"]["masked"] for e in entities(out))
    person = next(e for e in entities(out) if e["goldenbell"].get("label") == "Person")
    assert person["properties"]["idNumber"][0].startswith("**************")
    with pytest.raises(UnreadableFile, match="masked export"):
        load(small_graph, schema, audit, out, tmp_path / "rejects.csv")


FOREIGN = [
    {"id": "aleph-p1", "schema": "Person", "properties": {"name": ["王建国"], "idNumber": [P1], "gender": ["male"]}},
    {"id": "aleph-v1", "schema": "Vehicle", "properties": {"registrationNumber": ["浙F12345"], "model": ["大众"]}},
    {"id": "aleph-o1", "schema": "Ownership", "properties": {"owner": ["aleph-p1"], "asset": ["aleph-v1"]}},
    {"id": "aleph-c1", "schema": "Company", "properties": {"name": ["某公司"]}},
    {"id": "aleph-x1", "schema": "Airplane", "properties": {"name": ["B-1234"]}},
    {"id": "aleph-p2", "schema": "Person", "properties": {"name": ["无证人"]}},
]


def test_a_file_from_elsewhere_is_read_through_the_mapping(empty_graph, schema, audit, tmp_path):
    path = tmp_path / "aleph.json"
    lines = [json.dumps(e, ensure_ascii=False) for e in FOREIGN]
    path.write_text("\n".join([*lines, "{not json"]) + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    report = load(empty_graph, schema, audit, path, rejects)
    assert (report.nodes_loaded, report.links_loaded) == (2, 1)
    assert counts(empty_graph) == {":Person": 1, ":Vehicle": 1, "[OWNS]": 1}
    found = {(r["row"], r["column"], r["reason"]) for r in read_rejects(rejects)}
    assert found == {
        ("4", "shop_id", "required.missing"),  # a company is read as a shop, which needs its licence id
        ("5", "labels", "schema.unknown_label"),
        ("6", "id_number", "required.missing"),
        ("7", "", "row.malformed"),
    }
