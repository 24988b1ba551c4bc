"""The map's reads against the real Neo4j: district outlines drawn from the graph's own places,
a place's passages in a time window (a compound through its gates), a plate's last sighting."""

from __future__ import annotations

import itertools
import math
from datetime import datetime, timedelta, timezone

import pytest

from access.actor import Actor
from access.audit.log import AuditLog
from queries.districts import district_outlines
from queries.passages import place_passages, plate_span
from synth.geography import distance_km
from tests.geo_graph import PLATE, seed
from tests.workbench.conftest import audit_events

BEIJING = timezone(timedelta(hours=8))
DAY_START = datetime(2025, 3, 1, tzinfo=BEIJING)
ACTOR = Actor(user="ana", role="analyst", case_ref="JX-1", reason="fugitive_search")


@pytest.fixture
def city(empty_graph):
    return seed(empty_graph)


@pytest.fixture
def audit(tmp_path):
    return AuditLog(tmp_path / "audit.jsonl")


def inside(lon: float, lat: float, ring) -> bool:
    """Ray casting: whether the point lies inside the closed ring."""
    hits = 0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            hits += 1
    return hits % 2 == 1


def test_every_district_is_outlined_around_all_of_its_places(city, schema, audit):
    outlines = {d.name: d for d in district_outlines(city, schema, audit, actor=ACTOR, latitude=30.75)}
    assert set(outlines) == {"南湖区", "秀洲区", "平湖市"}
    assert outlines["南湖区"].places == 3 and outlines["平湖市"].places == 1
    places = city.read(
        "t", "MATCH (n) WHERE n.district IS NOT NULL RETURN n.district AS d, n.location AS p", {}
    ).records
    for record in places:
        ring = outlines[record["d"]].ring
        assert ring[0] == ring[-1], "a closed outline"
        assert inside(record["p"].longitude, record["p"].latitude, ring), record["d"]
        for other in set(outlines) - {record["d"]}:
            assert not inside(record["p"].longitude, record["p"].latitude, outlines[other].ring)
    lone = outlines["平湖市"]
    reach = [distance_km(30.68, 121.05, lat, lon) for lon, lat in lone.ring]
    assert 1.4 < min(reach) and max(reach) < 1.6, "a district of one checkpoint: a ring 1.5 km around it"
    assert math.isclose(lone.longitude, 121.05) and math.isclose(lone.latitude, 30.68)
    event = audit_events(audit.path)[-1]
    assert event["action"] == "map.districts" and event["user"] == "ana" and event["rows"] == 3


def test_a_place_lists_its_passages_in_the_window_newest_first(city, schema, audit):
    found = place_passages(
        city, schema, audit, ("Checkpoint", "JCZ1"), DAY_START, DAY_START + timedelta(days=1), actor=ACTOR
    )
    assert found.total == 3
    assert [(row["plate"], row["time"].astimezone(BEIJING).strftime("%H:%M")) for row in found.rows] == [
        (PLATE, "18:40"),
        ("浙F99999", "09:00"),
        (PLATE, "07:50"),
    ]
    cut = place_passages(
        city, schema, audit, ("Checkpoint", "JCZ1"), DAY_START, DAY_START + timedelta(days=1), actor=ACTOR, limit=1
    )
    assert cut.total == 3 and len(cut.rows) == 1 and cut.rows[0]["time"].astimezone(BEIJING).hour == 18
    earlier = place_passages(
        city, schema, audit, ("Checkpoint", "JCZ2"), DAY_START, DAY_START + timedelta(days=1), actor=ACTOR
    )
    assert earlier.total == 1, "the February passage is outside the window"
    event = audit_events(audit.path)[-1]
    assert event["action"] == "map.place_passages" and event["entities"] == ["Checkpoint:JCZ2"]
    assert event["parameters"]["place"] == "Checkpoint:JCZ2" and event["rows"] == 1


def test_a_compound_lists_the_passages_at_its_gates(city, schema, audit):
    found = place_passages(
        city, schema, audit, ("Compound", "XQ1"), DAY_START, DAY_START + timedelta(days=1), actor=ACTOR
    )
    assert [(row["place_id"], row["direction"]) for row in found.rows] == [("MJ2", "出"), ("MJ1", "入")]
    nothing = place_passages(
        city, schema, audit, ("Address", "A1"), DAY_START, DAY_START + timedelta(days=1), actor=ACTOR
    )
    assert nothing.total == 0 and nothing.rows == []


def test_when_a_plate_was_first_and_last_seen(city, audit):
    first, last = plate_span(city, audit, PLATE, actor=ACTOR)
    assert first.astimezone(BEIJING).date().isoformat() == "2025-02-01"
    assert last.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") == "2025-03-01 18:40"
    assert plate_span(city, audit, "浙F00000", actor=ACTOR) is None
    assert audit_events(audit.path)[-1]["action"] == "map.plate_span"
