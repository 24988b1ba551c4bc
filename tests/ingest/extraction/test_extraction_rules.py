"""Rule components: ID numbers (valid check digit only), plates, phones, dates and times."""

from __future__ import annotations

import pytest
from stdnum.cn import ric

from ingest.extraction.rules import find_all, find_datetimes, find_ids, find_phones, find_plates


def valid_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def wrong_check_digit(number: str) -> str:
    return number[:17] + next(d for d in "0123456789X" if d != number[17])


def spans(mentions, text):
    return [(text[m.start : m.end], m.entity_type, m.key) for m in mentions]


def test_an_id_with_a_valid_check_digit_is_an_id_number():
    number = valid_id("33040219850312123")
    text = f"报警人身份证号{number}，称"
    assert spans(find_ids(text), text) == [(number, "id_number", number)]


def test_an_id_with_a_wrong_check_digit_is_not_extracted_as_an_id():
    bad = wrong_check_digit(valid_id("33040219850312123"))
    text = f"另提供一个身份证号{bad}，经核查该号码校验位错误。"
    assert not any(m.entity_type == "id_number" for m in find_all(text))
    # nor is any part of it taken for a phone or a date
    assert find_all(text) == []


def test_a_15_digit_id_is_upgraded_and_an_x_check_digit_read_in_either_case():
    x_id = next(n for s in range(100, 1000) if (n := valid_id(f"33040219850312{s}")).endswith("X"))
    text = f"证件{x_id.lower()}与旧证330402850312123"
    assert [m.key for m in find_ids(text)] == [x_id, valid_id("33040219850312123")]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("浙F·12345", "浙F12345"),
        ("浙FD12345", "浙FD12345"),
        ("浙F12345D", "浙F12345D"),
        ("浙f-12345", "浙F12345"),
        ("苏A8Z501", "苏A8Z501"),
        ("浙F1234学", "浙F1234学"),
        ("浙Ｆ１２３４５", "浙F12345"),
    ],
)
def test_plates_carry_their_canonical_key(written, key):
    text = f"车牌为{written}的轿车离开"
    assert spans(find_plates(text), text) == [(written, "plate", key)]


def test_what_only_looks_like_a_plate_is_not_one():
    # I and O are never issued; seven serial characters is too many
    assert list(find_plates("浙FI2345号")) == []
    assert list(find_plates("浙F1234567")) == []


@pytest.mark.parametrize(
    "written",
    ["13812345678", "138-1234-5678", "138 1234 5678", "+86 138 1234 5678", "+86-13812345678", "008613812345678"],
)
def test_phones_with_country_code_dashes_or_spaces(written):
    text = f"联系电话{written}。"
    assert spans(find_phones(text), text) == [(written, "phone", "13812345678")]


def test_a_landline_is_a_phone_but_no_mobile_and_digit_runs_are_neither():
    assert list(find_phones("座机0573-82345678")) == []
    assert spans(find_all("座机0573-82345678。"), "座机0573-82345678。") == [
        ("0573-82345678", "phone", "0573-82345678")
    ]
    assert find_all("账号6222138123456789012") == []
    assert find_all("热线12345，区号0573") == []


@pytest.mark.parametrize(
    ("written", "entity_type", "key"),
    [
        ("3月4日5时许", "datetime", "--03-04T05:00"),
        ("2025年3月4日下午3时30分", "datetime", "2025-03-04T15:30"),
        ("2025-03-04 14:30:00", "datetime", "2025-03-04T14:30:00"),
        ("2025年12月1日", "date", "2025-12-01"),
        ("晚上9点半", "time", "21:30"),
        ("14:30", "time", "14:30"),
    ],
)
def test_dates_and_times(written, entity_type, key):
    text = f"于{written}报警"
    assert spans(find_datetimes(text), text) == [(written, entity_type, key)]


def test_impossible_dates_and_times_are_left_alone():
    assert list(find_datetimes("13月40日25时")) == []


def test_offsets_are_code_points_into_the_original_text():
    text = "𠀀报警人电话13812345678"  # a character outside the BMP before the phone
    (m,) = find_phones(text)
    assert text[m.start : m.end] == "13812345678" and m.text == "13812345678"
