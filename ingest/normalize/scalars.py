"""The plain value types: int, float, bool, text, text_list, enum and point."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ingest.normalize.invalid import InvalidValue, is_blank, missing, nfkc, shown
from ingest.reject_reasons import Reason

# beyond 2**53 a float no longer holds every integer: such a number was rounded
_EXACT_FLOAT_LIMIT = 2**53
# the graph stores 64-bit integers
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_INT_DIGITS = len(str(_INT_MAX))
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NEWLINES = re.compile(r"\r\n?")
_LIST_SEPARATORS = re.compile(r"[;；,，、|]")
_POINT_WKT = re.compile(r"POINT\s*\(\s*(\S+)\s+(\S+)\s*\)", re.IGNORECASE)

_TRUE = frozenset({"是", "有", "真", "对", "true", "yes", "y", "t", "1", "√", "✓", "✔"})
_FALSE = frozenset({"否", "无", "没有", "假", "错", "false", "no", "n", "f", "0", "×", "✗", "✘"})
# values of enums that registries also write another way; the canonical value is the schema's
_ENUM_ALIASES = {"男": ("男性", "m", "male"), "女": ("女性", "f", "female")}


def clean_int(raw: object) -> int:
    if isinstance(raw, bool):
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is a yes/no value, not a number")
    if isinstance(raw, str) and raw.isdigit() and raw.isascii() and len(raw) < _INT_DIGITS:
        return int(raw)  # the common case, without Decimal
    number: int | Decimal = raw if isinstance(raw, int) else _decimal(raw)
    if isinstance(number, Decimal) and number != number.to_integral_value():
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is not a whole number")
    # compared before int() so that 1e999999 never becomes a million-digit integer
    if not _INT_MIN <= number <= _INT_MAX:
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is too large for a 64-bit integer")
    return int(number)


def clean_float(raw: object) -> float:
    if isinstance(raw, bool):
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is a yes/no value, not a number")
    try:
        number = float(raw) if isinstance(raw, (int, float)) else float(_decimal(raw))
    except OverflowError:  # an integer beyond the float range
        number = math.inf
    if not math.isfinite(number):
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is not finite or too large")
    return number


def clean_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        if is_blank(raw):
            raise missing("yes/no value")
        word = nfkc(raw).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise InvalidValue(Reason.BOOL_INVALID, f"yes/no value {shown(raw)} is not one of 是/否, true/false, 1/0, Y/N")


def clean_text(raw: object) -> str:
    """Free text: surrounding whitespace stripped and newlines made \\n; nothing else
    changes, so Chinese text stays exactly as written."""
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            raise missing("text")
        return _NEWLINES.sub("\n", text) if "\r" in text else text
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < _EXACT_FLOAT_LIMIT:
        # a spreadsheet number cell in a text column: 12345.0 was typed as 12345
        return str(int(raw))
    if isinstance(raw, (int, float)):
        return repr(raw)
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()
    if raw is None:
        raise missing("text")
    raise InvalidValue(Reason.TEXT_INVALID, f"text {shown(raw)} is a {type(raw).__name__}, not text")


def clean_text_list(raw: object) -> list[str]:
    """A list of texts, from a JSON list (or its text) or a string split on ; , 、 | (ASCII or full-width)."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("[") and text.endswith("]"):
            try:
                raw = json.loads(text)
            except json.JSONDecodeError:
                message = f"list {shown(raw)} looks like JSON but does not parse"
                raise InvalidValue(Reason.TEXT_INVALID, message) from None
        else:
            raw = _LIST_SEPARATORS.split(text)
    if not isinstance(raw, (list, tuple)):
        raise InvalidValue(Reason.TEXT_INVALID, f"list {shown(raw)} is neither a list nor text")
    items = [clean_text(item) for item in raw if not is_blank(item)]
    if not items:
        raise missing("list")
    return items


def clean_enum(raw: object, values: Sequence[str]) -> str:
    """One of `values`, matched after NFKC and trimming, ignoring case for ASCII values,
    or by a known alias (男性, male and M for 男)."""
    if is_blank(raw):
        raise missing("value")
    if isinstance(raw, str):
        word = nfkc(raw).strip()
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        word = clean_text(raw)  # a code typed as a number: 1 for "1"
    else:
        raise InvalidValue(Reason.ENUM_INVALID, f"value {shown(raw)} is not text")
    if word in values:
        return word
    folded = word.casefold()
    for value in values:
        if value.casefold() == folded or folded in _ENUM_ALIASES.get(value, ()):
            return value
    raise InvalidValue(Reason.ENUM_INVALID, f"value {shown(raw)} is not one of {', '.join(values)}")


def clean_point(raw: object) -> tuple[float, float]:
    """(longitude, latitude) in degrees from POINT(lon lat), "lon,lat" or a (lon, lat) pair."""
    parts: Sequence[object]
    if isinstance(raw, str):
        if is_blank(raw):
            raise missing("point")
        text = nfkc(raw).strip()
        match = _POINT_WKT.fullmatch(text)
        parts = match.groups() if match else text.strip("()[]").split(",")
    elif isinstance(raw, (list, tuple)):
        parts = raw
    else:
        raise InvalidValue(Reason.POINT_INVALID, f"point {shown(raw)} is not a longitude,latitude pair")
    if len(parts) != 2:
        raise InvalidValue(Reason.POINT_INVALID, f"point {shown(raw)} is not a longitude,latitude pair")
    try:
        lon, lat = (clean_float(part) for part in parts)
    except InvalidValue:
        raise InvalidValue(Reason.POINT_INVALID, f"point {shown(raw)} holds something that is not a number") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidValue(Reason.POINT_INVALID, f"point {shown(raw)} is out of range (longitude first)")
    return lon, lat


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, float):
        if not math.isfinite(raw) or abs(raw) >= _EXACT_FLOAT_LIMIT:
            raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is not finite or too large to be exact")
        return Decimal(raw)
    if not isinstance(raw, str):
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is not a number")
    if is_blank(raw):
        raise missing("number")
    text = nfkc(raw).strip()
    if "," in text:
        # only thousands groups: "3,5" may be a decimal comma, and guessing would change the value
        if not _GROUPED.fullmatch(text):
            raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} has commas that are no thousands groups")
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is not a number") from None
    if not number.is_finite():
        raise InvalidValue(Reason.NUMBER_INVALID, f"number {shown(raw)} is not finite")
    return number
