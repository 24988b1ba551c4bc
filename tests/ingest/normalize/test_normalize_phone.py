import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize import InvalidValue
from ingest.normalize.phone import clean, library_says_mobile
from ingest.reject_reasons import Reason
from tests.ingest.normalize.refusal import reason_of

MOBILE = "13812345678"


def full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


@pytest.mark.parametrize(
    "raw",
    [
        MOBILE,
        "138 1234 5678",
        "138-1234-5678",
        "138.1234.5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "0086 13812345678",
        "8613812345678",
        "(+86) 138 1234 5678",
        full_width("+86 138-1234-5678"),
        13812345678,
        13812345678.0,
    ],
)
def test_spellings_of_one_number(raw: object) -> None:
    assert clean(raw) == MOBILE


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("0573-82345678", Reason.PHONE_INVALID),  # a Jiaxing landline
        ("057382345678", Reason.PHONE_INVALID),
        ("1381234567", Reason.PHONE_INVALID),
        ("138123456789", Reason.PHONE_INVALID),
        ("12012345678", Reason.PHONE_INVALID),  # no 120 mobile range
        ("1381234567x", Reason.PHONE_INVALID),
        ("+1 138 1234 5678", Reason.PHONE_INVALID),
        (True, Reason.PHONE_INVALID),
        (13812345678.5, Reason.PHONE_INVALID),
        ([MOBILE], Reason.PHONE_INVALID),
        ("  ", Reason.REQUIRED_MISSING),
    ],
)
def test_rejects(raw: object, reason: Reason) -> None:
    assert reason_of(clean, raw) is reason


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True).filter(library_says_mobile)
separators = st.sampled_from(["", " ", "-", ".", "  "])


@given(mobiles, st.sampled_from(["", "+86", "0086", "86", "+86 ", "(+86)"]), separators, st.booleans())
def test_formatting_variants_normalise_to_the_same_digits(number: str, prefix: str, sep: str, wide: bool) -> None:
    spelled = prefix + sep.join((number[:3], number[3:7], number[7:]))
    assert clean(full_width(spelled) if wide else spelled) == number


@given(st.from_regex(r"1[0-9]{10}", fullmatch=True) | st.just("17991009764"))
def test_the_prefix_cache_agrees_with_the_plain_library_call(number: str) -> None:
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        expected = False  # 179xx is an IP-dialling prefix to the parser, not a mobile range
    else:
        expected = phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    try:
        clean(number)
    except InvalidValue:
        assert not expected
    else:
        assert expected
