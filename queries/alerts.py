"""Alert rules: pack queries marked `alert: true`, run on demand or after an import,
whose hits are stored in the graph as Alert nodes linked to the entities involved.

An alert rule returns one row per hit: `entities`, a list of `{node: <node>, role: '<role>'}`
maps, and the facts of the hit as columns, which its pack's summary sentences quote in
Chinese and in English (alert_summary.py; a rule without them returns a `summary` column,
used for both). The alert's id is a fingerprint of the rule id and the Label:key of every
entity, so the same facts firing again update the same alert (last_fired, fire_count,
summaries, severity) rather than adding one, and different facts make a different alert.
What analysts did with it (its status, assignee and history of notes and changes, kept
as AlertNote nodes beside it) is never changed by a later run.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j.graph import Node

from access.actor import Actor
from access.audit.log import AuditLog
from graph.changes import declared
from graph.gateway import Gateway
from graph.model import Schema
from queries.alert_summary import TemplateError, render
from queries.entities import entity_ref
from queries.pack_model import SEVERITIES, Query
from queries.runner import QueryOutcome, Runner

STATUSES = ("new", "acknowledged", "closed")
SORTS = ("last_fired", "severity", "status")

_STORE = """
UNWIND $alerts AS a
MERGE (x:Alert {alert_id: a.alert_id})
ON CREATE SET x.rule = a.rule, x.status = 'new', x.first_fired = $now, x.fire_count = 0,
              x.first_seen = $now, x.prov_source = 'goldenbell alerts', x.prov_run = $run_id
SET x.summary = a.summary, x.summary_en = a.summary_en, x.severity = a.severity,
    x.last_fired = $now, x.fire_count = x.fire_count + 1, x.last_seen = $now,
    x.evidence_passages = coalesce(a.evidence, x.evidence_passages)
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
# What storing alerts changes in what was there before (graph/changes.py).
_STORED = declared(
    updates=[
        *(f"Alert.{k}" for k in ("summary", "summary_en", "severity", "last_fired", "fire_count", "last_seen")),
        "Alert.evidence_passages",
        "INVOLVES.last_seen",
    ],
    nodes={
        "Alert": [
            *("alert_id", "rule", "status", "first_fired", "fire_count", "first_seen", "prov_source", "prov_run"),
            *("summary", "summary_en", "severity", "last_fired", "last_seen", "evidence_passages"),
        ]
    },
    relationships=["INVOLVES"],
)

# Sorted before the limit, so "most severe first" is over every alert, not the latest 200.
# A sort not chosen is null for every row and leaves the order to the next key.
_LIST = """
MATCH (x:Alert)
WHERE ($status IS NULL OR x.status = $status) AND ($rule IS NULL OR x.rule = $rule)
  AND ($severity IS NULL OR x.severity = $severity)
  AND ($assignee IS NULL OR coalesce(x.assignee, '') = $assignee)
WITH x, CASE x.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END AS severity_rank,
     CASE x.status WHEN 'new' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END AS status_rank
ORDER BY CASE WHEN $sort = 'severity' THEN severity_rank END, CASE WHEN $sort = 'status' THEN status_rank END,
         x.last_fired DESC, x.alert_id
LIMIT $limit
CALL (x) {
  OPTIONAL MATCH (x)-[r:INVOLVES]->(n)
  RETURN collect({role: r.role, labels: labels(n), node: n}) AS involved
}
CALL (x) {
  OPTIONAL MATCH (x)-[:HAS_NOTE]->(note:AlertNote)
  WITH note ORDER BY note.written_at DESC
  RETURN collect(note {.kind, .author, .written_at, .text}) AS notes
}
RETURN x.alert_id AS alert_id, x.rule AS rule, x.status AS status, x.severity AS severity,
       x.summary AS summary, x.summary_en AS summary_en, x.assignee AS assignee,
       x.first_fired AS first_fired, x.last_fired AS last_fired, x.fire_count AS fire_count, involved, notes,
       size(coalesce(x.evidence_passages, [])) AS evidence
"""


