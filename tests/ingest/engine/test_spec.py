"""Mapping specs are checked against the schema and the file header before anything is written."""

from pathlib import Path

import pytest

from ingest.spec import SpecError, load_spec
from ingest.spec_headers import resolve_headers

GOOD = """\
spec: test_people
names: {zh: 测试人员, en: Test people}
source: 测试系统
files: ["people*.csv"]
columns:
  name: [姓名, name]
  id_number: [公民身份号码, 身份证号]
  phone: {aliases: [联系电话], optional: true}
entities:
  person:
    label: Person
    key: id_number
    properties:
      name: name
      birth_date: {column: id_number, derive: birth_date_from_id}
  phone:
    label: Phone
    key: phone
    optional: true
links:
  - {type: HAS_PHONE, from: person, to: phone}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_spec_loads(tmp_path, schema):
    spec = load_spec(write(tmp_path, GOOD), schema)
    assert spec.entities["person"].label == "Person"
    assert spec.links[0].type == "HAS_PHONE"
    assert spec.matches_file(Path("people-2024.csv"))


@pytest.mark.parametrize(
    ("old", "new", "line", "fault"),
    [
        ("label: Person", "label: Citizen", 11, "unknown label 'Citizen'"),
        ("      name: name", "      nickname: name", 14, "'nickname' is not a property"),
        ("      name: name", "      name: full_name", 14, "unknown column 'full_name'"),
        (
            "{type: HAS_PHONE, from: person, to: phone}",
            "{type: OWNS, from: person, to: phone}",
            21,
            "does not connect Person to Phone",
        ),
        (
            "{type: HAS_PHONE, from: person, to: phone}",
            "{type: HAS_PHONE, from: person, to: fax}",
            21,
            "names no entity",
        ),
        ("      name: name\n", "", 11, "requires name"),
        ("    key: phone", "    key: phone\n    colour: red", 19, "unknown key 'colour'"),
        ("names: {zh: 测试人员, en: Test people}", "names: [oops", 3, "YAML syntax error"),
    ],
)
def test_a_fault_names_the_spec_and_line(tmp_path, schema, old, new, line, fault):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(SpecError) as caught:
        load_spec(path, schema)
    assert caught.value.path == path
    assert caught.value.line == line, str(caught.value)
    assert fault in str(caught.value)
    assert f"{path}, line {line}:" in str(caught.value)


def test_the_header_must_have_every_required_column(tmp_path, schema):
    spec = load_spec(write(tmp_path, GOOD), schema)
    with pytest.raises(SpecError) as caught:
        resolve_headers(spec, ["姓名", "联系电话"], Path("people.csv"))
    message = str(caught.value)
    assert "column 'id_number'" in message and "公民身份号码" in message and "people.csv" in message
    assert caught.value.line == 7


def test_headers_match_aliases_ignoring_width_case_and_spaces(tmp_path, schema):
    spec = load_spec(write(tmp_path, GOOD), schema)
    resolved = resolve_headers(spec, ["NAME ", "身份证号"], Path("people.csv"))
    assert resolved == {"name": "NAME ", "id_number": "身份证号"}
