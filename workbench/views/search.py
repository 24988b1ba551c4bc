"""Search: one box over names, ID numbers, plates, phones and addresses; hits grouped by type."""

from __future__ import annotations

import streamlit as st

from graph.errors import GraphError
from queries import page_queries
from queries.runner import QueryRefused
from workbench import resources, session
from workbench.context import require, t
from workbench.display import Display, md_escape

RESULTS_KEY = "gb_search_results"
WANTED = "在逃人员"  # the watch-list kind a hit names first
LICENCE = {"暂扣": "suspended", "吊销": "revoked"}


def render() -> None:
    investigator = require(page="search")
    display = session.display(investigator)
    st.title(t("page.search"))
    session.show_notices()
    workspace = resources.workspace()
    schema = workspace.schema
    with st.form("gb_search"):
        text = st.text_input(t("search.box"), key="gb_search_text", max_chars=100)
        labels = st.multiselect(
            t("search.types"),
            list(schema.fulltext.labels),
            format_func=display.label_name,
            placeholder=t("search.types_all"),
            key="gb_search_labels",
        )
        submitted = st.form_submit_button(t("search.button"), type="primary")
    if submitted and text.strip():
        try:
            outcome = workspace.runner.run(
                page_queries.SEARCH,
                {"text": text, "labels": labels, "limit": 60},
                actor=investigator.actor.consulting(),
                action="search",
            )
        except (QueryRefused, GraphError) as exc:
            session.say("error", t("common.failed", error=exc))
            return
        st.session_state[RESULTS_KEY] = {
            "text": text,
            "nodes": outcome.nodes,
            "total": outcome.rows[0]["total"] if outcome.rows else 0,
            "more": bool(outcome.rows and outcome.rows[0].get("more")),  # the total is a floor
            "flags": {row["entity"]: flags(row) for row in outcome.rows},
        }
    results = st.session_state.get(RESULTS_KEY)
    if not results:
        return
    if not results["nodes"]:
        session.say("info", t("search.no_hits", text=display.text(results["text"])))
        return
    shown, total = len(results["nodes"]), results.get("total", 0)
    said = "search.hits_more" if results.get("more") else "search.hits_cut" if total > shown else "search.hits"
    st.caption(md_escape(t(said, n=shown, total=f"{total:,}")))
    groups: dict[str, list[dict]] = {}
    for node in results["nodes"]:
        groups.setdefault(node["label"], []).append(node)
    state = session.map_state()
    for label, nodes in sorted(groups.items(), key=lambda item: -len(item[1])):
        st.subheader(md_escape(f"{display.label_name(label)} ({len(nodes)})"))
        for node in nodes:
            left, middle, right = st.columns([6, 1, 1])
            left.text("  ·  ".join([display.caption(node), display.text(node["ref"]), *_details(node, display)]))
            if results["flags"].get(node["ref"]):
                left.caption(md_escape("  ·  ".join(results["flags"][node["ref"]])))
            if middle.button(t("common.open_profile"), key=f"gb_profile_{node['id']}"):
                session.open_profile(node["ref"])
            on_map = node["id"] in state.nodes
            if right.button(t("common.add_to_map"), key=f"gb_add_{node['id']}", disabled=on_map):
                notice = session.explorer(investigator).load([node], [])
                if notice is not None:
                    session.notify(notice.level, notice.text)
                st.rerun()


def _details(node: dict, display: Display) -> list[str]:
    """What tells two hits of the same name apart: the first two of the label's own properties
    after its key and caption (a person's gender and birth date, a vehicle's types), masked."""
    spec = resources.workspace().schema.nodes.get(node["label"])
    if spec is None:
        return []
    shown = display.properties([node["label"]], node.get("properties") or {}, node.get("ref"))
    names = [name for name in spec.properties if name not in (spec.key, spec.caption)]
    return [str(shown[name]) for name in names if shown.get(name) not in (None, "")][:2]


def flags(row: dict) -> list[str]:
    """What must catch the eye on a hit: the watch lists it is on (wanted first), a suspended
    or revoked licence, and alerts still open."""
    lists = sorted(row.get("lists") or (), key=lambda kind: kind != WANTED)
    out = [t("search.flag_wanted") if kind == WANTED else t("search.flag_list", kind=kind) for kind in lists]
    if row.get("listed") and not lists:
        out.append(t("search.listed"))
    for status in row.get("licence") or ():
        out.append(t(f"search.flag_licence_{LICENCE.get(status, 'other')}", status=status))
    if row.get("open_alerts"):
        out.append(t("search.flag_alerts", n=row["open_alerts"]))
    return out
