"""Citizen ID numbers (GB 11643-1999) and the faulty forms the dirty files use.

The check digit comes from `stdnum.cn.ric`, the same library the importer
validates with, so generator and importer cannot disagree on the rule.
"""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

CHECK_CHARS = "0123456789X"


def check_digit(first17: str) -> str:
    # calc_check_digit expects the full number and ignores its last character
    return ric.calc_check_digit(first17 + "0")


def make_id(region: str, birth: date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def to_15(id18: str) -> str:
    """The first-generation 15-digit form: two-digit year, no check digit.
    Only people born in the 1900s had one."""
    if id18[6:8] != "19":
        raise ValueError("only people born 1900-1999 had 15-digit ID numbers")
    return id18[:6] + id18[8:17]


def upgrade_15(id15: str) -> str:
    first17 = id15[:6] + "19" + id15[6:15]
    return first17 + check_digit(first17)


def with_wrong_check_digit(id18: str) -> str:
    wrong = CHECK_CHARS[(CHECK_CHARS.index(id18[17]) + 3) % len(CHECK_CHARS)]
    return id18[:17] + wrong


def with_impossible_birth_date(id18: str, day_choice: int) -> str:
    """Same region and sequence, a date that does not exist (30 or 31 February,
    31 April), and a correct check digit so the date is the only fault."""
    month_day = ("0230", "0231", "0431", "0631")[day_choice % 4]
    first17 = id18[:10] + month_day + id18[14:17]
    return first17 + check_digit(first17)


def excel_number_csv(id18: str) -> str:
    """What a CSV saved from a spreadsheet holds once the column was a number:
    six significant digits in scientific notation."""
    return f"{int(id18):.5E}"


def excel_number_cell(id18: str) -> float:
    """What a spreadsheet cell holds once the ID was typed as a number: a double
    with 15 significant digits, the last three digits gone."""
    return float(f"{int(id18):.14E}")


def is_valid(number: str) -> bool:
    return ric.is_valid(number)
