"""The access database: one SQLite file for users, sign-in failures, sessions and
unmasking grants. Created owner-only (0600); SQLite gives its journal files the same mode.

A connection is opened per operation: the workbench serves each browser session on its
own thread and the CLI may change users at the same time, and SQLite's file locking
keeps them apart. Writes use BEGIN IMMEDIATE so a read-then-write cannot interleave.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from settings.home import private_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_login_at TEXT
);
-- Keyed by a hash of the name as typed: a password typed into the name field is not kept.
CREATE TABLE IF NOT EXISTS login_failures (
    name_hash TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure REAL NOT NULL,
    locked_until REAL
);
-- Keyed by a hash of the token: the database alone cannot be used to take over a session.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name),
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    via TEXT NOT NULL DEFAULT 'password',
    case_ref TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user);
-- What a user chose for themselves (the workbench's language), kept across sign-ins.
CREATE TABLE IF NOT EXISTS preferences (
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user, name)
);
CREATE TABLE IF NOT EXISTS unmasked (
    token_hash TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (token_hash, entity)
);
"""

_ready: set[Path] = set()
_ready_lock = threading.Lock()


def _create_owner_only(path: Path) -> None:
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    path = Path(path)
    with _ready_lock:
        first = path not in _ready or not path.exists()
        if first:
            _create_owner_only(path)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        if first:
            connection.executescript(SCHEMA)
            with _ready_lock:
                _ready.add(path)
        yield connection
    finally:
        connection.close()


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    with connect(path) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
