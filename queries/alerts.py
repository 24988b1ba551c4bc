"""Alert rules: pack queries marked `alert: true`, run on demand or after an import,
whose hits are stored in the graph as Alert nodes linked to the entities involved.

An alert rule returns one row per hit with two columns: `entities`, a list of
`{node: <node>, role: '<role>'}` maps, and `summary`, one sentence. The alert's id is
a fingerprint of the rule id and the Label:key of every entity, so the same facts
firing again update the same alert (last_fired, fire_count, summary) rather than
adding one, and different facts make a different alert. The status an analyst set
(acknowledged, closed) is never changed by a later run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j.graph import Node

from access.actor import Actor
from access.audit.log import AuditLog
from graph.gateway import Gateway
from graph.model import Schema
from queries.entities import entity_ref
from queries.runner import QueryOutcome, Runner

STATUSES = ("new", "acknowledged", "closed")

_STORE = """
UNWIND $alerts AS a
MERGE (x:Alert {alert_id: a.alert_id})
ON CREATE SET x.rule = a.rule, x.status = 'new', x.first_fired = $now, x.fire_count = 0,
              x.first_seen = $now, x.prov_source = 'goldenbell alerts', x.prov_run = $run_id
SET x.summary = a.summary, x.last_fired = $now, x.fire_count = x.fire_count + 1, x.last_seen = $now
WITH x, a
CALL (x, a) {
  UNWIND a.entities AS e
  MATCH (n) WHERE elementId(n) = e.element_id
  MERGE (x)-[r:INVOLVES {role: e.role}]->(n)
  ON CREATE SET r.first_seen = $now, r.prov_source = 'goldenbell alerts', r.prov_run = $run_id
  SET r.last_seen = $now
  RETURN count(r) AS links
}
RETURN x.alert_id AS alert_id, x.fire_count = 1 AS created
"""

_LIST = """
MATCH (x:Alert)
WHERE ($status IS NULL OR x.status = $status) AND ($rule IS NULL OR x.rule = $rule)
OPTIONAL MATCH (x)-[r:INVOLVES]->(n)
WITH x, collect({role: r.role, labels: labels(n), node: n}) AS involved
RETURN x.alert_id AS alert_id, x.rule AS rule, x.status AS status, x.summary AS summary,
       x.first_fired AS first_fired, x.last_fired AS last_fired, x.fire_count AS fire_count, involved
ORDER BY x.last_fired DESC, x.alert_id
LIMIT $limit
"""

_SET_STATUS = """
MATCH (x:Alert {alert_id: $alert_id})
SET x.status = $status, x.last_seen = $now
RETURN x.alert_id AS alert_id
"""


class AlertError(ValueError):
    """An alert rule returned rows the alert store cannot use, or an alert does not exist."""


@dataclass(frozen=True)
class Hit:
    alert_id: str
    rule: str
    summary: str
    entities: list[dict[str, str]]  # {label, key, role, element_id}


@dataclass
class RuleReport:
    rule: str
    hits: int = 0
    created: int = 0
    updated: int = 0
    truncated: bool = False
    elapsed_ms: float = 0.0
    alert_ids: list[str] = field(default_factory=list)


def fingerprint(rule: str, refs: list[str]) -> str:
    """Stable across runs and databases: the rule and the sorted Label:key of every entity."""
    canonical = json.dumps([rule, sorted(set(refs))], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def hits(outcome: QueryOutcome, schema: Schema) -> list[Hit]:
    out: dict[str, Hit] = {}
    for record in outcome.records:
        entities = []
        for item in record["entities"] or ():
            node = item.get("node") if isinstance(item, Mapping) else item
            if not isinstance(node, Node):
                raise AlertError(f"rule {outcome.query_id}: each entity must be {{node: n, role: '…'}}, got {item!r}")
            ref = entity_ref(node, schema)
            if ref is None:
                raise AlertError(f"rule {outcome.query_id}: node {node.element_id} has no schema label and key")
            role = str(item.get("role") or ref.label.lower()) if isinstance(item, Mapping) else ref.label.lower()
            entities.append({"label": ref.label, "key": ref.key, "role": role, "element_id": node.element_id})
        if not entities:
            raise AlertError(f"rule {outcome.query_id}: a hit without entities cannot be stored")
        alert_id = fingerprint(outcome.query_id, [f"{e['label']}:{e['key']}" for e in entities])
        # Two rows naming the same entities are one alert; the later summary wins.
        out[alert_id] = Hit(alert_id, outcome.query_id, str(record["summary"] or ""), entities)
    return list(out.values())


def store(gateway: Gateway, found: list[Hit], *, run_id: str, now: datetime | None = None) -> tuple[int, int]:
    """MERGE the alerts and their INVOLVES links; returns (created, updated)."""
    if not found:
        return 0, 0
    alerts = [
        {
            "alert_id": h.alert_id,
            "rule": h.rule,
            "summary": h.summary,
            "entities": [{"element_id": e["element_id"], "role": e["role"]} for e in h.entities],
        }
        for h in found
    ]
    rows = gateway.write(
        "alerts.store", _STORE, {"alerts": alerts, "now": now or datetime.now(UTC), "run_id": run_id}
    ).data()
    created = sum(1 for row in rows if row["created"])
    return created, len(rows) - created


def run_rules(
    runner: Runner, actor: Actor, *, rule: str | None = None, params: Mapping[str, Any] | None = None
) -> list[RuleReport]:
    """Run one alert rule or all of them and store what they find. Callable after an import."""
    rules = [runner.catalog.query(rule)] if rule else runner.catalog.alert_rules()
    if rule and not rules[0].alert:
        raise AlertError(f"{rule} is not an alert rule (its pack does not mark it alert: true)")
    run_id = "alerts-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    reports = []
    for query in rules:
        outcome = runner.run(query.id, params if rule else None, actor=actor, action="alert.run")
        found = hits(outcome, runner.schema)
        created, updated = store(runner.gateway, found, run_id=run_id)
        reports.append(
            RuleReport(
                rule=query.id,
                hits=len(found),
                created=created,
                updated=updated,
                truncated=outcome.truncated,
                elapsed_ms=outcome.elapsed_ms,
                alert_ids=[h.alert_id for h in found],
            )
        )
    return reports


def list_alerts(
    gateway: Gateway, *, status: str | None = None, rule: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise AlertError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return gateway.read("alerts.list", _LIST, {"status": status, "rule": rule, "limit": limit}).records


def set_status(gateway: Gateway, audit: AuditLog, alert_id: str, status: str, actor: Actor) -> None:
    if status not in STATUSES:
        raise AlertError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    action = {"acknowledged": "alert.ack", "closed": "alert.close", "new": "alert.reopen"}[status]
    params = {"alert_id": alert_id, "status": status, "now": datetime.now(UTC)}
    found = gateway.write(f"alerts.{status}", _SET_STATUS, params).records
    outcome = "ok" if found else "refused"
    message = "" if found else f"no alert {alert_id}"
    audit.append(actor.event(action, outcome=outcome, message=message, parameters={"alert_id": alert_id}))
    if not found:
        raise AlertError(f"no alert {alert_id!r}; `goldenbell alerts list` shows their ids")
