"""Case reports (警情) with free Chinese text, and their gold annotations.

Reports come from five template families. Families A-C (disputes, thefts,
traffic accidents) form the "train" split, D-E (fraud, requests for help) the
"heldout" split: an extraction model trained on A-C can be evaluated on
wording it never saw. People who appear only in reports (not in any registry)
get given names from a character pool of their split, none shared with the
registry or the other split. Some reports quote an ID number with a wrong
check digit: it is listed as a distractor, never annotated as an id_number.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

from ingest.normalize.jiaxing import TOWNS
from synth import citizen_ids, phones, plates
from synth.compounds import PROVINCE_CITY
from synth.geography import ROADS
from synth.names import draw_unknown_name
from synth.regions import DISTRICTS
from synth.seeding import stage_rng
from synth.sources import CASES
from synth.timeline import DAYS, PERIOD_START, dt_dash

SPLITS = {"A": "train", "B": "train", "C": "train", "D": "heldout", "E": "heldout"}
KINDS = {"A": "纠纷", "B": "盗窃", "C": "交通事故", "D": "诈骗", "E": "求助"}
TEMPLATES = {
    "A": (
        "{T}，报警人{person:P1}（身份证号{id_number:P1}，联系电话{phone:P1}）称其与楼上住户{person:P2}因漏水问题发生争执，"
        "地点在{address:A1}。民警到场后双方情绪平稳，已告知通过物业协商解决。",
        "{T}接报：{address:A1}有人吵架。经了解系{person:P1}与{person:U1}因停车位发生口角，{person:U1}自称手机号"
        "{phone:X1}。{person:P1}的车辆{plate:V1}被对方挡住无法驶出，民警现场调解后双方离开。",
    ),
    "B": (
        "报警人{person:P1}（{id_number:P1}）称，其停放在{address:A1}楼下的电动自行车于昨夜被盗，价值约{AMT}元。"
        "监控显示一名男子形迹可疑，随后乘坐车牌为{plate:V2}的轿车离开。",
        "{T}，{person:P1}报称家中被盗，失窃地址为{address:A1}，丢失现金及首饰若干。报警人怀疑曾上门维修的"
        "{person:U1}（电话{phone:X1}）有作案嫌疑，另提供一个身份证号{bad_id:B1}，经核查该号码校验位错误。",
    ),
    "C": (
        "{T}，{address:R1}发生一起两车刮擦事故。涉事车辆{plate:V1}由{person:P1}驾驶（身份证号{id_number:P1}），"
        "另一方车辆{plate:V2}驾驶人{person:U1}自述身份证号为{bad_id:B1}，经核查号码有误，现场无人受伤。",
        "{person:P1}（联系电话{phone:P1}）报警称，其驾驶的{plate:V1}在{address:R1}附近被一辆无牌电动车碰擦，"
        "对方驾驶人{person:U1}已离开现场。",
    ),
    "D": (
        "事主{person:P1}，身份证号码{id_number:P1}，居住于{address:A1}。其于{T}接到号码为{phone:X1}的来电，"
        "对方冒充快递客服以理赔为由诱导转账，共计被骗{AMT}元。涉案收款账户户名为{person:U1}。",
        "{T}，{person:P1}到所报案：网友{person:U1}以投资为名骗取其{AMT}元，对方留下的联系方式为{phone:X1}，"
        "并提供了一张身份证照片，号码为{bad_id:B1}，系伪造号码。报警人联系电话{phone:P1}。",
    ),
    "E": (
        "{T}，{person:P1}来电求助：其家人{person:P2}（{id_number:P2}）于当日上午从{address:A1}外出后未归，"
        "身上带有手机{phone:P2}。民警通过视频巡查发现其乘坐车牌{plate:V1}的车辆前往城区，已协助家属找回。",
        "市民{person:P1}反映，一辆车牌为{plate:V1}的白色轿车连续多日停放在{address:A1}门口，影响通行。"
        "经查该车登记所有人为{person:P3}，联系电话{phone:P3}，已电话通知其挪车。",
    ),
}
_SLOT = re.compile(r"\{(?:(\w+):)?(\w+)\}")
ANNOTATED = ("person", "id_number", "phone", "plate", "address")


def case_count(persons: int) -> int:
    return min(20_000, max(150, persons // 50))


class _Cast:
    """Picks the people, vehicles and numbers one report mentions."""

    def __init__(self, world, plan, rng, split: str, case_no: int):
        self.world, self.plan, self.rng, self.split, self.case_no = world, plan, rng, split, case_no
        self.persons: dict = {}
        self.values: dict[str, tuple[str, str | None]] = {}

    def person(self, var: str):
        if var not in self.persons:
            if var == "P3" and "V1" in self.persons:
                self.persons[var] = self.world.population.person(self.persons["V1"].owner)
            else:
                self.persons[var] = self._registry_person()
        return self.persons[var]

    def _registry_person(self):
        population = self.world.population
        while True:
            i = self.rng.randrange(population.n)
            if not self.world.kept_out(i) and population.is_adult(i):
                return population.person(i)

    def vehicle(self, var: str):
        fleet = self.world.fleet
        while True:
            u = self.rng.randrange(fleet.slots)
            if u in self.plan.reserved_vehicles:
                continue
            vehicle = fleet.vehicle(u)
            if vehicle is not None and not self.world.kept_out(vehicle.owner):
                self.persons[var] = vehicle
                return vehicle

    def fill(self, slot_type: str, var: str) -> tuple[str, str | None]:
        """(text as written, canonical key or None)."""
        key = (slot_type, var)
        if key in self.values:
            return self.values[key]
        rng = self.rng
        if slot_type == "person" and var.startswith("U"):
            value = (draw_unknown_name(rng, self.split), None)
        elif slot_type == "person":
            p = self.person(var)
            value = (p.name, p.id_number)
        elif slot_type == "id_number":
            p = self.person(var)
            value = (p.id_number, p.id_number)
        elif slot_type == "phone":
            number = (
                self.person(var).phone
                if var.startswith("P")
                else self.world.population.phones.number(self.world.persons + 1_000_000 + self.case_no)
            )
            written = rng.choices(
                (number, phones.dashed(number), f"{number[:3]} {number[3:7]} {number[7:]}"), weights=(70, 15, 15)
            )[0]
            value = (written, number)
        elif slot_type == "plate":
            if var == "V1" or rng.random() < 0.5:
                plate = self.vehicle(var).plate
            else:
                plate = self.world.external_plate(rng.randrange(self.world.external))
            value = (plates.with_dot(plate) if rng.random() < 0.2 else plate, plate)
        elif slot_type == "address" and var.startswith("A"):
            full = self.person("P1" if var == "A1" else var).residence
            if not full.startswith(PROVINCE_CITY):
                full = self._road_address()
            if rng.random() < 0.3:  # building level: the report does not name the room
                full = full[: full.index("幢") + 1]
            written = full if rng.random() < 0.6 else full.removeprefix("浙江省")
            value = (written, full)
        elif slot_type == "address":
            full = self._road_address()
            value = (full.removeprefix(PROVINCE_CITY), full)
        elif slot_type == "bad_id":
            other = self._registry_person()
            value = (citizen_ids.with_wrong_check_digit(other.id_number), None)
        else:
            raise ValueError(slot_type)
        self.values[key] = value
        return value

    def _road_address(self) -> str:
        district = self.rng.choice(DISTRICTS)
        town = self.rng.choice(TOWNS[district.code])
        return f"{PROVINCE_CITY}{district.name}{town}{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号"


def render(template: str, cast: _Cast, when: datetime, amount: int) -> tuple[str, list[dict], list[dict], str]:
    text, annotations, distractors, place = [], [], [], ""
    length = 0
    last = 0
    for m in _SLOT.finditer(template):
        literal = template[last : m.start()]
        text.append(literal)
        length += len(literal)
        slot_type, var = m.group(1), m.group(2)
        if slot_type is None:
            written = f"{when.month}月{when.day}日{when.hour}时许" if var == "T" else str(amount)
            key = None
        else:
            written, key = cast.fill(slot_type, var)
        start, end = length, length + len(written)
        if slot_type in ANNOTATED:
            annotations.append({"start": start, "end": end, "type": slot_type, "text": written, "key": key})
            if slot_type == "address" and not place:
                place = key
        elif slot_type == "bad_id":
            distractors.append({"start": start, "end": end, "type": "invalid_id_number", "text": written})
        text.append(written)
        length = end
        last = m.end()
    text.append(template[last:])
    return "".join(text), annotations, distractors, place


def write_cases(run) -> Path:
    """Write case_reports.jsonl and the gold annotations (a temporary file the
    ground truth then takes in). Returns that file's path."""
    world, plan = run.world, run.plan
    count = case_count(world.persons)
    rng = stage_rng(world.seed, "cases")
    writer = run.open(CASES, count)
    gold_path = run.out / ".narratives.jsonl.tmp"
    serial = 0
    with open(gold_path, "w", encoding="utf-8", newline="\n") as gold:
        for n in range(DAYS):
            todays = count // DAYS + (1 if n < count % DAYS else 0)
            seconds = sorted(rng.randrange(86400) for _ in range(todays))
            for second in seconds:
                serial += 1
                when = datetime(PERIOD_START.year, 1, 1) + timedelta(days=n, seconds=second)
                family = rng.choice(sorted(TEMPLATES))
                template = rng.choice(TEMPLATES[family])
                cast = _Cast(world, plan, rng, SPLITS[family], serial)
                text, annotations, distractors, place = render(template, cast, when, rng.randrange(800, 60000))
                case_id = f"JQ{when:%Y%m%d}{serial:06d}"
                row = {
                    "警情编号": case_id,
                    "报警时间": dt_dash(when),
                    "警情类别": KINDS[family],
                    "标题": f"{place[len(PROVINCE_CITY) :][:3] if place else ''}{KINDS[family]}警情",
                    "发生地址": place,
                    "案情简述": text,
                }
                row_no = writer.write(row, (place,))
                gold.write(
                    json.dumps(
                        {
                            "case_id": case_id,
                            "file": CASES.name,
                            "row": row_no,
                            "split": SPLITS[family],
                            "family": family,
                            "annotations": annotations,
                            "distractors": distractors,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    run.close(writer)
    return gold_path
