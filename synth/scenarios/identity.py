"""Scenarios 8 and 10 about identities: one phone used by many unrelated
people; one person in two sources with variations, and a record without an ID
number that must stay a separate, unverified record."""

from __future__ import annotations

from datetime import timedelta

from synth.citizen_ids import make_id, to_15
from synth.compounds import SCENARIO_BUILDING, room_address
from synth.names import with_typo
from synth.phones import plus86_dashed
from synth.regions import DISTRICTS, jiaxing_code
from synth.registrations import VALID_DAYS, RegistrationSpec
from synth.scenarios.common import day
from synth.scenarios.plan import Finding, Plan, PlantedRegistration, Scenario, Select
from synth.sources import HOUSEHOLD, LICENCES, REGISTRATIONS, VEHICLES

PHONE_PARAMS = {
    "min_unrelated_persons": 5,
    "unrelated": "distinct citizen ID numbers with distinct household-registration (户籍) addresses: members of one "
    "household count once",
    "sources": "every phone column of every file (after canonicalising the number)",
}
IDENTITY_PARAMS = {
    "same_person": "the 15-digit number upgraded (insert 19 after the region code, add the check digit) equals "
    "the 18-digit number; names may differ by one character; phones compare canonically",
    "no_id_record": "a record without an ID number is never merged by name: it becomes a PersonRecord with a "
    "CANDIDATE_MATCH to the person it may be",
}


def _phone_rows(phone: str) -> Select:
    return Select(None, {"phone": phone}, collect={})


def plant_shared_phone(plan: Plan, rng) -> Scenario:
    world = plan.world
    population = world.population
    scenario = Scenario(8, "shared_phone", "一号多人使用", PHONE_PARAMS)

    def unrelated(count: int, local: bool) -> list:
        chosen, homes = [], set()
        while len(chosen) < count:
            person = plan.pick_person(
                rng,
                local=local,
                vehicle=None,
                min_age=20,
                max_age=65,
                ok=lambda p: p.hukou_address not in homes and p.residence not in homes,
            )
            homes.update((person.hukou_address, person.residence))
            chosen.append(person)
        return chosen

    def share(persons) -> str:
        phone = plan.new_phone()
        for p in persons:
            population.override(p.index, phone=phone)
        return phone

    for count, local, note in (
        (6, False, "a broker's number given by six tenants in six different flats"),
        (5, True, "one number registered for five people of five different households"),
    ):
        persons = unrelated(count, local)
        phone = share(persons)
        scenario.positives.append(
            Finding(
                {"Phone": [phone], "Person": [p.id_number for p in persons]},
                [_phone_rows(phone)],
                note,
                {"persons": count, "households": count},
            )
        )

    # decoy: a household of five or more sharing one number
    while True:
        i = rng.randrange(population.n_local)
        members = population.household_of(i)[1]
        if len(members) >= 5 and not any(world.kept_out(m) for m in members):
            break
    for m in members:
        plan.reserve(m)
    family = [population.person(m) for m in members]
    phone = share(family)
    scenario.decoys.append(
        Finding(
            {"Phone": [phone], "Person": [p.id_number for p in family]},
            [_phone_rows(phone)],
            f"{len(family)} people share the number, but all are one household (same 户籍 address)",
            {"persons": len(family), "households": 1},
        )
    )
    persons = unrelated(4, True)
    phone = share(persons)
    scenario.decoys.append(
        Finding(
            {"Phone": [phone], "Person": [p.id_number for p in persons]},
            [_phone_rows(phone)],
            "four unrelated people: one short of the threshold",
            {"persons": 4, "households": 4},
        )
    )
    return scenario


def plant_duplicate_identity(plan: Plan, rng) -> Scenario:
    scenario = Scenario(10, "duplicate_identity", "同一人员多源记录归并", IDENTITY_PARAMS)
    first, person = _owner_in_two_registers(plan, rng)
    second, person2 = _licence_holder_in_two_registers(plan, rng)
    scenario.positives += [first, second]
    scenario.decoys += [_namesake(plan, rng, person), _twin_from_another_county(plan, rng, person2)]
    return scenario


