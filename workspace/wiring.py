"""Settings → gateway → schema → catalog → audit log → runner, and the access database
beside them: each part built on first use, once, from the one settings value.

Nothing connects until something needs the database: listing packs, showing the schema
or managing users works without a server. Nor is a part's library imported before it is
built (the Neo4j driver, DuckDB), so a command that lists packs starts quickly. Parts are
built under a lock, so the workbench's threads, which share one workspace, never build one twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from graph.model import Schema, schema_for
from queries.pack_model import Catalog, load_catalog
from settings.table import Settings

if TYPE_CHECKING:
    from access import Sessions
    from access.audit.log import AuditLog
    from access.users import UserStore
    from events.store import EventStore
    from graph.gateway import Gateway
    from queries.runner import Runner

T = TypeVar("T")


class Workspace:
    def __init__(self, settings: Settings, *, gateway: Gateway | None = None):
        """`gateway`: an open gateway to share (another workspace's), which this one never closes."""
        self.settings = settings
        self._parts: dict[str, Any] = {} if gateway is None else {"gateway": gateway}
        self._shared = gateway
        self._lock = threading.RLock()  # re-entrant: the runner builds the gateway, schema, … it needs

    @classmethod
    def open(cls, settings: Settings | None = None) -> Workspace:
        """The workspace over `settings`, or over the environment's (SettingsError on a bad value)."""
        return cls(settings if settings is not None else Settings.from_env())

    def _part(self, name: str, build: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._parts:
                self._parts[name] = build()
            return self._parts[name]

    @property
    def gateway(self) -> Gateway:
        """The one connection pool to Neo4j, opened on first use; closed by `close()`."""
        from graph.gateway import Gateway

        return self._part("gateway", lambda: Gateway.open(self.settings))

    @property
    def schema(self) -> Schema:
        return self._part("schema", lambda: schema_for(self.settings))

    @property
    def catalog(self) -> Catalog:
        """The built-in query packs and those in GOLDENBELL_PACKS_DIR, checked against the schema.
        A query or pack file that does not load is left out and listed in `catalog.faults`."""
        return self._part("catalog", lambda: load_catalog(self.schema, extra_dir=self.settings.packs_dir, strict=False))

    @property
    def audit(self) -> AuditLog:
        from access.audit.log import AuditLog

        return self._part("audit", lambda: AuditLog.from_settings(self.settings))

    @property
    def events(self) -> EventStore:
        """The event store under GOLDENBELL_HOME (passages in Parquet); needs no server."""
        from events.store import EventStore

        return self._part(
            "events",
            lambda: EventStore.under(self.settings.home.resolve(), memory_limit=self.settings.events_memory),
        )

    @property
    def runner(self) -> Runner:
        from queries.runner import Runner

        return self._part(
            "runner", lambda: Runner(self.gateway, self.catalog, self.schema, self.settings, self.audit, self.events)
        )

    @property
    def sessions(self) -> Sessions:
        """Sign-in, sessions and reasons, writing to the same audit log as everything else."""
        from access import Sessions

        return self._part("sessions", lambda: Sessions.from_settings(self.settings, audit=self.audit))

    @property
    def users(self) -> UserStore:
        return self.sessions.users

    @property
    def database_configured(self) -> bool:
        """Whether there is a database to connect to: NEO4J_URI, or the local Neo4j set up here."""
        return self.settings.uses_external_neo4j or self.settings.password_file.exists()

    def close(self) -> None:
        """Close the gateway if this workspace opened it; it opens a new one if used again."""
        if self._shared is not None:
            return
        with self._lock:
            gateway = self._parts.pop("gateway", None)
            self._parts.pop("runner", None)
        if gateway is not None:
            gateway.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
