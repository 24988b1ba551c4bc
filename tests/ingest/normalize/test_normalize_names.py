import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize.names import MIDDLE_DOT, clean
from ingest.reject_reasons import Reason
from tests.ingest.normalize.refusal import reason_of


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("张伟", "张伟"),
        ("  张 伟 ", "张伟"),
        ("欧阳\u3000娜娜", "欧阳娜娜"),
        ("阿卜杜拉.买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉•买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉・买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉･买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉 · 买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉．买买提", "阿卜杜拉·买买提"),
        ("扎西··多吉", "扎西·多吉"),
        ("·扎西多吉", "扎西多吉"),
        ("Ｌｉ Ｌｅｉ", "Li Lei"),
        ("Li   Lei", "Li Lei"),
        ("Anne-Marie O'Neil", "Anne-Marie O'Neil"),
        # The full stop of an abbreviated Latin-script name stays; a dot joining words is the middle dot.
        ("St. John  Rivers", "St. John Rivers"),
        ("J. R. Hartley", "J. R. Hartley"),
        ("Ｊ． Ｈａｒｔｌｅｙ Ｊｒ．", "J. Hartley Jr."),
        ("John.Hartley", "John·Hartley"),
        ("扎西.", "扎西"),
    ],
)
def test_cleaning(raw: str, name: str) -> None:
    assert clean(raw) == name


@pytest.mark.parametrize("raw", ["张伟2", "张#伟", "张伟（曾用名）", "@@", 12345, ["张伟"], "Jo\x00 Hartley"])
def test_digits_and_symbols_are_rejected(raw: object) -> None:
    assert reason_of(clean, raw) is Reason.NAME_INVALID


@pytest.mark.parametrize("raw", ["", "   ", "·", " • . "])
def test_nothing_left_is_missing(raw: str) -> None:
    assert reason_of(clean, raw) is Reason.REQUIRED_MISSING


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
parts = st.text(cjk, min_size=1, max_size=4)


@given(st.lists(parts, min_size=1, max_size=3), st.sampled_from([".", "•", "・", "·", " · "]), st.text(" ", max_size=2))
def test_dotted_names_clean_to_one_form(words: list[str], dot: str, pad: str) -> None:
    name = clean(pad + dot.join(words) + pad)
    assert name == MIDDLE_DOT.join(words)
    assert clean(name) == name


@given(st.lists(parts, min_size=1, max_size=3))
def test_spaces_between_chinese_characters_go(words: list[str]) -> None:
    assert clean(" ".join(words)) == "".join(words)
