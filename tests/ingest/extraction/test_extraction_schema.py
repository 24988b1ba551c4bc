"""The linker's labels, keys and properties are the schema's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph.model import load_schema
from ingest.extraction.link_cypher import LinkSchemaError, link_cypher
from ingest.extraction.mentions import LINKED_TYPES
from settings.table import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "graph" / "schema"


def test_mentions_point_at_labels_the_schema_allows_by_their_keys(schema):
    mentions = schema.relationship("MENTIONS")
    cypher = link_cypher(schema)
    for label, key in [*cypher.targets.values(), *cypher.place_targets.items()]:
        assert mentions.connects("Case", label)
        assert schema.node(label).key == key
    assert set(mentions.properties) >= {"start", "end", "text", "entity_type", "confidence"}
    assert schema.relationship("HAS_MENTION").connects("Case", "Mention")


def test_every_linked_type_is_a_mention_type_of_the_schema(schema):
    assert set(link_cypher(schema).targets) == set(LINKED_TYPES)
    assert set(schema.node("Mention").properties["entity_type"].values) == set(LINKED_TYPES)
    assert set(schema.relationship("MENTIONS").properties["entity_type"].values) == set(LINKED_TYPES)


def _edited(tmp_path: Path, relative: str, old: str, new: str):
    root = tmp_path / "schema"
    shutil.copytree(SHIPPED, root)
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_schema(root)


def test_a_renamed_key_in_the_schema_is_the_key_the_linker_matches_on(tmp_path):
    schema = _edited(tmp_path, "nodes/Phone.yaml", "number", "msisdn")
    cypher = link_cypher(schema)
    assert cypher.targets["phone"] == ("Phone", "msisdn")
    assert "MATCH (e:Phone {msisdn: l.key})" in cypher.write_links["Phone"]
    assert "(:Phone {msisdn: k})" in cypher.existing_keys
    statements = [cypher.existing_keys, cypher.name_candidates, cypher.delete_stale_links, *cypher.write_links.values()]
    assert not any(re.search(r"\bnumber\b", statement) for statement in statements)


def test_a_schema_without_what_the_linker_writes_is_refused_when_the_statements_are_built(tmp_path):
    old = "to: [Person, Vehicle, Phone, Address, Checkpoint, Gate, Compound]"
    schema = _edited(tmp_path, "relationships/MENTIONS.yaml", old, "to: [Person]")
    with pytest.raises(LinkSchemaError, match="MENTIONS does not connect Case to Phone"):
        link_cypher(schema)
    places = _edited(tmp_path / "places", "relationships/MENTIONS.yaml", old, "to: [Person, Vehicle, Phone, Address]")
    with pytest.raises(LinkSchemaError, match="MENTIONS does not connect Case to Checkpoint"):
        link_cypher(places)
