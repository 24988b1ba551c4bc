"""Residential compounds (智安小区) with their camera gates, and room-level
addresses in them.

Compound `c` is derived from its index: district, town, community, name,
coordinates, building layout and gates. A household or rented flat is a slot
in a compound; the slot fixes building, unit and room, so no two households
share a room. Buildings from `SCENARIO_BUILDING` upward are never given to
background slots: planted scenarios put their flats there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize.jiaxing import CITY, PROVINCE, TOWNS
from synth.geography import CHECKPOINTS, DISTRICT_WEIGHTS, distance_km, town_centre
from synth.phones import fullwidth_digits
from synth.regions import DISTRICTS, District
from synth.seeding import EntityRandom

PROVINCE_CITY = PROVINCE + CITY
SCENARIO_BUILDING = 81

_NAME_HEADS = (
    "锦绣",
    "阳光",
    "金都",
    "绿城",
    "万科",
    "碧水",
    "嘉禾",
    "南湖",
    "春江",
    "翠苑",
    "梅园",
    "桂苑",
    "丽景",
    "秀水",
    "华庭",
    "新城",
    "东方",
    "湖滨",
    "星河",
    "紫金",
    "明珠",
    "景苑",
    "清河",
    "凤凰",
    "禾城",
    "运河",
    "月河",
    "银河",
    "金色",
    "香樟",
    "枫林",
    "百合",
    "海棠",
    "玉兰",
    "和平",
    "幸福",
    "吉祥",
    "长安",
    "永安",
    "康宁",
    "君悦",
    "悦澜",
    "御园",
    "龙湖",
    "中南",
    "绿洲",
    "佳源",
    "世纪",
)
_NAME_TAILS = (
    "花园",
    "苑",
    "家园",
    "新村",
    "公寓",
    "雅苑",
    "华府",
    "嘉园",
    "名邸",
    "府",
    "小区",
    "广场",
    "里",
    "湾",
    "庭",
    "城",
    "新苑",
    "东苑",
    "西苑",
    "北苑",
    "南苑",
    "一品",
    "天地",
    "水岸",
)
_COMMUNITY_HEADS = (
    "文昌",
    "少年路",
    "新兴",
    "东栅",
    "长水",
    "紫阳",
    "梅湾",
    "双溪",
    "禾兴",
    "秀园",
    "南溪",
    "北门",
    "新塍",
    "油车港",
    "洪合",
    "三店",
    "范蠡",
    "西门",
    "城东",
    "城西",
    "城南",
    "城北",
    "花园",
    "大桥",
    "姚庄",
    "横港",
    "双桥",
    "钱码头",
    "金陵",
    "湖滨",
)


@dataclass(frozen=True)
class Gate:
    gate_id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Compound:
    index: int
    compound_id: str
    name: str
    district: District
    town: str
    community: str
    lat: float
    lon: float
    units: int
    floors: int
    gates: tuple[Gate, ...]
    nearest_checkpoints: tuple[int, ...]  # the four nearest checkpoints, nearest first
    checkpoint_km: tuple[float, ...]  # and their distances

    @property
    def prefix(self) -> str:
        """The compound part of every address in it."""
        return f"{PROVINCE_CITY}{self.district.name}{self.town}{self.community}{self.name}"


def room_address(compound: Compound, building: int, unit: int, floor: int, room: int) -> str:
    return f"{compound.prefix}{building}幢{unit}单元{floor}{room:02d}室"


class CompoundBook:
    def __init__(self, seed: int, count: int):
        self.count = count
        self._rng = EntityRandom(seed, "compounds")
        self._cache = lru_cache(maxsize=8192)(self._build)

    def __call__(self, index: int) -> Compound:
        return self._cache(index)

    def _build(self, c: int) -> Compound:
        rng = self._rng(c)
        district = rng.choices(DISTRICTS, weights=DISTRICT_WEIGHTS)[0]
        town = rng.choice(TOWNS[district.code])
        centre = town_centre(district, town)
        lat = round(centre.lat + rng.gauss(0, 0.012), 6)
        lon = round(centre.lon + rng.gauss(0, 0.014), 6)
        # names repeat across the city in real life, but the full prefix is unique
        # because the index is appended when a name would repeat
        heads, tails = len(_NAME_HEADS), len(_NAME_TAILS)
        spread = (c * 7919) % (heads * tails)
        name = _NAME_HEADS[spread // tails] + _NAME_TAILS[spread % tails]
        if c >= heads * tails:
            name += f"{c // (heads * tails) + 1}期"
        community = rng.choice(_COMMUNITY_HEADS) + "社区"
        gates = tuple(
            Gate(
                f"MJ{c:05d}{g}",
                f"{name}{('东门', '南门', '西门', '北门')[(c + g) % 4]}",
                round(lat + rng.uniform(-0.0015, 0.0015), 6),
                round(lon + rng.uniform(-0.0015, 0.0015), 6),
            )
            for g in range(1, 4 if rng.random() < 0.3 else 3)
        )
        km = [distance_km(lat, lon, cp.lat, cp.lon) for cp in CHECKPOINTS]
        nearest = tuple(sorted(range(len(CHECKPOINTS)), key=lambda k: (km[k], k))[:4])
        return Compound(
            c,
            f"XQ{district.code}{c:05d}",
            name,
            district,
            town,
            community,
            lat,
            lon,
            units=rng.choice((2, 2, 3)),
            floors=rng.choice((6, 6, 11, 18, 26)),
            gates=gates,
            nearest_checkpoints=nearest,
            checkpoint_km=tuple(km[k] for k in nearest),
        )

    def slot_address(self, compound: Compound, slot: int) -> str:
        """Background households take even slots and rented flats odd ones."""
        per_floor = 2
        per_building = compound.units * compound.floors * per_floor
        building, rest = divmod(slot, per_building)
        if building + 1 >= SCENARIO_BUILDING:
            raise ValueError("compound full: raise the compound count")
        unit, rest = divmod(rest, compound.floors * per_floor)
        floor, room = divmod(rest, per_floor)
        return room_address(compound, building + 1, unit + 1, floor + 1, room + 1)


def address_variants(address: str, choice: int) -> str:
    """Ways a clerk writes the same address; the importer canonicalises them back."""
    kind = choice % 3
    if kind == 0:
        return address.removeprefix("浙江省")
    if kind == 1:
        head, sep, tail = address.partition("幢")
        digits_start = len(head.rstrip("0123456789"))
        return head[:digits_start] + fullwidth_digits(head[digits_start:] + sep + tail)
    return address.replace("浙江省嘉兴市", "浙江省 嘉兴市 ", 1)
