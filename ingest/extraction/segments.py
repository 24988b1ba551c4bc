"""A case text cut into segments for display: plain text, and the mentions in it.

    segments("报警人张三称…", mentions) -> [Segment("报警人", None), Segment("张三", m), Segment("称…", None)]

Pure: no database, no HTML. The caller escapes each segment's text and decides how a
mention looks and where it links (`mention.label`/`mention.key` of a `LinkedMention`).
Joining the segments' texts gives back the text exactly. Mentions that do not fit
the text (offsets out of range, empty, or a stored `text` that no longer matches what
is at those offsets, as after the report was edited) are left out rather than shown
in the wrong place; of two overlapping mentions the one starting first (then the
longer) is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class Segment(NamedTuple):
    text: str
    mention: Any | None  # the caller's mention object, unchanged; None for plain text


def _field(mention: Any, name: str) -> Any:
    return mention.get(name) if isinstance(mention, dict) else getattr(mention, name, None)


def fits(text: str, mention: Any) -> bool:
    start, end, said = _field(mention, "start"), _field(mention, "end"), _field(mention, "text")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return False
    return said is None or text[start:end] == said


def segments(text: str, mentions: Iterable[Any]) -> list[Segment]:
    """The text as an ordered list of segments; `mentions` are objects or dicts with
    `start` and `end` (code-point offsets, end exclusive) and optionally `text`."""
    usable = sorted((m for m in mentions if fits(text, m)), key=lambda m: (_field(m, "start"), -_field(m, "end")))
    out: list[Segment] = []
    at = 0
    for mention in usable:
        start, end = _field(mention, "start"), _field(mention, "end")
        if start < at:
            continue  # overlaps the mention before it
        if start > at:
            out.append(Segment(text[at:start], None))
        out.append(Segment(text[start:end], mention))
        at = end
    if at < len(text):
        out.append(Segment(text[at:], None))
    return out
