"""Which place names fit on the map without writing over each other.

Vega-Lite cannot drop overlapping text, so the page chooses: the busiest landmark first,
then each next one only where its name does not cover a name already written. Names left
out show on hover. Positions are estimated in the Mercator projection the chart uses,
fitted to a map of typical width.
"""

from __future__ import annotations

import math

import pandas as pd

WIDTH = 900  # px: a typical wide page; a narrower one overlaps a little more
CHAR_PX = 11.5  # a CJK character at the chart's font size
LIMIT_PX = 170  # the chart cuts a longer name with an ellipsis
LINE_PX = 15
MOST = 60


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def readable_labels(
    frame: pd.DataFrame,
    landmarks: set[str],
    *,
    height: int,
    width: int = WIDTH,
    extent: tuple[float, float, float, float] | None = None,
) -> list[int]:
    """Row positions of `frame` (label, name, longitude, latitude, passages) to name on the map.
    `extent` (lon_min, lon_max, lat_min, lat_max): the map shows only that box, so names are
    spaced at its scale and places outside it take no room."""
    if frame.empty or not landmarks:
        return []
    xs = [math.radians(lon) for lon in frame["longitude"]]
    ys = [_mercator(lat) for lat in frame["latitude"]]
    inside = [True] * len(frame)
    if extent is not None:
        lon_min, lon_max, lat_min, lat_max = extent
        inside = [
            lon_min <= lon <= lon_max and lat_min <= lat <= lat_max
            for lon, lat in zip(frame["longitude"], frame["latitude"], strict=True)
        ]
        xs_box, ys_box = [math.radians(lon_min), math.radians(lon_max)], [_mercator(lat_min), _mercator(lat_max)]
    else:
        xs_box, ys_box = xs, ys
    left, top = min(xs_box), max(ys_box)
    span = max(max(xs_box) - left, 1e-9), max(top - min(ys_box), 1e-9)
    scale = min(width / span[0], height / span[1])
    candidates = [i for i, label in enumerate(frame["label"]) if label in landmarks and inside[i]]
    candidates.sort(key=lambda i: (-(frame["passages"].iloc[i] or 0), str(frame["name"].iloc[i])))
    taken: list[tuple[float, float, float, float]] = []
    chosen = []
    for i in candidates:
        x, y = (xs[i] - left) * scale, (top - ys[i]) * scale
        box = (
            x + 5,
            y - LINE_PX / 2,
            x + 9 + min(len(str(frame["name"].iloc[i])) * CHAR_PX, LIMIT_PX),
            y + LINE_PX / 2,
        )
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            continue
        taken.append(box)
        chosen.append(i)
        if len(chosen) == MOST:
            break
    return chosen
