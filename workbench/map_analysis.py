"""The link explorer's network analysis and styling: measures of the map's graph as a table,
a measure or a number property as node size, communities or a property's values as fills,
and "select the top N" on the map. The rules themselves are `workbench.map_styles` (the
report draws them too); this module is the panel that chooses them.

What the analyst chose is kept in `MapState.style` (the map's one owner, saved with an
investigation); the panel's widgets follow it when an investigation is opened. Measures are
worked out once per map version and filter (`workbench.map_measures`), kept in the session,
so a rerun that changes nothing on the map costs nothing here.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from workbench.context import lang, rerun_part, t
from workbench.display import Display
from workbench.map_measures import CUTOFF, EXACT_UP_TO, MEASURES, Measures, measure
from workbench.map_state import MapState
from workbench.map_styles import CATEGORICAL, NUMERIC, Styling, option_name, property_options, style_of

CACHE_KEY = "gb_measures"
SELECT_KEY = "gb_select_top"
SWITCH_KEY = "gb_analysis"
SIZE_KEY = "gb_size_by"
COLOUR_KEY = "gb_colour_by"


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


def follow(state: MapState) -> None:
    """The panel's widgets show the map's style (an investigation just opened brings its own)."""
    st.session_state[SWITCH_KEY] = bool(state.style)
    st.session_state[SIZE_KEY] = state.style.get("size_by") or "none"
    st.session_state[COLOUR_KEY] = state.style.get("colour_by") or "none"


def styling(state: MapState, shown: set[str] | None, schema) -> Styling:
    """What the panel's settings ask of the map, drawn before the panel itself (which stands
    below the map), and kept as the map's style. Off, the map is not measured."""
    if SWITCH_KEY not in st.session_state:
        # Streamlit forgets a widget's value on a page that does not draw it: back from
        # another page, the widgets take the map's style again.
        follow(state)
    if st.session_state.get(SWITCH_KEY):
        state.style = {
            "size_by": st.session_state.get(SIZE_KEY) or "none",
            "colour_by": st.session_state.get(COLOUR_KEY) or "none",
        }
    else:
        state.style = {}
    return style_of(
        state, shown, schema, lang(), lambda: measures_of(state, shown), select=st.session_state.get(SELECT_KEY)
    )


def panel(state: MapState, display: Display, shown: set[str] | None) -> None:
    """The switch, and when it is on the settings, "select the top N" and the table of measures.
    A change reruns the map, and the map takes the new styling."""
    if not st.toggle(t("analysis.title"), key=SWITCH_KEY):
        return
    schema = display.schema
    measures = measures_of(state, shown)
    with st.container(border=True):
        a, b, c, d = st.columns([3, 3, 2, 2], vertical_alignment="bottom")
        name = lambda option: option_name(schema, option, display.lang)  # noqa: E731
        size_options = ["none", *MEASURES, *property_options(schema, state, NUMERIC)]
        colour_options = ["none", "community", *property_options(schema, state, CATEGORICAL)]
        for key, options in ((SIZE_KEY, size_options), (COLOUR_KEY, colour_options)):
            if st.session_state.get(key) not in options:
                st.session_state[key] = "none"  # a property of a label no longer on the map
        size_by = a.selectbox(t("analysis.size_by"), size_options, format_func=name, key=SIZE_KEY)
        b.selectbox(t("analysis.colour_by"), colour_options, format_func=name, key=COLOUR_KEY)
        count = c.number_input(t("analysis.top"), min_value=1, max_value=100, value=5, key="gb_top_n")
        ranked_by = size_by if size_by in MEASURES else "betweenness"
        if d.button(t("analysis.select_top"), key="gb_select_top_button") and measures.ids:
            st.session_state[SELECT_KEY] = {"token": time.time_ns(), "ids": measures.top(ranked_by, int(count))}
            rerun_part()  # the map above is drawn already: draw it again with the selection
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
