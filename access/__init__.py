"""Access control for the workbench and the CLI: users and roles, passwords, sessions,
the reason for each consultation, masking and unmasking, and reading the audit log.

Neo4j Community has no users of its own beyond the one goldenbell connects as, no
roles and no query log, so the application owns all three. Pages reach this package
through `workbench/context.py`; the names below are what they use.
"""

from access.actor import Actor
from access.audit.view import export_audit, read_audit, verify_audit
from access.errors import (
    AccessDenied,
    AccessError,
    LoginRefused,
    PasswordRejected,
    ReasonRefused,
    ReasonRequired,
    SessionEnded,
    SessionExpired,
    UserError,
)
from access.reasons import REASONS, ReasonForAccess, reasons_for
from access.roles import ROLES, Permission
from access.sessions import Session, Sessions
from access.unmask import unmask
from access.visibility import Visibility

__all__ = [
    "REASONS",
    "ROLES",
    "AccessDenied",
    "AccessError",
    "Actor",
    "LoginRefused",
    "PasswordRejected",
    "Permission",
    "ReasonForAccess",
    "ReasonRefused",
    "ReasonRequired",
    "Session",
    "SessionEnded",
    "SessionExpired",
    "Sessions",
    "UserError",
    "Visibility",
    "export_audit",
    "read_audit",
    "reasons_for",
    "unmask",
    "verify_audit",
]
