"""Dates, times and durations in a query's form: picked on a calendar and a clock, and a
duration as a number with its unit ("7 天" / "7 days"), never typed as ISO text."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import streamlit as st

from queries.parameters import LOCAL_ZONE, Parameter, ParameterError
from workbench import session
from workbench.context import t

# The calendar's reach when a parameter sets no bound (Streamlit's own is ten years back).
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
UNITS = (("days", 86400), ("hours", 3600), ("minutes", 60))
# A window's end, when only its day is picked, is the end of that day.
END_NAMES = {"until"}


def moment_field(parameter: Parameter, key: str, label: str, help_text: str | None) -> date | datetime | None:
    """A date on a calendar; a datetime as a calendar and a clock side by side."""
    default = parameter.default
    low = _day(parameter.minimum) or EARLIEST
    high = _day(parameter.maximum) or LATEST
    if parameter.type == "date":
        return st.date_input(
            label, value=default, min_value=low, max_value=high, format="YYYY-MM-DD", key=key, help=help_text
        )
    left, right = st.columns([3, 2])
    day = left.date_input(
        label, value=_day(default), min_value=low, max_value=high, format="YYYY-MM-DD", key=key, help=help_text
    )
    clock = right.time_input(
        t("form.time_of", field=label),
        value=default.astimezone(LOCAL_ZONE).time().replace(tzinfo=None) if default is not None else None,
        step=60,
        key=f"{key}_time",
        help=t("form.time_help"),
    )
    if day is None:
        return None
    if clock is None:
        clock = time(23, 59, 59) if parameter.name in END_NAMES else time(0, 0)
    return datetime.combine(day, clock, tzinfo=LOCAL_ZONE)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_ZONE).date()
    return value if isinstance(value, date) else None


def units(parameter: Parameter) -> list[tuple[str, int]]:
    """The units a duration is entered in: days, and hours or minutes where its lower bound
    (or its default) needs them."""
    finest = min(
        (int(v.total_seconds()) for v in (parameter.minimum, parameter.default) if isinstance(v, timedelta) and v),
        default=60,
    )
    return [UNITS[0]] + [(name, size) for name, size in UNITS[1:] if finest % (size * (24 if size == 3600 else 60))]


def split(value: timedelta, offered: list[tuple[str, int]]) -> tuple[int, str]:
    """A duration as a whole number of the largest offered unit it fills exactly."""
    seconds = int(value.total_seconds())
    for name, size in offered:
        if seconds % size == 0:
            return seconds // size, name
    name, size = offered[-1]
    return round(seconds / size), name


def duration_field(parameter: Parameter, key: str, label: str, help_text: str | None) -> timedelta | None:
    offered = units(parameter)
    amount, unit = split(parameter.default, offered) if parameter.default is not None else (None, offered[0][0])
    left, right = st.columns([3, 2])
    number = left.number_input(label, min_value=0, value=amount, step=1, key=key, help=help_text)
    names = [name for name, _ in offered]
    chosen = right.selectbox(
        t("form.unit"), names, index=names.index(unit), format_func=lambda u: t(f"form.unit.{u}"), key=f"{key}_unit"
    )
    if number is None:
        return None
    return timedelta(seconds=int(number) * dict(offered)[chosen])


def human(value: timedelta) -> str:
    """'7 天' / '7 days': the largest unit the duration fills exactly."""
    amount, unit = split(value, list(UNITS))
    return f"{amount} {t(f'form.unit.{unit}')}"


def within_bounds(parameter: Parameter, value: timedelta | None, lang: str) -> bool:
    """True when the duration is within the parameter's bounds; else says so, in the form's words."""
    if value is None:
        return True
    try:
        parameter.coerce(value)
    except ParameterError:
        low = human(parameter.minimum) if parameter.minimum is not None else "0"
        high = human(parameter.maximum) if parameter.maximum is not None else t("form.duration_none")
        session.say("error", t("form.duration_bounds", field=parameter.names.get(lang), low=low, high=high))
        return False
    return True
