"""The ad-hoc Cypher console: reads only, bounded in time and rows, always audited.

The text is checked by `queries.readonly.check_read_only` (the server's own plan must be
a pure read), then run in a read transaction — which the server enforces too — with the
query timeout and the row cap. Every attempt, refused or not, is written to the audit
log as `console.run` with the Cypher text.

Only a role that sees ID numbers and phones in full may use it (`console_allowed`): an
expression can turn any value into a form no masking recognises, so nothing it returns
could be shown masked soundly. Any other role is refused before the text is looked at.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from access.actor import Actor
from access.errors import AccessDenied
from access.roles import console_allowed, console_denial
from graph.errors import GraphError
from queries import subgraph
from queries.readonly import NotReadOnly, check_read_only
from queries.returned import audited, returned_entities
from queries.runner import Runner, cut_note

# How much of the text an audit entry keeps, refused or not: enough to show what was tried.
AUDITED_CYPHER_LENGTH = 20_000


class CypherTooLong(ValueError):
    """The text is longer than the console takes (`GOLDENBELL_CONSOLE_MAX_CHARS`); `reason` says by how much.

    The query timeout bounds running, not planning, and planning a long expression can take
    far longer, so long text is refused before the server sees it."""

    def __init__(self, length: int, limit: int):
        self.length, self.limit = length, limit
        self.reason = (
            f"the query is {length:,} characters long; the console takes at most {limit:,} "
            "(GOLDENBELL_CONSOLE_MAX_CHARS)"
        )
        super().__init__(self.reason)


@dataclass(frozen=True)
class ConsoleOutcome:
    columns: list[str]
    rows: list[dict[str, Any]]
    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    truncated: bool
    row_cap: int
    elapsed_ms: float
    byte_cap: int = 0
    over_bytes: bool = False


def run_console(
    runner: Runner,
    cypher: str,
    *,
    actor: Actor,
    row_cap: int | None = None,
    params: Mapping[str, Any] | None = None,
) -> ConsoleOutcome:
    """Raise AccessDenied (audited) for a role that may not see sensitive values, CypherTooLong
    (audited) for text over the settings' length, NotReadOnly for anything but a read,
    GraphError when the server fails it. Runs on the runner's gateway, within its settings'
    limits, recorded in its audit log; `params` (the command line's) are recorded with the text."""
    gateway, schema, settings, audit = runner.gateway, runner.schema, runner.settings, runner.audit
    cap = min(row_cap or settings.row_cap, settings.row_cap)
    params = dict(params or {})
    recorded = {"cypher": cypher[:AUDITED_CYPHER_LENGTH], **({"params": params} if params else {})}
    event = partial(actor.event, "console.run", parameters=recorded)
    if not console_allowed(actor.role):
        message = console_denial(actor.role)
        audit.append(event(outcome="refused", message=message))
        raise AccessDenied(message)
    if len(cypher) > settings.console_max_chars:
        refused = CypherTooLong(len(cypher), settings.console_max_chars)
        audit.append(event(outcome="refused", message=refused.reason))
        raise refused
    metadata = {"user": actor.user, "case_ref": actor.case_ref, "reason": actor.reason, "query_id": "console"}
    began = time.perf_counter()
    try:
        check_read_only(gateway, cypher, params, name="console.check")
        result = gateway.read(
            "console",
            cypher,
            params,
            timeout=settings.query_timeout,
            metadata=metadata,
            max_rows=cap,
            max_bytes=settings.result_max_bytes,
        )
    except NotReadOnly as exc:
        audit.append(event(outcome="refused", message=exc.reason))
        raise
    except GraphError as exc:
        audit.append(event(outcome="error", message=str(exc)))
        raise
    named, message = audited(returned_entities(result.records, schema), cut_note(result))
    audit.append(event(rows=len(result.records), message=message, entities=named))
    graph = subgraph.extract(result.records, schema)
    return ConsoleOutcome(
        columns=list(result.keys),
        rows=subgraph.rows(result.keys, result.records, schema),
        nodes=list(graph.nodes.values()),
        relationships=list(graph.relationships.values()),
        truncated=result.truncated,
        row_cap=cap,
        elapsed_ms=(time.perf_counter() - began) * 1000,
        byte_cap=settings.result_max_bytes,
        over_bytes=result.over_bytes,
    )
