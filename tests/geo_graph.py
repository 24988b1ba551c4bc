"""A small city for the map tests: three districts (one with a single checkpoint), a compound
with a gate, and one plate's day across them, plus passages outside the day."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from graph.gateway import Gateway
from synth.citizen_ids import make_id

PLATE = "浙F12345"
OTHER_PLATE = "浙F99999"
# (place id, local time, direction) of PLATE's day, in time order; the first one is the
# day before at 23:50 UTC, i.e. 07:50 on the day in Beijing.
DAY = [
    ("JCZ1", "2025-03-01T07:50:00+08:00", "进城"),
    ("MJ1", "2025-03-01T08:30:00+08:00", "入"),
    ("JCZ2", "2025-03-01T12:05:00+08:00", "出城"),
    ("JCZ1", "2025-03-01T18:40:00+08:00", "进城"),
]
EARLIER = ("JCZ2", "2025-02-01T10:00:00+08:00", "进城")  # outside the plate's last week
# A captured driver's ID (synthetic, valid check digit) on OTHER_PLATE's checkpoint passage.
DRIVER = make_id("330402", date(1980, 5, 6), 123)
GUARD_PHONE = "13812345678"
GUARDED_GATE = f"锦绣花园北门（门卫{GUARD_PHONE}）"  # a name that quotes a phone: masked for an analyst

SEED = """
CREATE (c1:Checkpoint {checkpoint_id: 'JCZ1', name: '南湖一号检查站', district: '南湖区',
                       location: point({longitude: 120.78, latitude: 30.75})})
CREATE (c2:Checkpoint {checkpoint_id: 'JCZ2', name: '秀洲二号检查站', district: '秀洲区',
                       location: point({longitude: 120.66, latitude: 30.80})})
CREATE (:Checkpoint {checkpoint_id: 'JCZ3', name: '平湖三号检查站', district: '平湖市',
                     location: point({longitude: 121.05, latitude: 30.68})})
CREATE (k:Compound {compound_id: 'XQ1', name: '锦绣花园', district: '南湖区',
                    location: point({longitude: 120.82, latitude: 30.72})})
CREATE (g:Gate {gate_id: 'MJ1', name: '锦绣花园南门', location: point({longitude: 120.821, latitude: 30.719})})
CREATE (g)-[:GATE_OF]->(k)
CREATE (:Gate {gate_id: 'MJ2', name: $guarded_gate,
              location: point({longitude: 120.819, latitude: 30.721})})-[:GATE_OF]->(k)
CREATE (:Address {address_id: 'A1', full: '南湖区某路1号', district: '南湖区',
                  location: point({longitude: 120.74, latitude: 30.78})})
CREATE (:Address {address_id: 'A2', full: '秀洲区某路2号', district: '秀洲区',
                  location: point({longitude: 120.62, latitude: 30.83})})
WITH 1 AS one
UNWIND $passages AS row
MATCH (place:Checkpoint {checkpoint_id: row.place})
WITH row, place
CREATE (p:Passage {passage_id: row.id, plate: row.plate, place_id: row.place, time: datetime(row.time),
                   direction: row.direction})
CREATE (p)-[:PASSED_AT]->(place)
"""

SEED_GATE_PASSAGES = """
UNWIND $passages AS row
MATCH (place:Gate {gate_id: row.place})
CREATE (p:Passage {passage_id: row.id, plate: row.plate, place_id: row.place, time: datetime(row.time),
                   direction: row.direction})
CREATE (p)-[:PASSED_AT]->(place)
"""


def passages() -> list[dict]:
    rows = [(PLATE, *stop) for stop in [*DAY, EARLIER]] + [
        (OTHER_PLATE, "JCZ1", "2025-03-01T09:00:00+08:00", "出城"),
        (OTHER_PLATE, "MJ2", "2025-03-01T10:00:00+08:00", "出"),
    ]
    return [
        {"id": f"P{i}", "plate": plate, "place": place, "time": time, "direction": direction}
        for i, (plate, place, time, direction) in enumerate(rows)
    ]


def seed(gateway: Gateway) -> Gateway:
    rows = passages()
    checkpoints = [r for r in rows if r["place"].startswith("JCZ")]
    gateway.write("test.geo.seed", SEED, {"passages": checkpoints, "guarded_gate": GUARDED_GATE})
    gateway.write("test.geo.gates", SEED_GATE_PASSAGES, {"passages": [r for r in rows if r["place"].startswith("MJ")]})
    return gateway


def seed_places(gateway: Gateway) -> Gateway:
    """The same city without its passages, for a test that keeps them in the event store."""
    gateway.write("test.geo.seed", SEED, {"passages": [], "guarded_gate": GUARDED_GATE})
    return gateway


def passage_files(folder: Path) -> list[Path]:
    """The city's passages as its two source systems write them: checkpoint passages as CSV
    (Beijing wall-clock times), gate passages as JSON lines."""
    rows = passages()
    checkpoints = folder / "checkpoint_passages.csv"
    with checkpoints.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["过车编号", "号牌号码", "号牌颜色", "检查站编号", "过车时间", "方向", "车道", "核录身份证号"])
        for r in rows:
            if r["place"].startswith("JCZ"):
                driver = DRIVER if r["plate"] == OTHER_PLATE else ""
                local = r["time"][:19].replace("T", " ")
                out.writerow([r["id"], r["plate"], "蓝", r["place"], local, r["direction"], "", driver])
    gates = folder / "gate_passages.jsonl"
    with gates.open("w", encoding="utf-8") as f:
        for r in rows:
            if r["place"].startswith("MJ"):
                record = {"recordId": r["id"], "plateNo": r["plate"], "gateId": r["place"], "passTime": r["time"]}
                f.write(json.dumps({**record, "direction": r["direction"]}, ensure_ascii=False) + "\n")
    return [checkpoints, gates]
