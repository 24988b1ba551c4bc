"""The one workspace every page and session of the workbench shares: settings, gateway,
schema, catalog, audit log, runner and sessions, each built once on first use."""

from __future__ import annotations

import streamlit as st

from workspace import Workspace


@st.cache_resource
def workspace() -> Workspace:
    return Workspace.open()
