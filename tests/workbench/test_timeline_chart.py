"""The profile's timeline reads the same in either language: dates as numbers on a level axis,
lanes named without a rotated title, and times in the table as Beijing wall-clock text."""

from __future__ import annotations

from workbench import charts

ROWS = [
    {"time": "2023-09-12T00:00:00+08:00", "kind": "registered", "detail": "x"},
    {"time": "2025-04-13T02:30:00+00:00", "kind": "listed", "detail": "y"},
]


def test_the_axis_shows_dates_as_numbers_level_and_the_lanes_untitled():
    for lang in ("zh", "en"):
        spec = charts.timeline(ROWS, lang).to_dict()
        x, y = spec["encoding"]["x"], spec["encoding"]["y"]
        assert x["axis"]["format"] == "%Y-%m-%d" and x["axis"]["labelAngle"] == 0
        assert y["title"] is None


def test_times_in_the_table_are_beijing_wall_clock_text():
    assert charts.local_time("2023-09-12T00:00:00+08:00") == "2023-09-12"
    assert charts.local_time("2025-04-13T02:30:00+00:00") == "2025-04-13 10:30"
