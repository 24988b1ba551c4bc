"""Cypher console: read-only queries, results as a table and a map."""

from __future__ import annotations

import streamlit as st

from graph.errors import CypherSyntaxError, GraphError
from queries.console import run_console
from queries.readonly import NotReadOnly
from workbench import exports, resources, session
from workbench.access import Permission
from workbench.canvas import canvas
from workbench.context import require, t
from workbench.display import md_escape
from workbench.map_state import MapState

RESULT_KEY = "gb_console_result"


def render() -> None:
    investigator = require(Permission.CONSOLE, page="console")
    display = session.display(investigator)
    st.title(t("page.console"))
    with st.form("gb_console"):
        cypher = st.text_area(
            t("console.cypher"),
            value="MATCH (p:Person)-[r:OWNS]->(v:Vehicle) RETURN p, r, v LIMIT 25",
            height=140,
            key="gb_cypher",
        )
        sent = st.form_submit_button(t("console.run"), type="primary")
    if sent:
        try:
            st.session_state[RESULT_KEY] = run_console(
                resources.gateway(),
                resources.schema(),
                resources.settings(),
                resources.audit(),
                cypher,
                **investigator.audit_fields(),
            )
        except NotReadOnly as exc:
            st.session_state.pop(RESULT_KEY, None)
            session.say("error", t("console.readonly", error=exc.reason))
        except CypherSyntaxError as exc:
            st.session_state.pop(RESULT_KEY, None)
            session.say("error", t("console.syntax", error=exc))
        except GraphError as exc:
            st.session_state.pop(RESULT_KEY, None)
            session.say("error", t("common.failed", error=exc))
    outcome = st.session_state.get(RESULT_KEY)
    if outcome is None:
        return
    st.caption(md_escape(t("common.elapsed", n=len(outcome.rows), ms=outcome.elapsed_ms)))
    if outcome.truncated:
        session.say("warning", t("common.truncated", cap=outcome.row_cap))
    st.dataframe(display.frame(outcome.rows, outcome.columns), hide_index=True, width="stretch")
    if investigator.may(Permission.EXPORT):
        st.download_button(
            t("common.download_csv"),
            data=lambda: exports.csv_file(outcome.rows, outcome.columns, display, what="console"),
            file_name="console.csv",
            mime="text/csv",
            on_click="ignore",
            key="gb_console_csv",
        )
    if outcome.nodes:
        if st.button(t("common.open_in_explorer"), key="gb_console_to_map"):
            notice = session.explorer(investigator).load(outcome.nodes, outcome.relationships)
            if notice is not None:
                session.notify(notice.level, notice.text)
            session.go("explorer")
        cap = resources.settings().map_node_cap
        if len(outcome.nodes) > cap:
            session.say("warning", t("explorer.over_cap", n=len(outcome.nodes), cap=cap))
        preview = MapState()
        preview.merge(outcome.nodes[:cap], outcome.relationships)
        canvas(preview, display, key="gb_console_canvas", interactive=False, height=480)
