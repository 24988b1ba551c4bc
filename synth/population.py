"""The synthetic population: persons derived from their index alone.

Locals (70 %) live in households at room-level addresses in Jiaxing's
compounds; the floating population (30 %, aged 18-60, from other provinces)
lives in rented flats. Birth date and ID sequence number come from a
one-to-one table per group, so ID numbers are unique by construction;
everything else comes from a per-person random stream. Nothing is stored per
person: the same index always gives the same person.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from synth.citizen_ids import make_id
from synth.compounds import CompoundBook
from synth.names import draw_name
from synth.phones import PhoneBook
from synth.regions import ORIGIN_COUNTIES, OriginCounty, jiaxing_code, origin_code
from synth.seeding import EntityRandom, Shuffle
from synth.timeline import REFERENCE_DAY, age_on

LOCAL_SHARE = 0.70
HOUSEHOLD_BLOCK, HOUSEHOLDS_PER_BLOCK, HOUSEHOLD_MAX = 12, 4, 6
FLAT_BLOCK, FLATS_PER_BLOCK, FLAT_MAX = 10, 4, 4
OWN_PHONE_AGE = 16
ADULT_AGE = 18

_ETHNIC = (("汉族", 975), ("回族", 4), ("满族", 4), ("土家族", 4), ("苗族", 5), ("壮族", 3), ("彝族", 3), ("布依族", 2))
_ETHNIC_NAMES = tuple(e for e, _ in _ETHNIC)
_ETHNIC_CUM = tuple(accumulate(w for _, w in _ETHNIC))
_ORIGIN_CUM = tuple(accumulate(c.weight for c in ORIGIN_COUNTIES))
_HOME_TOWNS = (
    "城关",
    "新集",
    "李集",
    "王店",
    "张庄",
    "杨桥",
    "高庙",
    "白沙",
    "黄岗",
    "清河",
    "石桥",
    "双河",
    "马庄",
    "陈集",
    "刘湾",
    "龙山",
    "安乐",
    "永丰",
)
_HOME_VILLAGES = (
    "前进",
    "东风",
    "红星",
    "新华",
    "光明",
    "胜利",
    "团结",
    "和平",
    "建设",
    "幸福",
    "丰收",
    "向阳",
    "新村",
    "大王",
    "小李",
    "后湖",
)


def _local_year_weight(year: int) -> float:
    """Roughly the shape of Jiaxing's age pyramid."""
    if year < 1950:
        return 0.15 + 0.03 * (year - 1930)
    if year < 1962:
        return 0.8
    if year < 1976:
        return 1.4
    if year < 1985:
        return 1.0
    if year < 1993:
        return 1.2
    if year < 2017:
        return 0.9
    return 0.75 - 0.04 * (year - 2017)


def _floating_year_weight(year: int) -> float:
    if year < 1975:
        return 0.6
    if year < 1985:
        return 1.0
    if year < 2000:
        return 1.3
    return 0.8


class BirthTable:
    """Hands each member of a group a (birth date, sequence number) pair that no
    other member has, with birth dates following the group's age profile."""

    def __init__(self, n: int, first_year: int, last_year: int, weight, seed: int, stage: str):
        self.first = date(first_year, 1, 1)
        days = (date(last_year, 12, 31) - self.first).days + 1
        weights = [weight((self.first + timedelta(d)).year) for d in range(days)]
        total = sum(weights)
        # systematic rounding: every day gets the floor or ceiling of its share,
        # and the shares still add up to n, however small n is
        caps, running, previous = [], 0.5, 0
        for w in weights:
            running += n * w / total
            caps.append(int(running) - previous)
            previous = int(running)
        if max(caps) > 1000:
            raise ValueError("too many persons for unique ID numbers in this age range")
        self.cum = array("q", accumulate(caps))
        self.shuffle = Shuffle(n, seed, stage)

    def draw(self, k: int) -> tuple[date, int]:
        j = self.shuffle.forward(k)
        d = bisect_right(self.cum, j)
        rank = j - (self.cum[d - 1] if d else 0)
        # rank < 1000 and 379 is coprime to 1000, so sequence numbers stay distinct
        return self.first + timedelta(d), (rank * 379 + d * 7919) % 1000


