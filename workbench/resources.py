"""Long-lived objects shared by every page and session of the workbench."""

from __future__ import annotations

import streamlit as st

from graph.gateway import Gateway
from graph.model import Schema, schema_for
from graph.settings import Settings


@st.cache_resource
def gateway() -> Gateway:
    return Gateway.open(Settings.from_env())


@st.cache_resource
def schema() -> Schema:
    return schema_for(Settings.from_env())
