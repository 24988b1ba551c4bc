"""Masking of sensitive values (citizen ID numbers, phone numbers and what is derived from an
ID number) for roles without the right to see them.

What is sensitive is data: properties marked `mask:` in the schema, and pack columns a query
declares `sensitive:`. Free text (case reports, captions, summaries) is masked by pattern, so
an ID number quoted in a report is hidden as well.

The masked forms keep nothing that rebuilds the number:

- an ID number keeps its last four characters only (`**************1234`): the four a tip
  quotes ("ID ending 8434"), and the check and gender digits, which say nothing more. The
  region (first six) and the birth date (next eight) are hidden, and the properties derived
  from them (`mask: derived_from_id`: birth date, region code) are hidden with them;
- a mobile number keeps 3 + 4 (`138****5678`), the form Chinese users know from banks and
  apps: the first three name the carrier, not the subscriber;
- a value derived from an ID number keeps only its punctuation (`****-**-**`).

Free text is read the way a person reads a number: each character as NFKC maps it (full-width
and other digit forms, see digit_forms.py), separators between digits skipped (spaces, dots,
dashes, slashes — up to three in a row), `+86`, `0086` and `86` prefixes allowed, and a
number touching a letter (`ID330402…`, `tel138…`) still a number. The hidden digits are
replaced where they stand, so the text keeps its layout. Strings without a digit are returned
at once: this runs on every string the workbench shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from access.digit_forms import RUNS, table
from graph.model import Schema

TEXT = "text"  # a pack column of free text that may quote a number: masked by pattern

# Separators a number may be written with, each read as one gap: whitespace (incl. the
# ideographic and zero-width spaces), dots, dashes, slashes and middle dots in every width.
_SEPARATORS = (
    " \t\n\r\f\v._-/\\"
    "\u00a0\u00ad\u00b7\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u200c\u200d\u2010\u2011\u2012\u2013\u2014\u2015\u2024\u2027\u202f\u2044\u205f\u2060"
    "\u2212\u2215\u2236\u3000\u3002\u30fb\ufe58\ufe63\ufeff\uff0d\uff0e\uff0f\uff3c\uff3f\uff61\uff65"
)
_PLUS = "+\u207a\u208a\ufe62\uff0b"
_X = "xX\uff38\uff58"

# One character of the text → one character of its skeleton: a digit, '_' for a separator,
# '+' or 'X'; anything else stays as it is (and is none of those).
_SKELETON = str.maketrans(
    {
        **{cp: digit for cp, digit in table().items()},
        **dict.fromkeys(map(ord, _SEPARATORS), "_"),
        **dict.fromkeys(map(ord, _PLUS), "+"),
        **dict.fromkeys(map(ord, _X), "X"),
    }
)
# `\d` is every script's decimal digits; the rest are the compatibility forms (², ①, …).
_DIGIT = (
    r"[\d"
    + "".join(f"{chr(start)}-{chr(end)}" for start, end, _ in RUNS if unicodedata.category(chr(start)) != "Nd")
    + "]"
)
_ANY_DIGIT = re.compile(_DIGIT)
# Eleven digits in a row once separators are dropped: the fewest a number to mask has (a mobile).
_ELEVEN = re.compile("[0-9]{11}")
_GAP = "_{0,3}+"  # possessive: a gap never gives back a separator, as no digit is one
# 18 characters (the last may be X), or the old 15 digits; not part of a longer run of digits.
_ID18_IN_TEXT = re.compile(rf"(?<![0-9])[0-9](?:{_GAP}[0-9]){{16}}{_GAP}[0-9X](?![0-9])")
_ID15_IN_TEXT = re.compile(rf"(?<![0-9])[0-9](?:{_GAP}[0-9]){{14}}(?![0-9])")
# A mainland mobile: 1, 3-9, nine more digits; after an optional +86 / 0086 / 86.
_PHONE_IN_TEXT = re.compile(rf"(?<![0-9])(?:(?:\+|00){_GAP})?(?:86{_GAP})?(1{_GAP}[3-9](?:{_GAP}[0-9]){{9}})(?![0-9])")
# Any country's number written the international way (+44 20 7946 0123): a plus, then 8 to
# 15 digits; it keeps its first two digits and last four, as a phone property does.
_INTERNATIONAL_IN_TEXT = re.compile(rf"(?<![0-9*])\+{_GAP}([1-9](?:{_GAP}[0-9]){{7,14}})(?![0-9])")
_GAPS = re.compile("_+")
_DIGIT_OR_X = frozenset("0123456789X")
_WORD = re.compile(r"\w")


def mask_text(text: str) -> str:
    """Hide ID numbers and mobile numbers written inside free text, in any width, with any
    separators or country prefix; a text without them comes back as it was (the same object)."""
    if not _ANY_DIGIT.search(text):
        return text
    skeleton = text.translate(_SKELETON)
    if not _ELEVEN.search(skeleton.replace("_", "")) and "+" not in skeleton:  # a date, a time, a plate
        return text
    hidden: list[int] = []
    for pattern, keep in (
        (_ID18_IN_TEXT, slice(None, -4)),
        (_ID15_IN_TEXT, slice(None, -4)),
        (_PHONE_IN_TEXT, None),
        (_INTERNATIONAL_IN_TEXT, slice(2, -4)),
    ):
        found = []
        for start, end in _numbers(pattern, skeleton, text):
            digits = [i for i in range(start, end) if skeleton[i] in _DIGIT_OR_X]
            found += digits[keep] if keep else digits[3:7]
        if found:  # a number is not looked for again inside one already hidden
            hidden += found
            blanked = list(skeleton)
            for i in found:
                blanked[i] = "*"
            skeleton = "".join(blanked)
    if not hidden:
        return text
    out = list(text)
    for i in hidden:
        out[i] = "*"
    return "".join(out)


def _numbers(pattern: re.Pattern, skeleton: str, text: str) -> list[tuple[int, int]]:
    """Spans of the numbers `pattern` finds (its group 1 when it has one). Up to two gaps
    may differ ("330402 19900101-1234"); with more, a number keeps one separator throughout,
    so a plate, a date and a time in a row ("浙F12345 2025-03-01 08:15") are not read as one."""
    out, pos = [], 0
    while (match := pattern.search(skeleton, pos)) is not None:
        start, end = match.span(1) if pattern.groups else match.span()
        gaps = [text[m.start() : m.end()] for m in _GAPS.finditer(skeleton, start, end)]
        if len(gaps) > 2 and len({unicodedata.normalize("NFKC", gap) for gap in gaps}) > 1:
            pos = match.start() + 1  # not one number: look again from the next character
            continue
        out.append((start, end))
        pos = match.end()
    return out


def mask_citizen_id(value: Any) -> str:
    """**************1234: the last four characters only."""
    text = str(value)
    found = mask_text(text)
    if found != text:
        return found
    return "*" * len(text) if len(text) < 8 else "*" * (len(text) - 4) + text[-4:]


def mask_phone(value: Any) -> str:
    """138****5678: the carrier's three digits and the last four."""
    text = str(value)
    found = mask_text(text)
    if found != text:
        return found
    if len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "*" * len(text) if len(text) < 8 else "*" * (len(text) - 4) + text[-4:]


