"""The map under a query's results (packs and console): a preview, and a button that takes
the nodes into the link explorer."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench import resources, session
from workbench.canvas import canvas
from workbench.context import t
from workbench.display import Display
from workbench.investigator import Investigator
from workbench.map_state import MapState


def result_map(
    investigator: Investigator,
    display: Display,
    nodes: list[dict[str, Any]],
    relationships: list[dict[str, Any]],
    *,
    key: str,
    place: Any = st,
) -> None:
    """Draw at most the map cap of `nodes` (saying so when there were more); `place` is where
    the button goes (a column, or the page)."""
    if place.button(t("common.open_in_explorer"), key=f"{key}_to_map"):
        notice = session.explorer(investigator).load(nodes, relationships)
        if notice is not None:
            session.notify(notice.level, notice.text)
        session.go("explorer")
    cap = resources.workspace().settings.map_node_cap
    if len(nodes) > cap:
        session.say("warning", t("explorer.over_cap", n=len(nodes), cap=cap))
    preview = MapState()
    preview.merge(nodes[:cap], relationships)
    canvas(preview, display, key=f"{key}_canvas", interactive=False, height=480)
