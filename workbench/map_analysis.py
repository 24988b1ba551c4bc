"""The link explorer's network analysis: measures of the map's graph as a table, a measure as
node size, communities as colours, and "select the top N" on the map.

Measures are worked out once per map version and filter (`workbench.map_measures`), kept in
the session, so a rerun that changes nothing on the map costs nothing here.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from workbench.canvas import Styling
from workbench.context import t
from workbench.display import Display
from workbench.map_measures import CUTOFF, EXACT_UP_TO, MEASURES, Measures, measure
from workbench.map_state import MapState

CACHE_KEY = "gb_measures"
SELECT_KEY = "gb_select_top"
SWITCH_KEY = "gb_analysis"
SMALLEST, LARGEST = 18.0, 64.0  # node size in pixels, least and most in the measure
# Ten colours told apart by most eyes (Tableau 10); communities past the tenth share grey.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
OTHER = "#d0d0d0"


def measures_of(state: MapState, shown: set[str] | None) -> Measures:
    """The measures of what the map shows, from the session's cache when the map is unchanged."""
    nodes = [node_id for node_id in state.nodes if shown is None or node_id in shown]
    ties = [(rel["start"], rel["end"]) for edge_id, rel in state.edges.items() if shown is None or edge_id in shown]
    key = (state.version, len(nodes), len(ties))
    cached = st.session_state.get(CACHE_KEY)
    if cached is None or cached[0] != key:
        cached = (key, measure(nodes, ties))
        st.session_state[CACHE_KEY] = cached
    return cached[1]


def sizes(values: dict[str, float]) -> dict[str, float]:
    """Node sizes in pixels: the square root of each value's share of the largest (area grows with it)."""
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {}
    return {node_id: round(SMALLEST + (LARGEST - SMALLEST) * (v / top) ** 0.5, 1) for node_id, v in values.items()}


def colours(measures: Measures) -> dict[str, str]:
    return {
        node_id: PALETTE[group - 1] if group <= len(PALETTE) else OTHER
        for node_id, group in zip(measures.ids, measures.community, strict=True)
    }


def styling(state: MapState, shown: set[str] | None) -> Styling:
    """What the panel's settings (kept in the session by their keys) ask of the map; drawn
    before the panel itself, which stands below the map. Off, the map is not measured."""
    select = st.session_state.get(SELECT_KEY)
    if not st.session_state.get(SWITCH_KEY):
        return Styling(select=select)
    size_by = st.session_state.get("gb_size_by", "none")
    by_community = bool(st.session_state.get("gb_colour_by_community"))
    measures = measures_of(state, shown)
    rules: list[dict[str, str]] = []
    node_sizes: dict[str, float] = {}
    fills: dict[str, str] = {}
    if size_by != "none" and measures.ids:
        node_sizes = sizes(measures.of(size_by))
        rules.append({"text": t("analysis.size_rule", measure=t(f"analysis.{size_by}"))})
    if by_community and measures.ids:
        fills = colours(measures)
        groups = sorted(set(measures.community))
        for group in groups[: len(PALETTE)]:
            rules.append({"text": t("analysis.community_n", n=group), "color": PALETTE[group - 1]})
        if len(groups) > len(PALETTE):
            rules.append({"text": t("analysis.other_communities"), "color": OTHER})
    return Styling(sizes=node_sizes, colours=fills, rules=rules, select=select)


def panel(state: MapState, display: Display, shown: set[str] | None) -> None:
    """The switch, and when it is on the settings, "select the top N" and the table of measures.
    A change reruns the page, and the map above takes the new styling."""
    if not st.toggle(t("analysis.title"), key=SWITCH_KEY):
        return
    measures = measures_of(state, shown)
    with st.container(border=True):
        a, b, c, d = st.columns([3, 3, 2, 2], vertical_alignment="bottom")
        names = {m: t(f"analysis.{m}") for m in ("none", *MEASURES)}
        size_by = a.selectbox(t("analysis.size_by"), list(names), format_func=names.__getitem__, key="gb_size_by")
        b.toggle(t("analysis.colour"), key="gb_colour_by_community")
        count = c.number_input(t("analysis.top"), min_value=1, max_value=100, value=5, key="gb_top_n")
        ranked_by = size_by if size_by != "none" else "betweenness"
        if d.button(t("analysis.select_top"), key="gb_select_top_button") and measures.ids:
            st.session_state[SELECT_KEY] = {"token": time.time_ns(), "ids": measures.top(ranked_by, int(count))}
            st.rerun()  # the map above is drawn already: draw it again with the selection
        if measures.ids:
            st.dataframe(_table(measures, state, display, ranked_by), hide_index=True, width="stretch")
            notes = [t("analysis.bridges", n=len(measures.bridges))]
            if not measures.exact:
                notes.append(t("analysis.cutoff", n=f"{EXACT_UP_TO:,}", k=CUTOFF))
            st.caption(" · ".join(notes))


def _table(measures: Measures, state: MapState, display: Display, ranked_by: str) -> pd.DataFrame:
    rows = []
    for row in measures.rows():
        node = state.nodes[str(row["id"])]
        rows.append(
            {
                t("analysis.name"): display.caption(node),
                t("analysis.type"): display.label_name(node.get("label") or ""),
                **{t(f"analysis.{m}"): round(float(row[m]), 4) for m in MEASURES},
                t("analysis.community"): row["community"],
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values(t(f"analysis.{ranked_by}"), ascending=False, kind="stable")
