"""Is this Cypher a read, and only a read? Asked of the server's own plan.

`check_read_only` is shared by the pack loader, the runner and the ad-hoc console.
It refuses, with a reason a user can act on:

- what the text alone shows: several statements, LOAD CSV, a USE clause, a leading
  EXPLAIN/PROFILE, a procedure not on the read list;
- what the plan shows: `EXPLAIN` in a read transaction must report query type 'r'
  (not 'rw', 'w' or 's'), and no operator may load files, show or end other
  transactions, list users or settings, or call a procedure off the read list.

The plan check runs in a read transaction, so even a plan request cannot write; and
the runner executes in a read transaction too, which the server enforces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from graph.errors import QueryFailed, ReadOnlyViolation
from queries.cypher_text import Fault, procedures_called, text_faults

if TYPE_CHECKING:  # the pack loader checks text without a server, so without the driver
    from graph.gateway import Gateway

# Procedures a read query may call: search and schema introspection, nothing else.
READ_PROCEDURES = frozenset(
    {
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)
# Reads that still reach outside the graph or into other users' work.
_DENIED_OPERATORS = re.compile(r"^(LoadCSV|Show\w*|Terminate\w*|.*Administration\w*|SystemProcedureCall)$")
_QUERY_TYPES = {"r": "read", "rw": "read and write", "w": "write", "s": "schema or administration"}


class NotReadOnly(ValueError):
    """The Cypher could change the graph or reach beyond it; `reason` says how (in English),
    `faults` the same as codes the workbench words in the user's language."""

    def __init__(self, reason: str, faults: list[Fault] | None = None):
        self.reason = reason
        self.faults = faults or [Fault("other", "", reason)]
        super().__init__(reason)


def operators(plan: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    if not plan:
        return
    yield plan
    for child in plan.get("children") or ():
        yield from operators(child)


def _operator_name(op: Mapping[str, Any]) -> str:
    return str(op.get("operatorType", "")).split("@")[0]


def _procedure_of(op: Mapping[str, Any]) -> str:
    details = str((op.get("args") or {}).get("Details", ""))
    return details.split("(")[0].strip()


def text_check(cypher: str) -> None:
    faults = text_faults(cypher)
    unknown = ", ".join(sorted(procedures_called(cypher) - READ_PROCEDURES))
    if unknown:
        faults.append(
            Fault(
                "procedures",
                unknown,
                f"calls {unknown}; only the search and schema procedures may be called "
                f"({', '.join(sorted(READ_PROCEDURES))})",
            )
        )
    if faults:
        raise NotReadOnly("the query " + "; ".join(f.text for f in faults), faults)


def plan_check(summary_query_type: str | None, plan: Mapping[str, Any] | None) -> None:
    if summary_query_type != "r":
        kind = _QUERY_TYPES.get(summary_query_type or "", repr(summary_query_type))
        text = f"the server plans it as a {kind} query; only reads may run here"
        _refuse("plan_type", summary_query_type or "", text)
    for op in operators(plan):
        name = _operator_name(op)
        if _DENIED_OPERATORS.match(name):
            _refuse("plan_operator", name, f"its plan uses {name}, which reads outside the graph or other users' work")
        if name == "ProcedureCall" and _procedure_of(op) not in READ_PROCEDURES:
            procedure = _procedure_of(op)
            text = f"its plan calls the procedure {procedure}, which is not on the read list"
            _refuse("plan_procedure", procedure, text)


def _refuse(code: str, detail: str, text: str) -> None:
    raise NotReadOnly(text, [Fault(code, detail, text)])


def check_read_only(
    gateway: Gateway, cypher: str, params: Mapping[str, Any] | None = None, *, name: str = "readonly.check"
) -> list[str]:
    """Raise NotReadOnly unless the server plans `cypher` as a pure read; return its columns.

    A syntax error is raised as graph.errors.CypherSyntaxError, naming `name`.
    """
    return read_plan(gateway, cypher, params, name=name)[0]


def read_plan(
    gateway: Gateway, cypher: str, params: Mapping[str, Any] | None = None, *, name: str = "readonly.check"
) -> tuple[list[str], Mapping[str, Any] | None]:
    """As check_read_only, with the server's plan beside the columns."""
    text_check(cypher)
    try:
        result = gateway.read(name, "EXPLAIN " + cypher.strip().rstrip(";"), params or {})
    except (ReadOnlyViolation, QueryFailed) as exc:
        # Administration commands are refused even as a plan request in a read transaction.
        text = f"the server will not plan it as a read: {exc}"
        raise NotReadOnly(text, [Fault("no_plan", str(exc), text)]) from exc
    summary = result.summary
    plan = getattr(summary, "plan", None)
    plan_check(getattr(summary, "query_type", None), plan)
    return list(result.keys), plan
