"""Cypher console: read-only queries, results as a table and a map."""

from __future__ import annotations

import streamlit as st

from access import Permission
from graph.errors import CypherSyntaxError, GraphError
from queries.console import CypherTooLong, run_console
from queries.readonly import NotReadOnly
from workbench import exports, resources, session
from workbench.context import cut_off, require, t
from workbench.display import md_escape
from workbench.result_map import result_map

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
                resources.workspace().runner, cypher, actor=investigator.actor.consulting()
            )
        except CypherTooLong as exc:
            st.session_state.pop(RESULT_KEY, None)
            session.say("error", t("console.too_long", length=exc.length, limit=exc.limit))
        except NotReadOnly as exc:
            st.session_state.pop(RESULT_KEY, None)
            faults = "; " if investigator.lang == "en" else "；"
            error = faults.join(t(f"readonly.{f.code}", detail=f.detail) for f in exc.faults)
            session.say("error", t("console.readonly", error=error))
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
        session.say("warning", cut_off(outcome))
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
        result_map(investigator, display, outcome.nodes, outcome.relationships, key="gb_console")
