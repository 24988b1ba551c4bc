"""Link explorer: the relationship map — expand from the map, filter, find paths, pin, remove,
and measure the map's network.

Everything below the title is one fragment (`st.fragment`): a gesture on the canvas, a path
search or a change to the analysis reruns only the map's part of the page, so the page
neither redraws nor jumps. The sidebar's filters are outside it and rerun the whole page,
which hands the fragment the new filters.

When passages live in the event store, a seen-at link opened lists its passages in a table
under the map (kept until another is opened or the link leaves the map).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from access import Permission
from workbench import exports, map_analysis, resources, session
from workbench.canvas import canvas
from workbench.context import require, rerun_part, still_acting, t
from workbench.display import md_escape
from workbench.explorer import Filters
from workbench.seen_links import edge_id, passage_table

CANVAS_KEY = "gb_canvas"
SEEN_KEY = "gb_seen_passages"  # the passages of the seen-at link last opened from the event store


def _filters(display) -> Filters:
    schema = resources.workspace().schema
    with st.sidebar:
        hops = st.select_slider(t("explorer.hops"), options=[1, 2, 3], value=1, key="gb_hops")
        types = st.multiselect(
            t("explorer.types"),
            list(schema.relationships),
            format_func=display.type_name,
            key="gb_types",
            placeholder=t("common.choose"),
        )
        since = st.date_input(t("explorer.since"), value=None, key="gb_since")
        until = st.date_input(t("explorer.until"), value=None, key="gb_until")
    return Filters(hops=hops, types=tuple(types), since=since, until=until)


def render() -> None:
    investigator = require(page="explorer")
    filters = _filters(session.display(investigator))
    st.title(t("page.explorer"))
    _map_part(investigator, filters)


@st.fragment
def _map_part(investigator, filters: Filters) -> None:
    investigator = still_acting(investigator)
    display = session.display(investigator)
    state = session.map_state()
    explorer = session.explorer(investigator)
    outcome = explorer.handle(st.session_state.get(CANVAS_KEY), filters)
    if outcome.passages is not None:
        st.session_state[SEEN_KEY] = outcome.passages
    for notice in outcome.notices:
        session.notify(notice.level, notice.text)
    if outcome.open_profile:
        session.open_profile(outcome.open_profile)
    notices = session.show_notices()

    with st.form("gb_add_entity", clear_on_submit=True):
        a, b = st.columns([5, 1], vertical_alignment="bottom")
        typed = a.text_input(t("explorer.add"), key="gb_add_ref")
        if b.form_submit_button(t("explorer.add_button")) and typed.strip():
            notice = explorer.add(typed.strip())
            session.say(notice.level, notice.text)

    if not state.nodes:
        st.info(t("explorer.empty"))
        return

    names = {node_id: display.caption(node) for node_id, node in state.nodes.items()}
    options = sorted(names, key=lambda node_id: names[node_id])
    _follow_menu_ends(state, options)
    cols = st.columns([3, 3, 1, 2], vertical_alignment="bottom")
    ends = (
        (cols[0], "explorer.path_start", state.path_start, "gb_ps"),
        (cols[1], "explorer.path_end", state.path_end, "gb_pe"),
    )
    start, end = (
        column.selectbox(
            t(label),
            options,
            index=_index(options, current),
            format_func=names.get,
            key=key,
            placeholder=t("common.choose"),
        )
        for column, label, current, key in ends
    )
    max_hops = cols[2].number_input(t("explorer.max_hops"), 1, 6, 4, key="gb_max_hops")
    if cols[3].button(t("explorer.find_path"), type="primary", key="gb_find_path"):
        if start:
            state.set_path_end("start", start)
        if end:
            state.set_path_end("end", end)
        notice = explorer.find_paths(int(max_hops), filters)
        with notices:  # above the map: the map keeps its place, and its frame
            session.say(notice.level, notice.text)

    since, until = filters.window()
    shown = state.visible(filters.types, since, until)
    st.caption(md_escape(_stats(state, shown)) + " · " + md_escape(t("explorer.help")))
    canvas(state, display, key=CANVAS_KEY, shown=shown, styling=map_analysis.styling(state, shown, display.schema))
    _opened_passages(state, display)
    map_analysis.panel(state, display, shown)

    a, b = st.columns(2)
    if a.button(t("explorer.clear"), key="gb_clear"):
        state.clear(keep_pinned=True)
        if state.pinned:
            session.notify("info", t("explorer.cleared_kept", n=len(state.pinned)))
        rerun_part()
    if investigator.may(Permission.EXPORT):
        b.download_button(
            t("explorer.export"),
            # Built (and recorded) only when the file is asked for, not on every rerun.
            data=lambda: exports.map_file(state, display, shown, title=t("page.explorer")),
            file_name="goldenbell-map.html",
            mime="text/html",
            key="gb_export_map",
            on_click="ignore",
        )
        for fmt, name, mime in (
            ("graphml", "goldenbell-map.graphml", "application/graphml+xml"),
            ("ftm", "goldenbell-map.ftm.jsonl", "application/json-lines"),
        ):
            b.download_button(
                t(f"explorer.export_{fmt}"),
                data=partial(exports.graph_file, state, display, shown, fmt=fmt, title=t("page.explorer")),
                file_name=name,
                mime=mime,
                key=f"gb_export_{fmt}",
                on_click="ignore",
            )


def _opened_passages(state, display) -> None:
    """The passages of the seen-at link last opened from the event store, while it is on the map."""
    found = st.session_state.get(SEEN_KEY)
    if found is None:
        return
    vehicle, place = state.by_ref(found.vehicle), state.by_ref(found.place)
    link = state.edges.get(edge_id(vehicle, place)) if vehicle and place else None
    if link is None:  # removed, or the map cleared: its passages go with it
        st.session_state.pop(SEEN_KEY, None)
        return
    if not found.rows:
        return
    names = {"vehicle": display.caption(state.nodes[vehicle]), "place": display.caption(state.nodes[place])}
    words = "seen.opened" if found.total <= len(found.rows) else "seen.opened_cut"
    count = link["properties"]["count"]
    st.caption(md_escape(t(words, **names, total=found.total, n=len(found.rows), count=count)))
    st.dataframe(passage_table(found.rows, names["place"], display), hide_index=True, width="stretch")


ENDS_SEEN_KEY = "gb_path_ends_seen"


def _follow_menu_ends(state, options: list[str]) -> None:
    """Path ends set from the map's menu show in the path boxes; a box whose node left the
    map is emptied. The boxes keep their own value otherwise (Streamlit owns a keyed widget)."""
    ends = (state.path_start, state.path_end)
    if st.session_state.get(ENDS_SEEN_KEY) != ends:
        st.session_state["gb_ps"], st.session_state["gb_pe"] = ends
        st.session_state[ENDS_SEEN_KEY] = ends
    for key in ("gb_ps", "gb_pe"):
        if st.session_state.get(key) not in (None, *options):
            st.session_state[key] = None


def _stats(state, shown: set[str]) -> str:
    """What the map holds, counted as the filters leave it when they hide anything."""
    nodes, rels = len(shown & state.nodes.keys()), len(shown & state.edges.keys())
    if (nodes, rels) == (len(state.nodes), len(state.edges)):
        return t("explorer.stats", nodes=nodes, rels=rels, pinned=len(state.pinned))
    return t(
        "explorer.filtered",
        nodes=nodes,
        all_nodes=len(state.nodes),
        rels=rels,
        all_rels=len(state.edges),
        pinned=len(state.pinned),
    )


def _index(options: list[str], value: str | None) -> int | None:
    return options.index(value) if value in options else None
