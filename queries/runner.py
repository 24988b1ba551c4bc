"""Run a saved query: check its parameters, make sure it only reads, bound it in time
and rows, record who asked and why, and return rows plus the sub-graph to draw.

The audit event is written before the outcome is returned, and on a refusal or a
failure too: a consultation that is not recorded does not happen.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from graph.audit import AuditEvent, AuditLog
from graph.errors import GraphError
from graph.gateway import Gateway
from graph.model import Schema
from graph.settings import Settings
from queries import entities, subgraph
from queries.pack_model import Catalog, Query
from queries.parameters import EntityRef, ParameterError, plain
from queries.readonly import NotReadOnly, check_read_only

KNOWN_ENTITIES = 10_000


class QueryRefused(ValueError):
    """The runner would not run the query: unknown id, bad parameters, or not read-only."""


@dataclass(frozen=True)
class QueryOutcome:
    query_id: str
    params: Mapping[str, Any]  # as checked, in JSON-ready form
    columns: list[str]
    rows: list[dict[str, Any]]  # JSON-ready: nodes as Label:key, temporal values as ISO text
    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    truncated: bool
    row_cap: int
    elapsed_ms: float
    records: list[Any] = field(default_factory=list, repr=False)  # the driver's records, for callers that need ids


class Runner:
    def __init__(self, gateway: Gateway, catalog: Catalog, schema: Schema, settings: Settings, audit: AuditLog):
        self.gateway = gateway
        self.catalog = catalog
        self.schema = schema
        self.settings = settings
        self.audit = audit
        self._read_only: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="goldenbell-audit")
        self._known: OrderedDict[EntityRef, bool] = OrderedDict()  # entities seen to exist, most recent last
        self._lock = threading.Lock()

    def coerce(self, query: Query, params: Mapping[str, Any] | None) -> dict[str, Any]:
        params = dict(params or {})
        unknown = sorted(set(params) - set(query.parameters))
        if unknown:
            raise ParameterError(
                unknown[0], f"query {query.id} has no such parameter (it takes {', '.join(query.parameters) or 'none'})"
            )
        return {
            name: spec.coerce(params[name]) if name in params else spec.coerce()
            for name, spec in query.parameters.items()
        }

    def run(
        self,
        query_id: str,
        params: Mapping[str, Any] | None = None,
        *,
        user: str,
        case_ref: str = "",
        reason: str | None = None,
        row_cap: int | None = None,
        timeout: float | None = None,
        action: str = "query.run",
    ) -> QueryOutcome:
        if not user or not user.strip():
            raise QueryRefused(f"query {query_id}: no user given; every run is recorded with who asked")
        event = {"user": user, "action": action, "query_id": query_id, "case_ref": case_ref, "reason": reason or ""}
        try:
            query = self.catalog.query(query_id)
            values = self.coerce(query, params)
        except (KeyError, ParameterError) as exc:
            self._record(event, params or {}, "refused", _message(exc))
            raise QueryRefused(f"query {query_id}: {_message(exc)}") from exc
        shown = {name: plain(value) for name, value in values.items()}
        cap = min(row_cap or self.settings.row_cap, self.settings.row_cap)
        limit = timeout or query.timeout_s or self.settings.query_timeout
        metadata = {"user": user, "case_ref": case_ref, "query_id": query_id, **({"reason": reason} if reason else {})}
        began = time.perf_counter()
        try:
            cypher_params = self.cypher_parameters(query, values, timeout=limit, metadata=metadata)
            self._ensure_read_only(query, cypher_params)
            result = self.gateway.read(
                query.id, query.compiled, cypher_params, timeout=limit, metadata=metadata, max_rows=cap
            )
            self._note_anchored(query, values, exist=bool(result.records))
            if not result.records:
                self._check_anchored_exist(query, values, limit, metadata)
        except (NotReadOnly, ParameterError) as exc:
            self._record(event, shown, "refused", _message(exc))
            raise QueryRefused(f"query {query_id}: {_message(exc)}") from exc
        except GraphError as exc:
            self._record(event, shown, "error", str(exc))
            raise
        elapsed = (time.perf_counter() - began) * 1000
        # The audit line is synced while the result is converted; nothing returns before it is on disk.
        message = "truncated at the row cap" if result.truncated else ""
        audited = self._pool.submit(self._record, event, shown, "ok", message, len(result.records))
        graph = subgraph.extract(result.records, self.schema)
        rows = [{key: subgraph.plain(record[key], self.schema) for key in result.keys} for record in result.records]
        audited.result()
        return QueryOutcome(
            query_id=query.id,
            params=shown,
            columns=list(result.keys),
            rows=rows,
            nodes=list(graph.nodes.values()),
            relationships=list(graph.relationships.values()),
            truncated=result.truncated,
            row_cap=cap,
            elapsed_ms=elapsed,
            records=result.records,
        )

    def _ensure_read_only(self, query: Query, params: Mapping[str, Any]) -> None:
        # The plan's read/write nature does not depend on parameter values: check each text once.
        # With the real values the server also keeps the plan, which the run then reuses.
        if query.compiled not in self._read_only:
            check_read_only(self.gateway, query.compiled, params, name=f"runner.check.{query.id}")
            self._read_only.add(query.compiled)

    def cypher_parameters(
        self,
        query: Query,
        values: Mapping[str, Any],
        *,
        timeout: float | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """What `query.compiled` receives for checked `values` (entities looked up or anchored)."""
        out = {name: query.parameters[name].cypher_value(value) for name, value in values.items()}
        refs = {}
        for name, value in values.items():
            if isinstance(value, EntityRef):
                if name in query.anchored:
                    out[name] = {"label": value.label, "key": value.key}
                else:
                    refs[name] = value
        out.update(entities.resolve(self.gateway, self.schema, refs, timeout=timeout, metadata=metadata))
        return out

    def _note_anchored(self, query: Query, values: Mapping[str, Any], *, exist: bool) -> None:
        # Rows from an anchored query prove its anchors exist; remembering that spares the
        # existence check when the same entity later gives no rows (a path that is not there).
        if exist:
            with self._lock:
                for name in query.anchored:
                    self._known.pop(values[name], None)
                    self._known[values[name]] = True
                while len(self._known) > KNOWN_ENTITIES:
                    self._known.popitem(last=False)

    def _check_anchored_exist(
        self, query: Query, values: Mapping[str, Any], timeout: float, metadata: Mapping[str, Any]
    ) -> None:
        """No rows may mean no such entity: say so rather than show an empty result."""
        refs = {
            name: values[name]
            for name in query.anchored
            if isinstance(values.get(name), EntityRef) and values[name] not in self._known
        }
        if refs:
            entities.resolve(self.gateway, self.schema, refs, timeout=timeout, metadata=metadata)
            with self._lock:
                for ref in refs.values():
                    self._known[ref] = True

    def choices(self, query: Query, name: str) -> list[dict[str, Any]]:
        """The picker values of a parameter that declares a choices query."""
        parameter = query.parameters[name]
        if not parameter.choices:
            return []
        check_read_only(self.gateway, parameter.choices, name=f"choices.{query.id}.{name}")
        result = self.gateway.read(f"choices.{query.id}.{name}", parameter.choices, max_rows=self.settings.row_cap)
        return [{k: subgraph.plain(v, self.schema) for k, v in record.items()} for record in result.records]

    def _record(
        self, event: Mapping[str, Any], params: Mapping[str, Any], outcome: str, message: str, rows: int | None = None
    ) -> None:
        self.audit.append(AuditEvent(**event, parameters=dict(params), outcome=outcome, message=message, rows=rows))


def _message(exc: BaseException) -> str:
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
