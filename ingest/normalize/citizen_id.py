"""Citizen ID numbers (公民身份号码, GB 11643-1999): the canonical 18 characters.

The check digit comes from `stdnum.cn.ric`. Its full `validate()` is not used:
it also requires the six-digit region code to have been in force in the birth
year, which rejects real people whose number was issued after their county was
renamed (a person born 1960 in Nanhu district carries 330402, a code from 1983),
and it raises KeyError on some city-level codes. The region rule here is the
province prefix only; the birth date is read directly (ric.get_birth_date cleans
the number a second time, which halves the throughput).
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric

from ingest.normalize.invalid import InvalidValue, is_blank, missing, nfkc, shown
from ingest.reject_reasons import Reason

# the first two digits: provinces, autonomous regions, municipalities, Taiwan, Hong Kong, Macao
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42"}
    | {"43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
)
EARLIEST_BIRTH_YEAR = 1900
_STARTED_ON = date.today()

_SEPARATORS = re.compile(r"[\s\-]+")
_ID18 = re.compile(r"\d{17}[\dX]")
_ID15 = re.compile(r"\d{15}")
# what a spreadsheet number looks like once saved as text: 3.30402E+17, 330402199001011234.0
_NUMBER_TEXT = re.compile(r"\d(?:\.\d*)?E\+?\d+|\d{15,18}\.0*")


def clean(raw: object) -> str:
    """The canonical 18-character ID number, upgrading a 15-digit one; raises InvalidValue."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise InvalidValue(Reason.CITIZEN_ID_FORMAT, f"citizen ID {shown(raw)} is not text")
    if isinstance(raw, (int, float)):
        raise _excel_number(raw)
    if len(raw) == 18 and raw[:17].isdigit() and raw.isascii():
        number = raw.upper()  # the common case needs no cleaning
    elif is_blank(raw):
        raise missing("citizen ID")
    else:
        number = _SEPARATORS.sub("", nfkc(raw)).upper()
    if _NUMBER_TEXT.fullmatch(number):
        raise _excel_number(raw)
    if _ID18.fullmatch(number):
        if number[17] != ric.calc_check_digit(number):
            raise InvalidValue(
                Reason.CITIZEN_ID_CHECK_DIGIT,
                f"citizen ID {shown(raw)}: check digit should be {ric.calc_check_digit(number)}, not {number[17]}",
            )
    elif _ID15.fullmatch(number):
        number = upgrade_15(number)
    else:
        raise InvalidValue(
            Reason.CITIZEN_ID_FORMAT,
            f"citizen ID {shown(raw)} is not 18 digits (the last may be X) or 15 digits",
        )
    if number[:2] not in PROVINCE_CODES:
        raise InvalidValue(Reason.CITIZEN_ID_REGION, f"citizen ID {shown(raw)}: {number[:2]} is no province code")
    _check_birth_date(number, raw)
    return number


def upgrade_15(id15: str) -> str:
    """The 18-digit form of a first-generation 15-digit number (all born 1900-1999)."""
    body = id15[:6] + "19" + id15[6:]
    return body + ric.calc_check_digit(body + "0")


def birth_date(id18: str) -> date:
    return date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def gender(id18: str) -> str:
    # the 17th digit, the sequence number's last: odd for men, even for women
    return "男" if int(id18[16]) % 2 else "女"


def region_code(id18: str) -> str:
    return id18[:6]


def _check_birth_date(number: str, raw: object) -> None:
    # what ric.get_birth_date does, without its second pass of cleaning the number
    try:
        born = birth_date(number)
    except ValueError:
        raise InvalidValue(
            Reason.CITIZEN_ID_BIRTH_DATE,
            f"citizen ID {shown(raw)}: birth date {number[6:10]}-{number[10:12]}-{number[12:14]} does not exist",
        ) from None
    # Asking the clock costs more than the rest of the check: only a date past the day the
    # process started can be in the future.
    if born.year < EARLIEST_BIRTH_YEAR or (born > _STARTED_ON and born > date.today()):
        raise InvalidValue(
            Reason.CITIZEN_ID_BIRTH_DATE, f"citizen ID {shown(raw)}: birth date {born.isoformat()} is not plausible"
        )


def _excel_number(raw: object) -> InvalidValue:
    return InvalidValue(
        Reason.CITIZEN_ID_EXCEL_NUMBER,
        f"citizen ID {shown(raw)} was stored as a number, which keeps only 15 significant digits and drops a "
        "final X; even when its digits check out it cannot be trusted: store the column as text and export again",
    )
