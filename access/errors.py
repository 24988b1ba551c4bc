"""What access control refuses, as exceptions a page or command turns into a message.

Messages never hold a password, a session token or a password hash.
"""

from __future__ import annotations


class AccessError(Exception):
    """Access control refused something; `str()` is fit to show the user."""


class AccessDenied(AccessError):
    """The user's role does not carry the permission the action needs."""


class LoginRefused(AccessError):
    """Sign-in failed. The message does not say whether the user name exists."""


class SessionEnded(AccessError):
    """No live session for this token: never issued, signed out, or ended by an administrator."""


class SessionExpired(SessionEnded):
    """The session was idle too long, or reached its absolute lifetime."""


class ReasonRequired(AccessError):
    """A consultation was attempted before a case reference and reason were given."""


class ReasonRefused(AccessError):
    """The case reference or reason code is not acceptable."""


class UserError(AccessError):
    """A user-management request cannot be carried out (unknown user, bad name or role, …)."""


class PasswordRejected(UserError):
    """A new password does not meet the rules."""
