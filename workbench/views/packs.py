"""Query packs: pick a saved query, fill in its parameters, run it; table, map and downloads.
What did not load (a refused query, a broken pack file) is listed above the picker, as text."""

from __future__ import annotations

import streamlit as st

from access import Permission
from graph.errors import GraphError
from queries.pack_model import PackError
from queries.runner import QueryRefused
from workbench import exports, pack_form, resources, session
from workbench.column_words import column_title
from workbench.context import cut_off, require, t
from workbench.display import Display, md_escape
from workbench.result_map import result_map

RESULT_KEY = "gb_pack_result"


def render() -> None:
    investigator = require(page="packs")
    display = session.display(investigator)
    lang = investigator.lang
    workspace = resources.workspace()
    catalog, runner = workspace.catalog, workspace.runner
    st.title(t("page.packs"))
    session.show_notices()
    if catalog.faults:
        _faults(catalog.faults, display)

    packs = list(catalog.packs)
    left, right = st.columns(2)
    pack_name = left.selectbox(
        t("packs.pack"), packs, format_func=lambda p: f"{catalog.packs[p].names.get(lang)} ({p})", key="gb_pack"
    )
    queries = [q.id for q in catalog.packs[pack_name].queries]
    query_id = right.selectbox(
        t("packs.query"),
        queries,
        format_func=lambda q: (
            catalog.queries[q].names.get(lang) + (f" · {t('packs.alert_rule')}" if catalog.queries[q].alert else "")
        ),
        key="gb_query",
    )
    query = catalog.query(query_id)
    display = display.declaring(query.sensitive)  # its sensitive columns, in the table and the files
    st.caption(md_escape(query.description.get(lang)))
    with st.expander(t("packs.cypher")):
        st.code(query.cypher, language="cypher")

    try:
        params = pack_form.form(query, lang, display, runner, investigator.actor.consulting())
    except GraphError as exc:
        session.say("error", t("common.db_down", error=exc))
        return
    if params is not None:
        try:
            outcome = runner.run(query.id, params, actor=investigator.actor.consulting())
        except (QueryRefused, GraphError) as exc:
            session.say("error", t("common.failed", error=exc))
            st.session_state.pop(RESULT_KEY, None)
            return
        st.session_state[RESULT_KEY] = outcome
    outcome = st.session_state.get(RESULT_KEY)
    if outcome is None or outcome.query_id != query.id:
        return

    st.caption(md_escape(t("common.elapsed", n=len(outcome.rows), ms=outcome.elapsed_ms)))
    if outcome.truncated:
        session.say("warning", cut_off(outcome))
    table = display.frame(outcome.rows, outcome.columns)
    # Files keep the query's names; the table shows the words, or a property's display name.
    table.columns = [column_title(column, lang, workspace.schema) for column in table.columns]
    st.dataframe(table, hide_index=True, width="stretch")
    a, b, c = st.columns(3)
    if investigator.may(Permission.EXPORT):
        a.download_button(
            t("common.download_csv"),
            data=lambda: exports.csv_file(outcome.rows, outcome.columns, display, what=query.id),
            file_name=f"{query.id}.csv",
            mime="text/csv",
            on_click="ignore",
            key="gb_pack_csv",
        )
        b.download_button(
            t("common.download_json"),
            data=lambda: exports.json_file(outcome.rows, display, what=query.id),
            file_name=f"{query.id}.json",
            mime="application/json",
            on_click="ignore",
            key="gb_pack_json",
        )
    if outcome.nodes and query.returns in ("graph", "both"):
        result_map(investigator, display, outcome.nodes, outcome.relationships, key="gb_pack", place=c)


def _faults(faults: tuple[PackError, ...], display: Display) -> None:
    """One row per fault, as text in a table: the file's name (not the server's folders),
    the line, the query and the loader's reason."""
    session.say("warning", t("packs.faults", n=len(faults)))
    with st.expander(t("packs.faults_detail", n=len(faults))):
        rows = [
            {
                t("packs.fault_file"): fault.path.name,
                t("packs.fault_line"): str(fault.line or ""),
                t("packs.fault_query"): fault.query_id or "",
                t("packs.fault_reason"): display.text(fault.reason),
            }
            for fault in faults
        ]
        st.dataframe(rows, hide_index=True, width="stretch", key="gb_pack_faults")
