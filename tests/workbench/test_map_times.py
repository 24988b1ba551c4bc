"""When a node or link happened, for the time bar: from the schema's first unmasked date or
datetime property, never from a masked one (a birth date must not reach an analyst's browser)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.workbench.test_map_and_exports import investigator
from workbench.canvas import elements
from workbench.display import Display
from workbench.map_state import MapState
from workbench.map_times import element_time

BORN = "1990-01-01"
PASSAGE = {"time": "2025-03-01T08:30:00.123456789+08:00[Asia/Shanghai]", "plate": "浙F00001"}


def test_a_passage_is_dated_by_its_time_with_nanoseconds_and_zone_name(schema):
    expected = datetime(2025, 3, 1, 0, 30, 0, 123456, tzinfo=UTC).timestamp() * 1000
    assert element_time(schema, "Passage", PASSAGE, node=True) == int(expected)


def test_dates_of_registrations_cases_and_listings_count_and_a_birth_date_never(schema):
    assert element_time(schema, "Registration", {"registered_on": "2024-05-06"}, node=True) == int(
        datetime(2024, 5, 6, tzinfo=UTC).timestamp() * 1000
    )
    assert element_time(schema, "Case", {"reported_at": "2025-01-02T03:04:05+08:00"}, node=True) is not None
    assert element_time(schema, "LISTED_ON", {"listed_on": "2025-02-01"}, node=False) is not None
    assert element_time(schema, "Person", {"birth_date": "1990-01-01", "name": "王"}, node=True) is None
    assert element_time(schema, "Passage", {"time": "not a time"}, node=True) is None


def test_the_canvas_sends_the_time_of_dated_elements_only(schema):
    display_for_analyst = Display(schema, investigator())
    state = MapState()
    state.merge(
        [
            {"id": "n1", "label": "Passage", "ref": "Passage:1", "caption": "x", "properties": PASSAGE},
            {
                "id": "n2",
                "label": "Person",
                "ref": "Person:P",
                "caption": "王",
                "properties": {"birth_date": "1990-01-01"},
            },
        ],
        [],
    )
    drawn = {e["data"]["id"]: e["data"] for e in elements(state, display_for_analyst)}
    assert "t" in drawn["n1"] and "t" not in drawn["n2"]
