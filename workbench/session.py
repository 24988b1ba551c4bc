"""Per-session state of the workbench: the map, the entity in view, and moving between pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from graph.errors import GraphError
from workbench import page_switch, resources
from workbench.context import t
from workbench.display import Display, md_escape
from workbench.explorer import Explorer
from workbench.investigator import Investigator
from workbench.map_state import MapState

MAP_KEY = "gb_map"
PROFILE_KEY = "gb_profile_ref"
NOTICES_KEY = "gb_notices"  # notices to show on the next page drawn, as (level, text)


def map_state() -> MapState:
    if MAP_KEY not in st.session_state:
        st.session_state[MAP_KEY] = MapState()
    return st.session_state[MAP_KEY]


def display(investigator: Investigator) -> Display:
    return Display(resources.workspace().schema, investigator)


def explorer(investigator: Investigator) -> Explorer:
    return Explorer(resources.workspace().runner, display(investigator), map_state())


def go(page: str) -> None:
    page_switch.go(page)


PROFILE_INPUT_KEY = "gb_profile_input"


def open_profile(ref: str) -> None:
    st.session_state[PROFILE_KEY] = ref
    # The profile page's box shows PROFILE_KEY when its own state is gone.
    st.session_state.pop(PROFILE_INPUT_KEY, None)
    go("profile")


def notify(level: str, text: str) -> None:
    st.session_state.setdefault(NOTICES_KEY, []).append((level, text))


def say(level: str, text: str) -> None:
    """A message box whose text (often holding data) is shown as typed, never as Markdown."""
    box = getattr(st, level if level in ("info", "success", "warning", "error") else "info")
    box(md_escape(text))


Row = TypeVar("Row")


def listed(read: Callable[[], list[Row]], *, empty: str) -> list[Row]:
    """What `read` lists; an empty list once the page has said why there is nothing to show:
    the database did not answer, or `empty`."""
    try:
        rows = read()
    except GraphError as exc:
        say("error", t("common.db_down", error=exc))
        return []
    if not rows:
        say("info", empty)
    return rows


def show_notices() -> DeltaGenerator:
    """The notices queued for this run, in one container that is there even when empty: what
    follows (the map) keeps its place on the page whether a notice shows or not. Returns the
    container, for notices raised later in the run."""
    box = st.container()
    with box:
        for level, text in st.session_state.pop(NOTICES_KEY, []):
            say(level, text)
    return box
