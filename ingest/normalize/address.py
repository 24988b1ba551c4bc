"""Chinese addresses in one canonical form, the key of an Address node.

Jiaxing addresses are taken apart and written back in a fixed order:

    浙江省嘉兴市{district}{town}{community}{road}{building}幢{unit}单元{room}室

after NFKC (full-width digits become ASCII), removing whitespace, adding the
missing 浙江省/嘉兴市, 号楼/栋/座 → 幢, Chinese numerals before 幢/单元/室/楼
→ digits (三幢二单元 → 3幢2单元), and the dash shorthand (below). The district
comes from its name, its two-character short form followed by one of its towns
(桐乡濮院镇), or, after 嘉兴市, from the town alone.

Dash shorthand: a trailing A-B-C right after a compound name (…小区, …苑,
…花园, …新村, …村, …社区 and the like) or a house number (…号) means building
A, unit B, room C; a trailing A-B right after a compound name means building
A, room B. Anywhere else a dash is left alone (文昌路12-3号 is a house number).

Addresses elsewhere keep the province, prefecture and county that the division
table recognises, written in full, and the rest as given. Division names come
from python-stdnum's region table; the rest is written by hand because the
address parsers on PyPI are either large and slow (jionlp: about 220 MB
installed with its segmenter, about 3 ms a call) or unmaintained (cpca: last
release 2021, imports pkg_resources, which newer setuptools no longer has).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize import jiaxing
from ingest.normalize.divisions import parse_division
from ingest.normalize.invalid import InvalidValue, is_blank, missing, nfkc, shown
from ingest.reject_reasons import Reason

MIN_CJK_WITHOUT_DISTRICT = 6

_WHITESPACE = re.compile(r"\s+")
_DASHES = re.compile(r"[‐‑‒–—―−]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BUILDING_WORDS = re.compile(r"(?<=[0-9A-Z])(?:号楼|栋|座)")
_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百]+(?=幢|栋|座|号楼|单元|室|楼|层)")
_COMPOUND = "小区|花园|家园|新村|公寓|大厦|公馆|山庄|社区|村|苑|府|庭|园|城"
_DASH_BUR = re.compile(rf"(.*(?:{_COMPOUND}|号))(\d+)-(\d+)-(\d+)室?")
# building-room only after a compound name: after a house number 12号3-4 is too ambiguous
_DASH_BR = re.compile(rf"(.*(?:{_COMPOUND}))(\d+)-(\d+)室?")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_JIAXING_SHORT_PREFIX = re.compile(r"(?:浙江省?)?(?:嘉兴市?)?")
_TAILS = (
    re.compile(r"(?P<b>[0-9A-Z]+)幢(?:(?P<u>\d+)单元)?(?:(?P<r>[0-9A-Z]+)(?:室|号|房)?)?"),
    re.compile(r"(?P<u>\d+)单元(?:(?P<r>\d+)(?:室|号|房)?)?"),
    re.compile(r"(?P<r>\d+)室"),
)
_TOWN = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:街道|镇|乡)")
# one or more: 梅湾社区东湖小区 is one community
_COMMUNITY = re.compile(r"(?:[^\d]{2,}?(?:社区|居委会|村委会|村|小区|花园|家园|新村|公寓|苑))+")
_DIGITS = dict(zip("零〇一二两三四五六七八九", "001223456789", strict=True))


@dataclass(frozen=True)
class Address:
    full: str
    district: str | None = None
    town: str | None = None
    community: str | None = None
    road: str | None = None
    building: str | None = None
    unit: str | None = None
    room: str | None = None


def clean(raw: object) -> Address:
    """The canonical address with its parts; raises InvalidValue (address.invalid)."""
    if not isinstance(raw, str):
        raise InvalidValue(Reason.ADDRESS_INVALID, f"address {shown(raw)} is not text")
    if is_blank(raw):
        raise missing("address")
    return _clean_text(raw)


# registries repeat addresses; a full cache holds about 12 MB
@lru_cache(maxsize=1 << 14)
def _clean_text(raw: str) -> Address:
    text = _DASHES.sub("-", _WHITESPACE.sub("", nfkc(raw)))
    division = parse_division(text)
    if division.code and division.code.startswith(jiaxing.CITY_CODE):
        address = _jiaxing(division.code, division.rest)
    elif division.code is None and _short_district(rest := _JIAXING_SHORT_PREFIX.sub("", text, count=1)):
        address = _jiaxing(jiaxing.CITY_CODE, rest)
    else:
        address = Address(division.prefix() + division.rest, division.county)
    if address.district is None and len(_CJK.findall(address.full)) < MIN_CJK_WITHOUT_DISTRICT:
        raise InvalidValue(Reason.ADDRESS_INVALID, f"address {shown(raw)} names no district and is too short")
    return address


def _short_district(text: str) -> str | None:
    """桐乡濮院镇…: a district's two-character short form counts when one of its towns follows."""
    code = jiaxing.SHORT_NAMES.get(text[:2])
    if code and jiaxing.TOWN_DISTRICT.get(jiaxing.town_at(text[2:]) or "") == code:
        return code
    return None


def _jiaxing(code: str, rest: str) -> Address:
    if code == jiaxing.CITY_CODE and (short := _short_district(rest)):
        code, rest = short, rest[2:]
    district = jiaxing.DISTRICTS.get(code)
    rest = _canonical_numbers(rest)
    head, building, unit, room = _split_tail(rest)
    town = jiaxing.town_at(head)
    if town is not None:
        district = district or jiaxing.DISTRICTS[jiaxing.TOWN_DISTRICT[town]]
    elif match := _TOWN.match(head):
        town = match.group()
    head = head[len(town or "") :]
    match = _COMMUNITY.match(head)
    community = match.group() if match else None
    road = head[len(community or "") :] or None
    parts = (
        jiaxing.PROVINCE,
        jiaxing.CITY,
        district,
        town,
        community,
        road,
        building and f"{building}幢",
        unit and f"{unit}单元",
        room and f"{room}室",
    )
    full = "".join(part for part in parts if part)
    return Address(full, district, town, community, road, building, unit, room)


def _canonical_numbers(rest: str) -> str:
    rest = _CN_NUMERAL.sub(lambda match: str(_numeral_value(match.group())), rest)
    # building letters: a幢 → A幢
    rest = _BUILDING_WORDS.sub("幢", rest.translate(_ASCII_UPPER))
    if match := _DASH_BUR.fullmatch(rest):
        head, building, unit, room = match.groups()
        return f"{head}{building}幢{unit}单元{room}室"
    if match := _DASH_BR.fullmatch(rest):
        head, building, room = match.groups()
        return f"{head}{building}幢{room}室"
    return rest


def _split_tail(rest: str) -> tuple[str, str | None, str | None, str | None]:
    """The text before the building, unit and room, and those three."""
    for pattern in _TAILS:
        for match in pattern.finditer(rest):
            if match.end() == len(rest):
                parts = match.groupdict()
                return rest[: match.start()], parts.get("b"), parts.get("u"), parts.get("r")
    return rest, None, None, None


def _numeral_value(numeral: str) -> int:
    """三 → 3, 十二 → 12, 一百零一 → 101; without 十 or 百 digit by digit: 五〇一 → 501."""
    if "十" not in numeral and "百" not in numeral:
        return int("".join(_DIGITS[char] for char in numeral))
    total = 0
    digit = 0
    for char in numeral:
        if char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = int(_DIGITS[char])
    return total + digit
