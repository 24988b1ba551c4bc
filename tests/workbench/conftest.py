"""Fixtures for the workbench: the app pointed at the test Neo4j, with its own audit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.settings import PROJECT_ROOT

APP = str(PROJECT_ROOT / "workbench" / "app.py")
PURPOSE = {"case_ref": "JX-2025-0142", "reason": "fugitive_search"}


@pytest.fixture
def audit_path(tmp_path) -> Path:
    return tmp_path / "audit.jsonl"


@pytest.fixture
def app_env(neo4j_env, monkeypatch, audit_path):
    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GOLDENBELL_AUDIT_LOG", str(audit_path))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def audit_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def workbench(*, role: str | None = None, purpose: dict | None = PURPOSE) -> AppTest:
    """The whole app (navigation and all), past the reason gate unless `purpose` is None."""
    at = AppTest.from_file(APP, default_timeout=60)
    if purpose is not None:
        at.session_state["gb_purpose"] = dict(purpose)
    if role is not None:
        at.session_state["gb_role"] = role
    return at


def one_page(name: str, *, role: str | None = None) -> AppTest:
    """One page's render function alone, past the reason gate."""
    at = AppTest.from_function(_run_page, args=(name,), default_timeout=60)
    at.session_state["gb_purpose"] = dict(PURPOSE)
    if role is not None:
        at.session_state["gb_role"] = role
    return at


def _run_page(name: str) -> None:
    from workbench.navigation import PAGES

    PAGES[name][0]()
