"""The period the sample covers and the date formats the source systems use."""

from __future__ import annotations

from datetime import date, datetime, timedelta

YEAR = 2025
PERIOD_START = date(YEAR, 1, 1)
PERIOD_END = date(YEAR, 12, 31)
DAYS = (PERIOD_END - PERIOD_START).days + 1
# Ages are counted on the first day; exports are dated a few days after the last.
REFERENCE_DAY = PERIOD_START
EXPORT_DAY = date(YEAR + 1, 1, 5)
SPRING_FESTIVAL = date(YEAR, 1, 29)
EXCEL_EPOCH = date(1899, 12, 30)


def day(n: int) -> date:
    return PERIOD_START + timedelta(days=n)


def age_on(birth: date, when: date) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# One formatter per date format found in the sources (named as the docs name them).
def ymd_compact(d: date) -> str:  # 19850312
    return f"{d:%Y%m%d}"


def ymd_dash(d: date) -> str:  # 1985-03-12
    return f"{d:%Y-%m-%d}"


def ymd_slash_unpadded(d: date) -> str:  # 1985/3/12, as a spreadsheet saves it
    return f"{d.year}/{d.month}/{d.day}"


def ymd_dot(d: date) -> str:  # 1985.03.12
    return f"{d:%Y.%m.%d}"


def dt_slash(t: datetime) -> str:  # 2025/03/12 08:05:09
    return f"{t:%Y/%m/%d %H:%M:%S}"


def dt_dash(t: datetime) -> str:  # 2025-03-12 08:05:09
    return f"{t:%Y-%m-%d %H:%M:%S}"


def excel_serial(d: date) -> int:
    return (d - EXCEL_EPOCH).days
