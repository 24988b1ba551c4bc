"""Addresses and named places from the lexical analyser's words, with rules that know
where an address ends.

An address runs administrative division → road → number → building, unit, room and
stops at the first word that is none of these (a verb, a preposition, 门口): LAC tags
divisions and roads `LOC` (南湖区 / 庆丰南路66号3幢) and leaves the rest as numbers and
nouns (2 / 单元 / 501 / 室), which the run takes in. A named place without a postal
address ends in a place word (检查站, 卡口, 码头, 景区, 路口, 交叉口, 广场, 车站, 派出所…):
湖心岛码头, 07省道嘉兴北检查站, 中山路与禾兴路交叉口. Words that overlap a rule mention
(a plate's 浙F is often tagged LOC) are no part of a place.
"""

from __future__ import annotations

import re

from ingest.extraction.lexical import Word
from ingest.extraction.mentions import Mention
from ingest.normalize import InvalidValue
from ingest.normalize import address as addresses

LEXICAL_ADDRESS = 0.85
LEXICAL_PLACE = 0.80
NAMED = ("LOC", "ORG")
DIVISION_ENDS = ("省", "市", "区", "县", "镇", "乡", "街道", "村", "社区", "小区", "新村", "花园", "苑")
ROAD_ENDS = ("路", "街", "大道", "巷", "弄", "省道", "国道")
# place words that may follow a name word; the strong ones also follow a plain noun (新埭卡口)
STRONG_PLACE_WORDS = ("检查站", "卡口", "码头", "收费站", "派出所", "公安局", "交叉口", "路口")
PLACE_WORDS = (
    *STRONG_PLACE_WORDS,
    "景区",
    "广场",
    "车站",
    "火车站",
    "汽车站",
    "高铁站",
    "客运中心",
    "公园",
    "街区",
    "渔村",
    "港区",
    "服务区",
    "供应站",
    # a compound's camera gates are named for its gates: 锦绣花园南门
    "东门",
    "南门",
    "西门",
    "北门",
)
ROUTE_WORDS = ("省道", "国道", "县道")
JUNCTION_WORDS = ("与", "和")
# the pieces of a number, building, unit or room: 66号, 3幢, 2, 单元, 501室
_UNIT = re.compile(r"\d+(?:号楼|号|幢|栋|单元|室|楼|层|弄)?|号楼|号|幢|栋|单元|室|层|楼")
_HAS_NUMBER = re.compile(r"\d")
MIN_BARE_NAME = 4  # a LOC word alone (嘉兴南站, 南湖公园) is a place from four characters on


def find(text: str, words: list[Word], taken: list[Mention]) -> list[Mention]:
    """Address and place mentions (type "address"), none overlapping `taken` (rule mentions)."""
    usable = [w for w in words if not any(w.start < m.end and m.start < w.end for m in taken)]
    found: list[Mention] = []
    i = 0
    while i < len(usable):
        end_index = _run(usable, i)
        if end_index is None:
            i += 1
            continue
        span = usable[i : end_index + 1]
        if _accepted(span):
            found.append(_mention(text, span[0].start, span[-1].end))
        i = end_index + 1
    return found


def _starts(words: list[Word], i: int) -> bool:
    """Whether a place may start at word i: a place name, a route number (07省道), or a
    plain noun before a strong place word (新埭卡口)."""
    w = words[i]
    if w.tag in NAMED:
        return True
    nxt = words[i + 1] if i + 1 < len(words) else None
    if nxt is None or not _adjacent(w, nxt):
        return False
    if w.tag == "m" and nxt.text in ROUTE_WORDS:
        return True
    return w.tag in ("n", "nz") and len(w.text) >= 2 and _place_word_at(words, i + 1, STRONG_PLACE_WORDS) is not None


def _run(words: list[Word], i: int) -> int | None:
    """The index of the last word of the place that starts at word i, or None."""
    if not _starts(words, i):
        return None
    last, seen_name = i, words[i].tag in NAMED
    j = i + 1
    while j < len(words) and _adjacent(words[j - 1], words[j]):
        w = words[j]
        if (w.tag in NAMED and not w.text.endswith(PLACE_WORDS)) or w.text in ROUTE_WORDS:
            seen_name = seen_name or w.tag in NAMED
        elif (k := _place_word_at(words, j, PLACE_WORDS)) is not None:
            last = k
            j = k + 1
            continue
        elif seen_name and _is_unit(words, j):
            pass
        elif w.text == "某" and j + 1 < len(words) and words[j + 1].text.endswith(DIVISION_ENDS):
            j += 1  # 某小区: an anonymised compound is still a place
        elif w.text in JUNCTION_WORDS and _junction_ahead(words, j):
            pass
        else:
            break
        last = j
        j += 1
    return last


