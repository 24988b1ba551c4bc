"""The hand-written evaluation reports (`reports.tsv`, and `untuned.tsv` written after
the span rules were frozen): police prose in five styles, with gold spans, for
`bench/bench_extraction.py` only. Training never reads them
(`tests/ingest/extraction/test_extraction_handwritten.py` checks), so a score on
them is a score on text the pipeline was not tuned to.

    reports() -> [Narrative(text, family=<style>, split="handwritten", annotations)]

Gold types: person, id_number, phone (mobile and landline), plate, address and
place; `place` is a named place without a postal address (检查站, 码头, 路口…), scored
together with `address` as "address or place".
"""

from __future__ import annotations

import re
from pathlib import Path

from training.corpus import Annotation, Narrative

REPORTS = Path(__file__).resolve().parent / "reports.tsv"
# written after the span rules were frozen, which were developed while reading REPORTS
UNTUNED = Path(__file__).resolve().parent / "untuned.tsv"
STYLES = ("brief", "interview", "notice", "patrol", "mixed")
TYPES = {"P": "person", "I": "id_number", "M": "phone", "L": "phone", "V": "plate", "A": "address", "G": "place"}
_MARK = re.compile(r"\[([^\[\]|]+)\|([A-Z])\]")


def parse(marked: str) -> tuple[str, tuple[Annotation, ...]]:
    """The plain text and its gold spans, from a line with [text|T] marks."""
    text, gold, at = [], [], 0
    for m in _MARK.finditer(marked):
        text.append(marked[at : m.start()])
        start = sum(len(part) for part in text)
        span, code = m.group(1), m.group(2)
        if code not in TYPES:
            raise ValueError(f"{REPORTS.name}: unknown gold type {code!r} in {marked[:40]!r}")
        text.append(span)
        gold.append(Annotation(start, start + len(span), TYPES[code], None))
        at = m.end()
    text.append(marked[at:])
    return "".join(text), tuple(gold)


def reports(path: Path = REPORTS) -> list[Narrative]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        style, _, marked = line.partition("\t")
        if style not in STYLES:
            raise ValueError(f"{path.name} line {number}: style {style!r} is none of {', '.join(STYLES)}")
        text, gold = parse(marked)
        out.append(Narrative(text, style, "handwritten", gold))
    return out
