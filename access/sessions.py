"""Server-side sessions: sign-in, resuming on every page run, idle and absolute expiry,
sign-out, and the reason for access the session carries.

The browser holds only a random token; the database keeps its SHA-256, the user, the
times and the case reference and reason. Every sign-in, success or failure, is audited
before the caller learns the result, and so are sign-outs and expiries. Repeated wrong
passwords lock the name typed (known or not, so a lock does not reveal that a name
exists) for a while.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from access.actor import Actor, guard
from access.audit.log import AuditLog, utc_now
from access.database import connect, transaction
from access.errors import LoginRefused, ReasonRefused, SessionEnded, SessionExpired
from access.passwords import Passwords
from access.preferences import Preferences
from access.reasons import ReasonForAccess
from access.roles import Permission, may, sees_sensitive
from access.users import User, UserStore, name_hash, normalise_name
from settings.table import Settings

UNKNOWN_USER = "(unknown)"
WRONG = "wrong user name or password (用户名或密码错误)"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def public_id(hashed: str) -> str:
    """The id a session is known by in the audit log: a prefix of the token's hash."""
    return hashed[:16]


@dataclass(frozen=True)
class Session:
    token: str = field(repr=False)  # the browser's secret: never log it
    id: str
    user: str
    role: str
    display_name: str
    via: str
    created_at: float
    last_seen: float
    idle_expires_at: float
    expires_at: float
    case_ref: str = ""
    reason: str = ""  # the reason code, with an optional ': note'
    unmasked: frozenset[str] = frozenset()  # entity references unmasked in this session

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)

    @property
    def sees_sensitive(self) -> bool:
        return sees_sensitive(self.role)

    @property
    def purpose(self) -> ReasonForAccess | None:
        return ReasonForAccess.from_recorded(self.case_ref, self.reason) if self.case_ref and self.reason else None

    @property
    def actor(self) -> Actor:
        return Actor(self.user, self.role, self.id, self.case_ref, self.reason)


