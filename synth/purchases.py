"""Real-name dangerous-goods purchases (危险物品实名制销售, paid with 智付码).

Background buyers stay well inside every alert threshold: bottled gas every
month or two from the nearest gas seller; fireworks at most twice a year, 1-5
boxes each (10 boxes at most, half the fireworks threshold); controlled knives
once or twice, from at most two shops, a month or more apart; chemicals a few
times a year.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from synth.population import Person
from synth.seeding import EntityRandom
from synth.shops import CHEMICALS, FIREWORKS, GAS, KNIVES, ShopBook
from synth.timeline import PERIOD_END, PERIOD_START, SPRING_FESTIVAL, dt_slash

FIREWORK_ITEMS = ("组合烟花", "小礼花", "电光炮", "喷花类烟花", "手持烟花", "旋转类烟花")
KNIFE_ITEMS = ("单刃刀（刃长22厘米）", "双刃刀（刃长18厘米）", "三棱刮刀", "猎刀", "开山刀", "弹簧刀（刃长15厘米）")
CHEMICAL_ITEMS = (
    ("硫酸（98%）", "瓶"),
    ("盐酸（36%）", "瓶"),
    ("高锰酸钾", "千克"),
    ("丙酮", "升"),
    ("乙醇（95%）", "升"),
)
GAS_ITEM = ("液化石油气（15千克钢瓶）", "瓶")
_EPOCH = datetime(PERIOD_START.year, 1, 1)


class PurchaseEvent(NamedTuple):
    """One purchase before it has its transaction number (given in time order)."""

    second: int  # seconds since the start of the period
    buyer: int
    serial: int  # the buyer's own counter, to keep the order total
    shop: int
    category: str
    item: str
    quantity: int
    unit: str
    payment_code: str
    # the buyer as the sale records them, so the sales pass derives nobody again
    name: str = ""
    id_number: str = ""
    phone: str = ""

    @property
    def time(self) -> datetime:
        return _EPOCH + timedelta(seconds=self.second)


def at(day: date, hour: int, minute: int, second: int = 0) -> int:
    return ((day - PERIOD_START).days * 86400) + hour * 3600 + minute * 60 + second


def payment_code(rng) -> str:
    return "28" + f"{rng.randrange(10**16):016d}"


class PurchaseBook:
    def __init__(self, seed: int, shops: ShopBook):
        self.shops = shops
        self._rng = EntityRandom(seed, "purchases")
        self._categories = EntityRandom(seed, "purchases.buyers")

    def category_of(self, i: int) -> str | None:
        u = self._categories.unit(i)
        if u < 0.03:
            return GAS
        if u < 0.06:
            return FIREWORKS
        if u < 0.065:
            return KNIVES
        if u < 0.068:
            return CHEMICALS
        return None

    def background(self, person: Person, lat: float, lon: float) -> list[PurchaseEvent]:
        category = self.category_of(person.index)
        if category is None or person.age < 18:  # real-name sales are to adults only
            return []
        rng = self._rng(person.index)
        days: list[date] = []
        if category == GAS:
            d = PERIOD_START + timedelta(days=rng.randrange(40))
            while d <= PERIOD_END:
                days.append(d)
                d += timedelta(days=rng.randint(35, 60))
            shops = [self.shops.nearest(GAS, lat, lon)]
        elif category == FIREWORKS:
            count = 2 if rng.random() < 0.3 else 1
            for _ in range(count):
                if rng.random() < 0.75:  # the weeks around the Spring Festival
                    days.append(SPRING_FESTIVAL + timedelta(days=rng.randint(-14, 14)))
                else:
                    days.append(PERIOD_START + timedelta(days=rng.randrange(60, 360)))
            shops = [self.shops.nearest(FIREWORKS, lat, lon, rng.randrange(2))]
        elif category == KNIVES:
            first = PERIOD_START + timedelta(days=rng.randrange(300))
            days.append(first)
            shops = [self.shops.nearest(KNIVES, lat, lon)]
            if rng.random() < 0.2:
                days.append(first + timedelta(days=rng.randint(30, 60)))
                shops.append(self.shops.nearest(KNIVES, lat, lon, rng.randrange(2)))
        else:
            d = PERIOD_START + timedelta(days=rng.randrange(200))
            for _ in range(rng.randint(1, 3)):
                days.append(d)
                d += timedelta(days=rng.randint(20, 80))
            shops = [self.shops.nearest(CHEMICALS, lat, lon)]
        events = []
        for k, d in enumerate(sorted(days)):
            if d > PERIOD_END:
                break
            shop = shops[min(k, len(shops) - 1)]
            second = at(d, rng.randint(8, 19), rng.randrange(60), rng.randrange(60))
            if category == GAS:
                item, unit, quantity = GAS_ITEM[0], GAS_ITEM[1], 1
            elif category == FIREWORKS:
                item, unit, quantity = rng.choice(FIREWORK_ITEMS), "箱", rng.randint(1, 5)
            elif category == KNIVES:
                item, unit, quantity = rng.choice(KNIFE_ITEMS), "把", 1
            else:
                (item, unit), quantity = rng.choice(CHEMICAL_ITEMS), rng.randint(1, 5)
            events.append(
                PurchaseEvent(
                    second,
                    person.index,
                    k,
                    shop.index,
                    category,
                    item,
                    quantity,
                    unit,
                    payment_code(rng),
                    person.name,
                    person.id_number,
                    person.phone,
                )
            )
        return events


def sale_row(transaction_no: str, event: PurchaseEvent, shop_id: str) -> tuple[list, tuple]:
    row = [
        transaction_no,
        dt_slash(event.time),
        shop_id,
        event.name,
        event.id_number,
        event.phone,
        event.category,
        event.item,
        str(event.quantity),
        event.unit,
        event.payment_code,
    ]
    return row, (event.id_number, event.phone)
