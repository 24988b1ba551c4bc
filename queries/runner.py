"""Run a saved query: check its parameters, make sure it only reads, bound it in time
and rows, record who asked and why, and return rows plus the sub-graph to draw.

The audit event is written before the outcome is returned, and on a refusal or a
failure too: a consultation that is not recorded does not happen.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import duckdb
import neo4j

from access.actor import Actor
from access.audit.log import AuditEvent, AuditLog
from events.store import EventStore
from graph.errors import GraphError
from graph.gateway import Gateway, QueryResult
from graph.model import Schema
from queries import entities, subgraph
from queries.analyses import Analysis, AnalysisRefused, Limits, Post, analyse, check_size
from queries.event_rules import EventRule
from queries.pack_model import Catalog, Query
from queries.parameters import EntityRef, ParameterError, plain
from queries.readonly import NotReadOnly, check_read_only
from queries.returned import audited, returned_entities
from queries.store_runs import run_on_store, twin
from settings.table import Settings

KNOWN_ENTITIES = 10_000


class QueryRefused(ValueError):
    """The runner would not run the query: unknown id, bad parameters, or not read-only."""


@dataclass(frozen=True)
class QueryOutcome:
    query_id: str
    params: Mapping[str, Any]  # as checked, in JSON-ready form
    columns: list[str]
    rows: list[dict[str, Any]]  # JSON-ready: nodes as Label:key, temporal values as ISO text
    truncated: bool
    row_cap: int
    elapsed_ms: float
    byte_cap: int = 0
    over_bytes: bool = False  # cut at the byte cap, not the row cap
    records: list[Any] = field(default_factory=list, repr=False)  # the driver's records, for callers that need ids
    schema: Schema | None = field(default=None, repr=False, compare=False)
    # The sub-graph to draw, when given rather than found in `records` (a masked copy).
    drawn: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = field(default=None, repr=False)
    # Columns the pack declares sensitive (column → mask kind), masked as declared for display.
    sensitive: Mapping[str, str] = field(default_factory=dict)
    # With a `post:` analysis the rows are the analysis' (one per node), and this its totals.
    summary: Mapping[str, Any] = field(default_factory=dict)

    # Built on first use: a map needs it, a table, a file or an alert count does not, and
    # building it (every property of every node, temporal values as text) costs as much
    # again as the rest of the runner's work together.
    @cached_property
    def _graph(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        if self.drawn is not None or self.schema is None:
            return self.drawn or ([], [])
        graph = subgraph.extract(self.records, self.schema)
        return list(graph.nodes.values()), list(graph.relationships.values())

    @property
    def nodes(self) -> list[dict[str, Any]]:
        return self._graph[0]

    @property
    def relationships(self) -> list[dict[str, Any]]:
        return self._graph[1]


class Runner:
    def __init__(
        self,
        gateway: Gateway,
        catalog: Catalog,
        schema: Schema,
        settings: Settings,
        audit: AuditLog,
        events: EventStore | None = None,
    ):
        """`events`: the event store; a passage query runs there once it holds passages."""
        self.gateway = gateway
        self.events = events
        self.catalog = catalog
        self.schema = schema
        self.settings = settings
        self.audit = audit
        self._read_only: set[str] = set()
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
        actor: Actor,
        row_cap: int | None = None,
        timeout: float | None = None,
        action: str = "query.run",
        post: Post | None = None,
    ) -> QueryOutcome:
        """Run `query_id` for `actor` (who asks, in which role, for which case and why),
        recorded as `action`. `post`, or else the query's own `post:`, analyses the graph the
        query returned: the outcome's rows are then the analysis' rows."""
        if not actor.user or not actor.user.strip():
            raise QueryRefused(f"query {query_id}: no user given; every run is recorded with who asked")
        event = partial(actor.event, action, query_id=query_id)
        try:
            query = self.catalog.query(query_id)
            values = self.coerce(query, params)
        except (KeyError, ParameterError) as exc:
            self._record(event, params or {}, "refused", _message(exc))
            raise QueryRefused(f"query {query_id}: {_message(exc)}") from exc
        shown = {name: plain(value) for name, value in values.items()}
        cap = min(row_cap or self.settings.row_cap, self.settings.row_cap)
        limit = timeout or query.timeout_s or self.settings.query_timeout
        post = post or query.post
        if self.on_store(query.id):
            if post is not None:
                fault = "it runs on the event store, which returns passages, not a graph to analyse"
                self._record(event, shown, "refused", fault)
                raise QueryRefused(f"query {query_id}: {fault}")
            return self._run_on_store(query, twin(query.id), values, shown, cap, event)
        metadata = {"user": actor.user, "case_ref": actor.case_ref, "query_id": query_id}
        metadata |= {"reason": actor.reason} if actor.reason else {}
        began = time.perf_counter()
        try:
            cypher_params = self.cypher_parameters(query, values, timeout=limit, metadata=metadata)
            self._ensure_read_only(query, cypher_params)
            result = self.gateway.read(
                query.id,
                query.compiled,
                cypher_params,
                timeout=limit,
                metadata=metadata,
                max_rows=cap,
                max_bytes=self.settings.result_max_bytes,
                then=self._anchors_checker(query, values),
            )
            self._note_anchored(query, values, exist=bool(result.records))
        except (NotReadOnly, ParameterError) as exc:
            self._record(event, shown, "refused", _message(exc))
            raise QueryRefused(f"query {query_id}: {_message(exc)}") from exc
        except GraphError as exc:
            self._record(event, shown, "error", str(exc))
            raise
        elapsed = (time.perf_counter() - began) * 1000
        if post is not None:
            return self._analysed(query, post, result, shown, cap, elapsed, event)
        rows = subgraph.rows(result.keys, result.records, self.schema)
        # Nothing returns before its audit entry is in the log; the disk sync follows within
        # milliseconds, shared with other runs (a sync of its own would cost more than most queries).
        named, message = audited(returned_entities(result.records, self.schema), cut_note(result))
        self._record(event, shown, "ok", message, len(result.records), sync=False, entities=named)
        return QueryOutcome(
            query_id=query.id,
            params=shown,
            columns=list(result.keys),
            rows=rows,
            truncated=result.truncated,
            row_cap=cap,
            elapsed_ms=elapsed,
            byte_cap=self.settings.result_max_bytes,
            over_bytes=result.over_bytes,
            records=result.records,
            schema=self.schema,
            sensitive=query.sensitive,
        )

    def _analysed(
        self,
        query: Query,
        post: Post,
        result: QueryResult,
        shown: Mapping[str, Any],
        cap: int,
        elapsed: float,
        event: Callable[..., AuditEvent],
    ) -> QueryOutcome:
        """The outcome of a query whose graph is analysed (queries/analyses.py), recorded as
        the query with the entities it returned; a graph over the caps is refused, recorded."""
        began = time.perf_counter()
        try:
            found, graph = self._analysis(query, post, result)
        except AnalysisRefused as exc:
            self._record(event, shown, "refused", str(exc), len(result.records))
            raise QueryRefused(f"query {query.id}: {exc}") from exc
        top = f", top {post.top}" if post.top else ""
        note = f"analysis {post.analysis}{top} over {found.summary['nodes']:,} nodes"
        named, message = audited(returned_entities(result.records, self.schema), note)
        self._record(event, shown, "ok", message, len(result.records), sync=False, entities=named)
        return QueryOutcome(
            query_id=query.id,
            params=shown,
            columns=found.columns,
            rows=found.rows,
            truncated=False,
            row_cap=cap,
            elapsed_ms=elapsed + (time.perf_counter() - began) * 1000,
            byte_cap=self.settings.result_max_bytes,
            records=result.records,
            schema=self.schema,
            drawn=(list(graph.nodes.values()), list(graph.relationships.values())),
            # A node's reference and caption may be an ID number or a phone (a Phone's caption is its number).
            sensitive={"node": "text", "caption": "text"},
            summary=found.summary,
        )

    def _analysis(self, query: Query, post: Post, result: QueryResult) -> tuple[Analysis, subgraph.Subgraph]:
        if result.truncated:
            cut = cut_note(result).replace("truncated", "cut off")
            raise AnalysisRefused(
                f"the result was {cut} ({len(result.records):,} rows): an analysis of part of a graph "
                "would mislead; narrow the query"
            )
        graph = subgraph.extract(result.records, self.schema)
        if result.records and not graph.nodes:
            raise AnalysisRefused(
                f"it returns no nodes, relationships or paths, so there is no graph to analyse ({post.analysis}); "
                "return them (returns: graph or both)"
            )
        limits = Limits(self.settings.analysis_max_nodes, self.settings.analysis_max_relationships)
        check_size(len(graph.nodes), len(graph.relationships), limits, "its result")
        nodes, rels = list(graph.nodes.values()), list(graph.relationships.values())
        return analyse(post.analysis, nodes, rels, top=post.top), graph

    def on_store(self, query_id: str) -> bool:
        """Whether the query runs on the event store: it has an event twin and the store holds passages."""
        return self.events is not None and twin(query_id) is not None and self.events.holds_passages()

    def _run_on_store(
        self,
        query: Query,
        rule: EventRule,
        values: Mapping[str, Any],
        shown: Mapping[str, Any],
        cap: int,
        event: Callable[..., AuditEvent],
    ) -> QueryOutcome:
        """The query's event twin on the store (queries/store_runs.py), recorded as the query."""
        began = time.perf_counter()
        try:
            found = run_on_store(self.gateway, self.events, rule, values, cap)
        except ParameterError as exc:
            self._record(event, shown, "refused", _message(exc))
            raise QueryRefused(f"query {query.id}: {_message(exc)}") from exc
        except duckdb.Error as exc:
            self._record(event, shown, "error", f"event store: {exc}")
            raise GraphError(f"query {query.id} on the event store failed: {exc}", query_name=query.id) from exc
        elapsed = (time.perf_counter() - began) * 1000
        cut = "truncated at the row cap" if found.truncated else ""
        named, message = audited(found.entities, "; ".join(m for m in ("event store", cut) if m))
        self._record(event, shown, "ok", message, len(found.rows), sync=False, entities=named)
        return QueryOutcome(
            query_id=query.id,
            params=shown,
            columns=found.columns,
            rows=found.rows,
            truncated=found.truncated,
            row_cap=cap,
            elapsed_ms=elapsed,
            byte_cap=self.settings.result_max_bytes,
            schema=self.schema,
            drawn=([], []),
            sensitive=query.sensitive,
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

    def _anchors_checker(
        self, query: Query, values: Mapping[str, Any]
    ) -> Callable[[neo4j.Session, QueryResult], None] | None:
        """No rows may mean no such entity: a check, in the same session, that says so
        rather than show an empty result."""
        refs = {
            name: values[name]
            for name in query.anchored
            if isinstance(values.get(name), EntityRef) and values[name] not in self._known
        }
        if not refs:
            return None

        def check(session: neo4j.Session, result: QueryResult) -> None:
            if result.records:
                return
            entities.resolve_in(session, self.schema, refs)
            with self._lock:
                for ref in refs.values():
                    self._known[ref] = True

        return check

    def choices(self, query: Query, name: str) -> list[dict[str, Any]]:
        """The picker values of a parameter that declares a choices query."""
        parameter = query.parameters[name]
        if not parameter.choices:
            return []
        check_read_only(self.gateway, parameter.choices, name=f"choices.{query.id}.{name}")
        result = self.gateway.read(f"choices.{query.id}.{name}", parameter.choices, max_rows=self.settings.row_cap)
        return subgraph.rows(result.keys, result.records, self.schema)

    def _record(
        self,
        event: Callable[..., AuditEvent],
        params: Mapping[str, Any],
        outcome: str,
        message: str,
        rows: int | None = None,
        *,
        sync: bool = True,
        entities: tuple[str, ...] = (),
    ) -> None:
        entry = event(parameters=params, outcome=outcome, message=message, rows=rows, entities=entities)
        self.audit.append(entry, sync=sync)


def cut_note(result: QueryResult) -> str:
    """What the audit entry says of a result that was cut off."""
    if result.over_bytes:
        return "truncated at the result size cap"
    return "truncated at the row cap" if result.truncated else ""


def _message(exc: BaseException) -> str:
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
