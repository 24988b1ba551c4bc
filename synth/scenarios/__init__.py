"""The ten planted scenarios, each with positives and near-miss decoys.

Planning order is fixed (it decides which persons each scenario reserves),
and each scenario draws from its own random stream.
"""

from __future__ import annotations

from synth.scenarios import flats, goods, identity, licences, roads, wanted
from synth.scenarios.plan import Plan
from synth.seeding import stage_rng
from synth.world import World

_PLANTERS = (
    (1, licences.plant),
    (2, wanted.plant),
    (3, flats.plant),
    (4, goods.plant_knives),
    (5, goods.plant_fireworks),
    (6, roads.plant_cloned_plates),
    (7, roads.plant_co_travel),
    (8, identity.plant_shared_phone),
    (9, roads.plant_hazmat_night),
    (10, identity.plant_duplicate_identity),
)


def plan_scenarios(world: World) -> Plan:
    plan = Plan(world)
    for number, planter in _PLANTERS:
        plan.add(planter(plan, stage_rng(world.seed, f"scenario:{number}")))
    plan.scenarios.sort(key=lambda s: s.id)
    return plan
