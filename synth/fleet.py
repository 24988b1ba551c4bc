"""Vehicles and driving licences.

Vehicle `u` belongs to a vehicle kind by the range `u` falls in, and to the
person whose owner slot is `u` (a shuffle of the population): so the kind, the
plate and the owner all follow from the index. Each adult owns at most one
vehicle. Owners hold a valid licence; other adults hold one with a given
probability and a status drawn from realistic shares.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from synth.plates import PlateBook
from synth.population import Population
from synth.seeding import EntityRandom, Shuffle
from synth.timeline import PERIOD_END, REFERENCE_DAY, add_years

VEHICLES_PER_PERSON = 0.45


@dataclass(frozen=True)
class VehicleKind:
    key: str
    plate_type: str
    vehicle_types: tuple[str, ...]
    usage: str
    share: float
    trips_per_year: float
    licence_class: str
    brands: tuple[str, ...]

    @property
    def key_vehicle(self) -> bool:
        """两客一危: coaches, tour buses and hazardous-goods trucks."""
        return self.usage in ("公路客运", "旅游客运", "危险货物运输")

    @property
    def new_energy(self) -> bool:
        return "新能源" in self.plate_type

    @property
    def uses_gates(self) -> bool:
        """Lorries, coaches and tankers park at depots, not in residential compounds."""
        return self.plate_type in ("小型汽车", "小型新能源汽车")


_CARS = ("大众", "丰田", "本田", "别克", "日产", "吉利", "长安", "哈弗", "奔驰", "宝马", "奥迪", "现代", "福特", "荣威")
_NEV = ("比亚迪", "特斯拉", "蔚来", "理想", "小鹏", "零跑", "埃安", "五菱", "极氪")
_TRUCKS = ("解放", "东风", "重汽", "陕汽", "福田")
_BUSES = ("宇通", "金龙", "海格", "中通")

# Ordinary-plate kinds first, then the two new-energy kinds: the order fixes the ranges.
KINDS: tuple[VehicleKind, ...] = (
    VehicleKind("car", "小型汽车", ("小型轿车", "小型普通客车"), "非营运", 0.795, 8.5, "C1", _CARS),
    VehicleKind(
        "truck", "大型汽车", ("重型厢式货车", "重型半挂牵引车", "中型厢式货车"), "货运", 0.055, 40, "A2", _TRUCKS
    ),
    VehicleKind("coach", "大型汽车", ("大型普通客车",), "公路客运", 0.008, 90, "A1", _BUSES),
    VehicleKind("tour_bus", "大型汽车", ("大型普通客车", "中型普通客车"), "旅游客运", 0.008, 45, "A1", _BUSES),
    VehicleKind("hazmat", "大型汽车", ("重型罐式货车",), "危险货物运输", 0.012, 50, "A2", _TRUCKS),
    VehicleKind("ne_car", "小型新能源汽车", ("小型轿车", "小型普通客车"), "非营运", 0.110, 9, "C1", _NEV),
    VehicleKind("ne_van", "大型新能源汽车", ("轻型厢式货车",), "货运", 0.012, 30, "B2", _NEV[:1] + _NEV[7:8]),
)
KIND_BY_KEY = {k.key: k for k in KINDS}
_COLOURS = (("白", 35), ("黑", 25), ("灰", 12), ("银", 10), ("蓝", 6), ("红", 6), ("棕", 3), ("绿", 2), ("黄", 1))


class Vehicle(NamedTuple):
    index: int
    plate: str
    kind: VehicleKind
    vehicle_type: str
    brand: str
    colour: str
    owner: int
    registered_on: date


class Licence(NamedTuple):
    file_no: str
    licence_class: str
    issued_on: date
    valid_until: date
    status: str
    status_since: date


class Fleet:
    def __init__(self, population: Population, seed: int):
        self.population = population
        adults = self._adult_count()
        # owner slots are handed to everybody; only adults' slots become vehicles
        self.slots = min(population.n, round(VEHICLES_PER_PERSON * population.n * population.n / max(adults, 1)))
        self._owners = Shuffle(population.n, seed, "vehicles.owners")
        bounds, acc = [], 0.0
        for kind in KINDS:
            acc += kind.share
            bounds.append(round(acc / sum(k.share for k in KINDS) * self.slots))
        bounds[-1] = self.slots
        self.bounds = tuple(bounds)
        self._ordinary = bounds[KINDS.index(KIND_BY_KEY["ne_car"]) - 1]
        self.plates = PlateBook(
            seed, self._ordinary, bounds[-2] - self._ordinary, self.slots - bounds[-2], population.n
        )
        self._rng = EntityRandom(seed, "vehicles")
        self._licence_rng = EntityRandom(seed, "licences")
        self._file_numbers = Shuffle(10**8, seed, "licences.file_no")
        self.kind_overrides: dict[int, VehicleKind] = {}
        self.licence_overrides: dict[int, Licence | None] = {}

    def _adult_count(self) -> int:
        p = self.population
        # locals born on or before this day are adults; the floating population all are
        cutoff = add_years(REFERENCE_DAY, -18)
        days = (cutoff - p.local_births.first).days + 1
        return p.n_floating + (p.local_births.cum[days - 1] if days > 0 else 0)

    # ---- ownership --------------------------------------------------------
    def vehicle_of(self, i: int) -> int | None:
        u = self._owners.forward(i)
        return u if u < self.slots and self.population.is_adult(i) else None

    def owner_of(self, u: int) -> int | None:
        i = self._owners.inverse(u)
        return i if self.population.is_adult(i) else None

    def base_kind(self, u: int) -> VehicleKind:
        return KINDS[bisect_right(self.bounds, u)]

    def kind(self, u: int) -> VehicleKind:
        return self.kind_overrides.get(u) or self.base_kind(u)

    def kind_range(self, key: str) -> range:
        k = KINDS.index(KIND_BY_KEY[key])
        return range(self.bounds[k - 1] if k else 0, self.bounds[k])

    def plate(self, u: int) -> str:
        base = self.base_kind(u)
        if base.key == "ne_car":
            return self.plates.ne_small(u - self._ordinary)
        if base.key == "ne_van":
            return self.plates.ne_large(u - self.bounds[-2])
        return self.plates.regular(u)

    def vehicle(self, u: int) -> Vehicle | None:
        owner = self.owner_of(u)
        if owner is None:
            return None
        kind = self.kind(u)
        rng = self._rng(u)
        eighteen = add_years(self.population.birth_of(owner), 18)
        first = max(eighteen, date(2016, 1, 1) if kind.new_energy else date(2004, 1, 1))
        last = date(2024, 12, 31)
        registered = first + timedelta(days=rng.randrange(max(1, (last - first).days)))
        colour = rng.choices([c for c, _ in _COLOURS], weights=[w for _, w in _COLOURS])[0]
        return Vehicle(
            u, self.plate(u), kind, rng.choice(kind.vehicle_types), rng.choice(kind.brands), colour, owner, registered
        )

    # ---- licences ---------------------------------------------------------
    def licence(self, i: int, person) -> Licence | None:
        if i in self.licence_overrides:
            return self.licence_overrides[i]
        population = self.population
        if person.age < 18:
            return None
        u = self.vehicle_of(i)
        if u is None and self._licence_rng.unit(i) >= (0.45 if i < population.n_local else 0.35):
            return None
        rng = self._licence_rng(i)
        if u is not None:
            licence_class = self.kind(u).licence_class
        else:
            licence_class = rng.choices(("C1", "C2", "B2"), weights=(85, 10, 5))[0]
        return self.make_licence(person, licence_class, rng, status=None if u is None else "正常")

    def make_licence(
        self, person, licence_class: str, rng, status: str | None = None, status_since: date | None = None
    ) -> Licence:
        i, birth = person.index, person.birth
        first = max(add_years(birth, 18), date(1990, 1, 1))
        span = max(1, (date(2024, 10, 31) - first).days)
        issued = first + timedelta(days=min(span - 1, int(rng.random() ** 1.5 * span)))
        start, valid_until = issued, add_years(issued, 6)
        while valid_until < REFERENCE_DAY:  # renewed for ten years at a time
            start, valid_until = valid_until, add_years(valid_until, 10)
        if status is None:
            status = rng.choices(("正常", "暂扣", "吊销", "注销"), weights=(930, 20, 15, 35))[0]
        if status_since is None:
            status_since = {
                "正常": start,
                "暂扣": date(2025, 1, 10) + timedelta(days=rng.randrange(340)),
                "吊销": date(2022, 6, 1) + timedelta(days=rng.randrange((PERIOD_END - date(2022, 6, 1)).days - 30)),
                "注销": max(issued, date(2015, 1, 1)) + timedelta(days=rng.randrange(365)),
            }[status]
        # Jiaxing's vehicle office issues locals' licences; others keep their home province's file
        prefix = "3304" if i < self.population.n_local else person.id_number[:4]
        file_no = f"{prefix}{self._file_numbers.forward(i):08d}"
        return Licence(file_no, licence_class, issued, valid_until, status, status_since)
