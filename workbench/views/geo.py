"""Map: checkpoints, gates, compounds and addresses on plain ground, with district outlines,
names, a scale bar, a plate's route and the passages at a chosen place.

No map tiles and no boundary file: the points are drawn in a Mercator projection of their
coordinates and the outlines come from the graph's own places (queries/districts.py), so
the page works on a network without internet and for whatever city is loaded.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import duckdb
import streamlit as st

from graph.errors import GraphError
from queries import page_queries
from queries.districts import district_outlines
from queries.geo import places, point_labels
from queries.passages import GATE_LINK, PASSAGE, in_store, passage_span, place_passages, plate_span
from queries.runner import QueryRefused
from workbench import resources, session
from workbench.context import require, t
from workbench.display import Display, md_escape
from workbench.geo_chart import SELECTION, places_map
from workbench.geo_route import local, passage_table, stop_table, stops, window

# Named on the map where room allows: the places an investigator finds their way by.
# Gates sit on their compound's name and addresses are too many; both show on hover.
LANDMARKS = ("Checkpoint", "Compound")
ROUTE_LIMIT = 1000
PLATE_MIN = 7  # the trajectory query's own minimum: province, letter and five characters
CHART_KEY = "gb_geo_chart"
PLACE_KEY = "gb_geo_place"
CLICKED_KEY = "gb_geo_clicked"
DAYS_KEY = "gb_geo_days"
PLATE_SEEN_KEY = "gb_geo_plate_seen"
OUTLINES_KEY = "gb_geo_outlines"
OUTLINES_TTL = 600


def render() -> None:
    investigator = require(page="map")
    display = session.display(investigator)
    workspace = resources.workspace()
    schema = workspace.schema
    actor = investigator.actor.consulting()
    st.title(t("page.geo"))
    labels = list(point_labels(schema))
    chosen = st.multiselect(
        t("geo.kinds"),
        labels,
        placeholder=t("common.choose"),
        default=[label for label in labels if label != "Address"],
        format_func=display.label_name,
        key="gb_geo_labels",
    )
    left, right = st.columns([1, 1])
    plate = left.text_input(t("geo.plate"), key="gb_geo_plate", max_chars=12).strip()
    try:
        _settle_window(workspace, plate, actor)
        days = right.date_input(t("geo.window"), help=t("geo.window_help"), key=DAYS_KEY)
        stored = in_store(workspace.events)
        rows = places(workspace.gateway, schema, workspace.audit, chosen, actor=actor, stored=stored)
        latitude = sum(row["latitude"] for row in rows) / len(rows) if rows else 30.0
        districts = _outlines(workspace, actor, latitude)
    except (GraphError, duckdb.Error) as exc:
        session.say("error", t("common.db_down", error=exc))
        return
    since, until = window(list(days) if isinstance(days, Sequence) else [days])
    route = _route(workspace, plate, since, until, actor, display) if plate else []
    if not rows:
        st.info(t("geo.none"))
        return
    # What reaches the browser is masked; lookups use the keys as read (a masked one never matches).
    shown = [
        {**display.rows([row])[0], "kind": display.label_name(row["label"]), "name": display.text(row["name"])}
        for row in rows
    ]
    names = {row["key"]: masked["name"] for row, masked in zip(rows, shown, strict=True)}
    options = _pickable(schema, rows, shown)
    _follow_click(options)
    picked = st.selectbox(
        t("geo.pick_place"),
        list(options),
        index=None,
        placeholder=t("common.choose"),
        format_func=lambda ref: options[ref],
        key=PLACE_KEY,
    )
    st.caption(md_escape(t("geo.points", n=len(shown))))
    chosen = next(
        (masked for row, masked in zip(rows, shown, strict=True) if f"{row['label']}:{row['key']}" == picked), None
    )
    chart = places_map(shown, investigator.lang, districts=districts, stops=route, landmarks=LANDMARKS, chosen=chosen)
    st.altair_chart(chart, width="stretch", on_select="rerun", selection_mode=SELECTION, key=CHART_KEY)
    st.caption(md_escape(t("geo.outlines")))
    if route:
        st.caption(md_escape(t("geo.route", plate=display.text(plate), n=len(route))))
        st.dataframe(stop_table(route, investigator.lang), hide_index=True, width="stretch")
    if picked:
        _passages_at(workspace, picked, options[picked], names, since, until, actor, display)


def _outlines(workspace, actor, latitude: float) -> list:
    """The district outlines, read again after OUTLINES_TTL seconds: every click reruns the page,
    and at city scale the outlines read every address."""
    now = time.monotonic()
    kept = st.session_state.get(OUTLINES_KEY)
    if kept and kept[0] == round(latitude, 2) and now - kept[1] < OUTLINES_TTL:
        return kept[2]
    found = district_outlines(workspace.gateway, workspace.schema, workspace.audit, actor=actor, latitude=latitude)
    st.session_state[OUTLINES_KEY] = (round(latitude, 2), now, found)
    return found


def _settle_window(workspace, plate: str, actor) -> None:
    """The window starts as the last week with passages; a newly typed plate moves it to the
    last week that plate was seen, so its route shows without hunting for dates."""
    if plate and plate != st.session_state.get(PLATE_SEEN_KEY):
        st.session_state[PLATE_SEEN_KEY] = plate
        span = plate_span(workspace.gateway, workspace.audit, plate, actor=actor, store=workspace.events)
        if span is not None:
            st.session_state[DAYS_KEY] = _last_week(span)
    if DAYS_KEY not in st.session_state:
        span = passage_span(workspace.gateway, workspace.events)
        today = date.today()
        st.session_state[DAYS_KEY] = _last_week(span) if span else (today - timedelta(days=6), today)


def _last_week(span) -> tuple[date, date]:
    """The last seven days of a (first, last) span, or all of it when shorter."""
    first, last = (local(moment).date() for moment in span)
    return max(first, last - timedelta(days=6)), last


def _route(workspace, plate: str, since, until, actor, display: Display) -> list[dict[str, Any]]:
    """The plate's stops in the window, in time order; a refusal or failure is said, not raised."""
    if len(plate) < PLATE_MIN:
        st.warning(t("geo.plate_short", n=PLATE_MIN))
        return []
    params = {"plate": plate, "since": since, "until": until - timedelta(microseconds=1), "limit": ROUTE_LIMIT}
    try:
        # On the event store once it holds passages (the runner chooses).
        rows = workspace.runner.run(page_queries.TRAJECTORY, params, actor=actor).rows
    except (QueryRefused, GraphError) as exc:
        session.say("error", t("common.failed", error=exc))
        return []
    route = stops(rows, display)
    if not route:
        session.say("info", t("geo.no_route", plate=display.text(plate)))
    elif len(rows) >= ROUTE_LIMIT:
        st.caption(md_escape(t("geo.route_cut", n=ROUTE_LIMIT)))
    return route