def _owner_in_two_registers(plan: Plan, rng):
    """Positive: household registry vs vehicle register (typo, 15-digit number, +86 phone),
    plus a landlord's report with no ID number."""
    u, person = plan.pick_vehicle(rng, born_before=1984, typo=True, min_age=42, max_age=70)
    id15, typo, phone = to_15(person.id_number), with_typo(person.name), plus86_dashed(person.phone)
    plan.row_variants[(VEHICLES.name, u)] = {"所有人": typo, "身份证明号码": id15, "联系电话": phone}
    plate = plan.world.fleet.plate(u)
    spec = _reported_without_id(plan, rng, person)
    plan.recoverable_notes += [
        (VEHICLES.name, {"号牌号码": plate}, "身份证明号码", id15, person.id_number, "id15"),
        (VEHICLES.name, {"号牌号码": plate}, "联系电话", phone, person.phone, "plus86_dashed"),
    ]
    finding = Finding(
        {"Person": [person.id_number], "Vehicle": [plate]},
        [
            Select(HOUSEHOLD.name, {"公民身份号码": person.id_number}),
            Select(VEHICLES.name, {"号牌号码": plate}),
            Select(REGISTRATIONS.name, {"registrationNo": spec.registration_no, "phone": person.phone}),
        ],
        "one person: the vehicle register has a one-character name typo, the old 15-digit ID number and a +86 "
        "phone; a landlord reported the same person as a tenant without an ID number",
        {
            "resolution": {
                "person": person.id_number,
                "name": person.name,
                "merge": [
                    {"file": HOUSEHOLD.name, "id_number": person.id_number, "name": person.name, "phone": person.phone},
                    {"file": VEHICLES.name, "id_number": id15, "name": typo, "phone": phone},
                ],
                "candidate_records": [
                    {
                        "file": REGISTRATIONS.name,
                        "registrationNo": spec.registration_no,
                        "expected": "PersonRecord (no ID number), CANDIDATE_MATCH to the person; not merged",
                        "evidence": ["same name", "same birth date", "same phone"],
                    }
                ],
            }
        },
    )
    return finding, person


def _reported_without_id(plan: Plan, rng, person) -> RegistrationSpec:
    """A landlord's report of the person as a tenant, without an ID number."""
    world = plan.world
    compounds = world.population.compounds
    flat = room_address(compounds(rng.randrange(compounds.count)), SCENARIO_BUILDING + 20, 1, 3, 2)
    landlord = plan.pick_person(rng, vehicle=False, min_age=35, max_age=70)
    on = day(rng.randint(100, 200))
    spec = RegistrationSpec(
        world.registrations.number(on, plan.new_registration_slot()),
        "房东申报",
        flat,
        landlord.index,
        on,
        on + timedelta(days=VALID_DAYS),
        "其他",
    )
    after = rng.randrange(world.population.n_floating)
    plan.extra_registrations.setdefault(after, []).append(PlantedRegistration(spec, person.index, without_id=True))
    return spec


def _licence_holder_in_two_registers(plan: Plan, rng):
    """Positive: household registry vs driving-licence register (typo and 15-digit number)."""
    person2 = plan.pick_person(rng, vehicle=False, born_before=1984, typo=True, min_age=42, max_age=75)
    licence = plan.world.fleet.make_licence(person2, "C1", rng, status="正常")
    plan.set_licence(person2.index, licence)
    id15_2, typo2 = to_15(person2.id_number), with_typo(person2.name)
    plan.row_variants[(LICENCES.name, person2.index)] = {"姓名": typo2, "身份证明号码": id15_2}
    plan.recoverable_notes.append(
        (LICENCES.name, {"档案编号": licence.file_no}, "身份证明号码", id15_2, person2.id_number, "id15")
    )
    finding = Finding(
        {"Person": [person2.id_number], "DrivingLicence": [licence.file_no]},
        [
            Select(HOUSEHOLD.name, {"公民身份号码": person2.id_number}),
            Select(LICENCES.name, {"档案编号": licence.file_no}),
        ],
        "one person: the licence register keeps the old 15-digit ID number and a one-character name typo",
        {
            "resolution": {
                "person": person2.id_number,
                "name": person2.name,
                "merge": [
                    {"file": HOUSEHOLD.name, "id_number": person2.id_number, "name": person2.name},
                    {"file": LICENCES.name, "id_number": id15_2, "name": typo2},
                ],
            }
        },
    )
    return finding, person2


def _namesake(plan: Plan, rng, person) -> Finding:
    """Decoy: same name as the first person, another person."""
    namesake = plan.pick_person(
        rng, vehicle=False, male=person.male, ok=lambda p: p.name != person.name and p.birth != person.birth
    )
    plan.world.population.override(namesake.index, name=person.name)
    return Finding(
        {"Person": [namesake.id_number]},
        [Select(HOUSEHOLD.name, {"公民身份号码": namesake.id_number})],
        "same name as the first person, but another ID number, birth date and phone: neither the same person nor a "
        "candidate for the record without an ID number",
        {},
    )


def _twin_from_another_county(plan: Plan, rng, person2) -> Finding:
    """Decoy: same name and birth date as the second person, born in another county."""
    other = plan.pick_person(rng, vehicle=False, min_age=20, max_age=80)
    region = person2.id_number[:6]
    new_region = next(code for code in (jiaxing_code(d, person2.birth.year) for d in DISTRICTS) if code != region)
    twin_id = make_id(new_region, person2.birth, int(person2.id_number[14:17]))
    plan.world.population.override(
        other.index, name=person2.name, birth=person2.birth, id_number=twin_id, male=person2.male
    )
    return Finding(
        {"Person": [twin_id]},
        [Select(HOUSEHOLD.name, {"公民身份号码": twin_id})],
        "same name and birth date as the second person, but the region code differs: the upgraded 15-digit number "
        "does not equal this ID number",
        {},
    )
