"""Motor-vehicle plates of the mainland (GA 36-2018): canonical upper case, no separators.

    浙F12345   ordinary (blue or yellow) plate: province, issuing letter, five serial characters
    浙F1234学  coach, police, trailer, consulate plates: four serial characters and a suffix
    浙FD12345  small new-energy plate: D (electric) or F (hybrid), a letter or digit, four digits
    浙F12345D  large new-energy plate: five digits, then D or F

Written by hand: no maintained package validates Chinese plates (the PyPI packages
that mention them recognise plates in images). Letters I and O are never issued;
they are rejected, not read as 1 and 0, since guessing would invent a plate.
"""

from __future__ import annotations

import re

from ingest.normalize.invalid import InvalidValue, is_blank, missing, nfkc, shown
from ingest.reject_reasons import Reason

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
SUFFIXES = "学警挂领"
_LETTER = "A-HJ-NP-Z"
_SERIAL = f"[{_LETTER}0-9]"
_PLATE = re.compile(
    rf"[{PROVINCES}][{_LETTER}]"
    rf"(?:{_SERIAL}{{5}}"  # ordinary
    rf"|{_SERIAL}{{4}}[{SUFFIXES}]"  # special-use suffix
    rf"|[DF][{_LETTER}0-9]\d{{4}}"  # small new-energy
    rf"|\d{{5}}[DF])"  # large new-energy
)
# separators people and systems put between the parts: middle dots of several
# scripts, hyphens, full stops, spaces (full-width forms are folded by NFKC first)
_SEPARATORS = re.compile(r"[\s·•・‧∙⋅.\-_]+")
NEW_ENERGY_LENGTH = 8


def clean(raw: object) -> str:
    """The canonical plate, e.g. 浙F12345 or 浙FD12345; raises InvalidValue."""
    if not isinstance(raw, str):
        raise InvalidValue(Reason.PLATE_INVALID, f"plate {shown(raw)} is not text")
    if is_blank(raw):
        raise missing("plate")
    plate = _SEPARATORS.sub("", nfkc(raw)).upper()
    if not _PLATE.fullmatch(plate):
        raise InvalidValue(Reason.PLATE_INVALID, f"plate {shown(raw)} is no mainland plate number")
    return plate


def is_new_energy(plate: str) -> bool:
    """Whether a canonical plate is a new-energy (green) plate."""
    return len(plate) == NEW_ENERGY_LENGTH
