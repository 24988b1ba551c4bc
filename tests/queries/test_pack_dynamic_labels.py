"""A pack may not pick its labels or types at run time: Neo4j 5's dynamic labels and types
(`:$($label)`, `:$any(…)`, `:$all(…)`, in patterns, predicates, SET and REMOVE) are refused at
load with a message naming the file, the query and the expression, since a label chosen by a
parameter could be any label, not one the schema and the pack's reviewer know."""

from __future__ import annotations

import pytest

from queries.pack_model import load_catalog
from queries.readonly import check_read_only
from tests.queries.test_pack_model import refusal, write_pack

LABEL = {"label": {"type": "string", "names": {"zh": "标签", "en": "Label"}}}
DYNAMIC = {
    "node label": ("MATCH (n:$($label)) RETURN n", "$($label)"),
    "any of labels": ("MATCH (n:$any([$label])) RETURN n", "$any([$label])"),
    "all of labels": ("MATCH (n:$all([$label, 'Person'])) RETURN n", "$all([$label, 'Person'])"),
    "beside a schema label": ("MATCH (n:Person|$($label)) RETURN n", "$($label)"),
    "relationship type": ("MATCH (a:Person)-[r:$($label)]->(b) RETURN b", "$($label)"),
    "any relationship type": ("MATCH (a:Person)-[r:$ANY($label)]-(b) RETURN b", "$ANY($label)"),
    "in a predicate": ("MATCH (n) WHERE n:$($label) RETURN n", "$($label)"),
    "set": ("MATCH (n:Person) SET n:$($label) RETURN n", "$($label)"),
    "remove": ("MATCH (n:Person) REMOVE n:$( $label ) RETURN n", "$( $label )"),
}


@pytest.mark.parametrize(("cypher", "expression"), DYNAMIC.values(), ids=DYNAMIC.keys())
def test_a_dynamic_label_or_type_is_refused_at_load(tmp_path, schema, cypher, expression):
    message = refusal(write_pack(tmp_path, cypher, parameters=LABEL), schema)
    assert f"dynamic label or type {expression}" in message and "from the schema" in message, message


def test_one_taken_from_a_value_in_the_graph_is_refused_too(tmp_path, schema):
    cypher = "MATCH (c:Case) MATCH (n:$(c.kind)) RETURN n"
    assert "dynamic label or type $(c.kind)" in refusal(write_pack(tmp_path, cypher), schema)


def test_a_choices_query_with_one_is_refused(tmp_path, schema):
    parameters = {"name": {**LABEL["label"], "choices": "MATCH (n:$('Person')) RETURN n.name AS value"}}
    cypher = "MATCH (p:Person {name: $name}) RETURN p"
    assert "dynamic label or type $('Person')" in refusal(write_pack(tmp_path, cypher, parameters=parameters), schema)


def test_the_same_characters_in_a_string_or_comment_are_not_refused(tmp_path, schema):
    cypher = "MATCH (p:Person) WHERE p.name = ':$($x)' // MATCH (n:$($label))\nRETURN p"
    load_catalog(schema, [write_pack(tmp_path, cypher)])


def test_the_server_would_plan_it_so_the_pack_check_is_what_stops_it(gateway):
    # Neo4j itself takes the syntax as a plain read: without the refusal such a pack would load.
    check_read_only(gateway, "MATCH (n:$($label)) RETURN n", {"label": None})


def test_the_built_in_packs_still_load(schema):
    # Their plans are checked on the server by test_pack_model; this is the text check that refuses.
    catalog = load_catalog(schema)
    assert len(catalog.queries) >= 20


# A property chosen by a parameter could be a masked one the pack never declared sensitive.
SUBSCRIPTS = {
    "parameter": ("MATCH (p:Person) RETURN p[$label] AS value", "p[$label]"),
    "string": ("MATCH (p:Person) RETURN p['id_number'] AS value", "p['id_number']"),
    "map projection": ("MATCH (p:Person) RETURN properties(p)[ $label ] AS value", ") [ $label ]"),
}


@pytest.mark.parametrize(("cypher", "expression"), SUBSCRIPTS.values(), ids=SUBSCRIPTS.keys())
def test_a_property_read_by_subscript_is_refused_at_load(tmp_path, schema, cypher, expression):
    message = refusal(write_pack(tmp_path, cypher, parameters=LABEL), schema)
    assert "property read by subscript" in message and "(n.name)" in message, message


def test_lists_may_still_be_indexed(tmp_path, schema):
    cypher = (
        "MATCH path = (p:Person)-[*1..2]-(q) WITH collect(q) AS seen, nodes(path) AS ns "
        "RETURN seen[0] AS first, ns[1..] AS rest, [x IN seen WHERE x:Phone][..3] AS phones, 1 IN [$label] AS any"
    )
    load_catalog(schema, [write_pack(tmp_path, cypher, parameters=LABEL)])