# A status change, an assignment or a note: the alert changes and its history grows by one entry.
_CHANGE = """
MATCH (x:Alert {alert_id: $alert_id})
SET x.status = coalesce($status, x.status), x.last_seen = $now,
    x.assignee = CASE WHEN $assign THEN $assignee ELSE x.assignee END
CREATE (x)-[:HAS_NOTE {first_seen: $now, last_seen: $now, prov_source: 'goldenbell alerts'}]->
       (n:AlertNote {note_id: $note.note_id, kind: $note.kind, author: $note.author, text: $note.text,
                     written_at: $now, first_seen: $now, last_seen: $now, prov_source: 'goldenbell alerts'})
RETURN x.status AS status, x.assignee AS assignee,
       n {.kind, .author, .written_at, .text} AS note
"""
_CHANGED = declared(
    updates=["Alert.status", "Alert.last_seen", "Alert.assignee"],
    nodes={"AlertNote": ["note_id", "kind", "author", "text", "written_at", "first_seen", "last_seen", "prov_source"]},
    relationships=["HAS_NOTE"],
)
NOTE_MAX = 2000


class AlertError(ValueError):
    """An alert rule returned rows the alert store cannot use, or an alert does not exist."""


@dataclass(frozen=True)
class Hit:
    alert_id: str
    rule: str
    summary: str  # in Chinese
    entities: list[dict[str, str]]  # {label, key, role, element_id}
    summary_en: str = ""
    severity: str = ""
    # The stored passages behind the hit (event rules that name them): the alert keeps the
    # IDs, the event store the passages.
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """The alert after a change: its status and assignee, and the history entry just written."""

    status: str
    assignee: str
    note: dict[str, Any]  # kind, author, written_at, text


@dataclass
class RuleReport:
    rule: str
    hits: int = 0
    created: int = 0
    updated: int = 0
    truncated: bool = False
    elapsed_ms: float = 0.0
    alert_ids: list[str] = field(default_factory=list)
    scope: str = "all"  # what an event rule looked at: "all", or "N plates" after an import