def _place_word_at(words: list[Word], j: int, kinds: tuple[str, ...]) -> int | None:
    """The index of the word that ends a place word starting at word j (LAC may split one:
    检查 / 站 before 拦), or None; a word that only ends in one counts too (收费站, 乍浦港区)."""
    if words[j].text.endswith(kinds) and words[j].tag in (*NAMED, "n", "s", "nz", "vn"):
        return j
    joined = words[j].text
    for k in range(j + 1, min(j + 3, len(words))):
        if not _adjacent(words[k - 1], words[k]):
            return None
        joined += words[k].text
        if joined in kinds:
            return k
    return None


def _is_unit(words: list[Word], j: int) -> bool:
    """66号, 3幢, 单元, 501室; a bare number only before its unit (2 / 单元, not 2 / 人)."""
    text = words[j].text
    if not _UNIT.fullmatch(text):
        return False
    if text.isdigit():
        after = words[j + 1].text if j + 1 < len(words) and _adjacent(words[j], words[j + 1]) else ""
        return not after.isdigit() and _UNIT.fullmatch(after) is not None
    return True


def _junction_ahead(words: list[Word], j: int) -> bool:
    """与 or 和 between two roads ending in 交叉口 or 路口 (中山路与禾兴路交叉口)."""
    rest = words[j + 1 : j + 4]
    return bool(rest) and _is_road(rest[0].text) and any(w.text in ("交叉口", "路口") for w in rest[1:])


def _accepted(span: list[Word]) -> bool:
    text = "".join(w.text for w in span)
    if text in PLACE_WORDS:  # 东门, 车站 alone name no one place
        return False
    if text.endswith(PLACE_WORDS):
        return True
    if any(_is_road(w.text) or w.text.endswith(DIVISION_ENDS) for w in span if w.tag == "LOC"):
        return True
    return len(span) == 1 and span[0].tag == "LOC" and len(text) >= MIN_BARE_NAME


def _is_road(word: str) -> bool:
    return word.endswith(ROAD_ENDS) or bool(_HAS_NUMBER.search(word) and "号" in word)


def _adjacent(a: Word, b: Word) -> bool:
    return a.end == b.start


def _mention(text: str, start: int, end: int) -> Mention:
    span = text[start:end]
    try:
        parsed = addresses.clean(span)
    except InvalidValue:
        return Mention(start, end, span, "address", span, LEXICAL_PLACE, "lexical")
    return Mention(start, end, span, "address", parsed.full, LEXICAL_ADDRESS, "lexical")


# LAC's tags of words that end an address: verbs, prepositions, particles, adverbs…
_STOPS = {"v", "vd", "p", "u", "c", "d", "r", "xc", "w", "f", "TIME", "q", "PER"}


def trim_ner(text: str, m: Mention, words: list[Word]) -> Mention | None:
    """An NER address ended on the last of LAC's words that can end an address (a place
    name, a division, a road, a number or room, a place word), before any word that is
    no part of one (南湖区城南街道发生一起入室 → 南湖区城南街道; 南湖区东栅街道一居民 →
    南湖区东栅街道), and never inside a word (海宁市斜桥镇村 of 村民 → 海宁市斜桥镇)."""
    end = m.start
    inside = [w for w in words if w.end > m.start and w.start < m.end]
    for j, w in enumerate(inside):
        glued = len(w.text) == 1 and j + 1 < len(inside) and _is_unit(inside, j + 1)  # 凤凰 / 里 / 1幢
        if w.end > m.end or (w.tag in _STOPS and not glued) or (w.tag == "m" and not _is_unit(inside, j)):
            break
        if w.tag in NAMED or w.text.endswith(PLACE_WORDS + DIVISION_ENDS + ROAD_ENDS) or _is_unit(inside, j):
            end = w.end
    if end == m.end:
        return m
    if end - m.start < 2:
        return None
    span = text[m.start : end]
    try:
        parsed = addresses.clean(span)
    except InvalidValue:
        return None
    return Mention(m.start, end, span, "address", parsed.full, m.confidence, m.source)
