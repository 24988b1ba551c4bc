"""Mainland mobile numbers: the 11 digits, without country code or separators.

Which number ranges are mobile comes from `phonenumbers` (region CN). Its answer
for an 11-digit mainland number depends only on the leading digits (its mobile
pattern is a prefix of at most five digits followed by any digits), so the
verdict is cached per seven-digit prefix and the library runs once per prefix,
not once per row; a test checks the shortcut against the plain library call.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

from ingest.normalize.invalid import InvalidValue, is_blank, missing, nfkc, shown
from ingest.reject_reasons import Reason

PREFIX_DIGITS = 7
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_SEPARATORS = re.compile(r"[\s\-.()/]+")
_MOBILE_SHAPE = re.compile(r"1[3-9]\d{9}")
_COUNTRY_PREFIXES = ("+86", "0086", "86")


def clean(raw: object) -> str:
    """The 11-digit mobile number; raises InvalidValue for anything else (landlines too)."""
    digits = _digits(raw)
    if not _MOBILE_SHAPE.fullmatch(digits) or not is_mobile_prefix(digits[:PREFIX_DIGITS]):
        raise InvalidValue(Reason.PHONE_INVALID, f"phone {shown(raw)} is not a mainland mobile number")
    return digits


@lru_cache(maxsize=1 << 16)
def is_mobile_prefix(prefix: str) -> bool:
    return library_says_mobile(prefix + "0" * (11 - len(prefix)))


def library_says_mobile(digits: str) -> bool:
    """The plain `phonenumbers` verdict for 11 digits: a valid CN mobile number?"""
    number = PhoneNumber(country_code=86, national_number=int(digits))
    return phonenumbers.number_type(number) in _MOBILE_TYPES


def _digits(raw: object) -> str:
    if isinstance(raw, bool):
        raise InvalidValue(Reason.PHONE_INVALID, f"phone {shown(raw)} is not a number")
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        # a spreadsheet cell typed as a number keeps all 11 digits of a mobile number
        if raw.is_integer() and 0 < raw < 1e15:
            return str(int(raw))
        raise InvalidValue(Reason.PHONE_INVALID, f"phone {shown(raw)} is not a whole number")
    if not isinstance(raw, str):
        raise InvalidValue(Reason.PHONE_INVALID, f"phone {shown(raw)} is not text")
    if is_blank(raw):
        raise missing("phone")
    text = _SEPARATORS.sub("", nfkc(raw))
    if len(text) > 11:
        for prefix in _COUNTRY_PREFIXES:
            if text.startswith(prefix) and len(text) == 11 + len(prefix):
                return text[len(prefix) :]
    return text