def mask_derived(value: Any) -> str:
    """****-**-**: a value read out of an ID number (birth date, region code) keeps its punctuation only."""
    return _WORD.sub("*", str(value))


MASKERS = {"citizen_id": mask_citizen_id, "phone": mask_phone, "derived_from_id": mask_derived}
KINDS = frozenset(MASKERS) | {TEXT}


def mask_value(kind: str, value: Any) -> Any:
    """A value masked as `kind` (a schema mask, or `text`); lists and maps element by element."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [mask_value(kind, v) for v in value]
    if isinstance(value, Mapping):
        return {k: mask_value(kind, v) for k, v in value.items()}
    if kind == TEXT:
        return mask_number(value)
    return MASKERS[kind](value)


def mask_number(value: Any) -> Any:
    """Free text masked by pattern; a number long enough to be an ID or a phone
    (`toInteger(p.id_number)`) masked as its digits; anything else as it is."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e10:
        text = str(value)
        masked = mask_text(text)
        return masked if masked != text else value
    return value


def masked_properties(schema: Schema, labels: Iterable[str]) -> dict[str, str]:
    """Property → mask kind for a node with these labels (or a relationship: no labels)."""
    out: dict[str, str] = {}
    for label in labels:
        node = schema.nodes.get(label)
        if node is None:
            continue
        for prop in node.properties.values():
            if prop.mask:
                out[prop.name] = prop.mask
    return out


def mask_properties(schema: Schema, labels: Iterable[str], properties: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `properties` with the sensitive ones masked; free-text values too."""
    kinds = masked_properties(schema, labels)
    out: dict[str, Any] = {}
    for name, value in properties.items():
        if name in kinds:
            out[name] = mask_value(kinds[name], value)
        else:
            out[name] = mask_number(value)
    return out
