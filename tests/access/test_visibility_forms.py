"""The one masking policy, without a database: what is derived from an ID number is masked with
it, a pack's declared columns are masked as declared, a number returned as a number is masked
as its digits, and an unmasked entity shows all of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from access import Visibility

ID = "330402199001011234"
PHONE = "13812345678"
PERSON = {
    "id": "n1",
    "ref": f"Person:{ID}",
    "label": "Person",
    "labels": ["Person"],
    "caption": "张三",
    "properties": {
        "id_number": ID,
        "name": "张三",
        "birth_date": "1990-01-01",
        "origin_region": "330402",
        "gender": "男",
        "hukou_address": f"南湖区，电话 {PHONE}",
    },
}


@dataclass(frozen=True)
class Outcome:
    rows: list
    nodes: list
    relationships: list
    sensitive: dict = field(default_factory=dict)


def test_the_birth_date_and_region_are_masked_with_the_id_number(schema):
    shown = Visibility(sees_all=False).node(schema, PERSON)
    assert shown["properties"] == {
        "id_number": "**************1234",
        "name": "张三",
        "birth_date": "****-**-**",
        "origin_region": "******",
        "gender": "男",
        "hukou_address": "南湖区，电话 138****5678",
    }
    assert shown["ref"] == "Person:**************1234"
    assert Visibility(sees_all=True).node(schema, PERSON) == PERSON


def test_an_unmasked_person_shows_its_own_birth_date_and_region(schema):
    shown = Visibility(sees_all=False, unmasked=frozenset({PERSON["ref"]})).node(schema, PERSON)
    assert shown["properties"]["birth_date"] == "1990-01-01" and shown["properties"]["origin_region"] == "330402"
    assert shown["ref"] == PERSON["ref"] and shown["properties"]["hukou_address"] == "南湖区，电话 138****5678"


def test_declared_columns_are_masked_as_declared(schema):
    outcome = Outcome(
        rows=[{"born": "1990-01-01", "who": "330402", "tail": "9001011234", "summary": f"号码 {PHONE}", "n": 3}],
        nodes=[],
        relationships=[],
        sensitive={"born": "derived_from_id", "who": "derived_from_id", "tail": "citizen_id", "summary": "text"},
    )
    rows = Visibility(sees_all=False).outcome(schema, outcome).rows
    assert rows == [
        {"born": "****-**-**", "who": "******", "tail": "******1234", "summary": "号码 138****5678", "n": 3}
    ]
    assert Visibility(sees_all=True).outcome(schema, outcome).rows == outcome.rows


def test_columns_named_like_a_masked_property_and_numbers_are_masked(schema):
    rows = Visibility(sees_all=False).rows(
        [{"birth_date": "1990-01-01", "as_number": int(ID), "phone": PHONE, "count": 12}], schema.masked_properties()
    )
    assert rows == [
        {"birth_date": "****-**-**", "as_number": "**************1234", "phone": "138****5678", "count": 12}
    ]