def fingerprint(rule: str, refs: list[str]) -> str:
    """Stable across runs and databases: the rule and the sorted Label:key of every entity."""
    canonical = json.dumps([rule, sorted(set(refs))], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def hits(outcome: QueryOutcome, schema: Schema, rule: Query | None = None) -> list[Hit]:
    """The alerts in a rule's rows; `rule` (the pack's query) gives their severity and summaries."""
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
        zh, en = _summaries(outcome, rule, record)
        # Two rows naming the same entities are one alert; the later summary wins.
        out[alert_id] = Hit(alert_id, outcome.query_id, zh, entities, en, rule.severity if rule else "")
    return list(out.values())


def _summaries(outcome: QueryOutcome, rule: Query | None, record: Any) -> tuple[str, str]:
    if rule is None or rule.summary is None:
        text = str(record.get("summary") or "")
        return text, text
    row = dict(record.items())
    try:
        return tuple(render(rule.summary.get(lang), lang, row, outcome.params) for lang in ("zh", "en"))
    except TemplateError as exc:
        raise AlertError(f"rule {outcome.query_id}: {exc}") from None


def store(gateway: Gateway, found: list[Hit], *, run_id: str, now: datetime | None = None) -> tuple[int, int]:
    """MERGE the alerts and their INVOLVES links; returns (created, updated)."""
    if not found:
        return 0, 0
    alerts = [
        {
            "alert_id": h.alert_id,
            "rule": h.rule,
            "summary": h.summary,
            "summary_en": h.summary_en,
            "severity": h.severity or None,
            "evidence": list(h.evidence) or None,
            "entities": [{"element_id": e["element_id"], "role": e["role"]} for e in h.entities],
        }
        for h in found
    ]
    rows = gateway.write(
        "alerts.store",
        _STORE,
        {"alerts": alerts, "now": now or datetime.now(UTC), "run_id": run_id},
        changes=_STORED,
    ).data()
    created = sum(1 for row in rows if row["created"])
    return created, len(rows) - created


def run_rules(
    runner: Runner,
    actor: Actor,
    *,
    rule: str | None = None,
    params: Mapping[str, Any] | None = None,
    on_store: Callable[[list[str], Mapping[str, Any] | None], list[RuleReport]] | None = None,
) -> list[RuleReport]:
    """Run one alert rule or all of them and store what they find. Callable after an import.

    A rule whose passages are in the event store (Runner.on_store) runs there, through
    `on_store(rule ids, params)` (queries/event_alerts.run_event_alerts, which stores the
    same alerts); without it such a rule is refused rather than run on nothing."""
    rules = [runner.catalog.query(rule)] if rule else runner.catalog.alert_rules()
    if rule and not rules[0].alert:
        raise AlertError(f"{rule} is not an alert rule (its pack does not mark it alert: true)")
    stored = [query.id for query in rules if runner.on_store(query.id)]
    if stored and on_store is None:
        raise AlertError(
            f"{', '.join(stored)} read passages, which are in the event store: run `goldenbell events alerts`"
        )
    run_id = "alerts-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    reports = []
    for query in rules:
        if query.id in stored:
            continue
        outcome = runner.run(query.id, params if rule else None, actor=actor, action="alert.run")
        found = hits(outcome, runner.schema, query)
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
    if stored and on_store is not None:
        reports += on_store(stored, params if rule else None)
    return reports


def list_alerts(
    gateway: Gateway,
    *,
    status: str | None = None,
    rule: str | None = None,
    severity: str | None = None,
    assignee: str | None = None,
    sort: str = "last_fired",
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Alerts, most recently fired first or by `sort`; `assignee=""` is the unassigned ones."""
    for name, value, allowed in (("status", status, STATUSES), ("severity", severity, SEVERITIES)):
        if value is not None and value not in allowed:
            raise AlertError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    if sort not in SORTS:
        raise AlertError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    params = {"status": status, "rule": rule, "severity": severity, "assignee": assignee, "sort": sort}
    return gateway.read("alerts.list", _LIST, {**params, "limit": limit}).records


def set_status(gateway: Gateway, audit: AuditLog, alert_id: str, status: str, actor: Actor) -> Change:
    if status not in STATUSES:
        raise AlertError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    action = {"acknowledged": "alert.ack", "closed": "alert.close", "new": "alert.reopen"}[status]
    return _change(gateway, audit, alert_id, actor, action, kind="status", text=status, status=status)


def assign(gateway: Gateway, audit: AuditLog, alert_id: str, assignee: str, actor: Actor) -> Change:
    """Give the alert to `assignee` (a user name), or to nobody with ""."""
    assignee = assignee.strip()
    if len(assignee) > 64:
        raise AlertError(f"an assignee is a user name, at most 64 characters; got {len(assignee)}")
    return _change(gateway, audit, alert_id, actor, "alert.assign", kind="assign", text=assignee, assignee=assignee)


def add_note(gateway: Gateway, audit: AuditLog, alert_id: str, text: str, actor: Actor) -> Change:
    """Append a note to the alert's history; notes are never edited or removed."""
    text = text.strip()
    if not text:
        raise AlertError("a note needs some text")
    if len(text) > NOTE_MAX:
        raise AlertError(f"a note is at most {NOTE_MAX} characters; this one has {len(text)}")
    return _change(gateway, audit, alert_id, actor, "alert.note", kind="note", text=text)


def plan_changes(gateway: Gateway) -> None:
    """Run the change statement once on no alert (its MATCH finds none, so it writes nothing):
    the server plans and compiles it now, not on the first acknowledgement after a restart,
    which took 0.3-0.6 s longer than the next ones. The parameters have the types a status
    change sends, which the plan cache keys on. (EXPLAIN alone plans but leaves the first run
    as slow.)"""
    params = {
        "alert_id": "",
        "status": "acknowledged",
        "assign": False,
        "assignee": None,
        "note": {"note_id": "", "kind": "status", "author": "", "text": ""},
        "now": datetime.now(UTC),
    }
    gateway.write("alerts.plan", _CHANGE, params, changes=_CHANGED)


def _change(
    gateway: Gateway,
    audit: AuditLog,
    alert_id: str,
    actor: Actor,
    action: str,
    *,
    kind: str,
    text: str,
    status: str | None = None,
    assignee: str | None = None,
) -> Change:
    """One change to an alert and its entry in the alert's history, written together, and audited."""
    now = datetime.now(UTC)
    params = {
        "alert_id": alert_id,
        "status": status,
        "assign": assignee is not None,
        "assignee": assignee or None,
        "note": {"note_id": uuid.uuid4().hex, "kind": kind, "author": actor.user, "text": text},
        "now": now,
    }
    found = gateway.write(f"alerts.{kind}", _CHANGE, params, changes=_CHANGED).records
    outcome = "ok" if found else "refused"
    message = "" if found else f"no alert {alert_id}"
    shown = {"alert_id": alert_id} | ({"assignee": assignee} if assignee is not None else {})
    audit.append(actor.event(action, outcome=outcome, message=message, parameters=shown))
    if not found:
        raise AlertError(f"no alert {alert_id!r}; `goldenbell alerts list` shows their ids")
    return Change(status=found[0]["status"], assignee=found[0]["assignee"] or "", note=dict(found[0]["note"]))
