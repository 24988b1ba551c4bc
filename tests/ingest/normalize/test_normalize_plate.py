import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize.plate import PROVINCES, SUFFIXES, clean, is_new_energy
from ingest.reject_reasons import Reason
from tests.ingest.normalize.refusal import reason_of

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
DIGITS = "0123456789"


def full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if char.isascii() and char.isalnum() else char for char in text)


@pytest.mark.parametrize(
    ("raw", "plate"),
    [
        ("浙F12345", "浙F12345"),
        ("浙f·12345", "浙F12345"),
        ("浙F•A1234", "浙FA1234"),
        ("浙 F-12345", "浙F12345"),
        ("浙F.AB123", "浙FAB123"),
        ("浙Ｆ１２３４５", "浙F12345"),
        ("浙F・12345", "浙F12345"),
        ("浙FD12345", "浙FD12345"),
        ("浙F·DA1234", "浙FDA1234"),
        ("浙Ff12345", "浙FF12345"),
        ("浙F12345D", "浙F12345D"),
        ("浙F1234学", "浙F1234学"),
        ("浙F1234挂", "浙F1234挂"),
        ("沪A1234领", "沪A1234领"),
        ("京A·1234警", "京A1234警"),
    ],
)
def test_canonical_forms(raw: str, plate: str) -> None:
    assert clean(raw) == plate


@pytest.mark.parametrize(
    "raw",
    [
        "港F12345",  # no mainland province
        "浙I12345",  # I and O are never issued
        "浙F1234O",
        "浙F1234",
        "浙F1234567",
        "浙F12345学",  # a suffix takes the fifth serial place
        "浙FA12345",  # eight characters but no new-energy D or F
        "浙FD1234A",  # small new-energy: four digits at the end
        "浙FA2345D",  # large new-energy: five digits before D or F
        "F12345",
        "浙12345F",
        12345,
    ],
)
def test_rejects(raw: object) -> None:
    assert reason_of(clean, raw) is Reason.PLATE_INVALID


def test_blank_is_missing() -> None:
    assert reason_of(clean, " ") is Reason.REQUIRED_MISSING


def test_new_energy() -> None:
    assert is_new_energy(clean("浙FD12345"))
    assert is_new_energy(clean("浙F12345F"))
    assert not is_new_energy(clean("浙F12345"))
    assert not is_new_energy(clean("浙F1234学"))


serial = st.sampled_from(LETTERS + DIGITS)
digit = st.sampled_from(DIGITS)


@st.composite
def plates(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(PROVINCES)) + draw(st.sampled_from(LETTERS))
    kind = draw(st.sampled_from(["ordinary", "suffix", "small", "large"]))
    if kind == "ordinary":
        tail = "".join(draw(st.lists(serial, min_size=5, max_size=5)))
    elif kind == "suffix":
        tail = "".join(draw(st.lists(serial, min_size=4, max_size=4))) + draw(st.sampled_from(SUFFIXES))
    elif kind == "small":
        tail = draw(st.sampled_from("DF")) + draw(serial) + "".join(draw(st.lists(digit, min_size=4, max_size=4)))
    else:
        tail = "".join(draw(st.lists(digit, min_size=5, max_size=5))) + draw(st.sampled_from("DF"))
    return head + tail


@given(plates())
def test_canonical_plates_are_fixed_points(plate: str) -> None:
    assert clean(plate) == plate
    assert is_new_energy(plate) == (len(plate) == 8)


@given(plates(), st.sampled_from(["·", "•", "-", " ", ".", "・", " · "]), st.booleans(), st.booleans())
def test_case_separators_and_width_do_not_matter(plate: str, separator: str, lower: bool, wide: bool) -> None:
    spelled = plate[:2] + separator + plate[2:]
    spelled = spelled.lower() if lower else spelled
    spelled = full_width(spelled) if wide else spelled
    assert clean(spelled) == plate
    assert clean(clean(spelled)) == plate
