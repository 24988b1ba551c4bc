"""Charts drawn with Vega-Lite (Altair), which Streamlit ships: nothing is fetched to draw them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from workbench.messages import MESSAGES, message


def kind_name(kind: str, lang: str) -> str:
    key = f"timeline.{kind}"
    return message(key, lang) if key in MESSAGES else kind


def local_time(value: Any) -> str:
    """An ISO time as Beijing wall-clock text: "2023-09-12 08:30", or the day alone at midnight
    (most dated records carry a day, not a time)."""
    moment = pd.Timestamp(str(value))
    if moment.tzinfo is not None:
        moment = moment.tz_convert("Asia/Shanghai")
    return moment.strftime("%Y-%m-%d") if moment.strftime("%H:%M") == "00:00" else moment.strftime("%Y-%m-%d %H:%M")


def timeline(rows: Iterable[Mapping[str, Any]], lang: str) -> alt.Chart:
    """One dot per event: time across, kind of event down, detail in the tooltip."""
    frame = pd.DataFrame(
        [{"time": row["time"], "kind": kind_name(row["kind"], lang), "detail": row["detail"]} for row in rows]
    )
    # Beijing wall-clock time, without a zone: Vega-Lite would otherwise show the browser's own zone.
    frame["time"] = (
        pd.to_datetime(frame["time"], utc=True, format="ISO8601").dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    )
    return (
        alt.Chart(frame)
        .mark_circle(size=70, opacity=0.8)
        .encode(
            # Dates as numbers (no English month names in the Chinese page), level, and level
            # lane names with room for them: the lane axis needs no title of its own.
            x=alt.X("time:T", title=message("timeline.time", lang), axis=alt.Axis(format="%Y-%m-%d", labelAngle=0)),
            y=alt.Y("kind:N", title=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color("kind:N", legend=None),
            tooltip=[
                alt.Tooltip("time:T", title=message("timeline.time", lang), format="%Y-%m-%d %H:%M"),
                alt.Tooltip("kind:N", title=message("timeline.kind", lang)),
                alt.Tooltip("detail:N", title=message("timeline.detail", lang)),
            ],
        )
        .properties(height=max(120, 36 * frame["kind"].nunique()))
    )
