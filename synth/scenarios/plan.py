"""What the planted scenarios change in the world and what they expect.

Planning happens before any file is written: a scenario reserves persons and
vehicles (they then take no background role), overrides a few of their
attributes, and queues the registrations, purchases, watch-list entries and
passages it plants. Each positive and decoy says which rows will prove it
(`Select`); those are resolved against the rows actually written, so the
ground truth cites real row numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from synth.fleet import KIND_BY_KEY, Licence
from synth.names import can_typo
from synth.passages import PassageEvent
from synth.population import Person
from synth.purchases import PurchaseEvent
from synth.registrations import RegistrationSpec
from synth.timeline import PERIOD_START
from synth.watchlist import WatchEntry
from synth.world import World


@dataclass
class Select:
    """Rows of `file` whose columns equal `where` (and pass `when`); `file=None`
    means any file and `where` is matched against any column."""

    file: str | None
    where: dict[str, str]
    when: Callable[[dict], bool] | None = None
    collect: dict[str, str] = field(default_factory=dict)  # label -> column holding entity keys


@dataclass
class Finding:
    entities: dict[str, list[str]]
    selects: list[Select]
    text: str  # a positive's note, or a decoy's reason for not being one
    facts: dict = field(default_factory=dict)


@dataclass
class Scenario:
    id: int
    kind: str
    title: str
    params: dict
    positives: list[Finding] = field(default_factory=list)
    decoys: list[Finding] = field(default_factory=list)


@dataclass
class PlantedRegistration:
    spec: RegistrationSpec
    tenant: int
    without_id: bool = False


class Plan:
    def __init__(self, world: World):
        self.world = world
        self.reserved = world.reserved
        self.reserved_vehicles: set[int] = set()
        self.watch: set[str] = set()
        self.registrations: dict[int, list[PlantedRegistration]] = {}  # floating index -> replaces background
        self.extra_registrations: dict[int, list[PlantedRegistration]] = {}  # written after that person's rows
        self.watch_entries: dict[int, list[WatchEntry]] = {}
        self.purchases: list[PurchaseEvent] = []
        self.passages: dict[date, list[PassageEvent]] = {}
        self.row_variants: dict[tuple[str, int], dict[str, str]] = {}
        # (file, where, column, value as written, canonical value, variant): scenario values that must load
        self.recoverable_notes: list[tuple[str, dict, str, str, str, str]] = []
        self.scenarios: list[Scenario] = []
        self.next_external = world.external
        self.next_phone = world.persons + 100
        self.next_registration = 2 * world.population.n_floating + 10

    # ---- choosing persons and vehicles ------------------------------------
    def pick_person(
        self,
        rng,
        *,
        local: bool = True,
        min_age: int = 22,
        max_age: int = 60,
        vehicle: bool | None = False,
        born_before: int | None = None,
        typo: bool = False,
        male: bool | None = None,
        ok: Callable[[Person], bool] | None = None,
    ) -> Person:
        population, fleet = self.world.population, self.world.fleet
        start, stop = (0, population.n_local) if local else (population.n_local, population.n)
        for _ in range(200_000):
            i = rng.randrange(start, stop)
            if self.world.kept_out(i):
                continue
            age = population.person(i).age if population.is_adult(i) else 0
            if not min_age <= age <= max_age:
                continue
            owned = fleet.vehicle_of(i)
            if vehicle is not None and (owned is not None) != vehicle:
                continue
            if owned is not None and (owned in self.reserved_vehicles or fleet.base_kind(owned).key != "car"):
                continue
            person = population.person(i)
            if born_before is not None and person.birth.year >= born_before:
                continue
            if typo and not can_typo(person.name):
                continue
            if male is not None and person.male != male:
                continue
            if local and self.heads_children(i):
                continue
            if ok is not None and not ok(person):
                continue
            self.reserve(i)
            return person
        raise RuntimeError("no person fits the scenario; generate more persons")

    def heads_children(self, i: int) -> bool:
        """Children are registered with their household head's phone; leaving such
        heads out keeps a scenario's phone change from reaching other people."""
        population = self.world.population
        _, members = population.household_of(i)
        head = next((m for m in members if population.is_adult(m)), None)
        return head == i and any(not population.is_adult(m) for m in members)

    def reserve(self, i: int) -> None:
        self.reserved.add(i)
        u = self.world.fleet.vehicle_of(i)
        if u is not None:
            self.reserved_vehicles.add(u)

    def pick_vehicle(self, rng, kind: str = "car", **criteria) -> tuple[int, Person]:
        """A vehicle with an ordinary plate and its owner; `kind` overrides its kind."""
        person = self.pick_person(rng, vehicle=True, **criteria)
        u = self.world.fleet.vehicle_of(person.index)
        if kind != "car":
            self.world.fleet.kind_overrides[u] = KIND_BY_KEY[kind]
        return u, person

    def new_phone(self) -> str:
        self.next_phone += 1
        return self.world.population.phones.number(self.next_phone)

    def new_external(self) -> int:
        e = self.next_external
        self.next_external += 1
        return e

    def new_registration_slot(self) -> int:
        self.next_registration += 1
        return self.next_registration

    # ---- planting ------------------------------------------------------------
    def add_passages(self, events) -> list[tuple[date, PassageEvent]]:
        for when, event in events:
            if when < PERIOD_START:
                raise ValueError("planted passage before the period")
            self.passages.setdefault(when, []).append(event)
        return list(events)

    def set_licence(self, i: int, licence: Licence | None) -> None:
        self.world.fleet.licence_overrides[i] = licence

    def add(self, scenario: Scenario) -> Scenario:
        for finding in scenario.positives + scenario.decoys:
            for select in finding.selects:
                self.watch.update(v for v in select.where.values() if v)
            for keys in finding.entities.values():
                self.watch.update(k for k in keys if k)
        self.scenarios.append(scenario)
        return scenario
