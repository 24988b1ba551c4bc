"""The one gateway to the database.

Only this module opens driver sessions. It builds the driver from the settings
(the local Neo4j or an external server, cluster or Aura), runs every query in a
read session or a write transaction with a timeout and transaction metadata, and turns
driver failures into the project's exceptions, each naming the query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import neo4j
from neo4j import exceptions as neo4j_errors

from graph.changes import ANYTHING, ChangeLog, Changes
from graph.errors import (
    ConstraintViolation,
    CypherSyntaxError,
    GraphError,
    GraphUnavailable,
    MemoryLimitExceeded,
    QueryFailed,
    QueryTimeout,
    ReadOnlyViolation,
)
from graph.value_size import record_size
from settings.table import Settings

APP_NAME = "goldenbell"

# Server notifications stay available on each result's summary; without a handler the
# driver's warnings would be printed to stderr by logging's last-resort handler.
logging.getLogger("neo4j.notifications").addHandler(logging.NullHandler())

_TIMEOUT_CODES = {
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
}
_MEMORY_CODES = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
}


@dataclass(frozen=True)
class QueryResult:
    keys: list[str]
    records: list[neo4j.Record]
    summary: neo4j.ResultSummary | None
    truncated: bool = False
    over_bytes: bool = False  # cut at the byte cap rather than the row cap

    def data(self) -> list[dict[str, Any]]:
        return [record.data() for record in self.records]

    def single_value(self, default: Any = None) -> Any:
        return self.records[0][0] if self.records else default


def driver_safe(value: Any) -> Any:
    """Parameters the driver can send: zoneinfo datetimes become fixed-offset ones.

    The driver asks a datetime's tzinfo for its offset while handing it the driver's
    own DateTime type; zoneinfo's C code reads that object as if it were a datetime,
    which gives wrong offsets or crashes the interpreter. A fixed offset, taken at that
    very instant, is exact and safe.
    """
    if isinstance(value, datetime):
        if isinstance(value.tzinfo, ZoneInfo):
            return value.replace(tzinfo=timezone(value.utcoffset()))
        return value
    if isinstance(value, dict):
        return {k: driver_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [driver_safe(v) for v in value]
    return value


def local_password(settings: Settings) -> str:
    try:
        return settings.password_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise GraphUnavailable(
            f"no password file at {settings.password_file}: the local Neo4j has never been started "
            "here. Run `goldenbell db start`, or set NEO4J_URI to use another server."
        ) from None


def credentials(settings: Settings) -> tuple[str, str]:
    if settings.uses_external_neo4j:
        return settings.neo4j_user, settings.neo4j_password
    return "neo4j", local_password(settings)


class Gateway:
    """Runs named queries against one Neo4j database."""

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        database: str,
        query_timeout: float,
        uri: str,
        changes: ChangeLog | None = None,
    ):
        self.driver = driver
        self.database = database
        self.query_timeout = query_timeout
        self.uri = uri
        # Where every write says what it may have changed (graph/changes.py); None: nowhere,
        # and nothing read from the graph is kept for later.
        self.changes = changes

    @classmethod
    def open(cls, settings: Settings | None = None) -> Gateway:
        settings = settings or Settings.from_env()
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=credentials(settings),
            max_connection_pool_size=settings.pool_size,
            connection_acquisition_timeout=30.0,
            # Retries cover leader changes in a cluster; a longer wait only hides trouble.
            max_transaction_retry_time=10.0,
            user_agent=f"{APP_NAME}/0.1",
        )
        return cls(
            driver,
            database=settings.neo4j_database,
            query_timeout=settings.query_timeout,
            uri=settings.uri,
            changes=ChangeLog(settings.graph_changes),
        )

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def verify(self) -> None:
        """Raise GraphUnavailable unless the server answers with these credentials."""
        try:
            self.driver.verify_connectivity()
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            raise GraphUnavailable(f"cannot reach Neo4j at {self.uri}: {exc}") from exc
        except neo4j_errors.AuthError as exc:
            raise GraphUnavailable(f"Neo4j at {self.uri} refused the credentials: {exc.message}") from exc

    def read(
        self,
        name: str,
        cypher: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        metadata: Mapping[str, Any] | None = None,
        max_rows: int | None = None,
        max_bytes: int | None = None,
        then: Callable[[neo4j.Session, QueryResult], None] | None = None,
    ) -> QueryResult:
        """Run a query in a read session; the server refuses any write in it. At most
        `max_rows` records and `max_bytes` of values (as `graph.value_size` counts them; 0 or
        None: no cap) come back; past either the result is cut off and marked truncated.

        `then(session, result)` runs in the same session afterwards (a follow-up read that
        depends on the result, on the same connection).
        """
        # An auto-commit query in a read session: the server refuses writes in it just as in
        # a read transaction, and it takes one round trip where BEGIN … COMMIT takes two,
        # which on a query of a few milliseconds is a tenth of the time.
        query = neo4j.Query(
            cypher,
            timeout=timeout if timeout is not None else self.query_timeout,
            metadata=self._metadata(name, metadata),
        )
        safe_parameters = driver_safe(dict(parameters or {}))
        with self._translated(name, cypher), self._session(neo4j.READ_ACCESS) as session:
            out = _collect(session.run(query, safe_parameters), max_rows, max_bytes)
            if then is not None:
                then(session, out)
            return out

    def write(
        self,
        name: str,
        cypher: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        metadata: Mapping[str, Any] | None = None,
        autocommit: bool = False,
        changes: Changes = ANYTHING,
    ) -> QueryResult:
        """Run a write in a transaction, retried on transient errors; or with `autocommit`, in
        an implicit transaction run once, as `CALL { … } IN TRANSACTIONS` requires.
        `changes` says what it may change (anything unless told)."""
        safe_parameters = driver_safe(dict(parameters or {}))
        with (
            self._changing(changes) as done,
            self._translated(name, cypher),
            self._session(neo4j.WRITE_ACCESS) as session,
        ):
            if autocommit:
                query = neo4j.Query(cypher, timeout=timeout, metadata=self._metadata(name, metadata))
                result = _collect(session.run(query, safe_parameters), None)
            else:

                @neo4j.unit_of_work(timeout=timeout, metadata=self._metadata(name, metadata))
                def work(tx: neo4j.ManagedTransaction) -> QueryResult:
                    return _collect(tx.run(cypher, safe_parameters), None)

                result = session.execute_write(work)
            done.append(getattr(result.summary, "counters", None))
            return result

    def in_write_transaction(
        self,
        name: str,
        work: Callable[[neo4j.ManagedTransaction], Any],
        *,
        metadata: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        changes: Changes = ANYTHING,
    ) -> Any:
        """Run several statements atomically: `work(tx)` calls `tx.run(cypher, params)`,
        passing parameters through `driver_safe`.

        For batch writers whose statements must commit together (an import batch and
        its progress record). `work` may be retried on transient errors, so it must
        not have side effects outside the transaction.
        """

        @neo4j.unit_of_work(timeout=timeout, metadata=self._metadata(name, metadata))
        def unit(tx: neo4j.ManagedTransaction) -> Any:
            return work(tx)

        with self._changing(changes), self._translated(name, ""), self._session(neo4j.WRITE_ACCESS) as session:
            return session.execute_write(unit)

    @contextmanager
    def _changing(self, changes: Changes) -> Iterator[list[Any]]:
        """Mark the write's names in the change log for its length; then draw anew those it
        changed (by the counters appended to the list yielded), or all of them when it
        failed or could not tell: a failed auto-commit write may have committed part."""
        if self.changes is None:
            yield []
            return
        mark = self.changes.begin(changes)
        counters: list[Any] = []
        try:
            yield counters
        finally:
            self.changes.end(mark, changes.changed(counters[0] if counters else None))

    def _session(self, mode: str) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=mode)

    @staticmethod
    def _metadata(name: str, metadata: Mapping[str, Any] | None) -> dict[str, Any]:
        return {"app": APP_NAME, "query": name, **(metadata or {})}

    @contextmanager
    def _translated(self, name: str, cypher: str) -> Iterator[None]:
        try:
            yield
        except GraphError:
            raise
        except neo4j_errors.Neo4jError as exc:
            raise translate(exc, name, cypher, self.query_timeout) from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise GraphUnavailable(
                f"query '{name}': cannot reach Neo4j at {self.uri} ({exc}). Is it running? Try `goldenbell db status`.",
                query_name=name,
                cypher=cypher,
            ) from exc
        except neo4j_errors.DriverError as exc:
            raise QueryFailed(f"query '{name}': {exc}", query_name=name, cypher=cypher) from exc


def _collect(result: neo4j.Result, max_rows: int | None, max_bytes: int | None = None) -> QueryResult:
    """The records of a result, at most `max_rows` of them and `max_bytes` in all (then
    marked truncated); a record that would pass the byte cap is left out."""
    records: list[neo4j.Record] = []
    truncated = over_bytes = False
    size = 0
    for record in result:
        if max_rows is not None and len(records) >= max_rows:
            truncated = True
            break
        if max_bytes:
            size += record_size(record.values())
            if size > max_bytes:
                truncated = over_bytes = True
                break
        records.append(record)
    keys = list(result.keys())
    summary = None if truncated else result.consume()
    return QueryResult(keys=keys, records=records, summary=summary, truncated=truncated, over_bytes=over_bytes)


def translate(exc: neo4j_errors.Neo4jError, name: str, cypher: str, default_timeout: float) -> GraphError:
    code = exc.code or ""
    detail = exc.message or str(exc)
    kwargs = {"query_name": name, "cypher": cypher, "code": code}
    if isinstance(exc, neo4j_errors.AuthError):
        return GraphUnavailable(f"query '{name}': Neo4j refused the credentials: {detail}", **kwargs)
    if code in _TIMEOUT_CODES:
        return QueryTimeout(
            f"query '{name}' was stopped because it ran past its time limit "
            f"(GOLDENBELL_QUERY_TIMEOUT is {default_timeout:g} s for reads). Narrow it, or raise the limit.",
            **kwargs,
        )
    if code == "Neo.ClientError.Statement.AccessMode":
        return ReadOnlyViolation(f"query '{name}' tried to write in a read-only transaction: {detail}", **kwargs)
    if code == "Neo.ClientError.Schema.ConstraintValidationFailed":
        return ConstraintViolation(f"query '{name}' would break a uniqueness constraint: {detail}", **kwargs)
    if code in ("Neo.ClientError.Statement.SyntaxError", "Neo.ClientError.Statement.ParameterMissing"):
        return CypherSyntaxError(f"query '{name}' is not valid Cypher: {detail}", **kwargs)
    if code in _MEMORY_CODES:
        return MemoryLimitExceeded(
            f"query '{name}' needed more memory than one transaction may use: {detail}", **kwargs
        )
    return QueryFailed(f"query '{name}' failed ({code}): {detail}", **kwargs)
