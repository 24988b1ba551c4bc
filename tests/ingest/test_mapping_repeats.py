"""A registry repeats most of its cells, and the row mapper answers a reading it has seen from
memory: a file's rows must map exactly as each would alone, bad values rejected (or dropped)
on every row that holds them, with that row's number."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from ingest.mapping import MappedRow, Reject, RowMapper
from ingest.readers import open_source
from ingest.spec import builtin_specs
from ingest.spec_headers import resolve_headers
from synth.citizen_ids import make_id

ROWS = 6000  # past the rows after which a column of ever-new values stops being remembered
UNALLOCATED = "140 1234 5678"  # mobile-shaped, no operator holds the prefix: dropped, the row loads


def registration(i: int) -> dict:
    born = date(1960, 1, 1) + timedelta(days=i % 9000)
    row = {
        "registrationNo": f"R{i}",
        "channel": "房东申报" if i % 3 else "民警登记",
        "name": ["张伟", "李娜", "王芳", "刘洋"][i % 4],
        "idNumber": make_id("330402", born, i % 500),
        "phone": f"138{i % 700:08d}",
        "residenceAddress": f"嘉兴市南湖区新兴街道新兴社区{i % 40}幢2单元601室",
        "landlordName": "李娜",
        "landlordIdNumber": "330402198001010014",
        "landlordPhone": UNALLOCATED if i % 7 == 0 else "13912345678",
        "registeredOn": "2026-01-05" if i % 11 else "2026-13-45",  # a bad date, on every eleventh row
        "validUntil": "2026-07-05",
    }
    if i % 13 == 0:
        row["registrationNo"] = i  # a number where the others are text: 1, 1.0 and "1" are not one reading
    if i % 17 == 0:
        row["registrationNo"] = float(i)
    return row


def test_each_row_maps_as_it_would_alone(tmp_path: Path, schema):
    path = tmp_path / "floating_registrations.jsonl"
    lines = [json.dumps(registration(i), ensure_ascii=False) for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = builtin_specs(schema)["floating_registrations"]
    source = open_source(path)
    headers = resolve_headers(spec, source.header, path)
    raws = list(source.rows())
    shared = RowMapper(spec, headers, schema)

    together = [shared.map(raw) for raw in raws]
    alone = [RowMapper(spec, headers, schema).map(raw) for raw in raws]

    assert together == alone
    rejected = [r for r in together if isinstance(r, Reject)]
    assert [r.number for r in rejected] == [raw.number for i, raw in enumerate(raws) if i % 11 == 0]
    assert {r.value for r in rejected} == {"2026-13-45"}
    dropped = [d for r in together if isinstance(r, MappedRow) for d in r.dropped]
    assert len(dropped) == sum(1 for i in range(ROWS) if i % 7 == 0 and i % 11)
    assert all(d.value == UNALLOCATED and d.original for d in dropped)
