"""Value types declared as data: a UK dataset validates its own identifiers (an NHS number by
its check digit, a UK phone by its region, a postcode by its pattern) in a schema folder laid
over the built-in one, and the Chinese rules stay the default."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from graph.model import SchemaError, load_schema
from ingest.api import import_files
from ingest.normalize import InvalidValue, normalise
from settings.table import PROJECT_ROOT

BASE = PROJECT_ROOT / "graph" / "schema"

DOC = PROJECT_ROOT / "docs" / "schema-files.md"
# The declared types of the doc's UK example, so what the doc shows is what is tested.
TYPES = dict(re.findall(r"```yaml\n# uk-schema/types/(\w+)\.yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S))

SPEC = """spec: uk_people
names: {zh: 英国人员, en: UK people}
source: synthetic UK register
columns:
  nhs: [nhs_no]
  name: [name]
  phone: {aliases: [phone], optional: true}
  postcode: [postcode]
entities:
  person:
    label: Person
    key: nhs
    properties:
      name: name
      postcode: postcode
  phone:
    label: Phone
    key: phone
    optional: true
links:
  - {type: HAS_PHONE, from: person, to: phone}
"""


def uk_schema(folder: Path) -> Path:
    """Person keyed by an NHS number and holding a postcode, Phone by a UK number."""
    extra = folder / "uk-schema"
    (extra / "types").mkdir(parents=True)
    (extra / "nodes").mkdir()
    for name, text in TYPES.items():
        (extra / "types" / f"{name}.yaml").write_text(text, encoding="utf-8")
    person = (BASE / "nodes" / "Person.yaml").read_text(encoding="utf-8")
    person = person.replace("    type: citizen_id\n", "    type: nhs_number\n", 1)
    person += "  postcode:\n    type: uk_postcode\n    names: {zh: 邮编, en: Postcode}\n"
    (extra / "nodes" / "Person.yaml").write_text(person, encoding="utf-8")
    phone = (BASE / "nodes" / "Phone.yaml").read_text(encoding="utf-8").replace("type: phone\n", "type: uk_phone\n")
    (extra / "nodes" / "Phone.yaml").write_text(phone, encoding="utf-8")
    return extra


def test_the_declared_checks(tmp_path):
    assert set(TYPES) == {"nhs_number", "uk_phone", "uk_postcode"}
    schema = load_schema(BASE, uk_schema(tmp_path))
    nhs, phone, postcode = (schema.value_types[name] for name in ("nhs_number", "uk_phone", "uk_postcode"))
    assert normalise("nhs_number", "943 476 5919", rule=nhs) == "9434765919"
    assert normalise("uk_phone", "07911 123456", rule=phone) == "+447911123456"
    assert normalise("uk_postcode", " sw1a  1aa ", rule=postcode) == "SW1A 1AA"
    assert normalise("uk_postcode", "   ", rule=postcode) is None
    for rule, bad, reason in (
        (nhs, "943 476 5918", "value.pattern"),  # check digit
        (phone, "07700 900123", "phone.invalid"),  # not an allocated range
        (postcode, "12345", "value.pattern"),
    ):
        with pytest.raises(InvalidValue) as caught:
            normalise(rule.type, bad, rule=rule)
        assert caught.value.reason == reason
        assert repr(bad) in caught.value.message


def test_a_uk_person_loads_and_a_bad_one_is_rejected_with_its_place(empty_graph, tmp_path):
    schema = load_schema(BASE, uk_schema(tmp_path))
    spec = tmp_path / "uk_people.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    people = tmp_path / "people.csv"
    with people.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["nhs_no", "name", "phone", "postcode"])
        writer.writerow(["943 476 5919", "Alice Example", "07911 123456", "sw1a 1aa"])
        writer.writerow(["943 476 5918", "Bob Example", "", "EC1A 1BB"])
    rejects = tmp_path / "rejects.csv"
    report = import_files([people], schema=schema, gateway=empty_graph, spec=str(spec), rejects_path=rejects)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    stored = empty_graph.read(
        "test.uk",
        "MATCH (p:Person)-[:HAS_PHONE]->(f:Phone) RETURN p.id_number AS id, p.postcode AS postcode, f.number AS phone",
    ).data()
    assert stored == [{"id": "9434765919", "postcode": "SW1A 1AA", "phone": "+447911123456"}]
    with rejects.open(encoding="utf-8-sig") as lines:
        (reject,) = list(csv.DictReader(lines))
    assert (reject["row"], reject["column"], reject["value"], reject["reason"]) == (
        "3",
        "nhs_no",
        "943 476 5918",
        "value.pattern",
    )


def test_the_built_in_rules_stay_the_default():
    schema = load_schema(BASE)
    assert schema.value_types == {}
    assert schema.node("Person").properties["id_number"].type == "citizen_id"
    with pytest.raises(InvalidValue):
        normalise("citizen_id", "943 476 5919")


@pytest.mark.parametrize(
    "text, fault",
    [
        ("type: nhs\nnames: {zh: a, en: b}\nstdnum: gb.nope\n", "python-stdnum has no validator stdnum.gb.nope"),
        ("type: nhs\nnames: {zh: a, en: b}\npattern: '[0-9'\n", "is not a regular expression"),
        ("type: nhs\nnames: {zh: a, en: b}\nlike: phone\nregion: XX\n", "not a phone region code"),
        ("type: nhs\nnames: {zh: a, en: b}\n", "needs a pattern or a stdnum validator"),
        ("type: nhs\nnames: {zh: a, en: b}\npattern: x\nsteps: [shout]\n", "steps is a list of"),
        ("type: phone\nnames: {zh: a, en: b}\npattern: x\n", "a built-in value type has this name"),
    ],
)
def test_a_bad_declared_type_is_refused_with_its_file_and_line(tmp_path, text, fault):
    extra = tmp_path / "extra"
    (extra / "types").mkdir(parents=True)
    name = text.split("\n")[0].removeprefix("type: ")
    (extra / "types" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        load_schema(BASE, extra)
    assert fault in str(caught.value)
    assert f"{name}.yaml" in str(caught.value)
