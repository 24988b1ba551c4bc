"""Password hashing (argon2id) and the rules a new password must meet.

The parameters are RFC 9106's low-memory profile (argon2id, 3 passes, 64 MiB, 4 lanes).
When they change, a stored hash is replaced at the user's next successful sign-in.
Verification is argon2's own constant-time comparison; for user names that do not
exist a hash is still checked, so the time taken does not tell whether a name exists.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from access.errors import PasswordRejected

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 takes any length; this bounds the work one sign-in can ask for


def default_hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


def check_new_password(password: str, user: str) -> None:
    """Raise PasswordRejected unless `password` may be set for `user` (the message never repeats it)."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"a password has at most {MAX_LENGTH} characters")
    if password != password.strip():
        raise PasswordRejected("a password may not start or end with a space")
    if len(set(password)) < 4:
        raise PasswordRejected("a password needs at least four different characters")
    if user and user.lower() in password.lower():
        raise PasswordRejected("a password may not contain the user name")


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None):
        self.hasher = hasher or default_hasher()
        self._decoy: str | None = None

    @property
    def decoy(self) -> str:
        """A hash of a random password, checked against when a user name is unknown."""
        if self._decoy is None:
            self._decoy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._decoy

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether `password` matches `stored`; with no stored hash, spend the same time and say no."""
        if len(password) > MAX_LENGTH:
            return False
        try:
            return self.hasher.verify(stored or self.decoy, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        try:
            return self.hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True
