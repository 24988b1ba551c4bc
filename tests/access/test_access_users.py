"""The user store: server-side, owner-only, hashed passwords, every change audited."""

from __future__ import annotations

import sqlite3

import pytest

from access.actor import Actor
from access.audit.log import AuditLog
from access.errors import AccessDenied, PasswordRejected, UserError
from access.users import UserStore
from tests.access.conftest import PASSWORD, actions


def test_users_are_listed_with_their_roles(users):
    assert [(u.name, u.role, u.disabled) for u in users.list()] == [
        ("adm", "admin", False),
        ("ana", "analyst", False),
        ("aud", "auditor", False),
        ("sup", "supervisor", False),
    ]


def test_the_database_is_owner_only_and_holds_no_plain_password(users, audit):
    assert (users.path.stat().st_mode & 0o777) == 0o600
    assert PASSWORD.encode() not in users.path.read_bytes()
    assert PASSWORD not in audit.path.read_text(encoding="utf-8")
    with sqlite3.connect(users.path) as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM users")]
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_each_change_is_audited_with_who_made_it(users, audit, operator):
    users.set_role("ana", "supervisor", by=operator)
    users.disable("ana", by=operator)
    users.enable("ana", by=operator)
    users.reset_password("ana", "Another-Passphrase-7", by=operator)
    entries = list(audit.events())[4:]
    assert [(e["user"], e["role"], e["action"]) for e in entries] == [
        ("root", "operator", "user.set_role"),
        ("root", "operator", "user.disable"),
        ("root", "operator", "user.enable"),
        ("root", "operator", "user.reset_password"),
    ]
    assert entries[0]["parameters"] == {"target": "ana", "role": "supervisor", "from": "analyst"}
    assert entries[0]["reason"] == "" and all(e["outcome"] == "ok" for e in entries)
    assert "Another-Passphrase-7" not in audit.path.read_text(encoding="utf-8")
    assert users.get("ana").role == "supervisor"


def test_refusals_are_audited_too(users, audit, operator):
    with pytest.raises(UserError, match="exists already"):
        users.add("ana", "analyst", PASSWORD, by=operator)
    with pytest.raises(UserError, match="unknown role"):
        users.set_role("ana", "superuser", by=operator)
    with pytest.raises(PasswordRejected):
        users.reset_password("ana", "short", by=operator)
    with pytest.raises(UserError, match="no user"):
        users.disable("nobody", by=operator)
    with pytest.raises(UserError, match="user name"):
        users.add("Bad Name!", "analyst", PASSWORD, by=operator)
    assert [a for a in actions(audit)[4:]] == [
        ("root", "user.add", "refused"),
        ("root", "user.set_role", "refused"),
        ("root", "user.reset_password", "refused"),
        ("root", "user.disable", "refused"),
        ("root", "user.add", "refused"),
    ]


def test_only_roles_that_manage_users_may(users, audit):
    analyst = Actor("ana", "analyst", session="s1")
    with pytest.raises(AccessDenied, match="managing users"):
        users.set_role("ana", "supervisor", by=analyst)
    assert actions(audit)[-1] == ("ana", "user.set_role", "refused")
    assert users.get("ana").role == "analyst"
    users.set_role("sup", "analyst", by=Actor("adm", "admin", session="s2"))
    assert users.get("sup").role == "analyst"


def test_the_last_admin_stays(users, operator):
    with pytest.raises(UserError, match="last active admin"):
        users.disable("adm", by=operator)
    with pytest.raises(UserError, match="last active admin"):
        users.set_role("adm", "analyst", by=operator)
    users.add("adm2", "admin", PASSWORD, by=operator)
    users.disable("adm", by=operator)
    assert users.get("adm").disabled


def test_names_are_case_insensitive(users):
    assert users.get("  ANA ").name == "ana"


def test_a_change_that_cannot_be_audited_does_not_happen(tmp_path, passwords, operator):
    store = UserStore(tmp_path / "access.db", AuditLog(tmp_path), passwords)  # a folder: appending fails
    with pytest.raises(OSError):
        store.add("ana", "analyst", PASSWORD, by=operator)
    assert store.get("ana") is None
