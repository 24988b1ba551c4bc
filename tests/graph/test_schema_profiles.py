"""Schema profiles: the China schema as shipped, or a country-neutral one, chosen by
GOLDENBELL_SCHEMA_PROFILE. Under the neutral profile a UK or German person, phone and
plate validate with no schema of one's own, the workbench's own queries load and answer,
and the packs written for Chinese data are left out and said to be."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from access.actor import Actor
from access.visibility import Visibility
from graph.model import VALUE_TYPES, SchemaError, load_schema
from ingest.normalize import normalise
from ingest.normalize.invalid import InvalidValue
from ingest.reject_reasons import Reason
from queries.pack_model import load_catalog
from queries.page_queries import PAGE_QUERIES
from queries.runner import Runner
from settings.table import PROJECT_ROOT
from tests.neutral_graph import LINKS, NODES
from tests.neutral_graph import neutral_graph as loaded_neutral
from workbench.map_state import MapState

BASE = PROJECT_ROOT / "graph" / "schema"
CHINESE_TYPES = {"citizen_id", "plate", "phone", "address"}
SUPERVISOR = Actor("a-supervisor", "supervisor", case_ref="EU-2026-0007", reason="intelligence_analysis")
ANALYST = Actor("an-analyst", "analyst", case_ref="EU-2026-0007", reason="intelligence_analysis")


@pytest.fixture(scope="module")
def neutral():
    return load_schema(BASE, None, "neutral")


def test_the_china_profile_is_the_schema_as_it_always_was():
    as_shipped = load_schema(BASE)
    china = load_schema(BASE, None, "china")
    assert china.profile == as_shipped.profile == "china" and not china.left_out
    assert china.nodes == as_shipped.nodes and china.relationships == as_shipped.relationships
    assert china.node("Person").key_property.type == "citizen_id"
    assert {"Registration", "Compound", "Passage", "HUKOU_AT"} <= set(china.nodes) | set(china.relationships)


def test_the_neutral_profile_holds_what_any_investigation_holds_and_nothing_chinese(neutral):
    assert {"Person", "Phone", "Vehicle", "Address", "Organisation", "Event", "Document", "Case"} <= set(neutral.nodes)
    assert {"WORKS_FOR", "INVOLVED_IN", "OCCURRED_AT", "KNOWS", "CALLED", "REFERS_TO"} <= set(neutral.relationships)
    for node in neutral.nodes.values():
        for prop in node.properties.values():
            assert prop.type not in CHINESE_TYPES, f"{node.label}.{prop.name} is {prop.type}"
    # What only Chinese data has is left out, and a relationship type left with no end goes with it.
    assert {"Registration", "Compound", "Shop", "Purchase", "HUKOU_AT", "REGISTERED_AT"} <= neutral.left_out
    assert not neutral.left_out & (set(neutral.nodes) | set(neutral.relationships))
    assert "Checkpoint" not in neutral.relationship("MENTIONS").end
    assert neutral.relationship("MENTIONS").end[:4] == ("Person", "Vehicle", "Phone", "Address")
    assert set(neutral.fulltext.labels) >= {"Organisation", "Event", "Document"}


@pytest.mark.parametrize(
    "label, prop, raw, stored",
    [
        ("Person", "id_number", "ab 12-34-56 c", "AB123456C"),
        ("Phone", "number", "+44 20 7946 0123", "+442079460123"),
        ("Phone", "number", "+49 30 901820", "+4930901820"),
        ("Vehicle", "plate", "ab12 cde", "AB12CDE"),
        ("Vehicle", "plate", "B-MW 1234", "BMW1234"),
    ],
)
def test_identifiers_of_any_country_validate(neutral, label, prop, raw, stored):
    rule = neutral.node(label).properties[prop]
    assert normalise(rule.type, raw, rule=rule.rule) == stored


def test_a_number_without_its_country_code_is_refused_with_the_reason(neutral):
    rule = neutral.node("Phone").properties["number"]
    with pytest.raises(InvalidValue) as refused:
        normalise(rule.type, "020 7946 0123", rule=rule.rule)
    assert refused.value.reason is Reason.PHONE_INVALID and "020 7946 0123" in str(refused.value)


def test_a_profile_that_does_not_exist_is_named_with_the_ones_that_do():
    with pytest.raises(SchemaError, match=r"no schema profile 'uk'.*china, neutral"):
        load_schema(BASE, None, "uk")


def test_a_folder_without_profiles_refuses_any_but_the_default(tmp_path):
    own = tmp_path / "schema"
    shutil.copytree(BASE, own, ignore=shutil.ignore_patterns("profiles"))
    assert set(load_schema(own).nodes) == set(load_schema(BASE).nodes)
    with pytest.raises(SchemaError, match=r"GOLDENBELL_SCHEMA_PROFILE=neutral.*no profiles/ folder"):
        load_schema(own, None, "neutral")


def test_a_profile_leaving_out_a_label_the_schema_lacks_is_refused(tmp_path):
    own = tmp_path / "schema"
    shutil.copytree(BASE, own)
    profile = own / "profiles" / "neutral" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Compound,", "Compund,"), encoding="utf-8")
    with pytest.raises(SchemaError, match="leaves_out names label Compund"):
        load_schema(own, None, "neutral")


def test_a_folder_of_ones_own_brings_back_a_label_the_profile_leaves_out(tmp_path):
    extra = tmp_path / "mine"
    (extra / "nodes").mkdir(parents=True)
    shutil.copy(BASE / "nodes" / "Shop.yaml", extra / "nodes")
    schema = load_schema(BASE, extra, "neutral")
    assert "Shop" in schema.nodes and "Shop" not in schema.left_out
    assert "Purchase" not in schema.nodes  # SOLD_BY still has no start, so it stays out
    assert "SOLD_BY" in schema.left_out


def test_value_types_of_the_profile_are_not_built_in_names(neutral):
    assert set(neutral.value_types) == {"identifier", "phone_intl", "registration"}
    assert not set(neutral.value_types) & VALUE_TYPES


def test_packs_for_chinese_data_are_left_out_and_said_to_be(neutral):
    catalog = load_catalog(neutral, strict=False)
    assert not catalog.faults, [str(f) for f in catalog.faults]
    assert set(PAGE_QUERIES) <= set(catalog.queries)
    assert {"dangerous_goods", "floating_population", "vehicles.revoked_licence_driving"} <= set(catalog.other_profiles)
    assert "dangerous_goods" not in catalog.packs and "identity.shared_phones" in catalog.queries


def test_query_list_under_the_neutral_profile_loads_everything_it_should(tmp_path):
    from cli.query import query

    env = {"GOLDENBELL_SCHEMA_PROFILE": "neutral", "GOLDENBELL_HOME": str(tmp_path)}
    listed = CliRunner().invoke(query, ["list"], env=env, catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    assert "search.entities" in listed.stdout and "dangerous_goods.night_purchases" not in listed.stdout
    assert "not loaded under neutral: dangerous_goods, floating_population" in " ".join(listed.stdout.split())


@pytest.fixture(scope="module")
def neutral_graph(gateway, tmp_path_factory):
    with loaded_neutral(gateway, tmp_path_factory.mktemp("eu"), tmp_path_factory.mktemp("work")) as (_, report):
        yield report


@pytest.fixture(scope="module")
def runner(neutral_graph, gateway, neutral, neo4j_settings, tmp_path_factory):
    from access.audit.log import AuditLog

    audit = AuditLog(tmp_path_factory.mktemp("audit") / "audit.jsonl")
    return Runner(gateway, load_catalog(neutral), neutral, neo4j_settings, audit)


def test_a_european_dataset_loads_with_no_schema_or_spec_of_its_own(neutral_graph, gateway):
    rows = sum(len(lines) - 1 for lines in {**NODES, **LINKS}.values())
    assert neutral_graph.rows_rejected == 0 and neutral_graph.rows_loaded == rows
    stored = gateway.read(
        "test.ids", "MATCH (p:Person)-[:HAS_PHONE]->(f:Phone) RETURN p.id_number AS id, f.number AS phone ORDER BY id"
    ).records
    assert [(r["id"], r["phone"]) for r in stored] == [
        ("QQ123456C", "+442079460123"),
        ("SZ918273", "+442079460456"),
        ("T22000129", "+4930901820"),
    ]


def test_the_workbench_search_finds_fragments_of_foreign_identifiers(runner):
    by_id = runner.run("search.entities", {"text": "3456", "labels": []}, actor=SUPERVISOR).rows
    assert [row["caption"] for row in by_id][:1] == ["Ada Fenwick"]
    by_phone = runner.run("search.entities", {"text": "79460456", "labels": []}, actor=SUPERVISOR).rows
    assert {row["caption"] for row in by_phone} >= {"Mira Kovac"}
    by_plate = runner.run("search.entities", {"text": "AB12", "labels": []}, actor=SUPERVISOR).rows
    assert {row["label"] for row in by_plate} >= {"Vehicle"}
    by_name = runner.run("search.entities", {"text": "Harbour Freight", "labels": []}, actor=SUPERVISOR).rows
    assert [row["label"] for row in by_name][:1] == ["Organisation"]


def test_an_analyst_sees_foreign_identifiers_masked(runner, neutral):
    outcome = runner.run("search.entities", {"text": "+442079460456", "labels": []}, actor=ANALYST)
    assert {row["label"] for row in outcome.rows} >= {"Phone", "Person"}
    seen = Visibility(sees_all=False).outcome(neutral, outcome)
    shown = json.dumps({"rows": seen.rows, "nodes": seen.nodes}, ensure_ascii=False)
    assert "Mira Kovac" in shown and "0456" in shown  # the last four stay, to tell numbers apart
    assert "2079460456" not in shown and "SZ918273" not in shown and "918273" not in shown
    assert "Person:****8273" in shown and "+44******0456" in shown


def test_the_link_explorer_expands_through_the_neutral_types(runner):
    outcome = runner.run("links.neighbourhood", {"start": "Person:QQ123456C", "hops": 2}, actor=SUPERVISOR)
    drawn = MapState()
    drawn.merge(outcome.nodes, outcome.relationships)  # as the map under the results does
    captions = {node["caption"] for node in drawn.nodes.values()}
    assert {"Harbour Freight Ltd", "Warehouse break-in", "Mira Kovac", "Jonas Brenner", "AB12CDE (Ford)"} <= captions
    types = {edge["type"] for edge in drawn.edges.values()}
    assert {"WORKS_FOR", "INVOLVED_IN", "HAS_PHONE", "OWNS"} <= types
