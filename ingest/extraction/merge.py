"""One list of mentions from what the rules, the gazetteer, the statistical NER and the
lexical analyser's span rules found.

A rule mention (its check passed) beats anything overlapping it. Then addresses, then
persons, each kind in order of rank, a mention kept when it overlaps none kept before:

- persons: the longest span any component supports, then the one more components
  agree on. A gazetteer confirms or links a span the text supports; a known name that
  is only a prefix of the mention (孙丽 in 孙丽华) never cuts it short, which matters
  once the graph holds most two-character prefixes as somebody's name.
- addresses: the graph's own address (the gazetteer's canonical match), then the
  longest span of the NER (cut where LAC's words stop being an address) or the
  lexical rules.

Components that found exactly the kept span are joined in its source ("ner+lexical",
"ner+gazetteer", …). An NER span must look like what it claims: a person a known
surname and one to three more characters, an address something the address
normaliser accepts, with no sentence punctuation inside. Without the lexical analyser
(`build(lexical=False)`) the merge is the one before it: the gazetteer beats the NER.

Extraction confidence (what `Mention.confidence` holds), before any linking:

    rule: ID number 0.99 (15-digit 0.90), phone 0.98, plate 0.97, date/time 0.95
    confirmed by the gazetteer 0.97; gazetteer alone 0.90 (a two-character name 0.80)
    lexical: person 0.85 (anonymised 0.80, pinyin/English 0.80), address 0.85, place 0.80
    ner alone: person 0.80; address 0.85 with a recognised district, else 0.60
    several components agreeing: the highest of theirs
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
SOURCE_ORDER = ("ner", "lexical", "gazetteer")


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
    rule_mentions: list[Mention],
    gazetteer_mentions: list[Mention],
    ner_mentions: list[Mention],
    lexical_mentions: list[Mention] | None = None,
) -> list[Mention]:
    """The mentions to keep, in text order, none overlapping another. Without the
    lexical analyser (`lexical_mentions` None) the gazetteer beats the NER, as the
    pipeline did before LAC: with no second reading of the text, a known name is the
    safer bet than an NER span around it."""
    if lexical_mentions is None:
        return _merge_without_words(rule_mentions, gazetteer_mentions, ner_mentions)
    kept = list(rule_mentions)
    candidates = [*gazetteer_mentions, *ner_mentions, *lexical_mentions]
    for kind, rank in (("address", _address_rank), ("person", _person_rank)):  # an address over a name in it
        of_kind = [m for m in candidates if m.entity_type == kind and not any(_overlaps(m, k) for k in kept)]
        for m in sorted(of_kind, key=lambda m, of_kind=of_kind: rank(m, of_kind), reverse=True):
            if not any(_overlaps(m, k) for k in kept):
                kept.append(_agreed(of_kind, m))
    return sorted(kept, key=lambda m: m.start)


def _person_rank(m: Mention, found: list[Mention]) -> tuple:
    """The longest span any component supports first: a known name that is only a prefix
    of what the text writes (孙丽 in 孙丽华) never cuts it short; then agreement."""
    return (m.end - m.start, _agreeing(found, m), -m.start)


def _address_rank(m: Mention, found: list[Mention]) -> tuple:
    """The graph's own address first, then the longest span the NER (cut where LAC's
    words stop being an address) or the lexical rules find."""
    return (m.source == "gazetteer", m.end - m.start, m.source == "ner", -m.start)


def _agreeing(found: list[Mention], chosen: Mention) -> int:
    return sum(1 for m in found if (m.start, m.end) == (chosen.start, chosen.end))


def _agreed(found: list[Mention], chosen: Mention) -> Mention:
    """The chosen span with every component that found exactly it in its source."""
    same = [m for m in found if (m.start, m.end) == (chosen.start, chosen.end)]
    found_by = {part for m in same for part in m.source.split("+")}
    sources = [s for s in SOURCE_ORDER if s in found_by]
    if len(sources) == 1:
        return chosen
    gazetteer = next((m for m in same if m.source == "gazetteer"), None)
    key = gazetteer.key if gazetteer is not None else chosen.key
    confidence = CONFIRMED if gazetteer is not None else max(m.confidence for m in same)
    return Mention(chosen.start, chosen.end, chosen.text, chosen.entity_type, key, confidence, "+".join(sources))


def _merge_without_words(
    rule_mentions: list[Mention], gazetteer_mentions: list[Mention], ner_mentions: list[Mention]
) -> list[Mention]:
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
