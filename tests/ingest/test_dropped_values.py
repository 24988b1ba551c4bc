"""A bad optional value need not cost the row: a column with `on_invalid: drop` loses only
the value, the rest of the row loads, and the value gets its own line in the reject file,
counted apart from rows. Where leaving the value out would leave a row that no longer says
what it is (a key, a required column), the spec is refused when it loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.api import import_files
from ingest.mapping import MappedRow, Reject, RowMapper
from ingest.readers import open_source
from ingest.rejects import read_rejects
from ingest.spec import SpecError, builtin_specs, load_spec
from ingest.spec_headers import resolve_headers

UNALLOCATED = "140 1234 5678"  # mobile-shaped, but no operator holds the 140 prefix

REGISTRATION = {
    "registrationNo": "R1",
    "channel": "房东申报",
    "name": "张伟",
    "idNumber": "11010519491231002X",
    "phone": "13812345678",
    "residenceAddress": "嘉兴市南湖区新兴街道新兴社区3幢2单元601室",
    "landlordName": "李娜",
    "landlordIdNumber": "330402198001010014",
    "landlordPhone": UNALLOCATED,
    "registeredOn": "2026-01-05",
    "validUntil": "2026-07-05",
}

SPEC = """\
spec: people_with_fax
names: {zh: 测试, en: Test}
files: ["fax*"]
columns:
  id_number: [身份证号]
  name: [姓名]
  phone: {aliases: [电话], optional: true, on_invalid: drop}
entities:
  person:
    label: Person
    key: id_number
    properties:
      name: name
  phone:
    label: Phone
    key: phone
    optional: true
links:
  - {type: HAS_PHONE, from: person, to: phone}
"""


def registrations(tmp_path: Path, *rows: dict) -> Path:
    path = tmp_path / "floating_registrations.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def mapped(path: Path, schema) -> list[MappedRow | Reject]:
    spec = builtin_specs(schema)["floating_registrations"]
    source = open_source(path)
    mapper = RowMapper(spec, resolve_headers(spec, source.header, path), schema)
    return [mapper.map(raw) for raw in source.rows()]


def test_a_bad_landlord_phone_is_left_out_and_the_registration_still_maps(tmp_path, schema):
    (row,) = mapped(registrations(tmp_path, REGISTRATION), schema)
    assert isinstance(row, MappedRow), row
    labels = sorted(e.label for e in row.entities)
    assert labels == ["Address", "Person", "Person", "Phone", "Registration"]  # the tenant's phone, not the landlord's
    (dropped,) = row.dropped
    assert (dropped.column, dropped.value, dropped.reason.value) == ("landlordPhone", UNALLOCATED, "phone.invalid")
    assert dropped.dropped and dropped.original.startswith("{") and "R1" in dropped.original


def test_a_bad_tenant_phone_still_rejects_the_row_as_before(tmp_path, schema):
    (row,) = mapped(registrations(tmp_path, {**REGISTRATION, "phone": UNALLOCATED, "landlordPhone": ""}), schema)
    assert isinstance(row, Reject) and row.reason.value == "phone.invalid" and row.column == "phone"


def test_a_dropped_value_loads_the_row_and_is_counted_apart(empty_graph, schema, tmp_path):
    good = {**REGISTRATION, "registrationNo": "R2", "landlordPhone": "13900000001"}
    bad_tenant = {**REGISTRATION, "registrationNo": "R3", "phone": UNALLOCATED}
    path = registrations(tmp_path, REGISTRATION, good, bad_tenant)
    report = import_files([path], schema=schema, gateway=empty_graph, rejects_path=tmp_path / "rejects.csv")

    (file,) = report.files
    assert (file.rows_read, file.rows_loaded, file.rows_rejected, file.values_dropped) == (3, 2, 1, 1)
    assert file.rows_read == file.rows_loaded + file.rows_rejected
    assert report.as_dict()["values_dropped"] == 1 and report.as_dict()["files"][0]["dropped_by_reason"] == {
        "phone.invalid": 1
    }
    lines = {(r["row"], r["column"], r["reason"], r["outcome"]) for r in read_rejects(tmp_path / "rejects.csv")}
    assert lines == {
        ("1", "landlordPhone", "phone.invalid", "value dropped"),
        ("3", "phone", "phone.invalid", "row rejected"),
    }
    landlord = empty_graph.read(
        "test.landlord",
        "MATCH (r:Registration {registration_id: 'R1'})-[:HAS_LANDLORD]->(l:Person) "
        "RETURN l.name AS name, [(l)-[:HAS_PHONE]->(p) | p.number] AS phones",
    ).data()
    assert landlord == [{"name": "李娜", "phones": ["13900000001"]}]  # R2's phone; R1's bad one left out


def test_a_row_refused_later_keeps_its_dropped_values_out_of_the_count(empty_graph, schema, tmp_path):
    """A row rejected whole is in the reject file once, as a row; its dropped value is not counted."""
    rows = [REGISTRATION, REGISTRATION]  # the second repeats the first, so it is rejected whole
    report = import_files(
        [registrations(tmp_path, *rows)], schema=schema, gateway=empty_graph, rejects_path=tmp_path / "r.csv"
    )
    assert (report.rows_loaded, report.rows_rejected, report.values_dropped) == (1, 1, 1)


@pytest.mark.parametrize(
    ("old", "new", "line", "fault"),
    [
        (
            "  phone: {aliases: [电话], optional: true, on_invalid: drop}",
            "  phone: {aliases: [电话], on_invalid: drop}",
            7,
            "not allowed on a required column",
        ),
        (
            "  id_number: [身份证号]",
            "  id_number: {aliases: [身份证号], optional: true, on_invalid: drop}",
            5,
            "not allowed on a key: it is the key of entity 'person' (Person.id_number)",
        ),
        (
            "  name: [姓名]",
            "  name: {aliases: [姓名], optional: true, on_invalid: drop}",
            6,
            "Person.name, which the schema requires",
        ),
        ("on_invalid: drop}", "on_invalid: skip}", 7, "on_invalid is reject or drop, not 'skip'"),
    ],
)
def test_drop_where_the_row_would_not_stand_is_refused_with_file_and_line(tmp_path, schema, old, new, line, fault):
    assert old in SPEC
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(path, schema)
    assert caught.value.line == line, str(caught.value)
    assert f"{path}, line {line}:" in str(caught.value) and fault in str(caught.value)


def test_drop_on_an_optional_entity_key_loads(tmp_path, schema):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    assert load_spec(path, schema).columns["phone"].on_invalid == "drop"
