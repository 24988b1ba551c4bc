"""Masked forms that cannot be rebuilt, and free-text masking that finds an ID number or a
mobile number however it is written: any width, any separators, any country prefix, touching
letters. A property test writes them every way inside Chinese and English text."""

from __future__ import annotations

import time
import unicodedata
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from access.digit_forms import scan, table
from access.masking import mask_citizen_id, mask_derived, mask_number, mask_phone, mask_properties, mask_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def test_ids_and_phones_keep_only_what_the_rules_allow():
    assert mask_citizen_id("330402199001011234") == "**************1234"
    assert mask_citizen_id("33040219900101123X") == "**************123X"
    assert mask_citizen_id("330402900101123") == "***********1123", "an old 15-digit number too"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_derived("1990-01-01") == "****-**-**" and mask_derived("330402") == "******"


def test_a_tip_quoting_the_last_four_still_matches_the_masked_form():
    assert mask_citizen_id("330402199003078434").endswith("8434")


def test_numbers_inside_free_text_are_masked():
    text = "张三（身份证号330402199001011234，电话138-1234-5678）在浙F12345车内"
    assert mask_text(text) == "张三（身份证号**************1234，电话138-****-5678）在浙F12345车内"


def test_the_forms_the_review_found_unmasked_are_masked():
    cases = {
        "330402 19900101 1234": "****** ******** 1234",
        "+8613812345678": "+86138****5678",
        "139.0000.1111": "139.****.1111",
        "１３８１２３４５６７８": "１３８****５６７８",
        "ID330402199001011234x": "ID**************1234x",
        "tel13812345678": "tel138****5678",
        "0086 138 1234 5678": "**** *** **** 5678",  # 15 digits: hidden as an old ID number, more than enough
        "86-13812345678": "86-138****5678",
        "电话：１３９．００００．１１１１。": "电话：１３９．****．１１１１。",
    }
    for text, masked in cases.items():
        assert mask_text(text) == masked, text


def test_text_without_numbers_and_other_numbers_stay_as_they_are():
    for text in ("浙F12345 2025-03-01 08:15", "JY2025030112345678", "XQ33040200012", "共 3 人", "no digits 无数字"):
        assert mask_text(text) == text


def test_a_number_after_other_numbers_is_still_found():
    assert mask_text("2025-03-01 330402 19900101 1234") == "2025-03-01 ****** ******** 1234"
    # Read with the date before it, the phone makes an old 15-digit ID: more is hidden, never less.
    masked = mask_text("浙F12345 2025-03-01 13812345678")
    assert masked.startswith("浙F12345 2025-") and masked.endswith("****5678")


def test_a_number_as_a_number_is_masked_as_its_digits():
    assert mask_number(330402199001011234) == "**************1234"
    assert mask_number(13812345678) == "138****5678"
    assert mask_number(42) == 42 and mask_number(True) is True


def test_schema_marked_properties_are_masked_by_label(schema):
    props = {
        "id_number": "330402199001011234",
        "name": "张三",
        "hukou_address": "南湖区",
        "birth_date": "1990-01-01",
        "origin_region": "330402",
        "gender": "男",
    }
    masked = mask_properties(schema, ["Person"], props)
    assert masked == {
        "id_number": "**************1234",
        "name": "张三",
        "hukou_address": "南湖区",
        "birth_date": "****-**-**",
        "origin_region": "******",
        "gender": "男",  # the 17th digit says it, and it is among the four shown
    }
    assert mask_properties(schema, ["Phone"], {"number": "13812345678"}) == {"number": "138****5678"}
    record = mask_properties(schema, ["PersonRecord"], {"birth_date": "1990-01-01", "phone": "13812345678"})
    assert record == {"birth_date": "****-**-**", "phone": "138****5678"}


def test_the_digit_table_is_what_unicode_says():
    assert table() == scan()


