"""One list of mentions from what the rules, the gazetteer and the statistical NER found.

Order of trust: a rule mention (its check passed) beats anything overlapping it; then
a gazetteer match (the name or address exists in the graph, and its edges are the
graph's own) beats an NER span it overlaps, except that an NER span confirming the
match exactly marks it "ner+gazetteer". An NER span left alone must look like what
it claims: a person a known surname and one to three more characters, an address
something the address normaliser accepts, with no sentence punctuation inside.

Extraction confidence (what `Mention.confidence` holds), before any linking:

    rule: ID number 0.99 (15-digit 0.90), phone 0.98, plate 0.97, date/time 0.95
    ner+gazetteer 0.97; gazetteer alone 0.90 (a two-character name 0.80)
    ner alone: person 0.80; address 0.85 with a recognised district, else 0.60
"""

from __future__ import annotations

from ingest.extraction.gazetteer import widen
from ingest.extraction.mentions import Mention
from ingest.extraction.surnames import looks_like_name, surname_length
from ingest.normalize import InvalidValue
from ingest.normalize import address as addresses
from ingest.normalize import names as name_values

CONFIRMED = 0.97
GAZETTEER = 0.90
GAZETTEER_SHORT_NAME = 0.80
NER_PERSON = 0.80
NER_ADDRESS = 0.85
NER_ADDRESS_NO_DISTRICT = 0.60
MAX_SINGLE_SURNAME_NAME = 3
_CONTINUES = {"Mk", "Ek"}  # the character is not the first of a dictionary word
_GOES_ON = {"Bk", "Mk"}  # the character is not the last of a dictionary word
_SENTENCE_MARKS = set("，。；：！？、,;:!?（）()\n")
_ADDRESS_ENDS = "室幢号楼村苑园弄组"


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def ner_mention(text: str, start: int, end: int, label: str, tags: list[str] | None = None) -> Mention | None:
    """An NER span as a mention, or None when it fails the checks for its type.

    `tags` are the word tags (see `words`) of the text's characters, if known.
    """
    span = text[start:end]
    if label == "person":
        if surname_length(span) == 1 and len(span) == MAX_SINGLE_SURNAME_NAME + 1:
            # four characters after a one-character surname: the last is the next word (张岩岚以投资)
            end -= 1
            span = text[start:end]
        if not looks_like_name(span) or (tags and (tags[start][:2] in _CONTINUES or tags[end - 1][:2] in _GOES_ON)):
            # a name does not start or end inside a dictionary word: 联系方式 holds 方式,
            # 一张身份证 holds 张身, 居住于浙江省 holds 于浙江
            return None
        try:
            key = name_values.clean(span)
        except InvalidValue:
            return None
        return Mention(start, end, span, "person", key, NER_PERSON, "ner")
    if label == "address":
        start = _widened(text, start)
        span = text[start:end]
        cut = next((i for i, ch in enumerate(span) if ch in _SENTENCE_MARKS), len(span))
        # an address ends on its last 室/幢/号/…: what follows (门口, 楼下) is not part of it
        last = max(span.rfind(ch, 0, cut) for ch in _ADDRESS_ENDS)
        end = start + (last + 1 if last >= 0 else cut)
        span = text[start:end]
        try:
            parsed = addresses.clean(span)
        except InvalidValue:
            return None
        confidence = NER_ADDRESS if parsed.district else NER_ADDRESS_NO_DISTRICT
        return Mention(start, end, span, "address", parsed.full, confidence, "ner")
    return None


def _widened(text: str, start: int) -> int:
    """An address the NER began inside or after 浙江省嘉兴市 (江省嘉兴市…, 海盐县… after 嘉兴市)
    begins where that prefix does."""
    for prefix in ("浙江省嘉兴市", "嘉兴市"):
        for k in range(1, len(prefix)):
            if text[max(0, start - k) : start] == prefix[:k] and text.startswith(prefix[k:], start):
                start -= k
                break
    return widen(text, start)


def merge(
    rule_mentions: list[Mention], gazetteer_mentions: list[Mention], ner_mentions: list[Mention]
) -> list[Mention]:
    """The mentions to keep, in text order, none overlapping another."""
    kept = list(rule_mentions)
    ner_left = [m for m in ner_mentions if not any(_overlaps(m, k) for k in kept)]
    for match in sorted(gazetteer_mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if any(_overlaps(match, k) for k in kept):
            continue
        confirmed = any(
            n.start == match.start and n.end == match.end and n.entity_type == match.entity_type for n in ner_left
        )
        if confirmed:
            match = Mention(
                match.start, match.end, match.text, match.entity_type, match.key, CONFIRMED, "ner+gazetteer"
            )
        kept.append(match)
    for mention in sorted(ner_left, key=lambda m: -(m.end - m.start)):  # an address over a name inside it
        if not any(_overlaps(mention, k) for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
