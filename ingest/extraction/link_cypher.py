"""The Cypher of linking mentions: reads that resolve, writes that store.

Labels and key properties are the schema's (MENTIONS goes from Case to Person,
Vehicle, Phone or Address; a test checks these constants against the schema); every
value arrives as a parameter. Writes MERGE on what identifies a mention (the case,
the offsets, the type and the target), so running them again changes nothing but
`last_seen`.
"""

from __future__ import annotations

# entity type -> (label, key property) of the node a resolved mention points to
TARGETS = {
    "person": ("Person", "id_number"),
    "id_number": ("Person", "id_number"),
    "phone": ("Phone", "number"),
    "plate": ("Vehicle", "plate"),
    "address": ("Address", "address_id"),
}

CASE_TEXTS = """
UNWIND $ids AS id
MATCH (c:Case {case_id: id})
RETURN c.case_id AS case_id, c.text AS text, c.prov_file AS file, c.prov_row AS row
"""

ALL_CASE_IDS = """
MATCH (c:Case) WHERE c.text IS NOT NULL
RETURN c.case_id AS case_id ORDER BY c.case_id SKIP $skip LIMIT $limit
"""

EXISTING_KEYS = """
RETURN [k IN $persons WHERE EXISTS { MATCH (:Person {id_number: k}) }] AS id_number,
       [k IN $phones WHERE EXISTS { MATCH (:Phone {number: k}) }] AS phone,
       [k IN $plates WHERE EXISTS { MATCH (:Vehicle {plate: k}) }] AS plate,
       [k IN $addresses WHERE EXISTS { MATCH (:Address {address_id: k}) }] AS address
"""

# For each person mention: the persons of that name (at most $cap), and whether an ID
# number, phone or plate written in the same report is theirs.
NAME_CANDIDATES = """
UNWIND $people AS q
CALL (q) {
  MATCH (p:Person {name: q.name})
  WITH p LIMIT $cap
  RETURN collect({
    id_number: p.id_number,
    by_id: p.id_number IN q.ids,
    by_phone: EXISTS { MATCH (p)-[:HAS_PHONE]->(ph:Phone) WHERE ph.number IN q.phones },
    by_plate: EXISTS { MATCH (p)-[:OWNS]->(v:Vehicle) WHERE v.plate IN q.plates }
  }) AS candidates
}
RETURN q.i AS i, candidates
"""

_PROVENANCE = (
    "ON CREATE SET {v}.prov_run = $run, {v}.prov_source = $source, {v}.prov_file = coalesce(l.file, c.prov_file), "
    "{v}.prov_row = coalesce(l.row, c.prov_row), {v}.first_seen = $now"
)


def _link_statement(label: str, key: str) -> str:
    return "\n".join(
        [
            "UNWIND $links AS l",
            "MATCH (c:Case {case_id: l.case_id})",
            f"MATCH (e:{label} {{{key}: l.key}})",
            "MERGE (c)-[m:MENTIONS {start: l.start, end: l.end, entity_type: l.entity_type}]->(e)",
            _PROVENANCE.format(v="m"),
            "SET m.text = l.text, m.confidence = l.confidence, m.last_seen = $now",
        ]
    )


# label -> statement writing MENTIONS to nodes of that label
WRITE_LINKS = {label: _link_statement(label, key) for label, key in set(TARGETS.values())}

WRITE_UNRESOLVED = "\n".join(
    [
        "UNWIND $mentions AS l",
        "MATCH (c:Case {case_id: l.case_id})",
        "MERGE (n:Mention {mention_id: l.mention_id})",
        _PROVENANCE.format(v="n"),
        "SET n.text = l.text, n.entity_type = l.entity_type, n.start = l.start, n.end = l.end,",
        "    n.confidence = l.confidence, n.last_seen = $now",
        "MERGE (c)-[r:HAS_MENTION]->(n)",
        _PROVENANCE.format(v="r"),
        "SET r.last_seen = $now",
    ]
)

# What an earlier extraction of these cases stored and this one no longer finds.
# `k.links` holds "start:end:entity_type:target key" for every link kept.
DELETE_STALE_LINKS = """
UNWIND $cases AS k
MATCH (c:Case {case_id: k.case_id})-[r:MENTIONS]->(e)
WHERE NOT (toString(r.start) + ':' + toString(r.end) + ':' + r.entity_type + ':'
           + coalesce(e.id_number, e.number, e.plate, e.address_id)) IN k.links
DELETE r
"""

DELETE_STALE_MENTIONS = """
UNWIND $cases AS k
MATCH (c:Case {case_id: k.case_id})-[:HAS_MENTION]->(n:Mention)
WHERE NOT n.mention_id IN k.mentions
DETACH DELETE n
"""
