"""Scenario 3: an overcrowded rented flat (群租): many concurrent registrations at one room."""

from __future__ import annotations

from datetime import timedelta

from synth.compounds import SCENARIO_BUILDING, room_address
from synth.registrations import VALID_DAYS, RegistrationSpec
from synth.scenarios.common import day
from synth.scenarios.plan import Finding, Plan, PlantedRegistration, Scenario, Select
from synth.sources import REGISTRATIONS

PARAMS = {
    "min_concurrent_registrations": 6,
    "same": "room-level residence address (residenceAddress, canonical form)",
    "concurrent": "registeredOn <= d <= validUntil on a common day d",
}


def _tenants(plan: Plan, rng, address: str, landlord: int, spans, channels) -> None:
    for (on, until), channel in zip(spans, channels, strict=True):
        tenant = plan.pick_person(rng, local=False, min_age=18, max_age=58)
        spec = RegistrationSpec(
            plan.world.registrations.number(on, plan.new_registration_slot()),
            channel,
            address,
            landlord,
            on,
            until,
            "务工",
        )
        f = tenant.index - plan.world.population.n_local
        plan.registrations[f] = [PlantedRegistration(spec, tenant.index)]


def _select(address: str) -> Select:
    return Select(
        REGISTRATIONS.name,
        {"residenceAddress": address},
        collect={"Registration": "registrationNo", "Person": "idNumber"},
    )


def _concurrent(rng, count: int, first_day: int):
    base = day(first_day)
    spans = []
    for _ in range(count):
        on = base + timedelta(days=rng.randint(0, 40))
        spans.append((on, on + timedelta(days=VALID_DAYS)))
    return sorted(spans)


def plant(plan: Plan, rng) -> Scenario:
    scenario = Scenario(3, "overcrowded_flat", "出租屋群租", PARAMS)
    compounds = plan.world.population.compounds
    compound = compounds(rng.randrange(compounds.count))
    building = SCENARIO_BUILDING  # buildings from here on hold no background household

    def landlord() -> int:
        return plan.pick_person(rng, vehicle=False, min_age=35, max_age=70).index

    for count, first_day, channel in ((8, rng.randint(30, 60), "码上服务"), (11, rng.randint(120, 160), "房东申报")):
        address = room_address(compound, building, 1, rng.randint(2, 5), rng.randint(1, 2))
        building += 1
        spans = _concurrent(rng, count, first_day)
        channels = [channel if k % 3 else "民警登记" for k in range(count)]
        _tenants(plan, rng, address, landlord(), spans, channels)
        scenario.positives.append(
            Finding(
                {"Address": [address]},
                [_select(address)],
                f"{count} tenants registered at one room at the same time",
                {
                    "max_concurrent": count,
                    "all_valid_from": max(s[0] for s in spans).isoformat(),
                    "all_valid_until": min(s[1] for s in spans).isoformat(),
                },
            )
        )

    # decoy: nine short lets one after another
    address = room_address(compound, building, 2, 3, 1)
    building += 1
    start = day(rng.randint(10, 25))
    spans = [(start + timedelta(days=38 * k), start + timedelta(days=38 * k + 34)) for k in range(9)]
    _tenants(plan, rng, address, landlord(), spans, ["码上服务"] * 9)
    scenario.decoys.append(
        Finding(
            {"Address": [address]},
            [_select(address)],
            "nine registrations in a year, but each ended before the next began (never more than one at a time)",
            {"registrations": 9, "max_concurrent": 1},
        )
    )

    # decoy: five at once, one short of the threshold
    address = room_address(compound, building, 1, 4, 2)
    building += 1
    _tenants(plan, rng, address, landlord(), _concurrent(rng, 5, rng.randint(60, 200)), ["码上服务"] * 5)
    scenario.decoys.append(
        Finding(
            {"Address": [address]},
            [_select(address)],
            "five concurrent registrations: below the threshold",
            {"max_concurrent": 5},
        )
    )

    # decoy: ten tenants in one building, but spread over seven rooms
    owner = landlord()
    addresses, per_room = [], (2, 2, 1, 1, 2, 1, 1)
    first = rng.randint(40, 120)
    for floor, tenants in enumerate(per_room, start=1):
        address = room_address(compound, building, 1, floor, 1)
        addresses.append(address)
        _tenants(plan, rng, address, owner, _concurrent(rng, tenants, first), ["房东申报"] * tenants)
    scenario.decoys.append(
        Finding(
            {"Address": addresses},
            [_select(a) for a in addresses],
            "ten concurrent registrations in one building, but in seven different rooms (at most two per room)",
            {
                "building": f"{compound.prefix}{building}幢",
                "registrations": sum(per_room),
                "max_concurrent_per_room": 2,
            },
        )
    )
    return scenario
