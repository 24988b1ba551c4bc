"""The map page's chart: places, their names, district outlines, a scale bar, a route and
the place chosen.

Drawn with Vega-Lite (Altair) in a Mercator projection of the coordinates, with no map
tiles: nothing is fetched, so it works on a network without internet. Text is drawn as
SVG text (never HTML), so names from the data are shown as typed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from queries.districts import KM_PER_DEGREE_LON_AT_EQUATOR, District
from workbench.geo_layout import readable_labels
from workbench.messages import message

ROUTE = "#c0392b"
OUTLINE = "#7f8c8d"
CHOSEN = "#d35400"
ARROW_AT = 0.62  # how far along each leg its arrow sits
SELECTION = "place"  # the chart's click selection, read back by the page
HEIGHT = 600
NICE_KM = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
ROUTE_MARGIN = 0.2  # of the route's span, on each side: its end stops and their times stay clear of the edge
LEAST_DEGREES = 0.01  # about a kilometre: a route that never moves still shows its surroundings

Extent = tuple[float, float, float, float]  # lon_min, lon_max, lat_min, lat_max


def scale_bar_km(span_km: float) -> int:
    """A round length near a fifth of the map's width."""
    return max([km for km in NICE_KM if km <= max(span_km / 5, 1)])


def scale_bar(
    lon_min: float, lon_max: float, lat_min: float, lat_max: float, lang: str, *, inside: bool = False
) -> list[alt.Chart]:
    """A bar of a round number of kilometres at the map's lower left. It is drawn in map
    coordinates at its own latitude, so the projection gives it the length it has there.
    `inside`: the view is fitted to this box, so a bar below it would be cut off."""
    # Below every place, so it covers no name, unless the box is all there is to see.
    lat = lat_min + (0.04 if inside else -0.04) * (lat_max - lat_min)
    km_per_degree = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat))
    km = scale_bar_km((lon_max - lon_min) * km_per_degree)
    start = lon_min + 0.03 * (lon_max - lon_min)
    end = start + km / km_per_degree
    tick = 0.008 * (lat_max - lat_min)
    bar = pd.DataFrame(
        [
            {"i": 0, "longitude": start, "latitude": lat + tick},
            {"i": 1, "longitude": start, "latitude": lat},
            {"i": 2, "longitude": end, "latitude": lat},
            {"i": 3, "longitude": end, "latitude": lat + tick},
        ]
    )
    words = pd.DataFrame(
        [{"longitude": (start + end) / 2, "latitude": lat + tick, "text": message("geo.scale_km", lang, km=km)}]
    )
    return [
        alt.Chart(bar)
        .mark_line(color="#222", strokeWidth=2)
        .encode(longitude="longitude:Q", latitude="latitude:Q", order="i:Q"),
        alt.Chart(words)
        .mark_text(dy=-8, fontSize=12, color="#222")
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="text:N"),
    ]


def outline_layers(districts: Sequence[District]) -> list[alt.Chart]:
    lines = pd.DataFrame(
        [
            {"district": d.name, "i": i, "longitude": lon, "latitude": lat}
            for d in districts
            for i, (lon, lat) in enumerate(d.ring)
        ]
    )
    names = pd.DataFrame([{"district": d.name, "longitude": d.longitude, "latitude": d.latitude} for d in districts])
    return [
        alt.Chart(lines)
        .mark_line(color=OUTLINE, strokeWidth=1.2, strokeDash=[6, 4], opacity=0.8)
        .encode(longitude="longitude:Q", latitude="latitude:Q", detail="district:N", order="i:Q"),
        alt.Chart(names)
        .mark_text(fontSize=18, fontWeight="bold", color=OUTLINE, opacity=0.55)
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="district:N"),
    ]


