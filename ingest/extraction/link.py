"""Resolve extracted mentions to graph entities and store them as links.

ID number → Person, phone → Phone, plate → Vehicle, address → Address, each by its
canonical key; an address no Address holds → the checkpoint, gate or compound it names
(`_place`); a name → Person when the report itself backs one person of that name
(their ID number, phone or plate is written in it) or the name belongs to one person
only. Anything else is kept as an unresolved `Mention` node, never dropped.

Link confidence = extraction confidence (see `merge`) × how sure the resolution is:

    key of an ID number, phone, plate or address found       1.00
    name, with that person's ID number in the same report     1.00
    name, with that person's phone in the same report         0.95
    name, with a vehicle of that person in the same report    0.90
    name held by exactly one person in the graph              0.70
    the canonical address of a compound                      1.00
    the name of one checkpoint, gate or compound             0.90
    a name held by several persons, or a key not in the graph: unresolved

Stored as `(Case)-[:MENTIONS {start, end, text, entity_type, confidence}]->(entity)`
and `(Case)-[:HAS_MENTION]->(:Mention {mention_id, …})`, with provenance; mention IDs
are `<case_id>:<entity_type>:<start>-<end>`, so a second run MERGEs onto the first
and removes what it no longer finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import neo4j

from graph.gateway import Gateway
from graph.model import Schema
from ingest.extraction.link_cypher import KEYED_TYPES, link_cypher
from ingest.extraction.mentions import LINKED_TYPES, Mention

NAME_CANDIDATE_CAP = 50
BY_KEY, BY_ID, BY_PHONE, BY_PLATE, BY_UNIQUE_NAME = 1.0, 1.0, 0.95, 0.90, 0.70
BY_PLACE_NAME = 0.90


@dataclass(frozen=True)
class CaseText:
    case_id: str
    text: str
    file: str | None = None  # provenance of the text: source file and row
    row: int | None = None


@dataclass(frozen=True)
class Resolution:
    mention: Mention
    label: str | None  # the target's label, None when unresolved
    key: str | None
    confidence: float
    how: str  # key, id_number, phone, plate, unique_name, place_address, place_name; ambiguous, not_in_graph

    @property
    def resolved(self) -> bool:
        return self.label is not None


@dataclass
class LinkCounts:
    cases: int = 0
    linked: int = 0
    unresolved: int = 0

    @property
    def mentions(self) -> int:
        return self.linked + self.unresolved


def mention_id(case_id: str, mention: Mention) -> str:
    return f"{case_id}:{mention.entity_type}:{mention.start}-{mention.end}"


def resolve(gateway: Gateway, schema: Schema, reports: Sequence[list[Mention]]) -> list[list[Resolution]]:
    """Each report's linkable mentions with what they resolve to (reads only)."""
    q = link_cypher(schema)
    reports = [[m for m in mentions if m.entity_type in LINKED_TYPES] for mentions in reports]
    wanted: dict[str, set[str]] = {entity_type: set() for entity_type in KEYED_TYPES}
    people = []
    for i, mentions in enumerate(reports):
        for m in mentions:
            if m.entity_type in wanted and m.key:
                wanted[m.entity_type].add(m.key)
        for j, m in enumerate(mentions):
            if m.entity_type == "person" and m.key:
                people.append({"i": f"{i}:{j}", "name": m.key, **_evidence(mentions)})
    found = gateway.read(
        "extraction.existing_keys", q.existing_keys, {entity_type: sorted(keys) for entity_type, keys in wanted.items()}
    ).data()[0]
    existing = {entity_type: set(keys) for entity_type, keys in found.items()}
    candidates = {}
    if people:
        rows = gateway.read(
            "extraction.name_candidates", q.name_candidates, {"people": people, "cap": NAME_CANDIDATE_CAP}
        ).data()
        candidates = {row["i"]: row["candidates"] for row in rows}
    places = [
        {"i": f"{i}:{j}", "text": _compact(m.text), "key": m.key, "names": _suffixes(_place_text(m, mentions))}
        for i, mentions in enumerate(reports)
        for j, m in enumerate(mentions)
        if m.entity_type == "address" and m.key not in existing["address"]
    ]
    if places:
        rows = gateway.read(
            "extraction.place_candidates", q.place_candidates, {"places": places, "cap": NAME_CANDIDATE_CAP}
        ).data()
        candidates.update({row["i"]: row["candidates"] for row in rows})
    out = []
    for i, mentions in enumerate(reports):
        resolved = []
        for j, m in enumerate(mentions):
            if m.entity_type == "person":
                resolved.append(_person(m, q.targets["person"][0], candidates.get(f"{i}:{j}", [])))
            elif m.key in existing[m.entity_type]:
                label = q.targets[m.entity_type][0]
                resolved.append(Resolution(m, label, m.key, _times(m, BY_KEY), "key"))
            elif m.entity_type == "address":
                resolved.append(_place(m, _place_text(m, mentions), candidates.get(f"{i}:{j}", [])))
            else:
                resolved.append(Resolution(m, None, None, m.confidence, "not_in_graph"))
        out.append(resolved)
    return out


