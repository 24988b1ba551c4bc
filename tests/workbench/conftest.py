"""Fixtures for the workbench: the app pointed at the test Neo4j, with its own audit log and
access database holding one user per role (synthetic password, for these tests only)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher, profiles
from streamlit.testing.v1 import AppTest

from access import Session, Sessions
from access.actor import Actor
from access.audit.log import AuditLog
from access.passwords import Passwords
from access.roles import may
from access.users import UserStore
from events.store import EventStore
from ingest.passages.run import graph_places, import_passages
from settings.table import PROJECT_ROOT, Settings
from tests.geo_graph import passage_files, seed_places
from workbench.navigation import PAGES

APP = str(PROJECT_ROOT / "workbench" / "app.py")
PASSWORD = "Synthetic-Test-Only-42"
USERS = {"ana": "analyst", "sup": "supervisor", "aud": "auditor", "adm": "admin"}
PURPOSE = {"case_ref": "JX-2025-0142", "reason": "fugitive_search"}
# A reason each role may give (an auditor reviews, an administrator checks data).
REASON_OF = {
    "analyst": "fugitive_search",
    "supervisor": "fugitive_search",
    "auditor": "audit_review",
    "admin": "data_quality",
}
CHEAP = Passwords(PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def stored_city(app_env, neo4j_env, empty_graph, schema, tmp_path):
    """The small city of tests/geo_graph.py with its passages in the event store (`goldenbell
    events import`: SEEN_AT links, no Passage nodes). The store the app opens is the one
    under the test server's home, emptied again after the test."""
    seed_places(empty_graph)
    store = EventStore.under(Settings.from_env(neo4j_env).home)
    shutil.rmtree(store.root, ignore_errors=True)
    import_passages(
        passage_files(tmp_path),
        schema=schema,
        store=store,
        known_places=graph_places(empty_graph),
        rejects_path=tmp_path / "rejects.csv",
        gateway=empty_graph,
    )
    yield empty_graph
    shutil.rmtree(store.root, ignore_errors=True)


@pytest.fixture
def audit_path(tmp_path) -> Path:
    return tmp_path / "audit.jsonl"


@pytest.fixture
def access_path(tmp_path) -> Path:
    return tmp_path / "access.db"


@pytest.fixture
def app_env(neo4j_env, monkeypatch, audit_path, access_path):
    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GOLDENBELL_AUDIT_LOG", str(audit_path))
    monkeypatch.setenv("GOLDENBELL_ACCESS_DB", str(access_path))
    st.cache_resource.clear()
    store = UserStore(access_path, AuditLog(audit_path), CHEAP)
    for name, role in USERS.items():
        store.add(name, role, PASSWORD, by=Actor.cli("test"))
    yield
    st.cache_resource.clear()


def audit_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sessions() -> Sessions:
    """The app's access database and audit log (from the environment app_env set)."""
    return Sessions.from_settings(Settings.from_env(), passwords=CHEAP)


def sign_in(at: AppTest, user: str = "ana", purpose: dict | None = PURPOSE) -> Session:
    """Sign `user` in on the server and hand the tab its token, as the login form does;
    with `purpose`, past the reason gate too."""
    found = sessions()
    session = found.authenticate(user, PASSWORD)
    if purpose is not None:
        reason = purpose["reason"] if USERS[user] in ("analyst", "supervisor") else REASON_OF[USERS[user]]
        session = found.set_reason(session.token, purpose["case_ref"], reason)
    at.session_state["gb_token"] = session.token
    return session


def workbench(*, user: str | None = "ana", purpose: dict | None = PURPOSE) -> AppTest:
    """The whole app (navigation and all), signed in as `user` (None: nobody) and past the
    reason gate unless `purpose` is None."""
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        sign_in(at, user, purpose)
    return at


def user_for(page: str) -> str:
    """The first test user whose role may open `page`."""
    permission = PAGES[page][2]
    return next(name for name, role in USERS.items() if permission is None or may(role, permission))


def one_page(name: str, *, user: str | None = None, purpose: dict | None = PURPOSE) -> AppTest:
    """One page's render function alone, signed in (by default as a user who may open it)."""
    at = AppTest.from_function(_run_page, args=(name,), default_timeout=60)
    sign_in(at, user or user_for(name), purpose)
    return at


def _run_page(name: str) -> None:
    from workbench.navigation import PAGES

    PAGES[name][0]()
