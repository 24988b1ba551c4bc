"""Pinyin and English names, and English-form addresses and places, in reports that mix
Chinese and English (`Wang Lei`, `room 302, No. 15 Zhongshan Road, Nanhu District`).

A name is two capitalised words where one is a pinyin surname (Wang Lei, Kevin Liu) or
which follow a role word (Tourist John Smith, 外籍游客Anna Müller); a word that names a
kind of place (Road, District, Station…) makes it no name. An address is a run of
two or more parts (Room 1502, Building 6, No. 88, Xinhua Road, Nanhu District,
Jiaxing) with a road, community or number among them; a place is a capitalised name
ending in a place word (Nanhu Scenic Area, Pinghu checkpoint) or a junction of two roads.
"""

from __future__ import annotations

import itertools
import re

from ingest.extraction.mentions import Mention

ENGLISH_PERSON = 0.80
ENGLISH_ADDRESS = 0.80
PINYIN_SURNAMES = frozenset(
    [
        "Wang",
        "Li",
        "Zhang",
        "Liu",
        "Chen",
        "Yang",
        "Huang",
        "Zhao",
        "Wu",
        "Zhou",
        "Xu",
        "Sun",
        "Ma",
        "Zhu",
        "Hu",
        "Guo",
        "He",
        "Gao",
        "Lin",
        "Luo",
        "Zheng",
        "Liang",
        "Xie",
        "Song",
        "Tang",
        "Han",
        "Feng",
        "Deng",
        "Cao",
        "Peng",
        "Zeng",
        "Xiao",
        "Tian",
        "Dong",
        "Pan",
        "Yuan",
        "Cai",
        "Jiang",
        "Yu",
        "Du",
        "Ye",
        "Cheng",
        "Wei",
        "Su",
        "Lu",
        "Ding",
        "Ren",
        "Yao",
        "Shen",
        "Zhong",
        "Jin",
        "Qian",
        "Gu",
        "Fang",
        "Shi",
        "Qin",
        "Dai",
        "Xia",
        "Fu",
        "Meng",
        "Bai",
        "Kong",
        "Mao",
        "Qiu",
        "Hou",
        "Jia",
        "Lei",
        "Fan",
        "Tan",
        "Yin",
        "Duan",
        "Long",
        "Hao",
        "Shao",
        "Wan",
        "Yan",
        "Mo",
        "Chang",
        "Tao",
        "Kang",
        "Qiao",
        "Lai",
        "Xiong",
        "Niu",
        "Lou",
        "Ouyang",
        "Situ",
    ]
)
ROLE_WORDS = (
    "reporter|suspect|tourist|victim|landlord|tenant|owner|driver|witness|complainant|neighbour|neighbor"
    "|officer|resident|报警人|民警|游客|失主|受害人|人员|旅客|证人|嫌疑人|车主|房东|租客"
)
PLACE_KINDS = (
    "Road|Rd|Street|St|Avenue|Lane|District|County|Town|Village|Community|Station|Pier|Port|Scenic|Area|Square"
    "|Park|Bridge|Railway|Checkpoint|checkpoint|Junction|junction|Gate|Building|Room|City|Province|South|North"
    "|East|West"
)
_WORD = r"[A-Z][a-zà-öø-ÿ]+"
_CAPITALISED = re.compile(rf"(?<![A-Za-z]){_WORD}(?![A-Za-z])")
_ROLE = re.compile(ROLE_WORDS, re.IGNORECASE)
NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "case",
        "interview",
        "patrol",
        "note",
        "vehicle",
        "hotel",
        "mr",
        "ms",
        "mrs",
        "dr",
        "id",
        "tel",
        "mobile",
    ]
)
_ROLE_BEFORE = re.compile(rf"(?:{ROLE_WORDS})[\s:：]*$", re.IGNORECASE)
_PLACE_KIND = re.compile(rf"^(?:{PLACE_KINDS})$")

_NUMBERED = r"(?i:room|rm|unit|flat|building|bldg|block|no)\.?\s*\d+[A-Za-z]?"
_NAMED = (
    rf"(?:{_WORD}\s+)+(?:Road|Rd|Street|St|Avenue|Lane|District|County|Town|Village|Community)\.?(?:\s+No\.?\s*\d+)?"
)
_CITIES = r"Jiaxing|Haining|Pinghu|Tongxiang|Jiashan|Haiyan|Zhejiang|Nanhu|Xiuzhou"
_PART = rf"(?:{_NUMBERED}|{_NAMED}|(?:{_CITIES})(?![a-z]))"
_ADDRESS = re.compile(rf"(?<![A-Za-z]){_PART}(?:,?\s+{_PART})+")
_PLACE = re.compile(
    rf"(?<![A-Za-z])(?:{_WORD}\s+(?:Road|Street)\s+and\s+{_WORD}\s+(?:Road|Street)\s+(?:junction|Junction|intersection)"
    rf"|(?:{_WORD}\s+)+(?:Scenic Area|Railway Station|Station|Port Pier|Pier|[Cc]heckpoint|Square|Park))"
)


def find_names(text: str) -> list[Mention]:
    words = list(_CAPITALISED.finditer(text))
    out = []
    for one, two in itertools.pairwise(words):
        if text[one.end() : two.start()] not in (" ", "-"):
            continue
        first, last = one.group(), two.group()
        if any(_PLACE_KIND.match(w) or w.lower() in NOT_NAMES or _ROLE.fullmatch(w) for w in (first, last)):
            continue
        surname = first in PINYIN_SURNAMES or last in PINYIN_SURNAMES
        if surname or _ROLE_BEFORE.search(text[max(0, one.start() - 16) : one.start()]):
            span = text[one.start() : two.end()]
            out.append(Mention(one.start(), two.end(), span, "person", span, ENGLISH_PERSON, "lexical"))
    return out


def find_places(text: str) -> list[Mention]:
    """English-form addresses and places (type "address"; the key is the text as written)."""
    out = [_place(m) for m in _ADDRESS.finditer(text) if re.search(r"\d|Road|Street|Community", m.group())]
    for m in _PLACE.finditer(text):
        if not any(p.start < m.end() and m.start() < p.end for p in out):
            out.append(_place(m))
    return out


def _place(m: re.Match) -> Mention:
    return Mention(m.start(), m.end(), m.group(), "address", m.group(), ENGLISH_ADDRESS, "lexical")