# --- every form, inside free text ------------------------------------------------------------

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
MATH_BOLD = {str(d): chr(0x1D7CE + d) for d in range(10)}
SEPARATORS = [" ", "-", ".", "/", "\u3000", "－", "．", "／", " - ", "\u00a0", "_", "\t", "·", "\u200b", "\r\n", "—"]
FILLER = st.text(
    alphabet="张三李四王五在于和的车牌号身份证电话联系住址嘉兴市南湖区 ABCDEFGHIJKLMNabcdefghijklmn"
    ",;:!?()（）【】，。：、",
    max_size=20,
)
TOUCHING = st.sampled_from(["", " ", "ID", "tel", "No.", "身份证号", "电话：", "（"])
AFTER = st.sampled_from(["", " ", "x", "abc", "号", "）", "。"])


@st.composite
def citizen_ids(draw) -> str:
    region = draw(st.integers(110000, 659999))
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)))
    sequence = draw(st.integers(0, 999))
    if draw(st.booleans()):
        first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
        return first17 + check_digit(first17)
    return f"{region}{born:%y%m%d}{sequence:03d}"


mobiles = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1))


@st.composite
def written(draw, number: str) -> str:
    """`number` as a person might type it: each digit in some width; one separator at any of
    the gaps, or two different ones at two gaps ("330402 19900101-1234")."""
    widths = draw(st.lists(st.sampled_from(["ascii", "full", "math"]), min_size=len(number), max_size=len(number)))
    gaps = list(range(1, len(number)))
    if draw(st.booleans()):
        separator = draw(st.sampled_from(SEPARATORS))
        at = {i: separator for i in draw(st.lists(st.sampled_from(gaps), unique=True))}
    else:
        chosen = draw(st.lists(st.sampled_from(gaps), unique=True, max_size=2))
        at = {i: draw(st.sampled_from(SEPARATORS)) for i in chosen}
    out = []
    for i, (char, width) in enumerate(zip(number, widths, strict=True)):
        out.append(at.get(i, ""))
        if char == "X":
            out.append(draw(st.sampled_from(["X", "x", "Ｘ", "ｘ"])))
        else:
            out.append({"ascii": char, "full": FULL_WIDTH[char], "math": MATH_BOLD[char]}[width])
    return "".join(out)


def digits_seen(text: str) -> str:
    """What a reader recovers from the output: NFKC, then only digits, X and the mask."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).upper() if c in "0123456789X*")


@settings(max_examples=400, deadline=None)
@given(st.data(), citizen_ids(), FILLER, FILLER, TOUCHING, AFTER)
def test_no_id_number_survives_in_any_form(data, number, before, after, touching, trailing):
    text = before + touching + data.draw(written(number)) + trailing + after
    shown = digits_seen(mask_text(text))
    assert number not in shown, text
    hidden = number[:-4]  # the region and the birth date (and more)
    assert hidden not in shown and number[6:-4] not in shown, text
    assert number[-4:] in shown, "the last four stay, so a tip still matches"


@settings(max_examples=400, deadline=None)
@given(st.data(), mobiles, FILLER, FILLER, TOUCHING, AFTER)
def test_no_mobile_number_survives_in_any_form(data, number, before, after, touching, trailing):
    prefix = data.draw(st.sampled_from(["", "+86", "+86 ", "+86-", "0086", "0086 ", "86-", "86", "＋８６ ", "(+86)"]))
    hidden = number[3:7]
    # The middle four could equal the four shown, or run on from the prefix into the first three.
    assume(hidden != number[7:] and hidden not in digits_seen(prefix) + number[:3])
    text = before + touching + prefix + data.draw(written(number)) + trailing + after
    shown = digits_seen(mask_text(text))
    assert number not in shown and hidden not in shown, text


def test_masking_is_quick_on_what_the_workbench_shows():
    plain = ["浙江省嘉兴市南湖区东栅街道", "张三", "Registration", "浙F12345"] * 2500
    numbers = ["2025-03-01T08:15:30+08:00", "电话 138-1234-5678", "Person:330402199001011234"] * 1000
    began = time.perf_counter()
    for text in plain:
        mask_text(text)
    without = time.perf_counter() - began
    began = time.perf_counter()
    for text in numbers:
        mask_text(text)
    with_digits = time.perf_counter() - began
    # 10,000 strings without a digit and 3,000 with: well under a page's budget even on a busy machine.
    assert without < 0.5 and with_digits < 1.0, (without, with_digits)
