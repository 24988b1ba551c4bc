"""Captions as templates (`{name} {surname}`, `{plate} ({brand})`): what search, the map and
the profile call an entity, filled from its properties, masked as its parts are."""

from __future__ import annotations

from pathlib import Path

import pytest

from access.visibility import Visibility
from graph.model import SchemaError, load_schema
from queries.subgraph import extract
from settings.table import PROJECT_ROOT

BASE = PROJECT_ROOT / "graph" / "schema"


def overlay(folder: Path, **captions: str) -> Path:
    """Copies of built-in label files with another caption."""
    extra = folder / "captions"
    (extra / "nodes").mkdir(parents=True)
    for label, caption in captions.items():
        lines = (BASE / "nodes" / f"{label}.yaml").read_text(encoding="utf-8").splitlines()
        lines = [line for line in lines if not line.startswith("caption:")] + [f'caption: "{caption}"']
        (extra / "nodes" / f"{label}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return extra


def test_a_template_is_filled_and_empty_brackets_are_left_out(tmp_path):
    schema = load_schema(BASE, overlay(tmp_path, Vehicle="{plate} ({brand})"))
    vehicle = schema.node("Vehicle")
    assert (vehicle.caption, vehicle.caption_properties) == ("plate", ("plate", "brand"))
    assert vehicle.caption_of({"plate": "浙F12345", "brand": "大众"}) == "浙F12345 (大众)"
    assert vehicle.caption_of({"plate": "浙F12345"}) == "浙F12345"
    assert vehicle.caption_of({}) is None
    # A plain caption is its property, as before.
    assert schema.node("Phone").caption_of({"number": "13800138000"}) == "13800138000"


def test_search_the_map_and_the_profile_show_the_template(empty_graph, tmp_path):
    schema = load_schema(BASE, overlay(tmp_path, Vehicle="{plate} ({brand})", Person="{name} {id_number}"))
    empty_graph.write(
        "test.captions",
        "CREATE (:Person {id_number: '330402199001010011', name: '王芳'})-[:OWNS]->"
        "(:Vehicle {plate: '浙F12345', brand: '大众'})",
    )
    result = empty_graph.read("test.captions", "MATCH (p:Person)-[o:OWNS]->(v:Vehicle) RETURN p, o, v")
    nodes = {node["label"]: node for node in extract(result.records, schema).nodes.values()}
    assert nodes["Vehicle"]["caption"] == "浙F12345 (大众)"
    assert nodes["Person"]["caption"] == "王芳 330402199001010011"
    # A role without the right to see ID numbers gets the caption filled from masked values.
    masked = Visibility(sees_all=False).node(schema, nodes["Person"])
    assert masked["caption"] == "王芳 **************0011"
    assert Visibility(sees_all=False).node(schema, nodes["Vehicle"])["caption"] == "浙F12345 (大众)"


def test_the_map_page_names_places_by_the_template(empty_graph, tmp_path):
    from queries.geo import _places_cypher

    schema = load_schema(BASE, overlay(tmp_path, Checkpoint="{name} [{checkpoint_id}]"))
    empty_graph.write(
        "test.place",
        "CREATE (:Checkpoint {checkpoint_id: 'KK001', name: $name, location: point($at)})",
        {"name": "南湖大道卡口", "at": {"longitude": 120.7, "latitude": 30.7}},
    )
    rows = empty_graph.read("test.places", _places_cypher(schema, "Checkpoint", "location", True), {"limit": 5}).data()
    assert schema.node("Checkpoint").caption_of(rows[0]["name"]) == "南湖大道卡口 [KK001]"


@pytest.mark.parametrize(
    "caption, fault",
    [
        ("{nickname} {name}", "'nickname' of '{nickname} {name}' is not one of its properties"),
        ("{name!r}", "names its properties in braces"),
        ("{name:>10}", "names its properties in braces"),
        ("{name", "is not a template"),
        ("{}", "names its properties in braces"),
    ],
)
def test_a_bad_template_is_refused_with_its_file(tmp_path, caption, fault):
    with pytest.raises(SchemaError) as caught:
        load_schema(BASE, overlay(tmp_path, Person=caption))
    assert fault in str(caught.value)
    assert "Person.yaml" in str(caught.value)
