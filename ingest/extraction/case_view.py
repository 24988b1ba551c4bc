"""A case's text with its stored mentions, as the workbench shows it (read only).

    view = case_view(gateway, "JQ20250101000001")
    for segment in segments(view.text, view.mentions): ...

A resolved mention carries the label and key of the entity it links to (a profile
to open); an unresolved one has `label` None and its `mention_id`.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.gateway import Gateway

CASE_VIEW = """
MATCH (c:Case {case_id: $case_id})
CALL (c) {
  OPTIONAL MATCH (c)-[m:MENTIONS]->(e)
  WITH m, e WHERE m IS NOT NULL
  RETURN collect({start: m.start, end: m.end, text: m.text, entity_type: m.entity_type,
                  confidence: m.confidence, label: labels(e)[0],
                  key: coalesce(e.id_number, e.number, e.plate, e.address_id,
                                e.checkpoint_id, e.gate_id, e.compound_id),
                  mention_id: null}) AS linked
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_MENTION]->(n:Mention)
  WITH n WHERE n IS NOT NULL
  RETURN collect({start: n.start, end: n.end, text: n.text, entity_type: n.entity_type,
                  confidence: n.confidence, label: null, key: null, mention_id: n.mention_id}) AS unresolved
}
RETURN c.case_id AS case_id, c.title AS title, c.text AS text, linked + unresolved AS mentions
"""


@dataclass(frozen=True)
class LinkedMention:
    start: int
    end: int
    text: str
    entity_type: str
    confidence: float | None
    label: str | None  # Person, Vehicle, Phone, Address or a place (Checkpoint, Gate, Compound); None when unresolved
    key: str | None  # the entity's key, for its profile
    mention_id: str | None  # set for unresolved mentions

    @property
    def resolved(self) -> bool:
        return self.label is not None


@dataclass(frozen=True)
class CaseView:
    case_id: str
    title: str | None
    text: str
    mentions: list[LinkedMention]


def case_view(gateway: Gateway, case_id: str) -> CaseView | None:
    """The case's text and mentions in text order, or None when there is no such case."""
    rows = gateway.read("extraction.case_view", CASE_VIEW, {"case_id": case_id}).data()
    if not rows:
        return None
    row = rows[0]
    mentions = sorted((LinkedMention(**m) for m in row["mentions"]), key=lambda m: (m.start, m.end))
    return CaseView(row["case_id"], row["title"], row["text"] or "", mentions)
