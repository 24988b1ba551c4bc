"""Watch lists (重点人员): wanted persons (在逃人员) and other listed persons.

About 0.5 % of adults are listed. Background wanted persons are chosen among
locals who own no vehicle and are kept out of every activity the sample
records (no tenancy, purchase or passage while listed), so the only wanted
persons an alert rule finds are the planted ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from synth.regions import DISTRICT_BY_CODE
from synth.seeding import EntityRandom

WANTED = "在逃人员"
LISTS = {  # kind -> (list id, list name)
    "在逃人员": ("ZDRY-ZT", "全国在逃人员"),
    "涉毒人员": ("ZDRY-SD", "涉毒人员动态管控名单"),
    "刑满释放人员": ("ZDRY-XS", "刑满释放人员名单"),
    "其他重点人员": ("ZDRY-QT", "其他重点人员名单"),
}
_REASONS = {
    "在逃人员": ("涉嫌盗窃被网上追逃", "涉嫌诈骗被网上追逃", "涉嫌故意伤害被网上追逃", "涉嫌开设赌场被网上追逃"),
    "涉毒人员": ("吸毒人员动态管控", "社区戒毒人员"),
    "刑满释放人员": ("刑满释放五年内", "假释期满"),
    "其他重点人员": ("多次非正常上访", "其他需重点关注"),
}
SHARE = 0.005


@dataclass(frozen=True)
class WatchEntry:
    entry_id: str
    kind: str
    reason: str
    listed_on: date
    lifted_on: date | None
    unit: str

    @property
    def list_id(self) -> str:
        return LISTS[self.kind][0]

    @property
    def list_name(self) -> str:
        return LISTS[self.kind][1]


def listing_unit(district_code: str) -> str:
    return f"嘉兴市公安局{DISTRICT_BY_CODE[district_code].name}分局"


def entry_id(kind: str, listed_on: date, person: int, k: int) -> str:
    return f"{LISTS[kind][0][-2:]}{listed_on:%Y%m%d}{person:08d}{k}"


class WatchBook:
    def __init__(self, seed: int, population, fleet):
        self.population = population
        self.fleet = fleet
        self._rng = EntityRandom(seed, "watch")

    def background_kind(self, i: int) -> str | None:
        """The list person i is on in the background, if any (cheap: used to keep
        wanted persons out of every activity)."""
        if self._rng.unit(i) >= SHARE or not self.population.is_adult(i):
            return None
        u = self._rng.unit(i, 1)
        may_be_wanted = i < self.population.n_local and self.fleet.vehicle_of(i) is None
        if may_be_wanted and u < 0.25:
            return WANTED
        return ("涉毒人员", "刑满释放人员", "其他重点人员")[min(2, int(u * 3))]

    def background_entries(self, i: int, district_code: str) -> list[WatchEntry]:
        kind = self.background_kind(i)
        if kind is None:
            return []
        rng = self._rng(i)
        listed = date(2016, 1, 1) + timedelta(days=rng.randrange(9 * 365 + 300))
        lifted = None
        if rng.random() < 0.2:
            lifted = listed + timedelta(days=rng.randrange(30, 900))
            if lifted > date(2025, 12, 20):
                lifted = None
        return [
            WatchEntry(
                entry_id(kind, listed, i, 0),
                kind,
                rng.choice(_REASONS[kind]),
                listed,
                lifted,
                listing_unit(district_code),
            )
        ]


def reason_for(kind: str, choice: int) -> str:
    reasons = _REASONS[kind]
    return reasons[choice % len(reasons)]
