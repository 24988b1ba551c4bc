"""Throughput of the normalisers: values per second for each value type over
100,000 synthetic values, median of 5 runs, beside a baseline.

The baseline is the plain library call where the normaliser wraps one (phone:
phonenumbers.parse per value; citizen ID: stdnum's compact and check digit;
date: datetime.fromisoformat), the uncached parser for addresses (100,000
values drawn from 5,000 distinct addresses, as registries repeat them), and
`str.strip` as the floor everywhere else. Prints; asserts nothing.

    .venv/bin/python bench/bench_normalise.py [--count N] [--runs R]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

import phonenumbers
from stdnum.cn import ric

from ingest.normalize import address as address_module
from ingest.normalize import normalise
from ingest.normalize.citizen_id import PROVINCE_CODES
from ingest.normalize.jiaxing import DISTRICTS, TOWNS
from ingest.normalize.plate import PROVINCES

DISTINCT_ADDRESSES = 5_000


def citizen_ids(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(25_000))
        body = f"{rng.choice(sorted(PROVINCE_CODES))}{rng.randrange(10_000):04d}{born:%Y%m%d}{rng.randrange(1000):03d}"
        out.append(body + ric.calc_check_digit(body + "0"))
    return out


def phones(rng: random.Random, count: int) -> list[str]:
    """Mobile numbers cluster on the seven-digit blocks of a region: 80% from
    3,000 blocks, the rest from anywhere."""
    forms = ("{}", "+86 {}", "{}-{}-{}")
    local = [f"1{rng.choice('3578')}{rng.randrange(10**5):05d}" for _ in range(3_000)]
    out = []
    for _ in range(count):
        block = rng.choice(local) if rng.random() < 0.8 else f"1{rng.choice('3578')}{rng.randrange(10**5):05d}"
        number = f"{block}{rng.randrange(10**4):04d}"
        form = rng.choice(forms)
        out.append(form.format(number[:3], number[3:7], number[7:]) if form.count("{}") == 3 else form.format(number))
    return out


def plates(rng: random.Random, count: int) -> list[str]:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    out = []
    for _ in range(count):
        serial = "".join(rng.choice(letters + "0123456789") for _ in range(5))
        out.append(f"{rng.choice(PROVINCES)}{rng.choice(letters)}{rng.choice(['', '·', ' '])}{serial}")
    return out


def addresses(rng: random.Random, count: int) -> list[str]:
    distinct = []
    for _ in range(DISTINCT_ADDRESSES):
        code = rng.choice(sorted(DISTRICTS))
        distinct.append(
            f"{rng.choice(['', '嘉兴市'])}{DISTRICTS[code]}{rng.choice(TOWNS[code])}"
            f"{rng.choice(['东湖', '梅湾', '长水', '文昌', '中山'])}小区{rng.randrange(1, 30)}-{rng.randrange(1, 5)}-"
            f"{rng.randrange(1, 20)}0{rng.randrange(1, 4)}"
        )
    return [rng.choice(distinct) for _ in range(count)]


def moments(rng: random.Random, count: int) -> list[str]:
    forms = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y%m%d%H%M%S", "%Y年%m月%d日 %H时%M分")
    start = datetime(2024, 1, 1)
    return [(start + timedelta(seconds=rng.randrange(10**7))).strftime(rng.choice(forms)) for _ in range(count)]


def days(rng: random.Random, count: int) -> list[str]:
    # ISO dates in 3 of 4, so the C-coded ISO parser has something to read
    forms = ("%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d", "%Y年%m月%d日")
    start = date(1950, 1, 1)
    return [(start + timedelta(days=rng.randrange(30_000))).strftime(rng.choice(forms)) for _ in range(count)]


def plain_phone(raw: str) -> object:
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number)


def plain_citizen_id(raw: str) -> object:
    number = ric.compact(raw)
    return number[-1] == ric.calc_check_digit(number)


def uncached_address(raw: str) -> object:
    return address_module._clean_text.__wrapped__(raw)


CASES: dict[str, tuple[Callable[[random.Random, int], list], str, Callable[[str], object]]] = {
    "citizen_id": (citizen_ids, "stdnum compact+check", plain_citizen_id),
    "phone": (phones, "phonenumbers.parse", plain_phone),
    "plate": (plates, "str.strip", str.strip),
    "address": (addresses, "uncached parser", uncached_address),
    "name": (
        lambda rng, n: [rng.choice(["张 伟", "阿卜杜拉.买买提", "李娜", "欧阳 娜娜"]) for _ in range(n)],
        "str.strip",
        str.strip,
    ),
    "date": (days, "date.fromisoformat", date.fromisoformat),
    "datetime": (moments, "str.strip", str.strip),
    "int": (lambda rng, n: [f"{rng.randrange(10**7):,}" for _ in range(n)], "str.strip", str.strip),
    "float": (lambda rng, n: [f"{rng.random() * 1000:.3f}" for _ in range(n)], "float()", float),
    "bool": (lambda rng, n: [rng.choice(["是", "否", "Y", "N", "true"]) for _ in range(n)], "str.strip", str.strip),
    "text": (lambda rng, n: [f" 案情简述第{i}号 " for i in range(n)], "str.strip", str.strip),
    "text_list": (lambda rng, n: ["烟花爆竹；管制刀具、瓶装燃气" for _ in range(n)], "str.strip", str.strip),
    "point": (
        lambda rng, n: [f"{120 + rng.random():.6f},{30 + rng.random():.6f}" for _ in range(n)],
        "str.strip",
        str.strip,
    ),
}


def rate(
    function: Callable[[str], object], values: Sequence[str], runs: int, before: Callable[[], None]
) -> tuple[float, int]:
    """Values per second (median of `runs`) and how many values were rejected."""
    timings = []
    for _ in range(runs):
        before()
        rejected = 0
        start = time.perf_counter()
        for value in values:
            try:
                function(value)
            except ValueError:
                rejected += 1
        timings.append(time.perf_counter() - start)
    return len(values) / statistics.median(timings), rejected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(11643)
    print(f"{'type':<11} {'normalise/s':>12} {'rejected':>8}  {'baseline':<22} {'baseline/s':>12}  {'ratio':>6}")
    for value_type, (make, baseline_name, baseline) in CASES.items():
        values = make(rng, args.count)

        def ours(value: str, value_type: str = value_type) -> object:
            return normalise(value_type, value, values=("是", "否"))

        # the address cache starts empty in every run, so each run pays for its misses
        ours_rate, rejected = rate(ours, values, args.runs, address_module._clean_text.cache_clear)
        base_rate, _ = rate(baseline, values, args.runs, lambda: None)
        print(
            f"{value_type:<11} {ours_rate:>12,.0f} {rejected:>8,}  {baseline_name:<22} {base_rate:>12,.0f}  "
            f"{ours_rate / base_rate:>6.2f}"
        )


if __name__ == "__main__":
    main()
