"""Chinese names drawn by surname frequency.

Surname shares follow published national frequencies; locals get a Jiaxing
tilt (沈, 陆, 顾, 钱, 姚, 朱, 徐 are far commoner in northern Zhejiang). Given
names are one or two characters from gendered pools. Case reports name people
who are in no registry: their given-name characters come from separate pools
per evaluation split, none shared with the registry pools, so such a name can
never collide with a registered person.
"""

from __future__ import annotations

import random
from itertools import accumulate

# surname: share of the national population, per mille (rounded)
_NATIONAL = (
    ("王", 71),
    ("李", 70),
    ("张", 68),
    ("刘", 54),
    ("陈", 46),
    ("杨", 31),
    ("黄", 26),
    ("赵", 23),
    ("吴", 20),
    ("周", 19),
    ("徐", 15),
    ("孙", 15),
    ("马", 13),
    ("朱", 13),
    ("胡", 12),
    ("郭", 12),
    ("何", 11),
    ("林", 11),
    ("高", 11),
    ("罗", 10),
    ("郑", 9),
    ("梁", 9),
    ("谢", 8),
    ("宋", 7),
    ("唐", 7),
    ("许", 7),
    ("韩", 6),
    ("邓", 6),
    ("冯", 6),
    ("曹", 6),
    ("彭", 6),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("潘", 5),
    ("袁", 5),
    ("蔡", 4),
    ("蒋", 4),
    ("余", 4),
    ("于", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("魏", 4),
    ("苏", 4),
    ("吕", 4),
    ("丁", 4),
    ("任", 4),
    ("卢", 3),
    ("姚", 3),
    ("沈", 3),
    ("钟", 3),
    ("姜", 3),
    ("崔", 3),
    ("谭", 3),
    ("陆", 3),
    ("范", 3),
    ("汪", 3),
    ("廖", 3),
    ("石", 3),
    ("金", 3),
    ("韦", 3),
    ("贾", 3),
    ("夏", 3),
    ("付", 2),
    ("方", 2),
    ("邹", 2),
    ("熊", 2),
    ("白", 2),
    ("孟", 2),
    ("秦", 2),
    ("邱", 2),
    ("侯", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("龙", 2),
    ("黎", 2),
    ("史", 2),
    ("陶", 2),
    ("贺", 2),
    ("毛", 2),
    ("郝", 2),
    ("顾", 2),
    ("龚", 2),
    ("邵", 2),
    ("万", 2),
    ("钱", 1),
    ("戴", 1),
    ("严", 1),
    ("莫", 1),
    ("孔", 1),
    ("向", 1),
    ("常", 1),
    ("汤", 1),
    ("康", 1),
    ("易", 1),
    ("乔", 1),
    ("施", 1),
    ("屠", 1),
    ("褚", 0.3),
)
_JIAXING_TILT = {
    "沈": 8,
    "陆": 5,
    "顾": 5,
    "钱": 5,
    "姚": 3,
    "朱": 2,
    "徐": 2,
    "吴": 1.5,
    "金": 2,
    "屠": 4,
    "施": 3,
    "戴": 2,
    "褚": 4,
    "莫": 2,
}

SURNAMES = tuple(s for s, _ in _NATIONAL)
_NATIONAL_CUM = tuple(accumulate(w for _, w in _NATIONAL))
_LOCAL_CUM = tuple(accumulate(w * _JIAXING_TILT.get(s, 1) for s, w in _NATIONAL))

MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋阳晨建"
    "国文志海东峰亮成新春永良金荣德庆祥清忠兵江振宏家天博子轩睿泽铭昊嘉航晓"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪琳颖慧倩洁红梅萍秀英兰琴云莉佳欣怡雨思晶悦诗涵萱彤梦瑶婉露月丹凤翠桂珍美"

# Given-name characters of people who appear only in case reports, one pool per
# split; no character is in the registry pools above or in the other split's.
UNKNOWN_CHARS = {
    "train": "柏松竹菊蓉茂盛昌隆泰",
    "heldout": "岩峻岚溪渊璋琦珂瑜璐",
}

# One-character typos a clerk makes: a homophone or near-homophone.
TYPOS = {
    "伟": "玮",
    "明": "铭",
    "华": "化",
    "军": "君",
    "丽": "莉",
    "芳": "方",
    "敏": "民",
    "杰": "洁",
    "平": "萍",
    "红": "宏",
    "建": "健",
    "林": "琳",
    "英": "瑛",
    "玲": "铃",
    "燕": "艳",
    "霞": "夏",
    "涛": "滔",
    "斌": "彬",
    "鹏": "朋",
    "辉": "晖",
    "飞": "菲",
    "波": "博",
    "勇": "永",
    "磊": "蕾",
    "刚": "钢",
    "文": "雯",
    "静": "菁",
    "强": "蔷",
    "峰": "锋",
    "琴": "芹",
    "娟": "鹃",
    "梅": "玫",
}


def draw_name(rng: random.Random, male: bool, local: bool) -> str:
    cum = _LOCAL_CUM if local else _NATIONAL_CUM
    surname = rng.choices(SURNAMES, cum_weights=cum)[0]
    pool = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.35:
        return surname + rng.choice(pool)
    return surname + rng.choice(pool) + rng.choice(pool)


def draw_unknown_name(rng: random.Random, split: str) -> str:
    pool = UNKNOWN_CHARS[split]
    surname = rng.choices(SURNAMES, cum_weights=_NATIONAL_CUM)[0]
    return surname + rng.choice(pool) + rng.choice(pool)


def can_typo(name: str) -> bool:
    return any(ch in TYPOS for ch in name[1:])


def with_typo(name: str) -> str:
    """The same name with its last typo-prone given-name character misspelt."""
    for pos in range(len(name) - 1, 0, -1):
        if name[pos] in TYPOS:
            return name[:pos] + TYPOS[name[pos]] + name[pos + 1 :]
    raise ValueError(f"no typo-prone character in {name}")