def _compact(text: str) -> str:
    return "".join(text.split())


def _place_text(m: Mention, mentions: list[Mention]) -> str:
    """The mention with the address written right before it (嘉兴南湖区 | 07省道检查站):
    the district there tells apart places of one name."""
    before = [n.text for n in mentions if n.entity_type == "address" and n.end == m.start]
    return _compact("".join(before) + m.text)


def _suffixes(text: str) -> list[str]:
    return [text[at:] for at in range(len(text) - 1)]  # two characters at least


def _place(m: Mention, text: str, candidates: list[dict]) -> Resolution:
    """The one place the mention names: by its compound's canonical address; else by the
    longest name that ends the mention, or the name the mention ends; several of one name
    are told apart by the district the mention writes, or left unresolved."""
    by_address = [c for c in candidates if c["by_address"]]
    if len(by_address) == 1:
        return Resolution(m, by_address[0]["label"], by_address[0]["key"], _times(m, BY_KEY), "place_address")
    ending = [c for c in candidates if text.endswith(c["name"])]
    if ending:
        longest = max(len(c["name"]) for c in ending)
        named = [c for c in ending if len(c["name"]) == longest]
    else:
        named = [c for c in candidates if c["name"].endswith(_compact(m.text))]
    if len(named) > 1:
        named = [c for c in named if c["district"] and c["district"] in text] or named
    if len(named) == 1:
        return Resolution(m, named[0]["label"], named[0]["key"], _times(m, BY_PLACE_NAME), "place_name")
    return Resolution(m, None, None, m.confidence, "ambiguous" if named else "not_in_graph")


def _evidence(mentions: list[Mention]) -> dict[str, list[str]]:
    """The ID numbers, phones and plates a report writes, by entity type."""
    return {
        entity_type: sorted({m.key for m in mentions if m.entity_type == entity_type and m.key})
        for entity_type in ("id_number", "phone", "plate")
    }


def _person(m: Mention, label: str, candidates: list[dict]) -> Resolution:
    for flag, factor, how in (
        ("by_id", BY_ID, "id_number"),
        ("by_phone", BY_PHONE, "phone"),
        ("by_plate", BY_PLATE, "plate"),
    ):
        backed = [c for c in candidates if c[flag]]
        if len(backed) == 1:
            return Resolution(m, label, backed[0]["key"], _times(m, factor), how)
    if len(candidates) == 1:
        return Resolution(m, label, candidates[0]["key"], _times(m, BY_UNIQUE_NAME), "unique_name")
    return Resolution(m, None, None, m.confidence, "ambiguous" if candidates else "not_in_graph")


def _times(m: Mention, factor: float) -> float:
    return round(m.confidence * factor, 3)


def store(
    gateway: Gateway,
    schema: Schema,
    cases: Sequence[CaseText],
    resolutions: Sequence[list[Resolution]],
    *,
    run_id: str,
    source: str,
    now: datetime,
) -> LinkCounts:
    """Write the cases' links and unresolved mentions in one transaction, removing what an
    earlier extraction of these cases stored and this one no longer finds."""
    q = link_cypher(schema)
    links: dict[str, list[dict]] = {label: [] for label in q.write_links}
    unresolved, kept = [], []
    counts = LinkCounts(cases=len(cases))
    for case, resolved in zip(cases, resolutions, strict=True):
        keep = {"case_id": case.case_id, "links": [], "mentions": []}
        for r in resolved:
            m = r.mention
            row = {
                "case_id": case.case_id,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "entity_type": m.entity_type,
                "confidence": r.confidence,
                "file": case.file,
                "row": case.row,
            }
            if r.resolved:
                links[r.label].append({**row, "key": r.key})
                keep["links"].append(f"{m.start}:{m.end}:{m.entity_type}:{r.key}")
                counts.linked += 1
            else:
                unresolved.append({**row, "mention_id": mention_id(case.case_id, m)})
                keep["mentions"].append(mention_id(case.case_id, m))
                counts.unresolved += 1
        kept.append(keep)
    common = {"run": run_id, "source": source, "now": now}

    def work(tx: neo4j.ManagedTransaction) -> None:
        tx.run(q.delete_stale_links, cases=kept).consume()
        tx.run(q.delete_stale_mentions, cases=kept).consume()
        for label, rows in links.items():
            if rows:
                tx.run(q.write_links[label], {**common, "links": rows}).consume()
        if unresolved:
            tx.run(q.write_unresolved, {**common, "mentions": unresolved}).consume()

    gateway.in_write_transaction("extraction.store", work, metadata={"import_run": run_id})
    return counts


def case_texts(gateway: Gateway, schema: Schema, case_ids: Sequence[str]) -> list[CaseText]:
    rows = gateway.read("extraction.case_texts", link_cypher(schema).case_texts, {"ids": list(case_ids)}).data()
    return [CaseText(r["case_id"], r["text"] or "", r["file"], r["row"]) for r in rows]
