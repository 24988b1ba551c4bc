"""An alert's evidence, read back from the event store: an alert raised on the store keeps
the IDs of the passages behind it (`evidence_passages`), and the store still holds the
passages — when, where, which way, which lane, and the file and row they came from.

Reading them is a consultation: the caller says who asks, for which case and why, and it
is recorded. A captured driver's ID number reaches a role without the right to see it
masked, as on every other path.
"""

from __future__ import annotations

from typing import Any

from access.actor import Actor, guard
from access.audit.log import AuditLog
from access.masking import mask_citizen_id
from access.roles import Permission, sees_sensitive
from events.store import EventStore
from graph.gateway import Gateway
from queries.alerts import AlertError

_ALERT = "MATCH (x:Alert {alert_id: $alert_id}) RETURN x.rule AS rule, x.evidence_passages AS evidence"
_PLACE_NAMES = """
MATCH (c) WHERE (c:Checkpoint OR c:Gate) AND coalesce(c.checkpoint_id, c.gate_id) IN $ids
RETURN coalesce(c.checkpoint_id, c.gate_id) AS place_id, c.name AS name
"""
_PASSAGES = """
SELECT time, plate, place_id, source, direction, lane, driver_id, passage_id, source_file, source_row
FROM passages
WHERE passage_id IN (SELECT unnest($ids))
ORDER BY time, passage_id
"""


def evidence_passages(
    gateway: Gateway, store: EventStore, audit: AuditLog, actor: Actor, alert_id: str
) -> list[dict[str, Any]]:
    """The stored passages behind `alert_id`, in time order, recorded as `alert.evidence`.

    ReasonRequired without a case and a reason, AccessDenied for a role that may not search;
    AlertError when there is no such alert, or it keeps no passages (raised on Passage
    nodes by its Cypher twin, or before evidence was kept)."""
    parameters = {"alert_id": alert_id}
    guard(audit, actor, Permission.SEARCH, "alert.evidence", parameters)
    actor.consulting()
    found = gateway.read("alerts.evidence", _ALERT, parameters).records
    if not found:
        raise AlertError(f"no alert {alert_id!r}")
    ids = list(found[0]["evidence"] or [])
    if not ids:
        raise AlertError(
            f"alert {alert_id} ({found[0]['rule']}) keeps no passages from the event store: "
            "it was raised on Passage nodes, or before alerts kept their evidence; run `goldenbell events alerts`"
        )
    con = store.connect()
    try:
        cursor = con.execute(_PASSAGES, {"ids": ids})
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    names = {
        r["place_id"]: r["name"]
        for r in gateway.read(
            "alerts.evidence_places", _PLACE_NAMES, {"ids": sorted({r["place_id"] for r in rows})}
        ).records
    }
    shown = sees_sensitive(actor.role)
    for row in rows:
        row["place"] = names.get(row["place_id"]) or row["place_id"]
        if row["driver_id"] is not None and not shown:
            row["driver_id"] = mask_citizen_id(row["driver_id"])
    missing = len(ids) - len(rows)
    message = f"{len(rows)} of {len(ids)} passages" + (f"; {missing} no longer in the store" if missing else "")
    consulted = tuple(sorted({f"Vehicle:{row['plate']}" for row in rows}))
    audit.append(
        actor.event("alert.evidence", parameters=parameters, rows=len(rows), message=message, entities=consulted)
    )
    return rows
