"""The one workspace every page and session of the workbench shares: settings, gateway,
schema, catalog, audit log, runner and sessions, each built once on first use."""

from __future__ import annotations

import streamlit as st

from queries import event_rules
from workspace import Workspace


@st.cache_resource
def workspace() -> Workspace:
    opened = Workspace.open()
    # Every query run asks whether it has an event-store twin, which reads the event rules'
    # files on first use: read them now, or the first double-click on the map waits 0.25 s.
    event_rules.rules()
    return opened
