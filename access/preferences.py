"""A user's own choices (today: the workbench's language), kept in the access database so
they follow the user to another tab, browser or sign-in rather than staying with one tab.

Only known preferences with known values are stored: the table is read back into the
workbench's state, so nothing else may be written there. A preference is no security
event and is not audited.
"""

from __future__ import annotations

from pathlib import Path

from access.database import connect, transaction
from access.errors import UserError

# preference → the values it may take
KNOWN: dict[str, tuple[str, ...]] = {"language": ("zh", "en")}


class Preferences:
    def __init__(self, path: Path):
        self.path = Path(path)

    def get(self, user: str, name: str) -> str | None:
        """The user's choice, or None when they never made one (or it is no longer known)."""
        _check(name)
        with connect(self.path) as db:
            row = db.execute("SELECT value FROM preferences WHERE user = ? AND name = ?", (user, name)).fetchone()
        value = row["value"] if row else None
        return value if value in KNOWN[name] else None

    def set(self, user: str, name: str, value: str) -> None:
        _check(name)
        if value not in KNOWN[name]:
            raise UserError(f"preference {name!r} cannot be {value!r}: it is one of {', '.join(KNOWN[name])}")
        with transaction(self.path) as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (user,)).fetchone() is None:
                raise UserError(f"no user {user!r}")
            db.execute(
                "INSERT INTO preferences (user, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (user, name) DO UPDATE SET value = excluded.value",
                (user, name, value),
            )


def _check(name: str) -> None:
    if name not in KNOWN:
        raise UserError(f"unknown preference {name!r}: known are {', '.join(KNOWN)}")