def place_layers(frame: pd.DataFrame, lang: str, labelled: Iterable[int]) -> list[alt.Chart]:
    """The places, sized by passages, clickable; the names of `labelled` rows written beside them."""
    pick = alt.selection_point(name=SELECTION, fields=["label", "key"], on="click", clear="dblclick")
    dots = (
        alt.Chart(frame)
        .mark_circle(opacity=0.75, stroke="#333", strokeWidth=0.3, cursor="pointer")
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            color=alt.Color("kind:N", title=message("geo.kind", lang), legend=alt.Legend(orient="top")),
            size=alt.Size(
                "passages:Q", title=message("geo.passages", lang), scale=alt.Scale(range=[30, 600]), legend=None
            ),
            tooltip=[
                alt.Tooltip("kind:N", title=message("geo.kind", lang)),
                alt.Tooltip("name:N", title=message("geo.name", lang)),
                alt.Tooltip("passages:Q", title=message("geo.passages", lang)),
            ],
        )
        .add_params(pick)
    )
    names = frame.iloc[list(labelled)]
    text = (
        alt.Chart(names)
        .mark_text(align="left", dx=7, fontSize=11, color="#1b2631", limit=170)
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="name:N")
    )
    return [dots, halo(text)]


def halo(text: alt.Chart) -> alt.LayerChart:
    """Text over a white outline of itself: readable over lines and dots."""
    return alt.layer(text.mark_text(**{**_mark(text), "stroke": "white", "strokeWidth": 3}), text)


def _mark(chart: alt.Chart) -> dict[str, Any]:
    return {k: v for k, v in chart.mark.to_dict().items() if k != "type"}


