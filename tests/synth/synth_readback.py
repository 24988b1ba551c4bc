"""Reads a generated sample back the way an importer would, independently of
the generator: validates each row (reject reasons), canonicalises the values
that are merely untidy, and recomputes the ten alert rules from the loaded
rows. The tests compare what this finds with the ground truth."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import openpyxl
from synth_canonical import (  # noqa: F401
    _DATE_PARSERS,
    _EXCEL,
    _PHONE,
    _PLATE,
    canonical_address,
    canonical_id,
    canonical_phone,
    canonical_plate,
    distance_km,
    id_fault,
    nfkc,
    value_fault,
)

from synth.sources import BY_NAME, SourceFile


@dataclass
class Row:
    row: int
    values: dict | None  # None when rejected
    reason: str | None = None
    column: str | None = None


def _raw_rows(path: Path, spec: SourceFile):
    """(row number, raw fields or line)."""
    if spec.format == "csv":
        with open(path, encoding=spec.encoding, newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            assert header == spec.header, (header, spec.header)
            for k, fields in enumerate(reader, start=2):
                yield k, fields
    elif spec.format == "xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        ws = wb[spec.sheet]
        rows = ws.iter_rows(values_only=True)
        header = [c for c in next(rows) if c is not None]
        assert header == spec.header, (header, spec.header)
        for k, cells in enumerate(rows, start=2):
            yield k, list(cells)
        wb.close()
    else:
        with open(path, encoding="utf-8") as f:
            for k, line in enumerate(f, start=1):
                yield k, line.rstrip("\n")


def read(out_dir: Path, name: str) -> list[Row]:
    spec = BY_NAME[name]
    seen: set = set()
    out = []
    width = len(spec.header)
    for k, raw in _raw_rows(out_dir / name, spec):
        if spec.format == "jsonl":
            try:
                values = json.loads(raw)
            except json.JSONDecodeError:
                out.append(Row(k, None, "row.malformed"))
                continue
            fingerprint = raw
        else:
            cells = list(raw)
            if spec.format == "xlsx":
                while len(cells) > width and cells[-1] is None:
                    cells.pop()
                cells += [None] * (width - len(cells))
            if len(cells) != width:
                out.append(Row(k, None, "row.column_count"))
                continue
            values = dict(zip(spec.header, cells, strict=True))
            fingerprint = tuple(str(c) for c in cells)
        if fingerprint in seen:
            out.append(Row(k, None, "row.duplicate"))
            continue
        seen.add(fingerprint)
        for column in spec.columns:
            fault = value_fault(column, values.get(column.name))
            if fault:
                out.append(Row(k, None, fault, column.name))
                break
        else:
            out.append(Row(k, values))
    return out


def loaded(out_dir: Path, name: str) -> list[dict]:
    """Loaded rows of a file with canonical IDs, plates, phones and addresses, and `_row`."""
    spec = BY_NAME[name]
    rows = []
    for r in read(out_dir, name):
        if r.values is None:
            continue
        values = dict(r.values)
        for column in spec.columns:
            v = values.get(column.name)
            if v in (None, ""):
                values[column.name] = ""
                continue
            if column.type == "citizen_id":
                values[column.name] = canonical_id(v)
            elif column.type == "plate":
                values[column.name] = canonical_plate(v)
            elif column.type == "phone":
                values[column.name] = canonical_phone(v)
            elif column.type == "address":
                values[column.name] = canonical_address(v)
        values["_row"] = r.row
        rows.append(values)
    return rows


def passage_time(row: dict) -> datetime:
    if "过车时间" in row:
        return datetime.strptime(row["过车时间"], "%Y-%m-%d %H:%M:%S")
    return datetime.strptime(row["passTime"][:19], "%Y-%m-%dT%H:%M:%S")


def to_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    for fmt in ("%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


class Sample:
    """The loaded sample and the ten rules, computed from scratch."""

    def __init__(self, out_dir: Path):
        self.out = out_dir
        self.truth = json.loads((out_dir / "ground_truth.json").read_text(encoding="utf-8"))
        self._cache: dict[str, list[dict]] = {}

    def rows(self, name: str) -> list[dict]:
        if name not in self._cache:
            self._cache[name] = loaded(self.out, name)
        return self._cache[name]

    def passages(self) -> list[dict]:
        out = []
        for r in self.rows("checkpoint_passages.csv"):
            out.append(
                {
                    "id": r["过车编号"],
                    "plate": r["号牌号码"],
                    "place": r["检查站编号"],
                    "time": passage_time(r),
                    "direction": r["方向"],
                    "driver": r["核录身份证号"],
                    "checkpoint": True,
                    "file": "checkpoint_passages.csv",
                    "row": r["_row"],
                }
            )
        for r in self.rows("gate_passages.jsonl"):
            out.append(
                {
                    "id": r["recordId"],
                    "plate": r["plateNo"],
                    "place": r["gateId"],
                    "time": passage_time(r),
                    "direction": r["direction"],
                    "driver": "",
                    "checkpoint": False,
                    "file": "gate_passages.jsonl",
                    "row": r["_row"],
                }
            )
        return out

    def owners(self) -> dict[str, str]:
        return {r["号牌号码"]: r["身份证明号码"] for r in self.rows("vehicle_registry.xlsx")}

    # ---- rule 1 ----------------------------------------------------------
    def revoked_driving(self) -> dict[str, set[str]]:
        revoked = {
            r["身份证明号码"]: to_date(r["状态日期"])
            for r in self.rows("driving_licences.csv")
            if r["驾驶证状态"] == "吊销"
        }
        owners = self.owners()
        hits: dict[str, set[str]] = defaultdict(set)
        for p in self.passages():
            driver = p["driver"] or owners.get(p["plate"], "")
            if driver in revoked and p["time"].date() >= revoked[driver]:
                hits[driver].add(p["id"])
        return hits

    # ---- rule 2 ----------------------------------------------------------
    def wanted_active(self) -> dict[str, set[str]]:
        spans = defaultdict(list)
        for r in self.rows("watch_list.xlsx"):
            if r["人员类别"] == "在逃人员":
                lifted = to_date(r["撤销日期"]) if r["撤销日期"] else date.max
                spans[r["公民身份号码"]].append((to_date(r["列入日期"]), lifted))

        def listed(pid: str, d: date, until: date | None = None) -> bool:
            return any(lo <= (until or d) and d < hi for lo, hi in spans.get(pid, []))

        hits: dict[str, set[str]] = defaultdict(set)
        for r in self.rows("floating_registrations.jsonl"):
            if r["idNumber"] and listed(r["idNumber"], to_date(r["registeredOn"]), to_date(r["validUntil"])):
                hits[r["idNumber"]].add(r["registrationNo"])
        for r in self.rows("dangerous_goods_sales.csv"):
            if listed(r["购买人证件号码"], to_date(r["交易时间"][:10])):
                hits[r["购买人证件号码"]].add(r["交易流水号"])
        owners = self.owners()
        for p in self.passages():
            owner = owners.get(p["plate"], "")
            if owner and listed(owner, p["time"].date()):
                hits[owner].add(p["id"])
        return hits

    # ---- rule 3 ----------------------------------------------------------
    def overcrowded(self, threshold: int) -> dict[str, int]:
        by_address = defaultdict(list)
        for r in self.rows("floating_registrations.jsonl"):
            by_address[r["residenceAddress"]].append((to_date(r["registeredOn"]), to_date(r["validUntil"])))
        out = {}
        for address, spans in by_address.items():
            events = sorted([(a, 0) for a, _ in spans] + [(b + timedelta(days=1), -1) for _, b in spans])
            current = best = 0
            for _, delta in events:
                current += 1 if delta == 0 else -1
                best = max(best, current)
            if best >= threshold:
                out[address] = best
        return out

    # ---- rules 4 and 5 -----------------------------------------------------
    def purchases(self, category: str) -> dict[str, list[tuple[datetime, str, float]]]:
        out = defaultdict(list)
        for r in self.rows("dangerous_goods_sales.csv"):
            if r["物品类别"] == category:
                t = datetime.strptime(r["交易时间"], "%Y/%m/%d %H:%M:%S")
                out[r["购买人证件号码"]].append((t, r["销售点编号"], float(r["数量"])))
        return out

    def knives(self, min_shops: int, days: int) -> set[str]:
        return self._buyers_in_a_window("管制刀具", days, lambda window: len({s for _, s, _ in window}) >= min_shops)

    def fireworks(self, limit: float, days: int) -> set[str]:
        return self._buyers_in_a_window("烟花爆竹", days, lambda window: sum(q for _, _, q in window) > limit)

    def _buyers_in_a_window(self, category: str, days: int, exceeds: Callable[[list], bool]) -> set[str]:
        """Buyers with a purchase whose `days` from it (its own included) hold purchases that exceed the rule."""
        hits = set()
        for buyer, items in self.purchases(category).items():
            items.sort()
            for k, (t, _, _) in enumerate(items):
                if exceeds([item for item in items[k:] if item[0] - t <= timedelta(days=days)]):
                    hits.add(buyer)
        return hits

    # ---- rule 6 ------------------------------------------------------------
    def places(self) -> dict[str, tuple[float, float]]:
        out = {r["检查站编号"]: (float(r["纬度"]), float(r["经度"])) for r in self.rows("checkpoints.csv")}
        for r in self.rows("compound_gates.csv"):
            out[r["卡口编号"]] = (float(r["卡口纬度"]), float(r["卡口经度"]))
        return out

    def cloned(self, max_kmh: float) -> dict[str, set[str]]:
        places = self.places()
        by_plate = defaultdict(list)
        for p in self.passages():
            by_plate[p["plate"]].append(p)
        hits: dict[str, set[str]] = defaultdict(set)
        for plate, items in by_plate.items():
            items.sort(key=lambda p: (p["time"], p["id"]))
            for a, b in pairwise(items):
                if a["place"] == b["place"]:
                    continue
                km = distance_km(*places[a["place"]], *places[b["place"]])
                hours = (b["time"] - a["time"]).total_seconds() / 3600
                if hours <= 0 or km / hours > max_kmh:
                    hits[plate].update((a["id"], b["id"]))
        return hits

    # ---- rule 7 ------------------------------------------------------------
    def co_travel(self, gap_minutes: int, min_days: int, per_day: int) -> dict[frozenset, set[date]]:
        """Pairs of plates together (same checkpoint and direction within the gap)
        at least `per_day` times on each of at least `min_days` days."""
        groups = defaultdict(list)
        for p in self.passages():
            if p["checkpoint"]:
                groups[(p["place"], p["direction"])].append(p)
        together: dict[tuple[frozenset, date], set[str]] = defaultdict(set)
        gap = timedelta(minutes=gap_minutes)
        for items in groups.values():
            items.sort(key=lambda p: p["time"])
            for k, a in enumerate(items):
                for b in items[k + 1 :]:
                    if b["time"] - a["time"] > gap:
                        break
                    if a["plate"] != b["plate"]:
                        together[(frozenset((a["plate"], b["plate"])), a["time"].date())].add(a["id"])
        days: dict[frozenset, set[date]] = defaultdict(set)
        for (pair, day), meetings in together.items():
            if len(meetings) >= per_day:
                days[pair].add(day)
        return {pair: d for pair, d in days.items() if len(d) >= min_days}

    # ---- rule 8 ------------------------------------------------------------
    def shared_phones(self, min_unrelated: int) -> dict[str, set[str]]:
        hukou = {r["公民身份号码"]: r["户籍地址"] for r in self.rows("household_registry.csv")}
        for r in self.rows("floating_registrations.jsonl"):
            if r["idNumber"]:
                hukou.setdefault(r["idNumber"], r["hukouAddress"])
        users = defaultdict(set)
        pairs = [
            ("household_registry.csv", "联系电话", "公民身份号码"),
            ("vehicle_registry.xlsx", "联系电话", "身份证明号码"),
            ("floating_registrations.jsonl", "phone", "idNumber"),
            ("floating_registrations.jsonl", "landlordPhone", "landlordIdNumber"),
            ("dangerous_goods_sales.csv", "购买人联系电话", "购买人证件号码"),
        ]
        for name, phone_col, id_col in pairs:
            for r in self.rows(name):
                if r[phone_col] and r[id_col]:
                    users[r[phone_col]].add(r[id_col])
        out = {}
        for phone, ids in users.items():
            if len({hukou.get(i, i) for i in ids}) >= min_unrelated:
                out[phone] = ids
        return out

    # ---- rule 9 ------------------------------------------------------------
    def hazmat_night(self) -> dict[str, set[str]]:
        hazmat = {r["号牌号码"] for r in self.rows("vehicle_registry.xlsx") if r["使用性质"] == "危险货物运输"}
        hits: dict[str, set[str]] = defaultdict(set)
        for p in self.passages():
            if p["checkpoint"] and p["plate"] in hazmat and not 6 <= p["time"].hour < 22:
                hits[p["plate"]].add(p["id"])
        return hits
