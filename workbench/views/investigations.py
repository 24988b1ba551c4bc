"""Investigations (专案): save the current map with notes, reopen one, download its HTML report."""

from __future__ import annotations

import streamlit as st

from access import Permission
from graph.errors import GraphError
from queries import investigations
from workbench import exports, map_analysis, resources, session
from workbench.context import require, t
from workbench.display import md_escape
from workbench.map_state import MapState


def render() -> None:
    investigator = require(page="investigations")
    display = session.display(investigator)
    state = session.map_state()
    workspace = resources.workspace()
    st.title(t("page.investigations"))
    session.show_notices()

    st.subheader(t("inv.save"))
    with st.form("gb_inv_save"):
        title = st.text_input(t("inv.title"), value=state.title, max_chars=120, key="gb_inv_title")
        notes = st.text_area(t("inv.notes"), value=state.notes, key="gb_inv_notes")
        save = st.form_submit_button(t("inv.save"), type="primary")
    if save:
        if not state.nodes:
            st.warning(t("inv.empty_map"))
        else:
            try:
                state.investigation_id = investigations.save(
                    workspace.gateway,
                    workspace.audit,
                    state.to_saved(),
                    title=title,
                    notes=notes,
                    actor=investigator.actor.consulting(),
                    investigation_id=state.investigation_id,
                )
            except GraphError as exc:
                session.say("error", t("common.failed", error=exc))
                return
            state.title, state.notes = title, notes
            session.say("success", t("inv.saved", title=display.text(title or state.investigation_id)))
    if state.nodes and investigator.may(Permission.EXPORT):
        st.download_button(
            t("inv.report"),
            data=lambda: exports.report_file(
                state,
                display,
                title=state.title or t("page.investigations"),
                notes=state.notes,
                investigation_id=state.investigation_id,
            ),
            file_name=f"{state.investigation_id or 'goldenbell'}-report.html",
            mime="text/html",
            on_click="ignore",
            key="gb_inv_report",
        )

    st.subheader(t("inv.list"))
    saved = session.listed(
        lambda: investigations.list_investigations(workspace.gateway, workspace.schema), empty=t("inv.none")
    )
    for item in saved:
        left, right = st.columns([6, 1])
        left.markdown(md_escape(f"{display.text(item['title'])} ({item['id']})"))
        left.caption(
            md_escape(
                t(
                    "inv.meta",
                    owner=item["owner"],
                    case_ref=item["case_ref"],
                    updated=item["updated_at"],
                    n=item["node_count"],
                )
            )
        )
        if right.button(t("inv.open"), key=f"gb_inv_open_{item['id']}"):
            _open(item["id"], investigator, display)


def _open(investigation_id: str, investigator, display) -> None:
    workspace = resources.workspace()
    found = investigations.get(workspace.gateway, workspace.schema, investigation_id)
    if found is None:
        return
    graph, missing = investigations.read_map(workspace.gateway, workspace.schema, found.saved)
    investigations.record_open(workspace.audit, found, actor=investigator.actor.consulting())
    state = MapState.from_saved(found.saved, graph.nodes, graph.relationships)
    state.investigation_id, state.title, state.notes = found.id, found.title, found.notes
    st.session_state[session.MAP_KEY] = state
    map_analysis.follow(state)  # the analysis panel shows the style the map was saved with
    session.notify("success", t("inv.opened", title=display.text(found.title), n=len(state.nodes)))
    if missing:
        session.notify("warning", t("inv.missing", n=len(missing)))
    session.go("explorer")
