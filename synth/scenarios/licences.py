"""Scenario 1: a driver whose licence is revoked seen driving at a gate or a checkpoint."""

from __future__ import annotations

from datetime import timedelta

from synth.scenarios.common import day, hms, licence_row, passages
from synth.scenarios.plan import Finding, Plan, Scenario, Select
from synth.sources import CHECKPOINT_PASSAGES, LICENCES, VEHICLES

PARAMS = {
    "licence_status": "吊销",
    "driver": "the driver ID captured at a checkpoint (核录身份证号) when present, otherwise the vehicle's owner",
    "places": ["checkpoint", "gate"],
    "from": "the licence's status date (状态日期) 00:00, inclusive",
}


def _revoke(plan: Plan, person, when, rng):
    licence = plan.world.fleet.make_licence(person, "C1", rng, status="吊销", status_since=when)
    plan.set_licence(person.index, licence)
    return licence


def _valid(plan: Plan, person, rng):
    licence = plan.world.fleet.make_licence(person, "C1", rng, status="正常")
    plan.set_licence(person.index, licence)
    return licence


def plant(plan: Plan, rng) -> Scenario:
    scenario = Scenario(1, "revoked_licence_driving", "吊销驾驶证人员驾车", PARAMS)
    first, revoked, since = _owner_keeps_driving(plan, rng)
    scenario.positives += [first, _caught_in_another_car(plan, rng)]
    scenario.decoys += [
        _seen_before_revocation(plan, rng),
        _namesake_with_valid_licence(plan, rng, revoked, since),
        _relative_drives(plan, rng),
    ]
    return scenario


def _owner_keeps_driving(plan: Plan, rng):
    """Positive: the owner, revoked, keeps driving in and out of the compound."""
    planner, fleet = plan.world.planner, plan.world.fleet
    u1, r1 = plan.pick_vehicle(rng)
    d1 = day(rng.randint(150, 180))
    lic1 = _revoke(plan, r1, d1, rng)
    cp1 = planner.home(u1).nearest_checkpoints[0]
    for back in (80, 35, 9):
        plan.add_passages(planner.round_trip(u1, d1 - timedelta(days=back), cp1, hms(8, rng.randrange(60)), hms(6)))
    plan.add_passages(planner.local_trip(u1, d1 + timedelta(days=4), hms(9, 10), hms(2, 35)))
    plan.add_passages(planner.local_trip(u1, d1 + timedelta(days=11), hms(18, 40), hms(1, 5)))
    plan.add_passages(planner.round_trip(u1, d1 + timedelta(days=19), cp1, hms(10, 20), hms(4, 30)))
    plate1 = fleet.plate(u1)
    finding = Finding(
        {"Person": [r1.id_number], "DrivingLicence": [lic1.file_no], "Vehicle": [plate1]},
        [licence_row(lic1.file_no), Select(VEHICLES.name, {"号牌号码": plate1}), *passages(plate1, since=d1)],
        "licence revoked; the owner's vehicle passes gates and a checkpoint after the revocation date",
        {"status_since": d1.isoformat()},
    )
    return finding, r1, d1


def _caught_in_another_car(plan: Plan, rng) -> Finding:
    """Positive: caught by the checkpoint's ID capture driving somebody else's car."""
    planner, fleet = plan.world.planner, plan.world.fleet
    r2 = plan.pick_person(rng, vehicle=False)
    d2 = day(rng.randint(100, 130))
    lic2 = _revoke(plan, r2, d2, rng)
    u2, owner2 = plan.pick_vehicle(rng)
    cp2 = planner.home(u2).nearest_checkpoints[0]
    plan.add_passages(planner.round_trip(u2, d2 - timedelta(days=40), cp2, hms(9, 15), hms(5)))
    plan.add_passages(
        planner.round_trip(
            u2, d2 + timedelta(days=30), cp2, hms(7, 50), hms(9, 10), driver_out=r2.id_number, driver_in=r2.id_number
        )
    )
    plan.add_passages(
        planner.round_trip(
            u2, d2 + timedelta(days=52), cp2, hms(8, 5), hms(7), driver_out=owner2.id_number, driver_in=owner2.id_number
        )
    )
    return Finding(
        {"Person": [r2.id_number], "DrivingLicence": [lic2.file_no], "Vehicle": [fleet.plate(u2)]},
        [
            licence_row(lic2.file_no),
            Select(CHECKPOINT_PASSAGES.name, {"核录身份证号": r2.id_number}, collect={"Passage": "过车编号"}),
        ],
        "licence revoked; the checkpoint's ID capture identifies the driver of another person's car after the "
        "revocation date",
        {"status_since": d2.isoformat()},
    )


