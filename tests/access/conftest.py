"""Fixtures for access control: a user store and sessions in a temporary folder, a cheap
argon2 profile so tests do not spend seconds hashing, and a clock the tests move."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles

from access.actor import Actor
from access.audit.log import AuditLog
from access.passwords import Passwords
from access.sessions import Sessions
from access.users import UserStore

PASSWORD = "Correct-Horse-Battery-42"


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def passwords() -> Passwords:
    return Passwords(PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def operator() -> Actor:
    return Actor.cli("root")


@pytest.fixture
def users(tmp_path, audit, passwords, operator) -> UserStore:
    store = UserStore(tmp_path / "access.db", audit, passwords)
    for name, role in (("ana", "analyst"), ("sup", "supervisor"), ("aud", "auditor"), ("adm", "admin")):
        store.add(name, role, PASSWORD, by=operator)
    return store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sessions(users, clock) -> Sessions:
    return Sessions(
        users, idle_seconds=30 * 60, lifetime_seconds=12 * 3600, attempts=3, lockout_seconds=600, clock=clock
    )


def actions(audit: AuditLog) -> list[tuple[str, str, str]]:
    """(user, action, outcome) of every entry, oldest first."""
    return [(e["user"], e["action"], e["outcome"]) for e in audit.events()]