class Person(NamedTuple):
    index: int
    local: bool
    name: str
    id_number: str
    male: bool
    birth: date
    ethnic: str
    phone: str
    hukou_address: str
    residence: str
    compound: int
    household: int  # household number for locals, flat number for the floating population
    origin: OriginCounty | None

    @property
    def gender(self) -> str:
        return "男" if self.male else "女"

    @property
    def age(self) -> int:
        return age_on(self.birth, REFERENCE_DAY)


def _composition(rng, total: int, parts: int, cap: int) -> list[int]:
    sizes = [1] * parts
    for _ in range(total - parts):
        k = rng.randrange(parts)
        while sizes[k] >= cap:
            k = (k + 1) % parts
        sizes[k] += 1
    return sizes


def _group_of(i: int, block: int, groups_per_block: int, sizes: Callable[[int], list[int]]) -> tuple[int, range]:
    """(group number, the indexes in it) of index i, where every `block` indexes are split
    into `groups_per_block` households or flats of the given sizes."""
    b, offset = divmod(i, block)
    start = b * block
    for k, size in enumerate(sizes(b)):
        if offset < size:
            return b * groups_per_block + k, range(start, start + size)
        offset -= size
        start += size
    raise AssertionError("person outside its block")


class Population:
    def __init__(self, persons: int, seed: int):
        self.n = persons
        self.n_local = round(persons * LOCAL_SHARE)
        self.n_floating = persons - self.n_local
        self.seed = seed
        self.local_births = BirthTable(self.n_local, 1930, 2024, _local_year_weight, seed, "births.local")
        self.floating_births = BirthTable(self.n_floating, 1965, 2006, _floating_year_weight, seed, "births.floating")
        self.households = math.ceil(self.n_local / HOUSEHOLD_BLOCK) * HOUSEHOLDS_PER_BLOCK
        self.flats = math.ceil(self.n_floating / FLAT_BLOCK) * FLATS_PER_BLOCK
        self.compounds = CompoundBook(seed, max(24, math.ceil(self.n_local / 600)))
        self._household_slots = Shuffle(self.households, seed, "households.slots")
        self._flat_slots = Shuffle(self.flats, seed, "flats.slots")
        self.phones = PhoneBook(seed)
        self._rng = EntityRandom(seed, "persons")
        self._blocks = EntityRandom(seed, "blocks")
        self.overrides: dict[int, dict] = {}
        self._person = lru_cache(maxsize=4096)(self._derive)
        self._local_sizes = lru_cache(maxsize=1024)(self._block_sizes_local)
        self.household_place = lru_cache(maxsize=4096)(self._household_place)
        self._birth = lru_cache(maxsize=16384)(self._birth_uncached)
        self._flat_sizes = lru_cache(maxsize=1024)(self._block_sizes_floating)

    # ---- groups ---------------------------------------------------------
    def _block_sizes_local(self, block: int) -> list[int]:
        members = min(HOUSEHOLD_BLOCK, self.n_local - block * HOUSEHOLD_BLOCK)
        parts = min(HOUSEHOLDS_PER_BLOCK, max(1, math.ceil(members / HOUSEHOLD_MAX), round(members / 3)))
        return _composition(self._blocks(block), members, parts, HOUSEHOLD_MAX)

    def _block_sizes_floating(self, block: int) -> list[int]:
        members = min(FLAT_BLOCK, self.n_floating - block * FLAT_BLOCK)
        parts = min(FLATS_PER_BLOCK, max(math.ceil(members / FLAT_MAX), round(members / 2.5)))
        return _composition(self._blocks(-1 - block), members, parts, FLAT_MAX)

    def household_of(self, i: int) -> tuple[int, range]:
        """(household number, the persons in it) of local person i."""
        return _group_of(i, HOUSEHOLD_BLOCK, HOUSEHOLDS_PER_BLOCK, self._local_sizes)

    def flat_of(self, f: int) -> tuple[int, range]:
        """(flat number, floating-population indexes living there) of floating person f."""
        return _group_of(f, FLAT_BLOCK, FLATS_PER_BLOCK, self._flat_sizes)

    def _household_place(self, h: int) -> tuple[int, int]:
        x = self._household_slots.forward(h)
        return x % self.compounds.count, 2 * (x // self.compounds.count)

    def flat_place(self, r: int) -> tuple[int, int]:
        x = self._flat_slots.forward(r)
        return x % self.compounds.count, 2 * (x // self.compounds.count) + 1

    def flat_address(self, r: int) -> tuple[int, str]:
        c, slot = self.flat_place(r)
        return c, self.compounds.slot_address(self.compounds(c), slot)

    # ---- cheap facts, used in the hot loops ------------------------------
    def birth_of(self, i: int) -> date:
        return self._birth(i)

    def _birth_uncached(self, i: int) -> date:
        if i in self.overrides and "birth" in self.overrides[i]:
            return self.overrides[i]["birth"]
        if i < self.n_local:
            return self.local_births.draw(i)[0]
        return self.floating_births.draw(i - self.n_local)[0]

    def is_adult(self, i: int) -> bool:
        return age_on(self.birth_of(i), REFERENCE_DAY) >= ADULT_AGE

    def home_compound(self, i: int) -> int:
        if i < self.n_local:
            return self.household_place(self.household_of(i)[0])[0]
        return self.flat_place(self.flat_of(i - self.n_local)[0])[0]

    def id_number_of(self, i: int) -> str:
        """The ID number alone, for the checkpoints' driver capture (cheaper than a whole person)."""
        override = self.overrides.get(i)
        if override and "id_number" in override:
            return override["id_number"]
        if i < self.n_local:
            birth, seq = self.local_births.draw(i)
            district = self.compounds(self.household_place(self.household_of(i)[0])[0]).district
            return make_id(jiaxing_code(district, birth.year), birth, seq)
        birth, seq = self.floating_births.draw(i - self.n_local)
        origin = self._rng(i).choices(ORIGIN_COUNTIES, cum_weights=_ORIGIN_CUM)[0]  # the person's first draw
        return make_id(origin_code(origin, birth.year), birth, seq)

    # ---- persons ---------------------------------------------------------
    def person(self, i: int) -> Person:
        return self._person(i)

    def _derive(self, i: int) -> Person:
        person = self._local(i) if i < self.n_local else self._floating(i)
        override = self.overrides.get(i)
        return person._replace(**override) if override else person

    def _local(self, i: int) -> Person:
        birth, seq = self.local_births.draw(i)
        h, members = self.household_of(i)
        c, slot = self.household_place(h)
        compound = self.compounds(c)
        address = self.compounds.slot_address(compound, slot)
        rng = self._rng(i)
        male = seq % 2 == 1
        name = draw_name(rng, male, local=True)
        ethnic = rng.choices(_ETHNIC_NAMES, cum_weights=_ETHNIC_CUM)[0]
        if age_on(birth, REFERENCE_DAY) >= OWN_PHONE_AGE:
            phone = self.phones.number(i)
        else:
            # children are registered with the household head's number
            head = next((m for m in members if self.is_adult(m)), None)
            phone = self.phones.number(head) if head is not None else ""
        id_number = make_id(jiaxing_code(compound.district, birth.year), birth, seq)
        return Person(i, True, name, id_number, male, birth, ethnic, phone, address, address, c, h, None)

    def _floating(self, i: int) -> Person:
        f = i - self.n_local
        birth, seq = self.floating_births.draw(f)
        rng = self._rng(i)
        male = seq % 2 == 1
        origin = rng.choices(ORIGIN_COUNTIES, cum_weights=_ORIGIN_CUM)[0]
        name = draw_name(rng, male, local=False)
        ethnic = rng.choices(_ETHNIC_NAMES, cum_weights=_ETHNIC_CUM)[0]
        hukou = (
            f"{origin.province}{origin.prefecture}{origin.county}{rng.choice(_HOME_TOWNS)}镇"
            f"{rng.choice(_HOME_VILLAGES)}村{rng.randint(1, 240)}号"
        )
        r, _ = self.flat_of(f)
        c, residence = self.flat_address(r)
        id_number = make_id(origin_code(origin, birth.year), birth, seq)
        return Person(
            i, False, name, id_number, male, birth, ethnic, self.phones.number(i), hukou, residence, c, r, origin
        )

    def override(self, i: int, **fields) -> None:
        """Planted scenarios change a few persons (a shared phone, a namesake)."""
        self.overrides.setdefault(i, {}).update(fields)
        self._person.cache_clear()
        self._birth.cache_clear()
