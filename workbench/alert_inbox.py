"""The alert inbox: alerts as rows to show, each with the sub-graph of what it involves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from queries import subgraph
from queries.alerts import list_alerts
from workbench.investigator import Investigator
from workspace import Workspace


@dataclass(frozen=True)
class InboxAlert:
    alert_id: str
    rule: str
    status: str
    summary: str
    first_fired: str
    last_fired: str
    fire_count: int
    involved: list[dict[str, Any]]  # {role, ref}
    nodes: list[dict[str, Any]]  # the alert and the entities it involves, to draw
    relationships: list[dict[str, Any]]


def inbox(
    workspace: Workspace, investigator: Investigator, *, status: str | None, rule: str | None, limit: int = 200
) -> list[InboxAlert]:
    schema = workspace.schema
    records = list_alerts(workspace.gateway, status=status, rule=rule, limit=limit)
    event = investigator.event("alerts.list", parameters={"status": status, "rule": rule}, rows=len(records))
    workspace.audit.append(event)
    out = []
    for record in records:
        graph = subgraph.extract(
            [[item["node"] for item in record["involved"] if item.get("node") is not None]], schema
        )
        out.append(
            InboxAlert(
                alert_id=record["alert_id"],
                rule=record["rule"],
                status=record["status"],
                summary=record["summary"] or "",
                first_fired=subgraph.plain(record["first_fired"], schema) or "",
                last_fired=subgraph.plain(record["last_fired"], schema) or "",
                fire_count=record["fire_count"] or 0,
                involved=[
                    {"role": item.get("role"), "ref": subgraph.plain(item.get("node"), schema)}
                    for item in record["involved"]
                    if item.get("node") is not None
                ],
                nodes=list(graph.nodes.values()),
                relationships=list(graph.relationships.values()),
            )
        )
    return out
