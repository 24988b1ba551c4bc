"""Scenarios 6, 7 and 9 on the roads: a cloned plate (套牌), co-travelling
vehicles (伴随车), and a hazardous-goods truck passing in the forbidden night hours."""

from __future__ import annotations

import math
from datetime import timedelta

from synth.geography import CHECKPOINTS
from synth.scenarios.common import CP, checkpoint_distance, day, farthest_checkpoint, hms, passages, stamp
from synth.scenarios.plan import Finding, Plan, Scenario, Select

CLONE_PARAMS = {
    "max_speed_kmh": 150,
    "rule": "consecutive passages of one plate at two different places: straight-line (great-circle) distance "
    "between the places divided by the time between the passages exceeds 150 km/h",
    "places": "checkpoints and gates (coordinates in checkpoints.csv and compound_gates.csv)",
}
TRAVEL_PARAMS = {
    "max_gap_minutes": 3,
    "min_passages_per_day": 2,
    "min_days": 3,
    "rule": "two different plates pass the same checkpoint in the same direction at most 3 minutes apart, at least "
    "twice on one day (out and back, or at two checkpoints), on at least 3 distinct days",
    "places": "checkpoints only",
    "why_twice_a_day": "lorries and coaches on the same road meet by chance now and then; vehicles that travel "
    "together are together out and back",
}
NIGHT_PARAMS = {
    "usage": "危险货物运输",
    "night_start": "22:00",
    "night_end": "06:00",
    "rule": "a passage of a vehicle registered for hazardous-goods transport at a checkpoint at 22:00 or later, or "
    "before 06:00",
    "places": "checkpoints",
}


def _passage_at(plate: str, when, second: int) -> Select:
    moment = stamp(when, second)
    return Select(
        CP,
        {"号牌号码": plate},
        lambda row: row["过车时间"] == moment,
        {"Passage": "过车编号", "Checkpoint": "检查站编号"},
    )


def _speed(a: int, b: int, seconds: int) -> dict:
    km = checkpoint_distance(a, b)
    return {
        "places": [CHECKPOINTS[a].checkpoint_id, CHECKPOINTS[b].checkpoint_id],
        "distance_km": round(km, 2),
        "minutes": round(seconds / 60, 2),
        "speed_kmh": round(km / (seconds / 3600), 1),
    }


def plant_cloned_plates(plan: Plan, rng) -> Scenario:
    world = plan.world
    planner, fleet = world.planner, world.fleet
    scenario = Scenario(6, "cloned_plate", "套牌车（时空冲突）", CLONE_PARAMS)

    for morning in (True, False):
        u, _ = plan.pick_vehicle(rng)
        plate = fleet.plate(u)
        home_cp = planner.home(u).nearest_checkpoints[0]
        far = farthest_checkpoint(home_cp)
        when = day(rng.randint(40, 300))
        plan.add_passages(planner.round_trip(u, when - timedelta(days=17), home_cp, hms(9, 30), hms(5)))
        plan.add_passages(planner.local_trip(u, when + timedelta(days=9), hms(15), hms(2)))
        t_out = hms(8, 30 + rng.randrange(20)) if morning else hms(13, rng.randrange(30))
        stay = hms(6) if morning else hms(5, 10)
        plan.add_passages(planner.round_trip(u, when, home_cp, t_out, stay))
        if morning:  # the clone is seen far away minutes after the real car left
            real, clone = t_out, t_out + 11 * 60 + rng.randrange(120)
            plan.add_passages([planner.single(when, clone, far, plate, "进城", "蓝", 2)])
        else:  # the clone is seen far away minutes before the real car comes back
            real, clone = t_out + stay, t_out + stay - 9 * 60 - rng.randrange(120)
            plan.add_passages([planner.single(when, clone, far, plate, "出城", "蓝", 3)])
        first, second = sorted((real, clone))
        scenario.positives.append(
            Finding(
                {"Vehicle": [plate]},
                [_passage_at(plate, when, real), _passage_at(plate, when, clone)],
                "the same plate at two checkpoints far apart within minutes",
                _speed(home_cp, far, second - first) | {"date": when.isoformat()},
            )
        )

    # decoys: passing vehicles from other cities, one plate each
    pairs = sorted(
        ((a, b) for a in range(16) for b in range(16) if checkpoint_distance(a, b) > 40), key=lambda p: (p[0], p[1])
    )
    for speed, why in (
        (45.0, "crosses the city at 45 km/h: far apart but plausible"),
        (130.0, "130 km/h between the checkpoints: fast but under the 150 km/h threshold"),
    ):
        e = plan.new_external()
        plate = world.external_plate(e)
        a, b = rng.choice(pairs)
        when = day(rng.randint(20, 340))
        t_in = hms(rng.randint(9, 14), rng.randrange(60))
        seconds = math.ceil(checkpoint_distance(a, b) / speed * 3600)
        plan.add_passages(
            [planner.single(when, t_in, a, plate, "进城"), planner.single(when, t_in + seconds, b, plate, "出城")]
        )
        scenario.decoys.append(
            Finding(
                {"Vehicle": [plate]},
                passages(plate, gates=False),
                why,
                _speed(a, b, seconds) | {"date": when.isoformat()},
            )
        )
    e = plan.new_external()
    plate = world.external_plate(e)
    a = rng.randrange(16)
    b = farthest_checkpoint(a)
    when = day(rng.randint(20, 340))
    t_in = hms(10, rng.randrange(60))
    plan.add_passages(
        [
            planner.single(when, t_in, a, plate, "进城", lane=1),
            planner.single(when, t_in + 20, a, plate, "进城", lane=2),
            planner.single(when, t_in + hms(3), b, plate, "出城"),
        ]
    )
    scenario.decoys.append(
        Finding(
            {"Vehicle": [plate]},
            passages(plate, gates=False),
            "read twice by one checkpoint 20 seconds apart (same place: no distance), then leaves at a plausible speed",
            {"date": when.isoformat()},
        )
    )
    return scenario


