"""One CSV per label and relationship type, in neo4j-admin import's form: the headers, the
typed columns, the rows counted against the graph, a zip, and masking."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from tests.exchange.conftest import P1, P2, SHARED_PHONE, analyst, counts, export_whole


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_one_file_per_label_and_type_with_neo4j_admin_headers(small_graph, schema, audit, tmp_path):
    out = tmp_path / "export"
    report = export_whole(small_graph, schema, audit, "csv", out)
    assert sorted(report.files) == [
        "nodes/Address.csv",
        "nodes/Person.csv",
        "nodes/Phone.csv",
        "nodes/Shop.csv",
        "nodes/Vehicle.csv",
        "relationships/HAS_PHONE.csv",
        "relationships/HUKOU_AT.csv",
        "relationships/LOCATED_AT.csv",
        "relationships/OWNS.csv",
        "relationships/RESIDES_AT.csv",
    ]
    in_graph = counts(small_graph)
    for name, rows in report.files.items():
        kind, label = name.split("/")[0], name.split("/")[1].removesuffix(".csv")
        assert rows == in_graph[f":{label}" if kind == "nodes" else f"[{label}]"]

    people = read_csv(out / "nodes" / "Person.csv")
    assert people[0][:4] == ["id_number:ID(Person)", "name", "gender", "birth_date:date"]
    assert people[0][-1] == ":LABEL"
    assert {row[0] for row in people[1:]} >= {P1, P2}
    vehicles = read_csv(out / "nodes" / "Vehicle.csv")
    assert "key_vehicle:boolean" in vehicles[0] and "registered_on:date" in vehicles[0]
    shops = read_csv(out / "nodes" / "Shop.csv")
    assert "categories:string[]" in shops[0] and "烟花爆竹;管制刀具" in shops[1]
    address = read_csv(out / "nodes" / "Address.csv")
    assert "location:point" in address[0] and "{latitude:30.746, longitude:120.755}" in address[1]
    owns = read_csv(out / "relationships" / "OWNS.csv")
    assert owns[0] == [":START_ID(Person)", ":END_ID(Vehicle)", ":TYPE", "since:date"]
    assert [P1, "浙F12345", "OWNS", "2020-05-01"] in owns[1:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["masked"] is False
    assert (
        "--nodes=nodes/Person.csv" in manifest["command"]
        and "--relationships=relationships/OWNS.csv" in manifest["command"]
    )


def test_zip_and_never_over_an_existing_folder(small_graph, schema, audit, tmp_path):
    out = tmp_path / "export.zip"
    export_whole(small_graph, schema, audit, "csv", out)
    with zipfile.ZipFile(out) as archive:
        assert "nodes/Person.csv" in archive.namelist() and "manifest.json" in archive.namelist()
    folder = tmp_path / "taken"
    folder.mkdir()
    with pytest.raises(ValueError, match="never overwrites"):
        export_whole(small_graph, schema, audit, "csv", folder)


def test_masked_csv_has_no_full_id_number_and_says_so(small_graph, schema, audit, tmp_path):
    out = tmp_path / "masked"
    export_whole(small_graph, schema, audit, "csv", out, analyst())
    for path in out.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert P1 not in text and P2 not in text and SHARED_PHONE not in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["masked"] is True and "must not be imported as keys" in manifest["note"]
