"""Addresses placed in their compound: every address whose canonical form starts with
a compound's address is linked IN_COMPOUND to it and, lacking coordinates of its own,
takes the compound's, so rooms, registrations and cases can be drawn on a map."""

from __future__ import annotations

from datetime import datetime

from graph.gateway import Gateway

# Address keys are canonical full addresses, so a prefix seek on the key's index
# finds a compound's rooms without scanning every address. A few compounds per
# transaction: at city scale, placing every address at once needs more memory than a
# transaction may use. Addresses already placed are skipped, so an interrupted run
# simply continues.
LINK_TO_COMPOUNDS = """
MATCH (c:Compound) WHERE c.address_prefix IS NOT NULL
CALL (c) {
  MATCH (a:Address) WHERE a.address_id STARTS WITH c.address_prefix AND NOT (a)-[:IN_COMPOUND]->()
  MERGE (a)-[r:IN_COMPOUND]->(c)
  ON CREATE SET r.prov_run = $run, r.prov_source = 'places', r.first_seen = $now
  SET r.last_seen = $now, a.location = coalesce(a.location, c.location)
  RETURN count(r) AS linked
} IN TRANSACTIONS OF $compounds ROWS
RETURN sum(linked) AS linked
"""
COMPOUNDS_PER_TRANSACTION = 20


def place_addresses(gateway: Gateway, *, run_id: str, now: datetime) -> int:
    return gateway.write(
        "ingest.places.compounds",
        LINK_TO_COMPOUNDS,
        {"run": run_id, "now": now, "compounds": COMPOUNDS_PER_TRANSACTION},
        autocommit=True,
    ).single_value(0)
