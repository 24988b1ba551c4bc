"""The alert inbox: alerts as rows to show, each with the sub-graph of what it involves, its
summary in the session's language, its times in Beijing time and its history of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from access import Permission
from access.roles import may
from graph.model import Schema
from queries import subgraph
from queries.alerts import list_alerts
from workbench.charts import local_time
from workbench.investigator import Investigator
from workspace import Workspace


@dataclass(frozen=True)
class InboxAlert:
    alert_id: str
    rule: str
    status: str
    severity: str  # "" for an alert stored before its rule had one
    summary: str  # in the session's language
    assignee: str
    first_fired: str  # Beijing wall-clock time
    last_fired: str
    fire_count: int
    involved: list[dict[str, Any]]  # {role, ref}
    nodes: list[dict[str, Any]]  # the alert and the entities it involves, to draw
    relationships: list[dict[str, Any]]
    notes: list[dict[str, Any]]  # {kind, author, written_at (Beijing time), text}, newest first
    evidence: int = 0  # passages kept in the event store behind the alert


def inbox(
    workspace: Workspace,
    investigator: Investigator,
    *,
    status: str | None = None,
    rule: str | None = None,
    severity: str | None = None,
    assignee: str | None = None,
    sort: str = "last_fired",
    limit: int = 200,
) -> list[InboxAlert]:
    """The alerts that pass the filters (`assignee=""`: unassigned), audited as one read."""
    filters = {"status": status, "rule": rule, "severity": severity, "assignee": assignee}
    records = list_alerts(workspace.gateway, **filters, sort=sort, limit=limit)
    shown = {k: v for k, v in {**filters, "sort": sort}.items() if v is not None}
    workspace.audit.append(investigator.event("alerts.list", parameters=shown, rows=len(records)))
    return [_alert(record, workspace, investigator.lang) for record in records]


def _alert(record: Any, workspace: Workspace, lang: str) -> InboxAlert:
    schema = workspace.schema
    nodes = [item["node"] for item in record["involved"] if item.get("node") is not None]
    graph = subgraph.extract([nodes], schema)
    summary = (record["summary_en"] if lang == "en" else None) or record["summary"] or ""
    return InboxAlert(
        alert_id=record["alert_id"],
        rule=record["rule"],
        status=record["status"],
        severity=record["severity"] or "",
        summary=summary,
        assignee=record["assignee"] or "",
        first_fired=local(record["first_fired"], schema),
        last_fired=local(record["last_fired"], schema),
        fire_count=record["fire_count"] or 0,
        involved=[
            {"role": item.get("role"), "ref": subgraph.plain(item.get("node"), schema)}
            for item in record["involved"]
            if item.get("node") is not None
        ],
        nodes=list(graph.nodes.values()),
        relationships=list(graph.relationships.values()),
        notes=[{**note, "written_at": local(note["written_at"], schema)} for note in record["notes"]],
        evidence=record["evidence"] or 0,
    )


def local(value: Any, schema: Schema) -> str:
    """A stored time as Beijing wall-clock text."""
    plain = subgraph.plain(value, schema)
    return local_time(plain) if plain else ""


def assignable(workspace: Workspace) -> list[str]:
    """The users an alert can be given to: active, and in a role that may work alerts."""
    return [u.name for u in workspace.users.list() if not u.disabled and may(u.role, Permission.ALERT_STATUS)]
