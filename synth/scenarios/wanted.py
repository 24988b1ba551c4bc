"""Scenario 2: a wanted person (在逃人员) who registers as a tenant, buys
dangerous goods, or whose vehicle passes a checkpoint while the listing is in force."""

from __future__ import annotations

from datetime import timedelta

from synth.purchases import GAS_ITEM
from synth.registrations import VALID_DAYS, RegistrationSpec
from synth.scenarios.common import buy, day, hms, passages, purchases_of, watch_row
from synth.scenarios.plan import Finding, Plan, PlantedRegistration, Scenario, Select
from synth.shops import FIREWORKS, GAS, KNIVES
from synth.sources import REGISTRATIONS
from synth.watchlist import WANTED, WatchEntry, entry_id, listing_unit, reason_for

PARAMS = {
    "list_kind": WANTED,
    "in_force": "列入日期 <= activity date, and 撤销日期 blank or after the activity date",
    "activities": [
        "a registration as tenant whose period overlaps the listing",
        "a purchase while listed",
        "a passage of a vehicle the person owns while listed",
    ],
    "match_on": "citizen ID number (names are not unique)",
}


def _list(plan: Plan, person, kind: str, listed, lifted=None, k: int = 1) -> WatchEntry:
    district = plan.world.population.compounds(person.compound).district.code
    entry = WatchEntry(
        entry_id(kind, listed, person.index, k),
        kind,
        reason_for(kind, person.index),
        listed,
        lifted,
        listing_unit(district),
    )
    plan.watch_entries.setdefault(person.index, []).append(entry)
    return entry


def _register(plan: Plan, tenant, landlord, on, channel="码上服务") -> RegistrationSpec:
    book = plan.world.registrations
    spec = RegistrationSpec(
        book.number(on, plan.new_registration_slot()),
        channel,
        tenant.residence,
        landlord.index,
        on,
        on + timedelta(days=VALID_DAYS),
        "务工",
    )
    f = tenant.index - plan.world.population.n_local
    plan.registrations.setdefault(f, []).append(PlantedRegistration(spec, tenant.index))
    return spec


def _buy(plan: Plan, rng, person, when, hour: int, category: str, item: str, quantity: int, unit: str) -> None:
    compound = plan.world.population.compounds(person.compound)
    shop = plan.world.shops.nearest(category, compound.lat, compound.lon)
    buy(plan, rng, person, when, hour, shop, category, item, quantity, unit)


def _registration_row(registration: RegistrationSpec) -> Select:
    return Select(
        REGISTRATIONS.name, {"registrationNo": registration.registration_no}, collect={"Registration": "registrationNo"}
    )


def _finding(person, entry, selects, text, facts=None, **entities) -> Finding:
    keys = {"Person": [person.id_number], "LISTED_ON": [entry.entry_id], "WatchList": [entry.list_id], **entities}
    return Finding(keys, [watch_row(entry.entry_id), *selects], text, facts or {})


def plant(plan: Plan, rng) -> Scenario:
    scenario = Scenario(2, "wanted_person_active", "在逃人员活动轨迹", PARAMS)
    first, tenant, landlord, registered_on = _registers_as_tenant(plan, rng)
    scenario.positives += [first, _buys_gas(plan, rng), _car_passes(plan, rng)]
    scenario.decoys += [
        _lifted_before_purchase(plan, rng),
        _namesake_registers(plan, rng, tenant, landlord, registered_on),
        _listed_not_as_wanted(plan, rng),
        _bought_before_listing(plan, rng),
    ]
    return scenario


def _registers_as_tenant(plan: Plan, rng):
    """Positive: registers as a tenant while wanted."""
    w1 = plan.pick_person(rng, local=False, min_age=20, max_age=50)
    landlord = plan.pick_person(rng, vehicle=False, min_age=35, max_age=70)
    on1 = day(rng.randint(60, 110))
    e1 = _list(plan, w1, WANTED, on1 - timedelta(days=100))
    reg1 = _register(plan, w1, landlord, on1)
    finding = _finding(
        w1,
        e1,
        [_registration_row(reg1)],
        "listed as wanted, then registers as a tenant through the self-report service",
        {
            "listed_on": e1.listed_on.isoformat(),
            "activity_on": on1.isoformat(),
            # The landlord who houses the wanted person: the link an investigator follows next.
            "accomplice": {
                "Person": landlord.id_number,
                "name": landlord.name,
                "path": ["Person", "REGISTERED", "Registration", "HAS_LANDLORD", "Person"],
            },
        },
    )
    return finding, w1, landlord, on1


