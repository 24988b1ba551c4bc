"""Rule finders for the values that have a fixed shape: citizen ID numbers, mobile
phones and landlines, plates, dates and times.

A regular expression only proposes a span; the project's normaliser decides. An ID
number is extracted only when `ingest.normalize.citizen_id` accepts it, so a wrong
check digit is no id_number; phones and plates carry the canonical key their
normaliser returns. Pure functions over a string: the spaCy component in
`components` calls `find_all`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import phonenumbers
from phonenumbers import PhoneNumberType

from ingest.extraction.mentions import Mention
from ingest.normalize import InvalidValue, citizen_id, phone, plate

# Confidence of a rule mention: what the check behind it rules out. A valid 18-digit
# number passes a check digit; a 15-digit one only a region and a birth date.
CONFIDENCE = {"id_number": 0.99, "id_number_15": 0.9, "phone": 0.98, "plate": 0.97, "date": 0.95}

# Full-width ASCII (Ａ-Ｚ, ０-９, ＋, －) folded one character for one, so offsets stay those
# of the original text.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d){8}(?!\d)")
# a landline: area code (010, 021, 0573…), maybe in brackets, then 7-8 digits in one or two groups
_LANDLINE = re.compile(r"(?<![\d+])(?:\(0\d{2,3}\)|0\d{2,3})[\s\-]?\d{3,4}[\s\-]?\d{4}(?!\d)")
_PLATE = re.compile(
    rf"[{plate.PROVINCES}][A-Za-z][\s·•・‧∙⋅.\-]?(?:[A-Za-z0-9]{{5,6}}|[A-Za-z0-9]{{4}}[{plate.SUFFIXES}])(?![A-Za-z0-9])"
)
_PERIOD = r"(?P<period>凌晨|早上|上午|中午|下午|傍晚|晚上|夜间|夜里)?"
_CLOCK = (
    rf"{_PERIOD}(?:(?P<h>\d{{1,2}})(?:时|点)(?:(?P<mi>\d{{1,2}})分|(?P<half>半))?许?"
    r"|(?P<hc>\d{1,2}):(?P<mc>\d{2})(?::(?P<sc>\d{2}))?)"
)
_DATE = (
    r"(?:(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"
    r"|(?P<y2>\d{4})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})"
    r"|(?P<m3>\d{1,2})月(?P<d3>\d{1,2})[日号])"
)
_DATE_RE = re.compile(rf"(?<!\d){_DATE}")
_CLOCK_RE = re.compile(rf"(?<![\d:]){_CLOCK}(?![\d:])")
_AFTERNOON = {"下午", "傍晚", "晚上", "夜间", "夜里"}
# When two rule spans overlap, the stronger check wins.
_PRIORITY = {"id_number": 0, "phone": 1, "plate": 2, "datetime": 3, "date": 3, "time": 3}


def fold(text: str) -> str:
    """Full-width ASCII as half-width, same length: rules match on this, offsets hold."""
    return text.translate(_FULL_WIDTH)


def _accepted(pattern: re.Pattern, normaliser, text: str) -> Iterator[tuple[re.Match, str]]:
    """The spans the pattern proposes that the normaliser accepts, with its canonical key."""
    for m in pattern.finditer(fold(text)):
        try:
            key = normaliser.clean(m.group())
        except InvalidValue:
            continue  # e.g. a wrong check digit, region or birth date: not an ID number
        yield m, key


def find_ids(text: str) -> Iterator[Mention]:
    for m, key in _accepted(_ID, citizen_id, text):
        confidence = CONFIDENCE["id_number" if len(m.group()) == 18 else "id_number_15"]
        yield _mention(text, m.start(), m.end(), "id_number", key, confidence)


def find_phones(text: str) -> Iterator[Mention]:
    for m, key in _accepted(_PHONE, phone, text):
        yield _mention(text, m.start(), m.end(), "phone", key, CONFIDENCE["phone"])


def find_landlines(text: str) -> Iterator[Mention]:
    """Fixed lines with their area code; the key is one form, 0573-82091234, however written."""
    for m in _LANDLINE.finditer(fold(text)):
        key = landline_key(m.group())
        if key is not None:
            yield _mention(text, m.start(), m.end(), "phone", key, CONFIDENCE["phone"])


def landline_key(written: str) -> str | None:
    """0 + area code + "-" + the local number, when `phonenumbers` says it is a mainland fixed line."""
    try:
        number = phonenumbers.parse(written, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) != PhoneNumberType.FIXED_LINE:
        return None
    national = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number)
    return f"0{national[:area]}-{national[area:]}" if area else None


def find_plates(text: str) -> Iterator[Mention]:
    for m, key in _accepted(_PLATE, plate, text):
        yield _mention(text, m.start(), m.end(), "plate", key, CONFIDENCE["plate"])


def find_datetimes(text: str) -> Iterator[Mention]:
    """Dates and clock times; a time right after a date (at most one space between) joins it."""
    folded = fold(text)
    days = [(m.start(), m.end(), key) for m in _DATE_RE.finditer(folded) if (key := _date_key(m))]
    clocks = {m.start(): (m.end(), key) for m in _CLOCK_RE.finditer(folded) if (key := _clock_key(m))}
    for start, end, day in days:
        after = end + 1 if folded[end : end + 1].isspace() else end
        if after in clocks:
            end, clock = clocks.pop(after)
            yield _datetime_mention(text, start, end, "datetime", f"{day}T{clock}")
        else:
            yield _datetime_mention(text, start, end, "date", day)
    for start, (end, clock) in clocks.items():
        yield _datetime_mention(text, start, end, "time", clock)


def _datetime_mention(text: str, start: int, end: int, entity_type: str, key: str) -> Mention:
    return _mention(text, start, end, entity_type, key, CONFIDENCE["date"])


def _mention(text: str, start: int, end: int, entity_type: str, key: str, confidence: float) -> Mention:
    return Mention(start, end, text[start:end], entity_type, key, confidence, "rule")


FINDERS: tuple[Callable[[str], Iterator[Mention]], ...] = (
    find_ids,
    find_phones,
    find_landlines,
    find_plates,
    find_datetimes,
)


def find_all(text: str) -> list[Mention]:
    """Every rule mention, overlaps settled by priority then length, in text order."""
    found = [mention for finder in FINDERS for mention in finder(text)]
    found.sort(key=lambda m: (_PRIORITY[m.entity_type], -(m.end - m.start), m.start))
    kept: list[Mention] = []
    for mention in found:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _date_key(m: re.Match) -> str | None:
    """ISO-like: 2025-03-04, or --03-04 (ISO 8601's form without a year); None if no such day."""
    year = m.group("y") or m.group("y2")
    month = m.group("m") or m.group("m2") or m.group("m3")
    day = m.group("d") or m.group("d2") or m.group("d3")
    if month is None:
        return None
    try:
        # a leap year stands in when the year is not written, so 2月29日 is allowed
        date(int(year or 2024), int(month), int(day))
    except ValueError:
        return None
    return f"{year}-{int(month):02d}-{int(day):02d}" if year else f"--{int(month):02d}-{int(day):02d}"


def _clock_key(m: re.Match) -> str | None:
    hour = m.group("h") or m.group("hc")
    minute = int(m.group("mi") or m.group("mc") or (30 if m.group("half") else 0))
    second = m.group("sc")
    hour_value = int(hour)
    if m.group("period") in _AFTERNOON and hour_value < 12:
        hour_value += 12
    if hour_value > 24 or minute > 59 or (second is not None and int(second) > 59):
        return None
    return f"{hour_value:02d}:{minute:02d}" + (f":{int(second):02d}" if second is not None else "")
