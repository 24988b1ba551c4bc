"""The linker's labels, keys and properties are the schema's."""

from __future__ import annotations

from ingest.extraction.link_cypher import TARGETS
from ingest.extraction.mentions import LINKED_TYPES


def test_mentions_point_at_labels_the_schema_allows_by_their_keys(schema):
    mentions = schema.relationship("MENTIONS")
    for label, key in TARGETS.values():
        assert mentions.connects("Case", label)
        assert schema.node(label).key == key
    assert set(mentions.properties) >= {"start", "end", "text", "entity_type", "confidence"}
    assert schema.relationship("HAS_MENTION").connects("Case", "Mention")


def test_every_linked_type_is_a_mention_type_of_the_schema(schema):
    assert set(TARGETS) == set(LINKED_TYPES)
    assert set(schema.node("Mention").properties["entity_type"].values) == set(LINKED_TYPES)
    assert set(schema.relationship("MENTIONS").properties["entity_type"].values) == set(LINKED_TYPES)
