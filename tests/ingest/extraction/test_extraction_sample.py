"""The import hook on the default sample: every case gets its mentions, as many as the
pipeline finds, and they point where the gold annotations say."""

from __future__ import annotations

import pytest

from ingest.extraction.cases import extractor_for
from ingest.extraction.link import case_texts
from ingest.extraction.mentions import LINKED_TYPES
from training.corpus import from_sample

STORED = """
MATCH (c:Case)
RETURN c.case_id AS case_id,
       [(c)-[m:MENTIONS]->(e) | {start: m.start, end: m.end, type: m.entity_type,
                                key: coalesce(e.id_number, e.number, e.plate, e.address_id)}] AS linked,
       [(c)-[:HAS_MENTION]->(n:Mention) | {start: n.start, end: n.end, type: n.entity_type}] AS unresolved
"""


KEYS_IN_GRAPH = """
UNWIND $keys AS k
WITH k WHERE EXISTS { MATCH (:Person {id_number: k}) } OR EXISTS { MATCH (:Phone {number: k}) }
          OR EXISTS { MATCH (:Vehicle {plate: k}) } OR EXISTS { MATCH (:Address {address_id: k}) }
RETURN collect(DISTINCT k)
"""


@pytest.fixture
def stored(sample_graph):
    return {r["case_id"]: r for r in sample_graph.read("test.stored_mentions", STORED).data()}


def test_every_case_has_its_mentions_and_as_many_as_the_pipeline_finds(sample_graph, schema, stored):
    assert len(stored) >= 150
    assert all(r["linked"] or r["unresolved"] for r in stored.values())
    extractor = extractor_for(sample_graph)
    cases = case_texts(sample_graph, schema, sorted(stored))
    for case, found in zip(cases, extractor.extract_many(c.text for c in cases), strict=True):
        expected = sorted((m.start, m.end, m.entity_type) for m in found if m.entity_type in LINKED_TYPES)
        r = stored[case.case_id]
        assert sorted((m["start"], m["end"], m["type"]) for m in r["linked"] + r["unresolved"]) == expected


def test_links_point_where_the_gold_annotations_say(sample_graph, sample_dir, stored):
    gold = from_sample(sample_dir)
    keys = [a.key for report in gold.values() for a in report.annotations if a.key]
    in_graph = set(sample_graph.read("test.keys_in_graph", KEYS_IN_GRAPH, {"keys": keys}).single_value())
    right = wrong = missed = 0
    for case_id, report in gold.items():
        links = {(m["start"], m["end"], m["type"]): m["key"] for m in stored[case_id]["linked"]}
        kept = {(m["start"], m["end"], m["type"]) for m in stored[case_id]["unresolved"]}
        for a in report.annotations:
            if a.key is None:
                continue  # a person in no registry: must not be linked (checked below)
            got = links.get((a.start, a.end, a.type))
            if a.key not in in_graph:
                # a fresh phone, a passing plate, a building no record names: kept, not linked
                assert got is None and (a.start, a.end, a.type) in kept, (case_id, a)
            elif got is None:
                missed += 1
            elif got == a.key:
                right += 1
            else:
                wrong += 1
        unknown = {(a.start, a.end) for a in report.annotations if a.type == "person" and a.key is None}
        assert not unknown & {(s, e) for s, e, t in links if t == "person"}, case_id
    assert wrong == 0
    assert right / (right + missed) >= 0.97, (right, missed)
