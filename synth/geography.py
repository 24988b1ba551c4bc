"""Jiaxing's geography as the sample data needs it: where each town lies, the 16
smart checkpoints on the roads into the city, and distances.

District and town names are public place names, taken from the importer's
gazetteer (ingest/normalize/jiaxing.py) so that every address written here is one
the importer recognises; every compound, community, shop and street number built
on them is invented.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from synth.regions import DISTRICT_BY_CODE, DISTRICTS, District
from synth.seeding import mix64

# Rough bounding box of the city; every coordinate the generator writes is inside.
LAT_MIN, LAT_MAX = 30.35, 31.05
LON_MIN, LON_MAX = 120.30, 121.30


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float


def _clip(lat: float, lon: float) -> tuple[float, float]:
    return (min(max(lat, LAT_MIN + 0.01), LAT_MAX - 0.01), min(max(lon, LON_MIN + 0.01), LON_MAX - 0.01))


def town_centre(district: District, town: str) -> Place:
    """A fixed point for each town, spread around its district's centre. It
    depends on the names only, so the map is the same for every seed."""
    h = mix64(int.from_bytes(f"{district.code}{town}".encode(), "big") & ((1 << 64) - 1))
    dlat = ((h & 0xFFFF) / 0xFFFF - 0.5) * 0.12
    dlon = (((h >> 16) & 0xFFFF) / 0xFFFF - 0.5) * 0.14
    lat, lon = _clip(district.lat + dlat, district.lon + dlon)
    return Place(lat, lon)


@dataclass(frozen=True)
class Checkpoint:
    checkpoint_id: str
    name: str
    road: str
    district_code: str
    lat: float
    lon: float

    @property
    def district(self) -> str:
        return DISTRICT_BY_CODE[self.district_code].name


# The 16 smart checkpoints (智慧检查站) on the main roads into the city.
CHECKPOINTS: tuple[Checkpoint, ...] = tuple(
    Checkpoint(f"JCZ3304{n:02d}", name, road, code, lat, lon)
    for n, (name, road, code, lat, lon) in enumerate(
        (
            ("嘉兴南湖区07省道检查站", "07省道", "330402", 30.688, 120.872),
            ("嘉兴南湖区320国道检查站", "320国道", "330402", 30.781, 120.861),
            ("嘉兴秀洲区G60沪昆高速王店检查站", "G60沪昆高速", "330411", 30.672, 120.648),
            ("嘉兴秀洲区S32申嘉湖高速王江泾检查站", "S32申嘉湖高速", "330411", 30.893, 120.702),
            ("嘉兴秀洲区320国道洪合检查站", "320国道", "330411", 30.718, 120.573),
            ("嘉善县G60沪昆高速大云检查站", "G60沪昆高速", "330421", 30.829, 121.041),
            ("嘉善县318国道西塘检查站", "318国道", "330421", 30.947, 120.891),
            ("嘉善县S32申嘉湖高速姚庄检查站", "S32申嘉湖高速", "330421", 30.912, 121.012),
            ("平湖市G92杭州湾环线高速独山港检查站", "G92杭州湾环线高速", "330482", 30.642, 121.178),
            ("平湖市01省道新埭检查站", "01省道", "330482", 30.801, 121.083),
            ("海盐县01省道澉浦检查站", "01省道", "330424", 30.421, 120.878),
            ("海盐县G92杭州湾环线高速沈荡检查站", "G92杭州湾环线高速", "330424", 30.563, 120.851),
            ("海宁市G60沪昆高速许村检查站", "G60沪昆高速", "330481", 30.441, 120.383),
            ("海宁市01省道长安检查站", "01省道", "330481", 30.468, 120.452),
            ("桐乡市G60沪昆高速崇福检查站", "G60沪昆高速", "330483", 30.538, 120.421),
            ("桐乡市S12申苏浙皖高速乌镇检查站", "S12申苏浙皖高速", "330483", 30.742, 120.488),
        ),
        start=1,
    )
)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; the cloned-plate rule uses the same straight line."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def nearest_checkpoints(lat: float, lon: float, count: int = 4) -> list[int]:
    order = sorted(range(len(CHECKPOINTS)), key=lambda k: distance_km(lat, lon, CHECKPOINTS[k].lat, CHECKPOINTS[k].lon))
    return order[:count]


# Road names for shop and case addresses (invented combinations of common ones).
ROADS = (
    "中山路",
    "禾兴路",
    "文昌路",
    "南湖路",
    "中环南路",
    "花园路",
    "勤俭路",
    "建国路",
    "槜李路",
    "由拳路",
    "秀洲大道",
    "洪兴路",
    "体育路",
    "人民大道",
    "解放路",
    "长水路",
    "东升路",
    "亚太路",
    "昌盛路",
    "环城路",
    "新华路",
    "健康路",
    "凌公塘路",
    "常秀街",
    "城南路",
    "广场路",
    "庆丰路",
    "振兴路",
    "工业路",
    "沿河路",
)

DISTRICT_WEIGHTS = tuple(d.weight for d in DISTRICTS)


# distances between checkpoints, km
CHECKPOINT_KM: tuple[tuple[float, ...], ...] = tuple(
    tuple(distance_km(a.lat, a.lon, b.lat, b.lon) for b in CHECKPOINTS) for a in CHECKPOINTS
)