def _buys_gas(plan: Plan, rng) -> Finding:
    """Positive: buys bottled gas while wanted."""
    w2 = plan.pick_person(rng, vehicle=False)
    listed2 = day(rng.randint(10, 40))
    e2 = _list(plan, w2, WANTED, listed2)
    _buy(plan, rng, w2, listed2 + timedelta(days=35), 10, GAS, GAS_ITEM[0], 1, GAS_ITEM[1])
    return _finding(
        w2, e2, [purchases_of(w2.id_number)], "buys bottled gas while wanted", {"listed_on": listed2.isoformat()}
    )


def _car_passes(plan: Plan, rng) -> Finding:
    """Positive: the wanted person's car passes checkpoints and the compound gate."""
    planner = plan.world.planner
    u3, w3 = plan.pick_vehicle(rng)
    listed3 = day(rng.randint(160, 200))
    e3 = _list(plan, w3, WANTED, listed3)
    cp = planner.home(u3).nearest_checkpoints[0]
    plan.add_passages(planner.local_trip(u3, listed3 - timedelta(days=50), hms(8), hms(3)))
    plan.add_passages(planner.round_trip(u3, listed3 - timedelta(days=20), cp, hms(9), hms(5)))
    plan.add_passages(planner.round_trip(u3, listed3 + timedelta(days=10), cp, hms(21, 5), hms(1, 40)))
    plan.add_passages(planner.local_trip(u3, listed3 + timedelta(days=25), hms(6, 30), hms(10)))
    plate3 = plan.world.fleet.plate(u3)
    return _finding(
        w3,
        e3,
        passages(plate3, since=listed3),
        "the wanted person's car passes a checkpoint and the compound gate after the listing date",
        {"listed_on": listed3.isoformat()},
        Vehicle=[plate3],
    )


def _lifted_before_purchase(plan: Plan, rng) -> Finding:
    """Decoy: the listing was lifted before the purchase."""
    w4 = plan.pick_person(rng, vehicle=False)
    lifted = day(rng.randint(80, 100))
    e4 = _list(plan, w4, WANTED, day(-300), lifted)
    _buy(plan, rng, w4, lifted + timedelta(days=30), 15, FIREWORKS, "组合烟花", 2, "箱")
    return _finding(
        w4,
        e4,
        [purchases_of(w4.id_number)],
        "the wanted listing was lifted (撤销日期) before the purchase",
        {"lifted_on": lifted.isoformat()},
    )


def _namesake_registers(plan: Plan, rng, tenant, landlord, registered_on) -> Finding:
    """Decoy: same name as the wanted tenant, another person, registers during that listing."""
    population = plan.world.population
    namesake = plan.pick_person(rng, local=False, male=tenant.male, ok=lambda p: p.name != tenant.name)
    population.override(namesake.index, name=tenant.name)
    namesake = population.person(namesake.index)
    reg_ns = _register(plan, namesake, landlord, registered_on + timedelta(days=20), channel="房东申报")
    return Finding(
        {"Person": [namesake.id_number]},
        [_registration_row(reg_ns)],
        "same name as a wanted person, but another ID number; not listed",
        {},
    )


def _listed_not_as_wanted(plan: Plan, rng) -> Finding:
    """Decoy: listed, but not as wanted."""
    released = plan.pick_person(rng, vehicle=False)
    e5 = _list(plan, released, "刑满释放人员", day(-500))
    _buy(plan, rng, released, day(rng.randint(200, 260)), 11, FIREWORKS, "手持烟花", 3, "箱")
    return _finding(
        released,
        e5,
        [purchases_of(released.id_number)],
        "on a watch list, but as 刑满释放人员 (released after a sentence), not wanted",
    )


def _bought_before_listing(plan: Plan, rng) -> Finding:
    """Decoy: bought first, listed as wanted later."""
    w6 = plan.pick_person(rng, vehicle=False)
    _buy(plan, rng, w6, day(30), 16, KNIVES, "猎刀", 1, "把")
    e6 = _list(plan, w6, WANTED, day(rng.randint(90, 120)))
    return _finding(
        w6,
        e6,
        [purchases_of(w6.id_number)],
        "the purchase happened before the person was listed",
        {"listed_on": e6.listed_on.isoformat()},
    )
