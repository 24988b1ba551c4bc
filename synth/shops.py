"""Licensed dangerous-goods shops (危险物品销售点): fireworks, controlled knives,
bottled gas and hazardous chemicals, at road-level addresses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize.jiaxing import TOWNS
from synth.compounds import PROVINCE_CITY
from synth.geography import DISTRICT_WEIGHTS, ROADS, distance_km, town_centre
from synth.phones import landline
from synth.regions import DISTRICTS, District
from synth.seeding import EntityRandom

FIREWORKS, KNIVES, GAS, CHEMICALS = "烟花爆竹", "管制刀具", "瓶装燃气", "危险化学品"
# categories by shop index modulo 8: every block of eight shops has two knife
# sellers, three gas sellers (one also selling knives), three fireworks sellers
# and one chemicals dealer
_PATTERN = ((FIREWORKS,), (GAS,), (KNIVES,), (FIREWORKS,), (GAS,), (KNIVES, GAS), (CHEMICALS,), (FIREWORKS,))
_TRADE_NAMES = (
    "鑫盛",
    "永旺",
    "恒通",
    "华达",
    "宏发",
    "金泰",
    "利民",
    "安达",
    "福源",
    "兴隆",
    "顺发",
    "瑞丰",
    "天成",
    "长盛",
    "同心",
    "聚源",
    "万隆",
    "家和",
)
_KIND_NAMES = {
    (FIREWORKS,): "烟花爆竹零售点",
    (GAS,): "液化气供应站",
    (KNIVES,): "五金刀具店",
    (KNIVES, GAS): "五金燃气经营部",
    (CHEMICALS,): "化工商行",
}
_LICENCE_PREFIX = {FIREWORKS: "烟零许", GAS: "燃经许", KNIVES: "刀备", CHEMICALS: "危化经"}


@dataclass(frozen=True)
class Shop:
    index: int
    shop_id: str
    name: str
    licence_no: str
    categories: tuple[str, ...]
    district: District
    address: str
    lat: float
    lon: float
    phone: str


class ShopBook:
    def __init__(self, seed: int, persons: int):
        self.count = max(24, persons // 1200)
        rng = EntityRandom(seed, "shops")
        self.shops = tuple(self._build(k, rng(k)) for k in range(self.count))

    def _build(self, k: int, rng) -> Shop:
        categories = _PATTERN[k % len(_PATTERN)]
        district = rng.choices(DISTRICTS, weights=DISTRICT_WEIGHTS)[0]
        town = rng.choice(TOWNS[district.code])
        centre = town_centre(district, town)
        road, number = rng.choice(ROADS), rng.randint(1, 400)
        name = f"{town[:2]}{rng.choice(_TRADE_NAMES)}{_KIND_NAMES[categories]}"
        licence = f"{_LICENCE_PREFIX[categories[0]]}〔{rng.randint(2019, 2024)}〕{district.code}-{k + 1:04d}"
        return Shop(
            k,
            f"WXP{district.code}{k + 1:04d}",
            name,
            licence,
            categories,
            district,
            f"{PROVINCE_CITY}{district.name}{town}{road}{number}号",
            round(centre.lat + rng.gauss(0, 0.008), 6),
            round(centre.lon + rng.gauss(0, 0.008), 6),
            landline(k),
        )

    def selling(self, category: str) -> list[Shop]:
        return [s for s in self.shops if category in s.categories]

    def nearest(self, category: str, lat: float, lon: float, rank: int = 0) -> Shop:
        candidates = self._by_distance(category, lat, lon)
        return candidates[min(rank, len(candidates) - 1)]

    @lru_cache(maxsize=8192)  # noqa: B019 - one book per run; buyers share their compound's coordinates
    def _by_distance(self, category: str, lat: float, lon: float) -> tuple[Shop, ...]:
        return tuple(sorted(self.selling(category), key=lambda s: (distance_km(lat, lon, s.lat, s.lon), s.index))[:3])
