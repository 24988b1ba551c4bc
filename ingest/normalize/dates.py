"""Dates and times in the forms Chinese registries and sensors write them.

    2024-03-05  2024/3/5  2024.03.05  20240305  2024年3月5日  2024年03月05日
    2024-03-05T08:30:00Z  2024-03-05 08:30  2024/3/5 8:30:05  2024年03月05日 08时30分05秒
    20240305083005  (14 digits; 12 digits without seconds)

A time without an offset is Beijing time; every datetime comes back aware, in
Asia/Shanghai. A number is a spreadsheet serial day (1900 date system), except an
eight- or fourteen-digit integer, which no serial can be and is read as digits.
Written by hand: the formats are few and fixed, and a general date parser
(dateutil) guesses day/month order and fills missing parts, which hides errors.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from ingest.normalize.invalid import InvalidValue, is_blank, missing, nfkc, shown
from ingest.reject_reasons import Reason

SHANGHAI = ZoneInfo("Asia/Shanghai")
# the 1900 date system counts 1900-02-29, a day that never was, as serial 60
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_PHANTOM_LEAP_DAY = 60
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_ISO_DATE_LENGTH = len("2024-03-05")
_ISO_DATETIME_LENGTH = len("2024-03-05 08:30:05")

_SEPARATED = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"
    r"(?:(?:T|\s+)(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?")
# 2024年3月5日 8时30分5秒 becomes 2024-3-5 8:30:5 and takes the separated pattern
_CHINESE = str.maketrans({"年": "-", "月": "-", "日": " ", "号": " ", "时": ":", "点": ":", "分": ":", "秒": None})


def clean_date(raw: object) -> date:
    """A calendar date; raises InvalidValue (date.invalid)."""
    if isinstance(raw, str) and len(raw) == _ISO_DATE_LENGTH and raw[4] == raw[7] == "-":
        # the common ISO date through the C parser; anything it refuses takes the long way
        with suppress(ValueError):
            return date.fromisoformat(raw)
    if isinstance(raw, datetime):
        return _date_of(_aware(raw), raw, Reason.DATE_INVALID)
    if isinstance(raw, date):
        return raw
    moment, has_time = _parse(raw, Reason.DATE_INVALID, "date")
    if not has_time:
        return moment.date()
    return _date_of(moment, raw, Reason.DATE_INVALID)


def clean_datetime(raw: object) -> datetime:
    """An aware datetime in Asia/Shanghai; raises InvalidValue (datetime.invalid).
    A bare date is taken as midnight Beijing time."""
    if isinstance(raw, str) and len(raw) == _ISO_DATETIME_LENGTH and raw[4] == raw[7] == "-" and raw[10] in " T":
        with suppress(ValueError):
            return _aware(datetime.fromisoformat(raw))
    if isinstance(raw, datetime):
        return _aware(raw)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=SHANGHAI)
    return _parse(raw, Reason.DATETIME_INVALID, "datetime")[0]


def _parse(raw: object, reason: Reason, what: str) -> tuple[datetime, bool]:
    """The moment (aware, Asia/Shanghai) and whether the value gave a time of day."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise InvalidValue(reason, f"{what} {shown(raw)} is not a {what}")
    if isinstance(raw, (int, float)):
        return _from_number(raw, reason, what)
    if is_blank(raw):
        raise missing(what)
    text = nfkc(raw).strip()
    if "年" in text:
        text = text.translate(_CHINESE).strip().rstrip(":")
    try:
        if match := _SEPARATED.fullmatch(text):
            year, _, month, day, hour, minute, second, fraction, offset = match.groups()
            return _moment(year, month, day, hour, minute, second, fraction, offset), hour is not None
        if match := _COMPACT.fullmatch(text):
            year, month, day, hour, minute, second = match.groups()
            return _moment(year, month, day, hour, minute, second, None, None), hour is not None
    except ValueError:
        raise InvalidValue(reason, f"{what} {shown(raw)} does not exist") from None
    raise InvalidValue(reason, f"{what} {shown(raw)} is in no known {what} format")


def _moment(
    year: str,
    month: str,
    day: str,
    hour: str | None,
    minute: str | None,
    second: str | None,
    fraction: str | None,
    offset: str | None,
) -> datetime:
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    zone = _zone(offset) if offset else SHANGHAI
    moment = datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro, tzinfo=zone
    )
    return moment if zone is SHANGHAI else moment.astimezone(SHANGHAI)


def _zone(offset: str) -> tzinfo:
    if offset == "Z":
        return UTC
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return timezone(-delta if offset[0] == "-" else delta)


def _from_number(raw: int | float, reason: Reason, what: str) -> tuple[datetime, bool]:
    if isinstance(raw, int) and len(str(raw)) in (8, 14):
        return _parse(str(raw), reason, what)
    if not 1 <= raw <= _EXCEL_MAX_SERIAL:
        raise InvalidValue(reason, f"{what} {shown(raw)} is no spreadsheet date number")
    if _EXCEL_PHANTOM_LEAP_DAY <= raw < _EXCEL_PHANTOM_LEAP_DAY + 1:
        raise InvalidValue(reason, f"{what} {shown(raw)} is 1900-02-29, a day that does not exist")
    # serials before the phantom leap day are one day later than the epoch suggests
    epoch = _EXCEL_EPOCH if raw > _EXCEL_PHANTOM_LEAP_DAY else _EXCEL_EPOCH + timedelta(days=1)
    # whole milliseconds: a spreadsheet stores times as binary fractions of a day
    moment = epoch + timedelta(milliseconds=round(raw * 86_400_000))
    return moment.replace(tzinfo=SHANGHAI), raw != int(raw)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def _date_of(moment: datetime, raw: object, reason: Reason) -> date:
    # a time of day in a date column would be lost: reject rather than truncate
    if moment.time() != time():
        raise InvalidValue(reason, f"date {shown(raw)} carries a time of day ({moment:%H:%M:%S})")
    return moment.date()
