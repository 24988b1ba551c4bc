"""The profile's own reads name only labels, relationship types and properties the schema has,
so a renamed type fails here rather than leaving a profile silently without its flags."""

from __future__ import annotations

import re

from queries.profile_facts import LINK_CONTEXT, STOPPED_LICENCE, WANTED_KIND, flags_cypher


def test_the_profile_reads_name_only_what_the_schema_has(schema):
    text = flags_cypher(schema, "Person") + LINK_CONTEXT
    labels = set(re.findall(r"[(:]\w*:(\w+)", text)) | set(re.findall(r"other:(\w+)", text))
    types = set(re.findall(r"\[\w*:(\w+)\]", text))
    assert labels and types
    assert labels <= set(schema.nodes), labels - set(schema.nodes)
    assert types <= set(schema.relationships), types - set(schema.relationships)
    flags = flags_cypher(schema, "Person")
    for alias, properties in (
        ("w", schema.nodes["WatchList"].properties),
        ("d", schema.nodes["DrivingLicence"].properties),
        ("a", schema.nodes["Alert"].properties),
        ("l", schema.relationships["LISTED_ON"].properties),
    ):
        assert set(re.findall(rf"\b{alias}\.(\w+)", flags)) <= set(properties), alias
    # One hop further, every property read is one some label has (an address's full text, a name).
    known = {name for node in schema.nodes.values() for name in node.properties}
    assert set(re.findall(r"\b[a-z]\.(\w+)", LINK_CONTEXT)) <= known


def test_the_flagged_values_are_values_the_schema_allows(schema):
    assert set(STOPPED_LICENCE) <= set(schema.nodes["DrivingLicence"].properties["status"].values)
    assert WANTED_KIND in schema.nodes["WatchList"].properties["kind"].values


def test_the_fields_a_profile_shows_are_the_schemas_own(schema):
    from workbench.profile_parts import IDENTITY_ORDER, LICENCE_WORDS, LINKED_FIELDS

    for label, names in {**LINKED_FIELDS, **IDENTITY_ORDER}.items():
        assert set(names) <= set(schema.nodes[label].properties), label
    assert set(LICENCE_WORDS) == set(schema.nodes["DrivingLicence"].properties["status"].values)
