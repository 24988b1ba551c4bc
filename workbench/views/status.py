"""Live database status: version, address and counts per label and type."""

from __future__ import annotations

import streamlit as st

from graph.admin import database_status
from graph.errors import GraphError
from workbench import resources, session
from workbench.context import require, t
from workbench.display import md_escape


def render() -> None:
    investigator = require(None, page="status")
    display = session.display(investigator)
    st.title("金钟罩 goldenbell")
    try:
        workspace = resources.workspace()
        status = database_status(workspace.gateway, workspace.schema)
    except GraphError as exc:
        session.say("error", t("common.db_down", error=exc))
        return
    st.caption(md_escape(f"Neo4j {status.version} ({status.edition}) · {status.uri} · {status.database}"))
    left, right = st.columns(2)
    left.metric("节点 Nodes", f"{status.nodes:,}")
    right.metric("关系 Relationships", f"{status.relationships:,}")
    for column, heading, counts, name_of in (
        (left, "标签 Label", status.labels, display.label_name),
        (right, "关系 Type", status.relationship_types, display.type_name),
    ):
        rows = [{heading: f"{key} · {name_of(key)}", "数量 Count": n} for key, n in counts.items()]
        column.dataframe(display.frame(rows), hide_index=True, width="stretch")
