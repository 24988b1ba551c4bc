"""Person names: NFKC, no stray spaces inside Chinese names, one middle dot.

Names of Uyghur, Tibetan and other minority citizens (and transliterated foreign
names) join their parts with a middle dot; registries type it as any of half a
dozen look-alike characters, all folded to U+00B7 "·". The full stop that ends an
abbreviation in a Latin-script name ("St. John", "J. R. Hartley") is no such dot and
stays. Written by hand: no library does this small job.
"""

from __future__ import annotations

import re

from ingest.normalize.invalid import InvalidValue, is_blank, missing, nfkc, shown
from ingest.reject_reasons import Reason

MIDDLE_DOT = "·"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# look-alikes of the middle dot, with any spaces around them
_DOTS = re.compile(r"\s*[.·•・‧∙⋅]+\s*")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
# The full stop of an abbreviated Latin-script name ("St. John", "J. R. Smith") is kept as
# written; a dot anywhere else is one of the look-alikes above.
_LATIN_STOP = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])\.(?=\s|$)")
_KEPT_STOP = "\x00"
# what a name may hold once cleaned: letters of any script, the middle dot, and the
# space, hyphen, apostrophe and abbreviating full stop of Latin-script names
_NAME = re.compile(rf"(?:[^\W\d_]|[{_CJK}])+(?:(?:\. ?|[{MIDDLE_DOT} '\-])(?:[^\W\d_]|[{_CJK}])+)*\.?")


def clean(raw: object) -> str:
    """The cleaned name; raises InvalidValue (required.missing when nothing is left)."""
    if not isinstance(raw, str):
        raise InvalidValue(Reason.NAME_INVALID, f"name {shown(raw)} is not text")
    if is_blank(raw):
        raise missing("name")
    name = nfkc(raw).strip()
    if _KEPT_STOP in name:  # a control character, and the stand-in for a kept stop below
        raise InvalidValue(Reason.NAME_INVALID, f"name {shown(raw)} holds digits or symbols")
    name = _LATIN_STOP.sub(_KEPT_STOP, name)
    name = _DOTS.sub(MIDDLE_DOT, name).strip(MIDDLE_DOT + " ").replace(_KEPT_STOP, ".")
    name = _SPACE_BETWEEN_CJK.sub("", name)
    name = _SPACES.sub(" ", name)
    if not name:
        raise missing("name")
    if not _NAME.fullmatch(name):
        raise InvalidValue(Reason.NAME_INVALID, f"name {shown(raw)} holds digits or symbols")
    return name
