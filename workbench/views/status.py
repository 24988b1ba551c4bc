"""Live database status: version, address and counts per label and type."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.admin import database_status
from graph.errors import GraphError
from workbench import resources


def render() -> None:
    st.title("金钟罩 goldenbell")
    try:
        status = database_status(resources.gateway(), resources.schema())
    except GraphError as exc:
        st.error(f"数据库不可用 · Database unavailable: {exc}")
        return
    st.caption(f"Neo4j {status.version} ({status.edition}) · {status.uri} · {status.database}")
    left, right = st.columns(2)
    left.metric("节点 Nodes", f"{status.nodes:,}")
    right.metric("关系 Relationships", f"{status.relationships:,}")
    schema = resources.schema()
    left.dataframe(
        pd.DataFrame(
            [
                {"标签 Label": f"{label} · {schema.nodes[label].names.zh}", "数量 Count": n}
                for label, n in status.labels.items()
            ]
        ),
        hide_index=True,
        use_container_width=True,
    )
    right.dataframe(
        pd.DataFrame(
            [
                {"关系 Type": f"{t} · {schema.relationships[t].names.zh}", "数量 Count": n}
                for t, n in status.relationship_types.items()
            ]
        ),
        hide_index=True,
        use_container_width=True,
    )
