"""Scenarios 4 and 5: controlled knives from three or more shops within seven
days; fireworks beyond a quantity threshold within thirty days."""

from __future__ import annotations

from datetime import timedelta

from synth.purchases import GAS_ITEM, KNIFE_ITEMS
from synth.scenarios.common import buy, day, purchases_of
from synth.scenarios.plan import Finding, Plan, Scenario
from synth.shops import FIREWORKS, GAS, KNIVES
from synth.timeline import SPRING_FESTIVAL

KNIFE_PARAMS = {
    "category": KNIVES,
    "min_distinct_shops": 3,
    "window_days": 7,
    "window": "last purchase minus first purchase <= 7 x 24 hours, same buyer (citizen ID)",
}
FIREWORK_PARAMS = {
    "category": FIREWORKS,
    "unit": "箱",
    "max_total_quantity": 20,
    "window_days": 30,
    "rule": "sum of 数量 over one buyer's purchases within 30 x 24 hours is greater than 20",
}


def _finding(buyer, text, facts) -> Finding:
    return Finding({"Person": [buyer.id_number]}, [purchases_of(buyer.id_number)], text, facts)


def plant_knives(plan: Plan, rng) -> Scenario:
    scenario = Scenario(4, "knives_multi_shop", "多店购买管制刀具", KNIFE_PARAMS)
    shops = plan.world.shops.selling(KNIVES)
    if len(shops) < 4:
        raise RuntimeError("the knives scenario needs four knife sellers")

    def spree(offsets_and_shops, base: int, gas_at=None):
        buyer = plan.pick_person(rng, vehicle=False, min_age=20, max_age=55)
        for offset, shop in offsets_and_shops:
            buy(
                plan, rng, buyer, day(base + offset), rng.randint(9, 17), shop, KNIVES, rng.choice(KNIFE_ITEMS), 1, "把"
            )
        if gas_at is not None:
            offset, shop = gas_at
            buy(plan, rng, buyer, day(base + offset), 12, shop, GAS, GAS_ITEM[0], 1, GAS_ITEM[1])
        return buyer

    picked = rng.sample(shops, 4)
    buyer = spree([(0, picked[0]), (1, picked[1]), (4, picked[2])], rng.randint(90, 140))
    scenario.positives.append(
        _finding(buyer, "knives from three different shops within four days", {"distinct_shops": 3, "span_days": 4})
    )
    picked = rng.sample(shops, 4)
    buyer = spree([(0, picked[0]), (2, picked[1]), (3, picked[2]), (6, picked[3])], rng.randint(200, 260))
    scenario.positives.append(
        _finding(buyer, "knives from four different shops within six days", {"distinct_shops": 4, "span_days": 6})
    )

    picked = rng.sample(shops, 3)
    buyer = spree([(0, picked[0]), (4, picked[1]), (9, picked[2])], rng.randint(30, 80))
    scenario.decoys.append(
        _finding(
            buyer,
            "three shops, but over nine days; any seven days hold only two",
            {"distinct_shops": 3, "span_days": 9},
        )
    )
    picked = rng.sample(shops, 2)
    buyer = spree([(0, picked[0]), (1, picked[1]), (3, picked[0]), (5, picked[1])], rng.randint(150, 190))
    scenario.decoys.append(
        _finding(
            buyer,
            "four knives within five days, but from only two shops",
            {"distinct_shops": 2, "purchases": 4, "span_days": 5},
        )
    )
    picked = rng.sample(shops, 2)
    gas_shop = next(s for s in plan.world.shops.selling(GAS) if KNIVES not in s.categories)
    buyer = spree([(0, picked[0]), (2, picked[1])], rng.randint(270, 320), gas_at=(3, gas_shop))
    scenario.decoys.append(
        _finding(
            buyer,
            "three dangerous-goods shops within four days, but one sold bottled gas: knives from two shops only",
            {"distinct_knife_shops": 2},
        )
    )
    return scenario


def plant_fireworks(plan: Plan, rng) -> Scenario:
    scenario = Scenario(5, "fireworks_over_threshold", "超量购买烟花爆竹", FIREWORK_PARAMS)
    shops = plan.world.shops.selling(FIREWORKS)

    def buys(days_and_boxes):
        buyer = plan.pick_person(rng, vehicle=False, min_age=25, max_age=65)
        for when, boxes in days_and_boxes:
            buy(
                plan,
                rng,
                buyer,
                when,
                rng.randint(9, 18),
                rng.choice(shops),
                FIREWORKS,
                rng.choice(("组合烟花", "小礼花", "喷花类烟花")),
                boxes,
                "箱",
            )
        return buyer

    festival = SPRING_FESTIVAL
    buyer = buys(
        [(festival - timedelta(days=10), 8), (festival - timedelta(days=5), 10), (festival + timedelta(days=2), 6)]
    )
    scenario.positives.append(
        _finding(buyer, "24 boxes in 12 days around the Spring Festival", {"total_quantity": 24, "span_days": 12})
    )
    start = day(rng.randint(250, 280))
    buyer = buys([(start, 15), (start + timedelta(days=25), 12)])
    scenario.positives.append(_finding(buyer, "27 boxes in 25 days", {"total_quantity": 27, "span_days": 25}))

    start = day(rng.randint(60, 120))
    buyer = buys([(start, 10), (start + timedelta(days=28), 10)])
    scenario.decoys.append(
        _finding(
            buyer,
            "exactly 20 boxes within 28 days: at the threshold, not beyond it",
            {"total_quantity": 20, "span_days": 28},
        )
    )
    start = day(rng.randint(130, 200))
    buyer = buys([(start, 12), (start + timedelta(days=40), 12)])
    scenario.decoys.append(
        _finding(
            buyer, "24 boxes in all, but 40 days apart; any 30 days hold 12", {"total_quantity": 24, "span_days": 40}
        )
    )
    return scenario
