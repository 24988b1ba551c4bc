from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize import InvalidValue
from ingest.normalize.citizen_id import PROVINCE_CODES, birth_date, clean, gender, region_code
from ingest.reject_reasons import Reason
from tests.ingest.normalize.refusal import reason_of

# GB 11643-1999's own example
PUBLISHED = "11010519491231002X"
# computed with the standard's weights (below), not with the library under test
COMPUTED = ("330402199001011230", "330483198511200043", "340221197703150519", "440305200002290029")

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def gb_check_digit(body17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True)) % 11]


@st.composite
def bodies(draw: st.DrawFn, earliest: date = date(1900, 1, 1)) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    county = draw(st.integers(0, 9999))
    born = draw(st.dates(earliest, date.today()))
    sequence = draw(st.integers(0, 999))
    return f"{province}{county:04d}{born:%Y%m%d}{sequence:03d}"


def test_published_vector() -> None:
    assert gb_check_digit(PUBLISHED[:17]) == PUBLISHED[17]
    assert clean(PUBLISHED) == PUBLISHED
    assert birth_date(PUBLISHED) == date(1949, 12, 31)
    assert gender(PUBLISHED) == "女"
    assert region_code(PUBLISHED) == "110105"


@pytest.mark.parametrize("number", COMPUTED)
def test_computed_vectors(number: str) -> None:
    assert gb_check_digit(number[:17]) == number[17]
    assert clean(number) == number


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105-19491231-002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105491231002",  # the 15-digit form
    ],
)
def test_accepted_spellings(raw: str) -> None:
    assert clean(raw) == PUBLISHED


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1101051949123100", Reason.CITIZEN_ID_FORMAT),
        ("11010519491231002XX", Reason.CITIZEN_ID_FORMAT),
        ("1101051949123X002X", Reason.CITIZEN_ID_FORMAT),
        ("11010519491231002Y", Reason.CITIZEN_ID_FORMAT),
        ("11010519491231002", Reason.CITIZEN_ID_FORMAT),
        (["11010519491231002X"], Reason.CITIZEN_ID_FORMAT),
        (True, Reason.CITIZEN_ID_FORMAT),
        ("110105194912310021", Reason.CITIZEN_ID_CHECK_DIGIT),
        ("", Reason.REQUIRED_MISSING),
        # what spreadsheets make of an ID column typed as numbers
        (110105194912310021, Reason.CITIZEN_ID_EXCEL_NUMBER),
        (int(COMPUTED[0]), Reason.CITIZEN_ID_EXCEL_NUMBER),  # all digits right, still not to be trusted
        (3.30402199001011e17, Reason.CITIZEN_ID_EXCEL_NUMBER),
        ("3.30402E+17", Reason.CITIZEN_ID_EXCEL_NUMBER),
        ("330402199001011237.0", Reason.CITIZEN_ID_EXCEL_NUMBER),
    ],
)
def test_rejects(raw: object, reason: Reason) -> None:
    assert reason_of(clean, raw) is reason


def test_impossible_birth_date_with_a_correct_check_digit() -> None:
    body = "330402" + "19900230" + "123"
    assert reason_of(clean, body + gb_check_digit(body)) is Reason.CITIZEN_ID_BIRTH_DATE


@pytest.mark.parametrize("born", [date.today() + timedelta(days=1), date(1899, 12, 31)])
def test_implausible_birth_date(born: date) -> None:
    body = f"330402{born:%Y%m%d}123"
    assert reason_of(clean, body + gb_check_digit(body)) is Reason.CITIZEN_ID_BIRTH_DATE


@pytest.mark.parametrize("province", ["00", "10", "39", "99"])
def test_region_must_be_a_province(province: str) -> None:
    body = f"{province}0402" + "19900101" + "123"
    assert reason_of(clean, body + gb_check_digit(body)) is Reason.CITIZEN_ID_REGION


def test_a_renamed_county_is_not_held_against_an_older_person() -> None:
    # 330402 dates from 1983; people born before then carry it too
    body = "330402" + "19600501" + "123"
    assert clean(body + gb_check_digit(body)) == body + gb_check_digit(body)


@given(bodies())
def test_any_body_with_its_check_digit_passes(body: str) -> None:
    number = body + gb_check_digit(body)
    assert clean(number) == number
    assert clean(number.lower()) == number
    assert birth_date(number).strftime("%Y%m%d") == body[6:14]
    assert gender(number) == ("男" if int(body[16]) % 2 else "女")


@given(bodies(), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_fails(body: str, position: int, shift: int) -> None:
    number = body + gb_check_digit(body)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    with pytest.raises(InvalidValue):
        clean(changed)


@given(bodies(), st.sampled_from("0123456789X"))
def test_a_wrong_check_digit_fails(body: str, check: str) -> None:
    if check != gb_check_digit(body):
        assert reason_of(clean, body + check) is Reason.CITIZEN_ID_CHECK_DIGIT


@given(bodies(earliest=date(1900, 1, 1)).filter(lambda body: body[6:8] == "19"))
def test_fifteen_digits_upgrade_to_the_same_person(body: str) -> None:
    number = body + gb_check_digit(body)
    old = number[:6] + number[8:17]
    assert clean(old) == number
    assert birth_date(clean(old)) == birth_date(number)