def bearing(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Degrees clockwise from north of the segment as Mercator draws it (for the arrow)."""

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    return math.degrees(math.atan2(math.radians(lon2 - lon1), y(lat2) - y(lat1)))


def route_layers(stops: pd.DataFrame, lang: str) -> list[alt.Chart]:
    """The route: a line in time order, an arrow along each leg, numbered stops and,
    beside each place, its stop numbers with their local times."""
    tip = [
        alt.Tooltip("step:Q", title=message("geo.step", lang)),
        alt.Tooltip("when:N", title=message("geo.time", lang)),
        alt.Tooltip("place:N", title=message("geo.place", lang)),
        alt.Tooltip("direction:N", title=message("geo.direction", lang)),
    ]
    where = {"longitude": "longitude:Q", "latitude": "latitude:Q"}
    line = alt.Chart(stops).mark_line(color=ROUTE, strokeWidth=2.5, opacity=0.85).encode(**where, order="step:Q")
    legs = [
        {
            # Past halfway, so that a leg driven back the other way gets an arrow of its own.
            "longitude": a.longitude + ARROW_AT * (b.longitude - a.longitude),
            "latitude": a.latitude + ARROW_AT * (b.latitude - a.latitude),
            "angle": bearing(a.longitude, a.latitude, b.longitude, b.latitude),
        }
        for a, b in zip(stops.itertuples(), stops.iloc[1:].itertuples(), strict=False)
        if (a.longitude, a.latitude) != (b.longitude, b.latitude)
    ]
    layers = [line]
    if legs:
        layers.append(
            alt.Chart(pd.DataFrame(legs))
            .mark_point(shape="triangle", filled=True, color=ROUTE, size=170, opacity=1)
            .encode(**where, angle=alt.Angle("angle:Q", scale=None))
        )
    dots = alt.Chart(stops).mark_circle(size=90, color="white", stroke=ROUTE, strokeWidth=2, opacity=1)
    layers.append(dots.encode(**where, tooltip=tip))
    per_place = stop_labels(stops)
    text = (
        alt.Chart(per_place)
        .mark_text(align="right", baseline="middle", dx=-9, fontSize=12, fontWeight="bold", color=ROUTE, lineBreak="\n")
        .encode(**where, text="text:N")
    )
    layers.append(halo(text))
    return layers


def route_extent(stops: Sequence[Mapping[str, Any]]) -> Extent:
    """The box the map zooms to when a route is drawn: its stops with a margin around them."""
    lons, lats = [s["longitude"] for s in stops], [s["latitude"] for s in stops]
    lon_pad = max(ROUTE_MARGIN * (max(lons) - min(lons)), LEAST_DEGREES)
    lat_pad = max(ROUTE_MARGIN * (max(lats) - min(lats)), LEAST_DEGREES)
    return min(lons) - lon_pad, max(lons) + lon_pad, min(lats) - lat_pad, max(lats) + lat_pad


def chosen_layers(place: Mapping[str, Any], lang: str) -> list[Any]:
    """The place clicked or picked: a ring round its dot and its name in bold, over everything
    else, so the place whose passages are listed below is the one seen on the map."""
    here = pd.DataFrame(
        [
            {
                "longitude": place["longitude"],
                "latitude": place["latitude"],
                "name": place["name"],
                "said": message("geo.chosen", lang, place=place["name"]),
            }
        ]
    )
    where = {"longitude": "longitude:Q", "latitude": "latitude:Q"}
    ring = (
        alt.Chart(here)
        .mark_point(shape="circle", filled=False, size=900, color=CHOSEN, strokeWidth=3.5, opacity=1)
        .encode(**where, description="said:N")
    )
    name = (
        alt.Chart(here)
        .mark_text(align="left", dx=18, fontSize=13, fontWeight="bold", color=CHOSEN, limit=220)
        .encode(**where, text="name:N")
    )
    return [ring, halo(name)]


def clipped(layer: Any) -> Any:
    """`layer` drawn only inside the view: once the view is zoomed, what lies outside it would
    otherwise be drawn over the legend and the page's margins."""
    cut = layer.copy(deep=False)  # a layer of layers keeps the data its parts share
    if isinstance(layer, alt.LayerChart):
        cut.layer = [clipped(part) for part in layer.layer]
    else:
        cut.mark = alt.MarkDef(**{**layer.mark.to_dict(), "clip": True})
    return cut


def stop_labels(stops: pd.DataFrame, most: int = 4) -> pd.DataFrame:
    """One label per place on the route: "3  08:40" per visit, at most `most` lines."""
    rows = []
    for (lon, lat), visits in stops.groupby(["longitude", "latitude"], sort=False):
        lines = [f"{step}  {short}" for step, short in zip(visits["step"], visits["short"], strict=True)]
        if len(lines) > most:
            lines = [*lines[: most - 1], f"… +{len(lines) - most + 1}"]
        rows.append({"longitude": lon, "latitude": lat, "text": "\n".join(lines)})
    return pd.DataFrame(rows)


def places_map(
    places: Sequence[Mapping[str, Any]],
    lang: str,
    *,
    districts: Sequence[District] = (),
    stops: Sequence[Mapping[str, Any]] = (),
    landmarks: Iterable[str] = (),
    chosen: Mapping[str, Any] | None = None,
) -> alt.LayerChart:
    """The whole map. `places` rows carry label, key, kind, name, longitude, latitude and
    passages; places whose label is in `landmarks` are named on the map where room allows;
    `chosen` (one of `places`) is ringed. With a route the view is its extent, not the city.

    Drawn bottom to top: outlines, district names, places and their names, the route, the
    chosen place, the scale bar; so no district name lies over a dot."""
    frame = pd.DataFrame(list(places))
    view = route_extent(stops) if stops else None
    if view is None:
        lons = list(frame["longitude"]) + [lon for d in districts for lon, _ in d.ring]
        lats = list(frame["latitude"]) + [lat for d in districts for _, lat in d.ring]
        box: Extent = (min(lons), max(lons), min(lats), max(lats))
    else:
        box = view
    labelled = readable_labels(frame, set(landmarks), height=HEIGHT, extent=view)
    if chosen is not None:
        # Its own name is written in bold by its ring; written twice it would blur.
        same = (frame["label"] == chosen.get("label")) & (frame["key"] == chosen.get("key"))
        labelled = [i for i in labelled if not same.iloc[i]]
    layers: list[Any] = outline_layers(districts) if districts else []
    layers += place_layers(frame, lang, labelled)
    if stops:
        layers += route_layers(pd.DataFrame(list(stops)), lang)
    if chosen is not None:
        layers += chosen_layers(chosen, lang)
    layers += scale_bar(*box, lang, inside=view is not None)
    projection: dict[str, Any] = {"type": "mercator"}
    if view is not None:
        layers = [clipped(layer) for layer in layers]
        lon_min, lon_max, lat_min, lat_max = view
        corners = {"type": "MultiPoint", "coordinates": [[lon_min, lat_min], [lon_max, lat_max]]}
        projection["fit"] = {"type": "Feature", "geometry": corners, "properties": {}}
    return (
        alt.layer(*layers)
        .project(**projection)
        .properties(height=HEIGHT, usermeta={"embedOptions": {"renderer": "svg", "actions": False}})
    )
