"""Every character that stands for one decimal digit: the compatibility forms NFKC maps to a
digit (full-width ０-９, superscripts, circled ①-⑨, mathematical digits, …) and the decimal
digits of every script (Arabic-Indic, Devanagari, …, which NFKC leaves as they are).

Free-text masking reads a number through these, so an ID number or phone typed in any of them
is found. The table is data because scanning all of Unicode costs most of a second at import;
`scan()` rebuilds it from the running Python's Unicode database and a test compares the two.
"""

from __future__ import annotations

import sys
import unicodedata

# (first code point, last code point, digit of the first); digits rise by one along a run.
RUNS: tuple[tuple[int, int, int], ...] = (
    (0xB2, 0xB3, 2),
    (0xB9, 0xB9, 1),
    (0x660, 0x669, 0),
    (0x6F0, 0x6F9, 0),
    (0x7C0, 0x7C9, 0),
    (0x966, 0x96F, 0),
    (0x9E6, 0x9EF, 0),
    (0xA66, 0xA6F, 0),
    (0xAE6, 0xAEF, 0),
    (0xB66, 0xB6F, 0),
    (0xBE6, 0xBEF, 0),
    (0xC66, 0xC6F, 0),
    (0xCE6, 0xCEF, 0),
    (0xD66, 0xD6F, 0),
    (0xDE6, 0xDEF, 0),
    (0xE50, 0xE59, 0),
    (0xED0, 0xED9, 0),
    (0xF20, 0xF29, 0),
    (0x1040, 0x1049, 0),
    (0x1090, 0x1099, 0),
    (0x17E0, 0x17E9, 0),
    (0x1810, 0x1819, 0),
    (0x1946, 0x194F, 0),
    (0x19D0, 0x19D9, 0),
    (0x1A80, 0x1A89, 0),
    (0x1A90, 0x1A99, 0),
    (0x1B50, 0x1B59, 0),
    (0x1BB0, 0x1BB9, 0),
    (0x1C40, 0x1C49, 0),
    (0x1C50, 0x1C59, 0),
    (0x2070, 0x2070, 0),
    (0x2074, 0x2079, 4),
    (0x2080, 0x2089, 0),
    (0x2460, 0x2468, 1),
    (0x24EA, 0x24EA, 0),
    (0xA620, 0xA629, 0),
    (0xA8D0, 0xA8D9, 0),
    (0xA900, 0xA909, 0),
    (0xA9D0, 0xA9D9, 0),
    (0xA9F0, 0xA9F9, 0),
    (0xAA50, 0xAA59, 0),
    (0xABF0, 0xABF9, 0),
    (0xFF10, 0xFF19, 0),
    (0x104A0, 0x104A9, 0),
    (0x10D30, 0x10D39, 0),
    (0x11066, 0x1106F, 0),
    (0x110F0, 0x110F9, 0),
    (0x11136, 0x1113F, 0),
    (0x111D0, 0x111D9, 0),
    (0x112F0, 0x112F9, 0),
    (0x11450, 0x11459, 0),
    (0x114D0, 0x114D9, 0),
    (0x11650, 0x11659, 0),
    (0x116C0, 0x116C9, 0),
    (0x11730, 0x11739, 0),
    (0x118E0, 0x118E9, 0),
    (0x11950, 0x11959, 0),
    (0x11C50, 0x11C59, 0),
    (0x11D50, 0x11D59, 0),
    (0x11DA0, 0x11DA9, 0),
    (0x16A60, 0x16A69, 0),
    (0x16AC0, 0x16AC9, 0),
    (0x16B50, 0x16B59, 0),
    (0x1D7CE, 0x1D7D7, 0),
    (0x1D7D8, 0x1D7E1, 0),
    (0x1D7E2, 0x1D7EB, 0),
    (0x1D7EC, 0x1D7F5, 0),
    (0x1D7F6, 0x1D7FF, 0),
    (0x1E140, 0x1E149, 0),
    (0x1E2F0, 0x1E2F9, 0),
    (0x1E950, 0x1E959, 0),
    (0x1FBF0, 0x1FBF9, 0),
)


def table() -> dict[int, str]:
    """Code point → the ASCII digit it stands for."""
    return {cp: str(first + cp - start) for start, end, first in RUNS for cp in range(start, end + 1)}


def scan() -> dict[int, str]:
    """The same table, read from the Unicode database (slow: every code point)."""
    out: dict[int, str] = {}
    for cp in range(128, sys.maxunicode + 1):
        char = chr(cp)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded in "0123456789":
            out[cp] = folded
        elif char.isdecimal():
            out[cp] = str(unicodedata.decimal(char))
    return out