def _pickable(schema, rows: Sequence[Mapping[str, Any]], shown: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Places passages are read for (passed directly, or through gates), busiest first:
    `Label:key` as read → what the picker shows (masked)."""
    passed = schema.relationships.get("PASSED_AT")
    gated = schema.relationships.get(GATE_LINK)
    kinds = set(passed.end if passed else ()) | set(gated.end if gated else ())
    kinds.discard(PASSAGE)
    pairs = sorted(
        ((row, masked) for row, masked in zip(rows, shown, strict=True) if row["label"] in kinds),
        key=lambda pair: (-pair[0]["passages"], pair[1]["name"]),
    )
    return {f"{row['label']}:{row['key']}": f"{masked['name']} · {masked['kind']}" for row, masked in pairs}


def _follow_click(options: Mapping[str, str]) -> None:
    """A place clicked on the chart becomes the picker's choice (once per click, so the picker
    can still be changed by hand afterwards)."""
    event = st.session_state.get(CHART_KEY)
    picked = (event or {}).get("selection", {}).get(SELECTION) or []
    ref = f"{picked[0].get('label')}:{picked[0].get('key')}" if picked else None
    if ref != st.session_state.get(CLICKED_KEY):
        st.session_state[CLICKED_KEY] = ref
        if ref in options:
            st.session_state[PLACE_KEY] = ref


def _passages_at(workspace, ref: str, name: str, names, since, until, actor, display: Display) -> None:
    label, _, key = ref.partition(":")
    try:
        found = place_passages(
            workspace.gateway,
            workspace.schema,
            workspace.audit,
            (label, key),
            since,
            until,
            actor=actor,
            store=workspace.events,
        )
    except (GraphError, duckdb.Error) as exc:
        session.say("error", t("common.failed", error=exc))
        return
    if not found.rows:
        session.say("info", t("geo.no_passages", place=name))
        return
    words = "geo.at_place" if found.total <= len(found.rows) else "geo.at_place_cut"
    st.caption(md_escape(t(words, place=name, total=found.total, n=len(found.rows))))
    st.dataframe(passage_table(found.rows, names, display), hide_index=True, width="stretch")
