"""Candidate matches for person records that arrived without a reliable ID number.

Such a record is never merged into a person. It stays a PersonRecord, and each
person it may be gets a CANDIDATE_MATCH link with a score and its reasons. A shared
name alone never scores enough for a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graph.gateway import Gateway

WEIGHTS = {"phone": 0.45, "birth_date": 0.35, "name": 0.30, "name_similar": 0.15}
THRESHOLD = 0.6

CANDIDATES = """
MATCH (r:PersonRecord {prov_file: $file})
CALL (r) {
  MATCH (p:Person) WHERE p.name = r.name RETURN p
  UNION
  MATCH (p:Person)-[:HAS_PHONE]->(:Phone {number: r.phone}) RETURN p
  UNION
  MATCH (p:Person) WHERE r.birth_date IS NOT NULL AND p.birth_date = r.birth_date
    AND left(p.name, 1) = left(r.name, 1) RETURN p
}
RETURN r.record_id AS record, r.name AS name, r.birth_date AS birth_date, r.phone AS phone,
       p.id_number AS person, p.name AS person_name, p.birth_date AS person_birth_date,
       [(p)-[:HAS_PHONE]->(ph:Phone) | ph.number] AS person_phones
"""

LINK = """
UNWIND $links AS l
MATCH (r:PersonRecord {record_id: l.record})
MATCH (p:Person {id_number: l.person})
MERGE (r)-[m:CANDIDATE_MATCH]->(p)
ON CREATE SET m.prov_run = $run, m.prov_source = 'resolution', m.prov_file = $file, m.first_seen = $now
SET m.score = l.score, m.reasons = l.reasons, m.last_seen = $now
"""


@dataclass(frozen=True)
class Candidate:
    record: str
    person: str
    score: float
    reasons: list[str]


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def score(row: dict) -> Candidate:
    reasons = []
    if row["phone"] and row["phone"] in (row["person_phones"] or []):
        reasons.append("phone")
    if row["birth_date"] is not None and row["birth_date"] == row["person_birth_date"]:
        reasons.append("birth_date")
    name, other = row["name"] or "", row["person_name"] or ""
    if name and name == other:
        reasons.append("name")
    elif name and other and _one_edit_apart(name, other):
        reasons.append("name_similar")
    total = round(sum(WEIGHTS[r] for r in reasons), 2)
    return Candidate(row["record"], row["person"], total, reasons)


def link_candidates(gateway: Gateway, *, file_hash: str, run_id: str, now: datetime) -> int:
    rows = gateway.read("ingest.resolution.candidates", CANDIDATES, {"file": file_hash}).data()
    links = [c for c in map(score, rows) if c.score >= THRESHOLD]
    if links:
        gateway.write(
            "ingest.resolution.link",
            LINK,
            {"links": [c.__dict__ for c in links], "run": run_id, "file": file_hash, "now": now},
        )
    return len(links)
