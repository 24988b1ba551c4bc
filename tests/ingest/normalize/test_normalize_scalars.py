import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize import InvalidValue
from ingest.normalize.scalars import (
    clean_bool,
    clean_enum,
    clean_float,
    clean_int,
    clean_point,
    clean_text,
    clean_text_list,
)
from ingest.reject_reasons import Reason
from tests.ingest.normalize.refusal import reason_of


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("42", 42),
        (" -7 ", -7),
        ("+5", 5),
        ("1,234", 1234),
        ("1,234,567", 1234567),
        ("１２３", 123),
        (3.0, 3),
        ("3.0", 3),
        (7, 7),
        ("9223372036854775807", 2**63 - 1),
    ],
)
def test_int(raw: object, number: int) -> None:
    assert clean_int(raw) == number
    assert type(clean_int(raw)) is int


@pytest.mark.parametrize(
    "raw", ["3.5", 3.5, "3,5", "12,34", "1,2345", "abc", "1e999999", 2**63, float("inf"), 2.0**60, True, [1], "nan"]
)
def test_int_rejects(raw: object) -> None:
    assert reason_of(clean_int, raw) is Reason.NUMBER_INVALID


@pytest.mark.parametrize(
    ("raw", "number"), [("3.5", 3.5), ("1,234.5", 1234.5), (2, 2.0), ("-0.25", -0.25), ("1e3", 1000.0)]
)
def test_float(raw: object, number: float) -> None:
    assert clean_float(raw) == number
    assert type(clean_float(raw)) is float


@pytest.mark.parametrize("raw", ["3,5", "nan", "inf", "1e400", float("nan"), True, "x"])
def test_float_rejects(raw: object) -> None:
    assert reason_of(clean_float, raw) is Reason.NUMBER_INVALID


@given(st.integers(-(2**63), 2**63 - 1))
def test_int_round_trips_through_text_with_groups(number: int) -> None:
    assert clean_int(str(number)) == number
    assert clean_int(f"{number:,}") == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_round_trips_through_text(number: float) -> None:
    assert clean_float(repr(number)) == number


@pytest.mark.parametrize("raw", ["是", "有", "true", "TRUE", "Yes", "y", "T", "1", "√", "✓", True, 1, 1.0])
def test_true(raw: object) -> None:
    assert clean_bool(raw) is True


@pytest.mark.parametrize("raw", ["否", "无", "false", "No", "N", "f", "0", "×", False, 0, 0.0])
def test_false(raw: object) -> None:
    assert clean_bool(raw) is False


@pytest.mark.parametrize("raw", ["maybe", "2", 2, "是的吧", [True]])
def test_bool_rejects(raw: object) -> None:
    assert reason_of(clean_bool, raw) is Reason.BOOL_INVALID


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (" 案情：某某 \r\n第二行\r第三行 ", "案情：某某 \n第二行\n第三行"),
        ("ＡＢＣ　全角", "ＡＢＣ　全角"),
        (12345, "12345"),
        (12345.0, "12345"),
        (1.5, "1.5"),
        (True, "true"),
        (date(2024, 3, 5), "2024-03-05"),
    ],
)
def test_text_keeps_what_was_written(raw: object, text: str) -> None:
    assert clean_text(raw) == text


def test_text_rejects_structures() -> None:
    assert reason_of(clean_text, {"a": 1}) is Reason.TEXT_INVALID
    assert reason_of(clean_text, ["a"]) is Reason.TEXT_INVALID


@pytest.mark.parametrize(
    "raw",
    [
        "烟花;刀具",
        "烟花；刀具",
        "烟花,刀具",
        "烟花，刀具",
        "烟花、刀具",
        "烟花|刀具",
        " 烟花 ; 刀具 ;",
        '["烟花", "刀具"]',
        ["烟花", "刀具"],
        ("烟花", " ", "刀具"),
    ],
)
def test_text_list(raw: object) -> None:
    assert clean_text_list(raw) == ["烟花", "刀具"]


@pytest.mark.parametrize("raw", ['["烟花", ]', '[{"a": 1}]', {"a": 1}, '[["x"]]'])
def test_text_list_rejects(raw: object) -> None:
    assert reason_of(clean_text_list, raw) is Reason.TEXT_INVALID


@given(
    st.lists(
        st.text(st.characters(exclude_characters=";；,，、|\r[", exclude_categories=["Cs"]))
        .map(str.strip)
        .filter(bool),
        min_size=1,
    )
)
def test_text_list_round_trips(items: list[str]) -> None:
    assert clean_text_list(";".join(items)) == items
    assert clean_text_list(items) == items


@pytest.mark.parametrize(
    ("raw", "values", "value"),
    [
        ("正常", ("正常", "暂扣"), "正常"),
        (" 暂扣 ", ("正常", "暂扣"), "暂扣"),
        ("RUNNING", ("running", "failed"), "running"),
        ("男性", ("男", "女"), "男"),
        ("F", ("男", "女"), "女"),
        ("female", ("男", "女"), "女"),
    ],
)
def test_enum(raw: str, values: tuple[str, ...], value: str) -> None:
    assert clean_enum(raw, values) == value


def test_enum_rejects() -> None:
    with pytest.raises(InvalidValue) as caught:
        clean_enum("撤销", ("正常", "暂扣", "吊销"))
    assert caught.value.reason is Reason.ENUM_INVALID
    assert "正常" in caught.value.message


@pytest.mark.parametrize(
    "raw",
    [
        "POINT(120.755 30.746)",
        "point (120.755  30.746)",
        "120.755,30.746",
        " 120.755 , 30.746 ",
        "(120.755, 30.746)",
        "１２０.７５５，３０.７４６",
        (120.755, 30.746),
        [120.755, "30.746"],
    ],
)
def test_point(raw: object) -> None:
    assert clean_point(raw) == (120.755, 30.746)


@pytest.mark.parametrize("raw", ["30.746,200", "120.755,95", "120.755", "a,b", "1,2,3", 120.755, (1.0, math.inf)])
def test_point_rejects(raw: object) -> None:
    assert reason_of(clean_point, raw) is Reason.POINT_INVALID


@given(st.floats(-180, 180), st.floats(-90, 90))
def test_point_round_trips(lon: float, lat: float) -> None:
    assert clean_point(f"POINT({lon!r} {lat!r})") == (lon, lat)
    assert clean_point(f"{lon!r},{lat!r}") == (lon, lat)
