"""What a profile leads with, and what each of its links means.

`read_flags` reads the facts an investigator must see before anything else about an entity:
the watch lists it is on (with the listing's date, reason and unit), driving licences that are
revoked or suspended, and the alerts that involve it and are not closed. `link_context` reads,
for the entities a profile lists as linked, the one hop further that says what the link is:
a registration's address, landlord and tenant; a purchase's shop and buyer; a vehicle's owner
and the owner's licence status; a shop's address. Both are audited like every profile read.

Labels and relationship types here are the schema's own (`tests/queries/test_profile_facts.py`
checks each against it); the entity's label and key property come from the schema, never from
the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from graph.ddl import quote
from graph.errors import GraphError
from graph.gateway import Gateway
from graph.model import Schema
from queries.parameters import EntityRef
from queries.subgraph import rows

# Licence statuses that stop a person driving: flagged at the top of the profile.
STOPPED_LICENCE = ("吊销", "暂扣")
# The watch-list kind that makes a person wanted (在逃).
WANTED_KIND = "在逃人员"

_FLAGS = """
RETURN
  [(n)-[l:LISTED_ON]->(w:WatchList) |
     {list: w.name, kind: w.kind, listed_on: l.listed_on, lifted_on: l.lifted_on, reason: l.reason, unit: l.unit}]
    AS listings,
  [(n)-[:HOLDS_LICENCE]->(d:DrivingLicence) WHERE d.status IN $stopped |
     {status: d.status, since: d.status_since, file_no: d.file_no}] AS licences,
  [(a:Alert)-[:INVOLVES]->(n) WHERE a.status <> 'closed' |
     {alert_id: a.alert_id, rule: a.rule, status: a.status, last_fired: a.last_fired}] AS alerts
"""

LINK_CONTEXT = """
MATCH (other) WHERE elementId(other) IN $ids
RETURN elementId(other) AS id, CASE
  WHEN other:Registration THEN {
    address: head([(other)-[:REGISTERED_AT]->(a:Address) | a.full]),
    landlord: head([(other)-[:HAS_LANDLORD]->(l) WHERE elementId(l) <> $subject | l.name]),
    tenant: head([(t)-[:REGISTERED]->(other) WHERE elementId(t) <> $subject | t.name])}
  WHEN other:Purchase THEN {
    shop: head([(other)-[:SOLD_BY]->(s:Shop) WHERE elementId(s) <> $subject | s.name]),
    buyer: head([(b)-[:BOUGHT]->(other) WHERE elementId(b) <> $subject | b.name])}
  WHEN other:Vehicle THEN {
    owner: head([(o:Person)-[:OWNS]->(other) WHERE elementId(o) <> $subject | o.name]),
    owner_licence: head([(o:Person)-[:OWNS]->(other) | head([(o)-[:HOLDS_LICENCE]->(d:DrivingLicence) | d.status])])}
  WHEN other:Shop THEN {address: head([(other)-[:LOCATED_AT]->(a:Address) | a.full])}
  ELSE {}
END AS context
"""


@dataclass(frozen=True)
class Flags:
    """What a profile says first. Dates and times as ISO text, as `queries.subgraph` gives them."""

    listings: list[dict[str, Any]] = field(default_factory=list)
    licences: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def active_listings(self) -> list[dict[str, Any]]:
        return [entry for entry in self.listings if not entry.get("lifted_on")]

    @property
    def wanted(self) -> list[dict[str, Any]]:
        return [entry for entry in self.active_listings if entry.get("kind") == WANTED_KIND]

    def __bool__(self) -> bool:
        return bool(self.listings or self.licences or self.alerts)


def flags_cypher(schema: Schema, label: str) -> str:
    node = schema.node(label)
    return f"MATCH (n:{quote(node.label)} {{{quote(node.key)}: $key}})" + _FLAGS


def _audited(gateway: Gateway, audit: AuditLog, event: partial, name: str, cypher: str, params: dict) -> list[dict]:
    """One read, recorded whether it works or not; its records as plain rows."""
    try:
        result = gateway.read(name, cypher, params)
    except GraphError as exc:
        audit.append(event(outcome="error", message=str(exc)))
        raise
    audit.append(event(rows=len(result.records)))
    return result.records


def read_flags(gateway: Gateway, schema: Schema, audit: AuditLog, ref: EntityRef, *, actor: Actor) -> Flags:
    """The entity's watch-list entries, stopped licences and open alerts, oldest listing first."""
    event = partial(actor.event, "profile.flags", parameters={"entity": str(ref)})
    records = _audited(
        gateway,
        audit,
        event,
        f"profile_facts.flags.{ref.label}",
        flags_cypher(schema, ref.label),
        {"key": ref.key, "stopped": list(STOPPED_LICENCE)},
    )
    if not records:
        return Flags()
    [row] = rows(list(records[0].keys()), records[:1], schema)
    return Flags(
        listings=sorted(row["listings"], key=lambda entry: str(entry.get("listed_on") or "")),
        licences=row["licences"],
        alerts=sorted(row["alerts"], key=lambda alert: str(alert.get("last_fired") or ""), reverse=True),
    )


def link_context(
    gateway: Gateway, schema: Schema, audit: AuditLog, subject_id: str, node_ids: list[str], *, actor: Actor
) -> dict[str, dict[str, Any]]:
    """For linked entities (element ids of nodes already shown), the facts one hop further that
    say what the link is, leaving out the profile's own entity (`subject_id`)."""
    if not node_ids:
        return {}
    event = partial(actor.event, "profile.link_context", parameters={"nodes": len(node_ids)})
    records = _audited(
        gateway,
        audit,
        event,
        "profile_facts.link_context",
        LINK_CONTEXT,
        {"ids": list(node_ids), "subject": subject_id},
    )
    return {
        row["id"]: {k: v for k, v in (row["context"] or {}).items() if v is not None}
        for row in rows(["id", "context"], records, schema)
    }