def plant_co_travel(plan: Plan, rng) -> Scenario:
    world = plan.world
    planner, fleet = world.planner, world.fleet
    scenario = Scenario(7, "co_travel", "伴随车辆", TRAVEL_PARAMS)

    def pair(days: int, gap_range: tuple[int, int], back_gap: tuple[int, int] | None = None):
        ua, _ = plan.pick_vehicle(rng)
        ub, _ = plan.pick_vehicle(rng)
        near = planner.home(ua).nearest_checkpoints
        chosen = sorted(rng.sample(range(15, 345), days))
        gaps = []
        for k, n in enumerate(chosen):
            when = day(n)
            cp = near[k % 2]
            t = hms(rng.randint(7, 10), rng.randrange(60))
            stay = hms(rng.randint(3, 7))
            gap_out, gap_in = rng.randint(*gap_range), rng.randint(*(back_gap or gap_range))
            plan.add_passages(planner.round_trip(ua, when, cp, t, stay))
            plan.add_passages(planner.round_trip(ub, when, cp, t + gap_out, stay - gap_out + gap_in))
            gaps += [gap_out, gap_in]
        plates = [fleet.plate(ua), fleet.plate(ub)]
        selects = [s for p in plates for s in passages(p, gates=False)]
        facts = {
            "days": [day(n).isoformat() for n in chosen],
            "max_gap_seconds": max(gaps),
            "min_gap_seconds": min(gaps),
        }
        return plates, selects, facts

    for days in (4, 5):
        plates, selects, facts = pair(days, (40, 150))
        note = f"together through the same checkpoints within minutes on {days} days"
        scenario.positives.append(Finding({"Vehicle": plates}, selects, note, facts))
    for days, gap, back, why in (
        (1, (30, 120), None, "together on one day only"),
        (2, (30, 120), None, "together on two days: one short of the threshold"),
        (4, (480, 900), None, "the same checkpoints on four days, but 8 to 15 minutes apart"),
        (
            4,
            (30, 120),
            (1500, 2400),
            "minutes apart on four days, but only on the way out: they come back "
            "25-40 minutes apart (once a day, as chance meetings are)",
        ),
    ):
        plates, selects, facts = pair(days, gap, back)
        scenario.decoys.append(Finding({"Vehicle": plates}, selects, why, facts))
    return scenario


def plant_hazmat_night(plan: Plan, rng) -> Scenario:
    world = plan.world
    planner, fleet = world.planner, world.fleet
    scenario = Scenario(9, "hazmat_night_passage", "危化品运输车辆夜间通行", NIGHT_PARAMS)

    def night(row: dict) -> bool:
        clock = row["过车时间"][11:]
        return clock >= "22:00:00" or clock < "06:00:00"

    def truck(kind: str):
        u, _ = plan.pick_vehicle(rng, kind=kind)
        return u, fleet.plate(u), planner.home(u).nearest_checkpoints

    def at_night(plate: str, when, text: str) -> Finding:
        return Finding({"Vehicle": [plate]}, passages(plate, gates=False, when=night), text, {"date": when.isoformat()})

    u, plate, near = truck("hazmat")
    when = day(rng.randint(30, 150))
    plan.add_passages(planner.round_trip(u, when - timedelta(days=12), near[0], hms(9, 20), hms(4), leave_first=False))
    plan.add_passages(
        planner.round_trip(u, when, near[0], hms(23, 40), hms(2, 15), leave_first=False, return_checkpoint=near[1])
    )
    scenario.positives.append(at_night(plate, when, "a tanker enters at 23:40 and leaves at 01:55"))
    u, plate, near = truck("hazmat")
    when = day(rng.randint(160, 300))
    plan.add_passages(planner.round_trip(u, when, near[0], hms(4, 40), hms(9, 20)))
    plan.add_passages(planner.round_trip(u, when + timedelta(days=6), near[0], hms(10), hms(3), leave_first=False))
    scenario.positives.append(at_night(plate, when, "a tanker leaves at 04:40 (it comes back at 14:00, by day)"))

    # decoys: just outside the night hours, or at night but carrying no hazardous goods
    for kind, t_out, stay, text in (
        ("hazmat", (6, 5), (15, 45), "a tanker at 06:05 and 21:50: just outside the night hours"),
        ("truck", (1, 30), (1, 10), "an ordinary lorry (货运) at 01:30 and 02:40: no hazardous goods"),
        ("coach", (23, 10), (0, 45), "a coach (公路客运, a key vehicle) at night, but not a hazardous-goods vehicle"),
    ):
        u, plate, near = truck(kind)
        when = day(rng.randint(30, 300))
        plan.add_passages(planner.round_trip(u, when, near[0], hms(*t_out), hms(*stay), leave_first=False))
        scenario.decoys.append(Finding({"Vehicle": [plate]}, passages(plate, gates=False), text, {}))
    return scenario
