"""The server-side user store: names, roles, argon2id password hashes, disabled flags.

Every change is recorded in the audit log with who made it (refusals too). Passwords
are hashed before they reach the database and appear in no message or audit entry.
Disabling a user or resetting a password ends that user's sessions at once; a role
change takes effect at the user's next action, since sessions read the role live.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from access.actor import Actor, guard
from access.audit.log import AuditLog, utc_now
from access.database import connect, transaction
from access.errors import UserError
from access.passwords import Passwords, check_new_password
from access.roles import ASSIGNABLE_ROLES, Permission
from settings.table import Settings

NAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
T = TypeVar("T")


def normalise_name(name: str) -> str:
    return name.strip().lower()


def name_hash(name: str) -> str:
    return hashlib.sha256(normalise_name(name).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    name: str
    display_name: str
    role: str
    disabled: bool
    created_at: str
    changed_at: str
    password_changed_at: str
    last_login_at: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        return cls(
            name=row["name"],
            display_name=row["display_name"],
            role=row["role"],
            disabled=bool(row["disabled"]),
            created_at=row["created_at"],
            changed_at=row["changed_at"],
            password_changed_at=row["password_changed_at"],
            last_login_at=row["last_login_at"],
        )


class UserStore:
    def __init__(self, path: Path, audit: AuditLog, passwords: Passwords | None = None):
        self.path = Path(path)
        self.audit = audit
        self.passwords = passwords or Passwords()

    @classmethod
    def from_settings(cls, settings: Settings, *, audit: AuditLog | None = None, passwords: Passwords | None = None):
        return cls(settings.access_db_path, audit or AuditLog.from_settings(settings), passwords)

    # -- reading -------------------------------------------------------------------------

    def get(self, name: str) -> User | None:
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM users WHERE name = ?", (normalise_name(name),)).fetchone()
        return User.from_row(row) if row else None

    def list(self) -> list[User]:
        with connect(self.path) as db:
            return [User.from_row(row) for row in db.execute("SELECT * FROM users ORDER BY name")]

    def check_password(self, name: str, password: str) -> User | None:
        """The user if `password` is theirs (disabled or not: the caller decides); else None.
        A hash made with older parameters is replaced while the password is at hand."""
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM users WHERE name = ?", (normalise_name(name),)).fetchone()
        if not self.passwords.verify(row["password_hash"] if row else None, password):
            return None
        if self.passwords.needs_rehash(row["password_hash"]):
            with transaction(self.path) as db:
                db.execute(
                    "UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?",
                    (self.passwords.hash(password), row["name"], row["password_hash"]),
                )
        return User.from_row(row)

    # -- changing (audited) --------------------------------------------------------------

    def add(self, name: str, role: str, password: str, *, by: Actor, display_name: str = "") -> User:
        name = normalise_name(name)

        def change(db: sqlite3.Connection) -> dict[str, Any]:
            _check_name(name)
            _check_role(role)
            check_new_password(password, name)
            shown = _check_display_name(display_name)
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UserError(f"user {name} exists already")
            now = utc_now()
            db.execute(
                "INSERT INTO users (name, display_name, role, password_hash, created_at, changed_at, "
                "password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, shown, role, self.passwords.hash(password), now, now, now),
            )
            return {"role": role}

        self._change("user.add", name, by, change, role=role)
        return self._must_get(name)

    def disable(self, name: str, *, by: Actor) -> User:
        return self._set_disabled(name, True, by)

    def enable(self, name: str, *, by: Actor) -> User:
        return self._set_disabled(name, False, by)

    def _set_disabled(self, name: str, disabled: bool, by: Actor) -> User:
        name = normalise_name(name)

        def change(db: sqlite3.Connection) -> dict[str, Any]:
            row = _existing(db, name)
            if disabled and row["role"] == "admin":
                _keep_an_admin(db, name)
            db.execute("UPDATE users SET disabled = ?, changed_at = ? WHERE name = ?", (int(disabled), utc_now(), name))
            ended = _end_sessions(db, name) if disabled else 0
            return {"sessions_ended": ended} if disabled else {}

        self._change("user.disable" if disabled else "user.enable", name, by, change)
        return self._must_get(name)

    def set_role(self, name: str, role: str, *, by: Actor) -> User:
        name = normalise_name(name)

        def change(db: sqlite3.Connection) -> dict[str, Any]:
            row = _existing(db, name)
            _check_role(role)
            if row["role"] == "admin" and role != "admin":
                _keep_an_admin(db, name)
            db.execute("UPDATE users SET role = ?, changed_at = ? WHERE name = ?", (role, utc_now(), name))
            return {"from": row["role"]}

        self._change("user.set_role", name, by, change, role=role)
        return self._must_get(name)

    def reset_password(self, name: str, password: str, *, by: Actor) -> User:
        name = normalise_name(name)

        def change(db: sqlite3.Connection) -> dict[str, Any]:
            _existing(db, name)
            check_new_password(password, name)
            now = utc_now()
            db.execute(
                "UPDATE users SET password_hash = ?, changed_at = ?, password_changed_at = ? WHERE name = ?",
                (self.passwords.hash(password), now, now, name),
            )
            db.execute("DELETE FROM login_failures WHERE name_hash = ?", (name_hash(name),))
            return {"sessions_ended": _end_sessions(db, name)}

        self._change("user.reset_password", name, by, change)
        return self._must_get(name)

    def _change(
        self, action: str, name: str, by: Actor, change: Callable[[sqlite3.Connection], dict[str, Any]], **asked: Any
    ) -> None:
        parameters = {"target": name, **asked}
        guard(self.audit, by, Permission.MANAGE_USERS, action, parameters)
        try:
            with transaction(self.path) as db:
                done = change(db)
                # Recorded before the commit: if the entry cannot be written, the change is rolled back.
                self.audit.append(by.event(action, parameters={**parameters, **done}))
        except UserError as exc:
            self.audit.append(by.event(action, outcome="refused", message=str(exc), parameters=parameters))
            raise

    def _must_get(self, name: str) -> User:
        user = self.get(name)
        if user is None:  # only if someone deleted the row between two statements
            raise UserError(f"user {name} disappeared")
        return user


def _check_name(name: str) -> None:
    if not NAME.fullmatch(name):
        raise UserError(
            "a user name is 2 to 32 characters: a letter first, then lower-case letters, digits, '.', '_' or '-'"
        )


def _check_role(role: str) -> None:
    if role not in ASSIGNABLE_ROLES:
        raise UserError(f"unknown role {role!r}; roles are {', '.join(ASSIGNABLE_ROLES)}")


def _check_display_name(text: str) -> str:
    text = text.strip()
    if len(text) > 64 or _CONTROL.search(text):
        raise UserError("a display name is at most 64 characters, without control characters")
    return text


def _existing(db: sqlite3.Connection, name: str) -> sqlite3.Row:
    row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise UserError(f"no user {name}")
    return row


def _keep_an_admin(db: sqlite3.Connection, leaving: str) -> None:
    others = db.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND name != ?", (leaving,)
    ).fetchone()[0]
    if not others:
        raise UserError(f"{leaving} is the last active admin; make another admin first")


def _end_sessions(db: sqlite3.Connection, name: str) -> int:
    return db.execute("DELETE FROM sessions WHERE user = ?", (name,)).rowcount
