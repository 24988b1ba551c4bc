"""Long-lived objects shared by every page and session of the workbench."""

from __future__ import annotations

import streamlit as st

from access import Sessions
from access.audit.log import AuditLog
from graph.gateway import Gateway
from graph.model import Schema, schema_for
from queries.pack_model import Catalog, load_catalog
from queries.runner import Runner
from settings.table import Settings


@st.cache_resource
def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource
def gateway() -> Gateway:
    return Gateway.open(settings())


@st.cache_resource
def schema() -> Schema:
    return schema_for(settings())


@st.cache_resource
def catalog() -> Catalog:
    return load_catalog(schema(), extra_dir=settings().packs_dir)


@st.cache_resource
def audit() -> AuditLog:
    return AuditLog.from_settings(settings())


@st.cache_resource
def runner() -> Runner:
    return Runner(gateway(), catalog(), schema(), settings(), audit())


@st.cache_resource
def sessions() -> Sessions:
    """Users, sessions and reasons (the access database), writing to the same audit log."""
    return Sessions.from_settings(settings(), audit=audit())
