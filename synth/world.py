"""Everything the generator derives from (persons, seed): the population, its
vehicles and licences, shops, watch lists, registrations and the trip planner.
Building it costs milliseconds at any size; nothing here holds rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from synth.fleet import Fleet
from synth.passages import EXTERNAL_PER_PERSON, TripPlanner
from synth.population import Population
from synth.purchases import PurchaseBook
from synth.registrations import RegistrationBook
from synth.seeding import EntityRandom
from synth.shops import ShopBook
from synth.watchlist import WatchBook


@dataclass
class World:
    persons: int
    seed: int
    population: Population = field(init=False)
    fleet: Fleet = field(init=False)
    shops: ShopBook = field(init=False)
    watch: WatchBook = field(init=False)
    purchases: PurchaseBook = field(init=False)
    registrations: RegistrationBook = field(init=False)
    planner: TripPlanner = field(init=False)
    reserved: set[int] = field(default_factory=set)  # persons the planted scenarios use

    def __post_init__(self) -> None:
        self.population = Population(self.persons, self.seed)
        self.fleet = Fleet(self.population, self.seed)
        self.shops = ShopBook(self.seed, self.persons)
        self.watch = WatchBook(self.seed, self.population, self.fleet)
        self.purchases = PurchaseBook(self.seed, self.shops)
        self.registrations = RegistrationBook(self.seed, self.population, self.kept_out)
        self.planner = TripPlanner(self.population, self.fleet)
        self.external = max(1, round(self.persons * EXTERNAL_PER_PERSON))
        self._external_u = EntityRandom(self.seed, "external.plates")

    def kept_out(self, i: int) -> bool:
        """Persons who take no background role (landlord, buyer, mention): the
        scenarios' persons, and wanted persons (so a wanted person is never
        active except where a scenario plants it)."""
        return i in self.reserved or self.watch.background_kind(i) is not None

    def external_plate(self, e: int) -> str:
        """Plate of passing vehicle e (other cities); e >= self.external are left to the scenarios."""
        return self.fleet.plates.other_city(e, self._external_u.unit(e))

    def external_colour(self, e: int) -> str:
        return "黄" if self._external_u.unit(e, 1) < 0.1 else "蓝"
