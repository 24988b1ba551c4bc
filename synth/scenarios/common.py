"""Helpers the scenario modules share: times, passages and the selects that
find their rows again."""

from __future__ import annotations

from datetime import date, timedelta

from synth.geography import CHECKPOINTS, distance_km
from synth.purchases import PurchaseEvent, at, payment_code
from synth.scenarios.plan import Plan, Select
from synth.sources import CHECKPOINT_PASSAGES, GATE_PASSAGES, LICENCES, SALES, WATCH_LIST
from synth.timeline import PERIOD_START

CP, GATES = CHECKPOINT_PASSAGES.name, GATE_PASSAGES.name


def day(n: int) -> date:
    return PERIOD_START + timedelta(days=n)


def hms(h: int, m: int = 0, s: int = 0) -> int:
    return h * 3600 + m * 60 + s


def stamp(when: date, second: int) -> str:
    """A passage time as the checkpoint file writes it."""
    when = when + timedelta(days=second // 86400)
    second %= 86400
    return f"{when:%Y-%m-%d} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


def passage_time(row: dict) -> str:
    """'YYYY-MM-DD HH:MM:SS' from a checkpoint or a gate passage row."""
    if "过车时间" in row:
        return row["过车时间"]
    return row["passTime"][:19].replace("T", " ")


def passages(
    plate: str, since: date | None = None, until: date | None = None, gates: bool = True, when=None
) -> list[Select]:
    """Selects for the passages of a plate, optionally from `since` (00:00) to before `until`."""
    lo = f"{since:%Y-%m-%d} 00:00:00" if since else ""
    hi = f"{until:%Y-%m-%d} 00:00:00" if until else "9999"

    def keep(row: dict) -> bool:
        t = passage_time(row)
        return lo <= t < hi and (when is None or when(row))

    selects = [Select(CP, {"号牌号码": plate}, keep, {"Passage": "过车编号", "Checkpoint": "检查站编号"})]
    if gates:
        selects.append(Select(GATES, {"plateNo": plate}, keep, {"Passage": "recordId", "Gate": "gateId"}))
    return selects


def licence_row(file_no: str) -> Select:
    return Select(LICENCES.name, {"档案编号": file_no})


def watch_row(entry_id: str) -> Select:
    return Select(WATCH_LIST.name, {"条目编号": entry_id})


def purchases_of(id_number: str) -> Select:
    return Select(SALES.name, {"购买人证件号码": id_number}, collect={"Purchase": "交易流水号", "Shop": "销售点编号"})


def buy(plan: Plan, rng, buyer, when: date, hour: int, shop, category: str, item: str, quantity: int, unit: str) -> int:
    """Plant a purchase at `shop`; returns its time in seconds since the start of the period."""
    second = at(when, hour, rng.randrange(60), rng.randrange(60))
    plan.purchases.append(
        PurchaseEvent(
            second, buyer.index, len(plan.purchases), shop.index, category, item, quantity, unit, payment_code(rng)
        )
    )
    return second


def checkpoint_distance(a: int, b: int) -> float:
    return distance_km(CHECKPOINTS[a].lat, CHECKPOINTS[a].lon, CHECKPOINTS[b].lat, CHECKPOINTS[b].lon)


def farthest_checkpoint(a: int) -> int:
    return max(range(len(CHECKPOINTS)), key=lambda b: (checkpoint_distance(a, b), -b))
