from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.model import VALUE_TYPES, load_schema
from ingest.normalize import NORMALISERS, InvalidValue, normalise
from ingest.normalize.address import Address
from ingest.normalize.dates import SHANGHAI
from ingest.reject_reasons import Reason
from settings.table import PROJECT_ROOT

# one good raw value per value type and what it becomes
GOOD = {
    "text": (" 案情简述 ", "案情简述"),
    "name": ("张 伟", "张伟"),
    "address": (
        "南湖区东栅街道东湖小区3-2-501",
        Address(
            "浙江省嘉兴市南湖区东栅街道东湖小区3幢2单元501室", "南湖区", "东栅街道", "东湖小区", None, "3", "2", "501"
        ),
    ),
    "citizen_id": ("11010519491231002x", "11010519491231002X"),
    "phone": ("+86 138-1234-5678", "13812345678"),
    "plate": ("浙f·12345", "浙F12345"),
    "enum": ("暂扣", "暂扣"),
    "int": ("1,234", 1234),
    "float": ("3.5", 3.5),
    "bool": ("是", True),
    "date": ("2024年3月5日", date(2024, 3, 5)),
    "datetime": ("2024-03-05 08:30", datetime(2024, 3, 5, 8, 30, tzinfo=SHANGHAI)),
    "point": ("120.75,30.74", (120.75, 30.74)),
    "text_list": ("烟花、刀具", ["烟花", "刀具"]),
}
# one bad raw value per value type and its reason
BAD = {
    "text": ({"a": 1}, Reason.TEXT_INVALID),
    "name": ("张伟2", Reason.NAME_INVALID),
    "address": ("12345", Reason.ADDRESS_INVALID),
    "citizen_id": (110105194912310021, Reason.CITIZEN_ID_EXCEL_NUMBER),
    "phone": ("0573-82345678", Reason.PHONE_INVALID),
    "plate": ("浙I12345", Reason.PLATE_INVALID),
    "enum": ("撤销", Reason.ENUM_INVALID),
    "int": ("3.5", Reason.NUMBER_INVALID),
    "float": ("abc", Reason.NUMBER_INVALID),
    "bool": ("maybe", Reason.BOOL_INVALID),
    "date": ("2023-02-29", Reason.DATE_INVALID),
    "datetime": ("2024-13-01 08:00", Reason.DATETIME_INVALID),
    "point": ("200,100", Reason.POINT_INVALID),
    "text_list": ('["a", ]', Reason.TEXT_INVALID),
}
ENUM_VALUES = ("正常", "暂扣", "吊销", "注销")


def test_every_value_type_is_covered() -> None:
    assert set(NORMALISERS) == VALUE_TYPES - {"enum"}
    assert set(GOOD) == set(BAD) == VALUE_TYPES


@pytest.mark.parametrize("value_type", sorted(VALUE_TYPES))
def test_good_values(value_type: str) -> None:
    raw, expected = GOOD[value_type]
    value = normalise(value_type, raw, values=ENUM_VALUES)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("value_type", sorted(VALUE_TYPES))
def test_bad_values_name_the_value(value_type: str) -> None:
    raw, reason = BAD[value_type]
    with pytest.raises(InvalidValue) as caught:
        normalise(value_type, raw, values=ENUM_VALUES)
    assert caught.value.reason is reason
    assert repr(raw)[:20] in caught.value.message
    assert str(caught.value) == caught.value.message


@pytest.mark.parametrize("value_type", sorted(VALUE_TYPES))
@pytest.mark.parametrize("raw", [None, "", "   ", "\t\u3000\n"])
def test_blank_is_none(value_type: str, raw: object) -> None:
    assert normalise(value_type, raw, values=ENUM_VALUES) is None


@pytest.mark.parametrize(("value_type", "raw"), [("name", " · "), ("text_list", "；、"), ("text_list", [])])
def test_nothing_left_after_cleaning_is_none(value_type: str, raw: object) -> None:
    assert normalise(value_type, raw) is None


def test_mistakes_of_the_caller_are_no_rejects() -> None:
    with pytest.raises(ValueError, match="unknown value type") as unknown:
        normalise("colour", "red")
    with pytest.raises(ValueError, match="allowed values") as no_values:
        normalise("enum", "x")
    assert not isinstance(unknown.value, InvalidValue)
    assert not isinstance(no_values.value, InvalidValue)


def test_every_enum_value_of_the_schema_is_accepted() -> None:
    schema = load_schema(PROJECT_ROOT / "graph" / "schema")
    properties = [p for t in (*schema.nodes.values(), *schema.relationships.values()) for p in t.properties.values()]
    enums = [p for p in properties if p.type == "enum"]
    assert enums
    for prop in enums:
        for value in prop.values:
            assert normalise("enum", f" {value} ", values=prop.values) == value


junk = st.one_of(
    st.text(max_size=40),
    st.text(st.sampled_from("0123456789xX-·.,;年月日时分秒幢单元室南湖区浙F号 ＋+８６"), max_size=25),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.lists(st.one_of(st.text(max_size=5), st.integers(), st.floats()), max_size=3),
    st.dates(),
    st.datetimes(),
)


@given(st.sampled_from(sorted(VALUE_TYPES)), junk)
def test_any_input_gives_a_value_or_an_invalid_value(value_type: str, raw: object) -> None:
    try:
        normalise(value_type, raw, values=ENUM_VALUES)
    except InvalidValue as error:
        assert error.reason in set(Reason)
        assert error.message