class Sessions:
    def __init__(
        self,
        users: UserStore,
        *,
        idle_seconds: float = 30 * 60,
        lifetime_seconds: float = 12 * 3600,
        attempts: int = 5,
        lockout_seconds: float = 15 * 60,
        clock: Callable[[], float] = time.time,
        case_ref_pattern: re.Pattern[str] | None = None,
    ):
        self.users = users
        self.case_ref_pattern = case_ref_pattern
        self.audit: AuditLog = users.audit
        self.path = users.path
        self.preferences = Preferences(users.path)
        self.idle = idle_seconds
        self.lifetime = lifetime_seconds
        self.attempts = attempts
        self.lockout = lockout_seconds
        self.clock = clock

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        audit: AuditLog | None = None,
        passwords: Passwords | None = None,
        clock: Callable[[], float] = time.time,
    ) -> Sessions:
        return cls(
            UserStore.from_settings(settings, audit=audit, passwords=passwords),
            idle_seconds=settings.session_idle_minutes * 60,
            lifetime_seconds=settings.session_max_hours * 3600,
            attempts=settings.login_attempts,
            lockout_seconds=settings.login_lockout_minutes * 60,
            clock=clock,
            case_ref_pattern=settings.case_ref_pattern,
        )

    # -- signing in and out --------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> Session:
        """A new session for `name`, or LoginRefused; either way the attempt is audited."""
        typed = normalise_name(name or "")
        key = name_hash(typed)
        known = self.users.get(typed) if typed else None
        # A name that is no user may be a password typed in the wrong field: keep only its hash.
        who = known.name if known else UNKNOWN_USER
        role = known.role if known else ""
        asked = {"via": "password"} | ({} if known else {"name_sha256": key[:16]})
        now = self.clock()
        locked_until = self._locked_until(key, now)
        if locked_until is not None:
            minutes = max(1, round((locked_until - now) / 60))
            self._refused(who, role, "locked after repeated wrong passwords", asked)
            raise LoginRefused(f"too many wrong passwords; try again in {minutes} minutes (尝试次数过多，请稍后再试)")
        user = self.users.check_password(typed, password or "")
        if user is None:
            locked = self._note_failure(key, now)
            self._refused(who, role, "wrong password" + ("; the name is now locked" if locked else ""), asked)
            raise LoginRefused(WRONG)
        if user.disabled:
            self._refused(who, role, "account disabled", asked)
            raise LoginRefused("this account is disabled (账号已停用)")
        return self._open(user, "password", key, now)

    def authenticate_external(self, name: str, *, provider: str = "oidc") -> Session:
        """A session for a user whose identity a single-sign-on provider has established.
        The user must exist here and be enabled: roles stay in goldenbell's store."""
        user = self.users.get(name or "")
        via = f"sso:{provider}"
        if user is None or user.disabled:
            who, role = (user.name, user.role) if user else (UNKNOWN_USER, "")
            asked = {"via": via} | ({} if user else {"name_sha256": name_hash(name or "")[:16]})
            self._refused(who, role, "account disabled" if user else "no such user", asked)
            raise LoginRefused("this identity has no enabled goldenbell account (无可用账号)")
        return self._open(user, via, name_hash(user.name), self.clock())

    def _open(self, user: User, via: str, key: str, now: float) -> Session:
        token = secrets.token_urlsafe(32)
        hashed = token_hash(token)
        with transaction(self.path) as db:
            db.execute("DELETE FROM login_failures WHERE name_hash = ?", (key,))
            db.execute(
                "INSERT INTO sessions (token_hash, user, created_at, last_seen, via) VALUES (?, ?, ?, ?, ?)",
                (hashed, user.name, now, now, via),
            )
            db.execute("UPDATE users SET last_login_at = ? WHERE name = ?", (utc_now(), user.name))
            # Recorded before the commit: a sign-in that cannot be audited does not happen.
            self.audit.append(Actor(user.name, user.role, public_id(hashed)).event("login", parameters={"via": via}))
        return Session(
            token=token,
            id=public_id(hashed),
            user=user.name,
            role=user.role,
            display_name=user.display_name,
            via=via,
            created_at=now,
            last_seen=now,
            idle_expires_at=now + self.idle,
            expires_at=now + self.lifetime,
        )

    def logout(self, token: str) -> None:
        """End the session on the server; the token is worthless afterwards."""
        if not token:
            return
        hashed = token_hash(token)
        with transaction(self.path) as db:
            row = db.execute(
                "SELECT s.*, u.role FROM sessions s LEFT JOIN users u ON u.name = s.user WHERE token_hash = ?",
                (hashed,),
            ).fetchone()
            if row is None:
                return
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (hashed,))
            self.audit.append(_actor(row, hashed).event("logout"))

    # -- every page run ------------------------------------------------------------------

    def resume(self, token: str) -> Session:
        """The live session for `token`, its idle clock restarted; SessionEnded or
        SessionExpired when it is unknown, signed out, disabled, idle or too old."""
        if not token:
            raise SessionEnded("not signed in (请登录)")
        hashed = token_hash(token)
        now = self.clock()
        ended: str | None = None
        with transaction(self.path) as db:
            row = db.execute(
                "SELECT s.*, u.role, u.display_name, u.disabled FROM sessions s JOIN users u ON u.name = s.user "
                "WHERE token_hash = ?",
                (hashed,),
            ).fetchone()
            if row is None:
                raise SessionEnded("not signed in, or signed out (请重新登录)")
            if row["disabled"]:
                ended = "the account was disabled"
            elif now - row["last_seen"] > self.idle:
                ended = f"idle for more than {self.idle / 60:g} minutes"
            elif now - row["created_at"] > self.lifetime:
                ended = f"signed in more than {self.lifetime / 3600:g} hours ago"
            if ended:
                db.execute("DELETE FROM sessions WHERE token_hash = ?", (hashed,))
            else:
                db.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now, hashed))
                unmasked = frozenset(
                    r["entity"] for r in db.execute("SELECT entity FROM unmasked WHERE token_hash = ?", (hashed,))
                )
        if ended:
            self.audit.append(_actor(row, hashed).event("session.expired", outcome="refused", message=ended))
            raise SessionExpired(f"the session ended: {ended}; sign in again (会话已结束，请重新登录)")
        return Session(
            token=token,
            id=public_id(hashed),
            user=row["user"],
            role=row["role"],
            display_name=row["display_name"],
            via=row["via"],
            created_at=row["created_at"],
            last_seen=now,
            idle_expires_at=now + self.idle,
            expires_at=row["created_at"] + self.lifetime,
            case_ref=row["case_ref"],
            reason=row["reason"],
            unmasked=unmasked,
        )

    def set_reason(self, token: str, case_ref: str, code: str, note: str = "") -> Session:
        """Record the case reference and reason the session works under from now on.
        ReasonRefused for a blank or malformed case reference or a code the role may not use."""
        session = self.resume(token)
        purpose = ReasonForAccess(case_ref, code, note, self.case_ref_pattern)
        if not purpose.open_to(session.role):
            raise ReasonRefused(f"the reason {purpose.code} is not open to the {session.role} role (该事由不适用)")
        hashed = token_hash(token)
        with transaction(self.path) as db:
            db.execute(
                "UPDATE sessions SET case_ref = ?, reason = ? WHERE token_hash = ?",
                (purpose.case_ref, purpose.reason, hashed),
            )
            updated = replace(session, case_ref=purpose.case_ref, reason=purpose.reason)
            self.audit.append(updated.actor.event("reason.set"))
        return updated

    def guard(
        self, session: Session, permission: Permission, action: str, parameters: Mapping[str, Any] | None = None
    ) -> None:
        """AccessDenied, audited as `action` with `parameters`, unless the session's role carries `permission`."""
        guard(self.audit, session.actor, permission, action, parameters)

    def grant_unmasked(self, session: Session, entity: str) -> Session:
        with connect(self.path) as db:
            db.execute(
                "INSERT OR IGNORE INTO unmasked (token_hash, entity, at) VALUES (?, ?, ?)",
                (token_hash(session.token), entity, self.clock()),
            )
        return replace(session, unmasked=session.unmasked | {entity})

    # -- wrong passwords -----------------------------------------------------------------

    def _locked_until(self, key: str, now: float) -> float | None:
        with connect(self.path) as db:
            row = db.execute("SELECT locked_until FROM login_failures WHERE name_hash = ?", (key,)).fetchone()
        if row is None or row["locked_until"] is None or row["locked_until"] <= now:
            return None
        return row["locked_until"]

    def _note_failure(self, key: str, now: float) -> bool:
        """Count a wrong password; True when this one locks the name."""
        with transaction(self.path) as db:
            row = db.execute("SELECT * FROM login_failures WHERE name_hash = ?", (key,)).fetchone()
            failures = row["failures"] if row else 0
            if row is not None and row["locked_until"] is not None and row["locked_until"] <= now:
                failures = 0  # a lock that ran out starts the count again
            failures += 1
            locked_until = now + self.lockout if failures >= self.attempts else None
            db.execute(
                "INSERT INTO login_failures (name_hash, failures, last_failure, locked_until) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name_hash) DO UPDATE SET failures = excluded.failures, "
                "last_failure = excluded.last_failure, locked_until = excluded.locked_until",
                (key, failures, now, locked_until),
            )
        return locked_until is not None

    def _refused(self, who: str, role: str, why: str, parameters: dict[str, Any]) -> None:
        self.audit.append(Actor(who, role).event("login", outcome="refused", message=why, parameters=parameters))


def _actor(row: Any, hashed: str) -> Actor:
    return Actor(row["user"], row["role"] or "", public_id(hashed), row["case_ref"], row["reason"])
