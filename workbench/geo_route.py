"""A plate's route and a place's passages, as the map page draws and lists them.

Times are Beijing wall-clock time. Everything shown goes through the page's `Display`
(masking by role) and is written as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from workbench.display import Display
from workbench.messages import message

LOCAL = ZoneInfo("Asia/Shanghai")


def local(value: Any) -> pd.Timestamp:
    """An ISO time (or a driver's datetime) in Beijing time."""
    native = value.to_native() if hasattr(value, "to_native") else value
    moment = pd.Timestamp(str(native) if not isinstance(native, datetime) else native)
    return moment.tz_localize(LOCAL) if moment.tzinfo is None else moment.tz_convert(LOCAL)


def window(days: Sequence[date]) -> tuple[datetime, datetime]:
    """A date range picked on the page → [start of the first day, start of the day after the last)."""
    first, last = (days[0], days[-1]) if days else (date.today(), date.today())
    return datetime.combine(first, time(), LOCAL), datetime.combine(last + timedelta(days=1), time(), LOCAL)


def stops(rows: Sequence[Mapping[str, Any]], display: Display) -> list[dict[str, Any]]:
    """`vehicles.trajectory` rows → numbered stops with coordinates (rows without are left out,
    so numbers count the stops drawn), each with its local time in full and short. A row
    holds a `location` point (from the graph) or `longitude` and `latitude` (from the store)."""
    placed = [(row, where) for row in rows if (where := _where(row)) is not None and row.get("time")]
    moments = [local(row["time"]) for row, _ in placed]
    one_year = len({m.year for m in moments}) <= 1
    short = "%m-%d %H:%M" if one_year else "%Y-%m-%d %H:%M"
    return [
        {
            "step": step,
            "when": moment.strftime("%Y-%m-%d %H:%M:%S"),
            "short": moment.strftime(short),
            "place": display.text(row.get("place")),
            "direction": display.text(row.get("direction") or ""),
            "longitude": where[0],
            "latitude": where[1],
        }
        for step, ((row, where), moment) in enumerate(zip(placed, moments, strict=True), start=1)
    ]


def _where(row: Mapping[str, Any]) -> tuple[float, float] | None:
    point = row.get("location")
    if isinstance(point, Mapping):
        return point["longitude"], point["latitude"]
    if row.get("longitude") is not None and row.get("latitude") is not None:
        return row["longitude"], row["latitude"]
    return None


def stop_table(route: Sequence[Mapping[str, Any]], lang: str) -> pd.DataFrame:
    """The route as a table: stop number, time, place, direction (headers in `lang`)."""
    return pd.DataFrame(
        [
            {
                message("geo.step", lang): stop["step"],
                message("geo.time", lang): stop["when"],
                message("geo.place", lang): stop["place"],
                message("geo.direction", lang): stop["direction"],
            }
            for stop in route
        ]
    )


def passage_table(rows: Sequence[Mapping[str, Any]], names: Mapping[str, str], display: Display) -> pd.DataFrame:
    """A place's passages, newest first: time, plate, where (a compound's gate), direction, lane."""
    lang = display.lang
    shown = display.rows(rows)
    return pd.DataFrame(
        [
            {
                message("geo.time", lang): local(row["time"]).strftime("%Y-%m-%d %H:%M:%S"),
                message("geo.plate_column", lang): display.text(row.get("plate")),
                message("geo.place", lang): display.text(names.get(row.get("place_id"), row.get("place_id"))),
                message("geo.direction", lang): display.text(row.get("direction") or ""),
                message("geo.lane", lang): "" if row.get("lane") is None else str(row["lane"]),
            }
            for row in shown
        ]
    )
