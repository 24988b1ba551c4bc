"""Sign-in, sessions and sign-out: refusals logged, idle and absolute expiry, roles read live."""

from __future__ import annotations

import sqlite3

import pytest
from argon2 import PasswordHasher

from access import Permission
from access.errors import AccessDenied, LoginRefused, SessionEnded, SessionExpired
from access.passwords import Passwords
from tests.access.conftest import PASSWORD, actions


def session_rows(sessions) -> int:
    with sqlite3.connect(sessions.path) as db:
        return db.execute("SELECT count(*) FROM sessions").fetchone()[0]


def test_a_right_password_opens_a_session_and_is_logged(sessions, audit):
    session = sessions.authenticate("ana", PASSWORD)
    assert (session.user, session.role, session.via) == ("ana", "analyst", "password")
    [entry] = [e for e in audit.events() if e["action"] == "login"]
    assert (entry["user"], entry["role"], entry["outcome"], entry["session"]) == ("ana", "analyst", "ok", session.id)
    assert session.token not in audit.path.read_text(encoding="utf-8")
    assert session.token not in repr(session)


def test_a_wrong_password_is_refused_and_logged_and_opens_nothing(sessions, audit):
    with pytest.raises(LoginRefused, match="wrong user name or password"):
        sessions.authenticate("ana", PASSWORD + "!")
    assert actions(audit)[-1] == ("ana", "login", "refused")
    assert list(audit.events())[-1]["message"] == "wrong password"
    assert session_rows(sessions) == 0
    assert PASSWORD not in audit.path.read_text(encoding="utf-8")


def test_an_unknown_name_is_logged_without_the_name_itself(sessions, audit):
    typed = "Correct-Horse-Typed-Into-The-Name-Field"
    with pytest.raises(LoginRefused, match="wrong user name or password"):
        sessions.authenticate(typed, "whatever-it-is")
    entry = list(audit.events())[-1]
    assert (entry["user"], entry["action"], entry["outcome"]) == ("(unknown)", "login", "refused")
    assert typed.lower() not in audit.path.read_text(encoding="utf-8").lower()
    assert len(entry["parameters"]["name_sha256"]) == 16


def test_repeated_wrong_passwords_lock_the_name_for_a_while(sessions, audit, clock):
    for _ in range(3):
        with pytest.raises(LoginRefused, match="wrong"):
            sessions.authenticate("ana", "not-the-password")
    with pytest.raises(LoginRefused, match="too many wrong passwords"):
        sessions.authenticate("ana", PASSWORD)  # even the right one, while locked
    assert list(audit.events())[-1]["message"] == "locked after repeated wrong passwords"
    clock.advance(601)
    assert sessions.authenticate("ana", PASSWORD).user == "ana"


def test_unknown_names_lock_the_same_way(sessions):
    for _ in range(3):
        with pytest.raises(LoginRefused, match="wrong"):
            sessions.authenticate("ghost", "not-the-password")
    with pytest.raises(LoginRefused, match="too many"):
        sessions.authenticate("ghost", "not-the-password")


def test_a_disabled_user_cannot_sign_in(sessions, users, operator, audit):
    users.disable("ana", by=operator)
    with pytest.raises(LoginRefused, match="disabled"):
        sessions.authenticate("ana", PASSWORD)
    assert list(audit.events())[-1]["message"] == "account disabled"


def test_disabling_ends_the_users_sessions_at_once(sessions, users, operator):
    session = sessions.authenticate("ana", PASSWORD)
    users.disable("ana", by=operator)
    with pytest.raises(SessionEnded):
        sessions.resume(session.token)


def test_a_role_change_applies_at_the_next_action(sessions, users, operator):
    session = sessions.authenticate("ana", PASSWORD)
    assert not session.may(Permission.SEE_SENSITIVE)
    users.set_role("ana", "supervisor", by=operator)
    resumed = sessions.resume(session.token)
    assert resumed.role == "supervisor" and resumed.may(Permission.SEE_SENSITIVE)
    users.set_role("ana", "auditor", by=operator)
    demoted = sessions.resume(session.token)
    with pytest.raises(AccessDenied):
        sessions.guard(demoted, Permission.SEARCH, "search", {"text": "张三"})


def test_an_idle_session_expires_and_the_expiry_is_logged(sessions, clock, audit):
    session = sessions.authenticate("ana", PASSWORD)
    clock.advance(29 * 60)
    sessions.resume(session.token)  # activity restarts the idle clock
    clock.advance(29 * 60)
    sessions.resume(session.token)
    clock.advance(31 * 60)
    with pytest.raises(SessionExpired, match="idle"):
        sessions.resume(session.token)
    assert actions(audit)[-1] == ("ana", "session.expired", "refused")
    with pytest.raises(SessionEnded):
        sessions.resume(session.token)  # gone, not merely expired again


def test_a_session_ends_after_its_absolute_lifetime_however_active(sessions, clock):
    session = sessions.authenticate("ana", PASSWORD)
    for _ in range(12 * 4):
        clock.advance(15 * 60)
        sessions.resume(session.token)
    clock.advance(15 * 60)
    with pytest.raises(SessionExpired, match="hours ago"):
        sessions.resume(session.token)


def test_after_logout_the_old_token_cannot_act(sessions, audit):
    session = sessions.authenticate("ana", PASSWORD)
    sessions.set_reason(session.token, "JX-2025-0142", "case_investigation")
    sessions.logout(session.token)
    assert actions(audit)[-1] == ("ana", "logout", "ok")
    assert session_rows(sessions) == 0
    with pytest.raises(SessionEnded):
        sessions.resume(session.token)
    with pytest.raises(SessionEnded):
        sessions.set_reason(session.token, "JX-2025-0143", "case_investigation")
    sessions.logout(session.token)  # twice is harmless


def test_a_password_reset_ends_the_users_sessions(sessions, users, operator):
    session = sessions.authenticate("ana", PASSWORD)
    users.reset_password("ana", "A-Brand-New-Passphrase-9", by=operator)
    with pytest.raises(SessionEnded):
        sessions.resume(session.token)
    assert sessions.authenticate("ana", "A-Brand-New-Passphrase-9").user == "ana"


def test_the_database_holds_only_the_tokens_hash(sessions):
    session = sessions.authenticate("ana", PASSWORD)
    assert session.token.encode() not in sessions.path.read_bytes()


def test_a_stale_hash_is_replaced_at_sign_in(users, sessions, passwords):
    before = sqlite3.connect(users.path).execute("SELECT password_hash FROM users WHERE name='ana'").fetchone()[0]
    users.passwords = Passwords(PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1))
    sessions.authenticate("ana", PASSWORD)
    after = sqlite3.connect(users.path).execute("SELECT password_hash FROM users WHERE name='ana'").fetchone()[0]
    assert before != after and "m=1024,t=2,p=1" in after


def test_single_sign_on_needs_an_enabled_local_account(sessions, users, operator, audit):
    session = sessions.authenticate_external("sup", provider="oidc")
    assert (session.role, session.via) == ("supervisor", "sso:oidc")
    with pytest.raises(LoginRefused):
        sessions.authenticate_external("stranger")
    assert actions(audit)[-1] == ("(unknown)", "login", "refused")
