"""Map: checkpoints, gates, compounds and addresses, sized by their passages, on plain ground.

No map tiles: the points are drawn in a Mercator projection of their coordinates, so the
page works on a network without internet. A plate draws its trajectory over them.
"""

from __future__ import annotations

import streamlit as st

from graph.errors import GraphError
from queries import page_queries
from queries.geo import places, point_labels
from queries.runner import QueryRefused
from workbench import charts, resources, session
from workbench.context import require, t
from workbench.display import md_escape


def render() -> None:
    investigator = require(page="map")
    display = session.display(investigator)
    workspace = resources.workspace()
    schema = workspace.schema
    st.title(t("page.geo"))
    labels = list(point_labels(schema))
    chosen = st.multiselect(
        t("geo.kinds"),
        labels,
        placeholder=t("common.choose"),
        default=[label for label in labels if label != "Address"],
        format_func=display.label_name,
        key="gb_geo_labels",
    )
    plate = st.text_input(t("geo.plate"), key="gb_geo_plate", max_chars=12)
    try:
        rows = places(workspace.gateway, schema, workspace.audit, chosen, actor=investigator.actor.consulting())
    except GraphError as exc:
        session.say("error", t("common.db_down", error=exc))
        return
    trajectory = []
    if plate.strip():
        try:
            outcome = workspace.runner.run(
                page_queries.TRAJECTORY, {"plate": plate}, actor=investigator.actor.consulting()
            )
        except (QueryRefused, GraphError) as exc:
            session.say("error", t("common.failed", error=exc))
        else:
            trajectory = [
                {"step": i, "time": row["time"], "place": display.text(row["place"]), **row["location"]}
                for i, row in enumerate(outcome.rows)
                if isinstance(row.get("location"), dict)
            ]
    if not rows:
        st.info(t("geo.none"))
        return
    shown = [
        {**display.rows([row])[0], "kind": display.label_name(row["label"]), "name": display.text(row["name"])}
        for row in rows
    ]
    st.caption(md_escape(t("geo.points", n=len(shown))))
    st.altair_chart(charts.places(shown, investigator.lang, trajectory=trajectory), width="stretch")