def _seen_before_revocation(plan: Plan, rng) -> Finding:
    """Decoy: revoked, but the vehicle was last seen the evening before."""
    planner, fleet = plan.world.planner, plan.world.fleet
    u3, r3 = plan.pick_vehicle(rng)
    d3 = day(rng.randint(200, 240))
    lic3 = _revoke(plan, r3, d3, rng)
    cp3 = planner.home(u3).nearest_checkpoints[0]
    plan.add_passages(planner.round_trip(u3, d3 - timedelta(days=60), cp3, hms(8, 40), hms(6)))
    plan.add_passages(planner.round_trip(u3, d3 - timedelta(days=20), cp3, hms(13, 10), hms(3)))
    plan.add_passages(planner.local_trip(u3, d3 - timedelta(days=1), hms(9), hms(9)))
    plate3 = fleet.plate(u3)
    return Finding(
        {"Person": [r3.id_number], "DrivingLicence": [lic3.file_no], "Vehicle": [plate3]},
        [licence_row(lic3.file_no), *passages(plate3)],
        "every passage of the vehicle is before the revocation date",
        {"status_since": d3.isoformat()},
    )


def _namesake_with_valid_licence(plan: Plan, rng, revoked, since) -> Finding:
    """Decoy: same name as the first positive, another person with a valid licence."""
    world = plan.world
    planner, fleet = world.planner, world.fleet
    u4, namesake = plan.pick_vehicle(rng, male=revoked.male, ok=lambda p: p.name != revoked.name)
    world.population.override(namesake.index, name=revoked.name)
    cp4 = planner.home(u4).nearest_checkpoints[0]
    plan.add_passages(planner.round_trip(u4, since + timedelta(days=6), cp4, hms(8, 30), hms(8)))
    plan.add_passages(planner.local_trip(u4, since + timedelta(days=15), hms(19), hms(2)))
    plate4 = fleet.plate(u4)
    return Finding(
        {"Person": [namesake.id_number], "Vehicle": [plate4]},
        [Select(LICENCES.name, {"身份证明号码": namesake.id_number}), *passages(plate4, since=since)],
        "same name as a revoked driver, but another ID number, and this person's licence is valid",
        {},
    )


def _adult_relatives(world, p) -> list[int]:
    members = world.population.household_of(p.index)[1]
    return [m for m in members if m != p.index and world.population.is_adult(m) and not world.kept_out(m)]


def _relative_drives(plan: Plan, rng) -> Finding:
    """Decoy: revoked owner, but the captured driver is a family member with a valid licence."""
    world = plan.world
    planner, fleet = world.planner, world.fleet
    u5, r4 = plan.pick_vehicle(rng, ok=lambda p: bool(_adult_relatives(world, p)))
    relative = _adult_relatives(world, r4)[0]
    plan.reserve(relative)
    family = world.population.person(relative)
    lic_family = _valid(plan, family, rng)
    d4 = day(rng.randint(120, 160))
    lic4 = _revoke(plan, r4, d4, rng)
    cp5 = planner.home(u5).nearest_checkpoints[0]
    plan.add_passages(planner.round_trip(u5, d4 - timedelta(days=30), cp5, hms(9), hms(5)))
    for later in (7, 21):
        plan.add_passages(
            planner.round_trip(
                u5,
                d4 + timedelta(days=later),
                cp5,
                hms(8, 15),
                hms(9),
                gates=False,
                driver_out=family.id_number,
                driver_in=family.id_number,
            )
        )
    plate5 = fleet.plate(u5)
    return Finding(
        {
            "Person": [r4.id_number, family.id_number],
            "DrivingLicence": [lic4.file_no, lic_family.file_no],
            "Vehicle": [plate5],
        },
        [licence_row(lic4.file_no), licence_row(lic_family.file_no), *passages(plate5, since=d4, gates=False)],
        "the owner's licence is revoked, but after that date the car is only seen at checkpoints and every "
        "passage captured a household member with a valid licence as the driver",
        {"status_since": d4.isoformat()},
    )
