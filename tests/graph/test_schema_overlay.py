"""A folder of one's own label and type files laid over the schema (GOLDENBELL_SCHEMA_EXTRA_DIR):
new files add, a built-in name replaces, and the documented example is what loads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph import ddl
from graph.gateway import Gateway
from graph.model import SchemaError, load_schema, schema_for
from settings.table import PROJECT_ROOT, Settings

BASE = PROJECT_ROOT / "graph" / "schema"
DOC = PROJECT_ROOT / "docs" / "schema-files.md"
_EXAMPLE = re.compile(r"```yaml\n# (my-schema/[^\n]+)\n(.*?)```", re.S)


def documented_example(folder: Path) -> Path:
    """The hotel example of docs/schema-files.md, written where its comments say."""
    blocks = _EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 2, "the doc's example is a label file and a relationship type file"
    for name, text in blocks:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "my-schema"


def test_the_documented_example_adds_a_label_and_a_type(tmp_path):
    schema = load_schema(BASE, documented_example(tmp_path))
    hotel = schema.node("Hotel")
    assert (hotel.key, hotel.caption) == ("licence_no", "name")
    assert hotel.properties["front_desk_phone"].mask == "phone"
    assert schema.relationship("STAYED_AT").connects("Person", "Hotel")
    assert "Hotel" in schema.fulltext.labels
    # Everything built in is still there, unchanged.
    base = load_schema(BASE)
    assert set(base.nodes) < set(schema.nodes)
    assert all(schema.nodes[label] == node for label, node in base.nodes.items())


def test_db_init_creates_what_the_documented_example_derives(gateway: Gateway, tmp_path):
    schema = load_schema(BASE, documented_example(tmp_path))
    try:
        created = {item.name for item in ddl.apply_schema(gateway, schema) if item.outcome == "created"}
        assert {"gb_key_Hotel", "gb_idx_Hotel_district"} <= created
    finally:
        for name in ("gb_key_Hotel",):
            gateway.write("test.drop", f"DROP CONSTRAINT {name} IF EXISTS")
        gateway.write("test.drop", "DROP INDEX gb_idx_Hotel_district IF EXISTS")


def test_a_built_in_name_replaces_that_file(tmp_path):
    extra = tmp_path / "extra"
    (extra / "nodes").mkdir(parents=True)
    text = (BASE / "nodes" / "Vehicle.yaml").read_text(encoding="utf-8")
    # A country whose plates the Chinese rules would refuse: the plate is plain text here.
    text = text.replace("    type: plate\n", "    type: text\n").replace("caption: plate", "caption: brand")
    (extra / "nodes" / "Vehicle.yaml").write_text(text, encoding="utf-8")
    schema = load_schema(BASE, extra)
    vehicle = schema.node("Vehicle")
    assert vehicle.properties["plate"].type == "text"
    assert vehicle.caption == "brand"
    assert vehicle.path == extra / "nodes" / "Vehicle.yaml"
    assert schema.relationship("OWNS").connects("Person", "Vehicle")


def test_a_new_type_may_join_a_label_of_the_same_folder(tmp_path):
    extra = documented_example(tmp_path)
    (extra / "relationships" / "RUNS.yaml").write_text(
        "type: RUNS\nnames: {zh: 经营, en: runs}\nfrom: [Person]\nto: [Hotel, Shop]\n", encoding="utf-8"
    )
    assert load_schema(BASE, extra).relationship("RUNS").connects("Person", "Shop")


@pytest.mark.parametrize(
    "files, fault",
    [
        ({"schema.yaml": "version: 1\n"}, "schema.yaml (provenance, full-text index) stays the base schema's"),
        ({"nodes/README.txt": "notes\n"}, "has no nodes/, relationships/ or types/ *.yaml files"),
        (
            {"relationships/STAYED_AT.yaml": "type: STAYED_AT\nnames: {zh: 入住, en: in}\nfrom: Person\nto: Hotel\n"},
            "unknown label 'Hotel'",
        ),
        (
            {"nodes/Hotel.yaml": "label: Inn\nnames: {zh: 旅馆, en: Inn}\n"},
            "file name must be the label: expected Inn.yaml",
        ),
    ],
)
def test_a_bad_extra_folder_is_refused_with_the_file(tmp_path, files, fault):
    extra = tmp_path / "extra"
    for name, text in files.items():
        (extra / name).parent.mkdir(parents=True, exist_ok=True)
        (extra / name).write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        load_schema(BASE, extra)
    assert fault in str(caught.value)
    assert str(extra) in str(caught.value)


def test_a_missing_extra_folder_names_the_setting(tmp_path):
    with pytest.raises(SchemaError, match="GOLDENBELL_SCHEMA_EXTRA_DIR"):
        load_schema(BASE, tmp_path / "nowhere")


def test_the_setting_reaches_every_command_through_the_workspace_schema(tmp_path):
    extra = documented_example(tmp_path)
    settings = Settings.from_env({"GOLDENBELL_HOME": str(tmp_path / "home"), "GOLDENBELL_SCHEMA_EXTRA_DIR": str(extra)})
    assert "Hotel" in schema_for(settings).nodes
    plain = Settings.from_env({"GOLDENBELL_HOME": str(tmp_path / "home")})
    assert "Hotel" not in schema_for(plain).nodes


def test_an_edited_copy_of_the_whole_schema_still_works_as_before(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(BASE, copy)
    assert set(load_schema(copy).nodes) == set(load_schema(BASE).nodes)


def test_a_datasets_own_camel_case_names_are_kept_and_unsafe_ones_refused(tmp_path):
    extra = documented_example(tmp_path)
    hotel = extra / "nodes" / "Hotel.yaml"
    text = hotel.read_text(encoding="utf-8")
    hotel.write_text(text + "  starRating:\n    type: int\n    names: {zh: 星级, en: Stars}\n", encoding="utf-8")
    assert "starRating" in load_schema(BASE, extra).node("Hotel").properties
    hotel.write_text(text + "  star-rating:\n    type: int\n    names: {zh: 星级, en: Stars}\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="property 'star-rating': a property name starts with a lower-case letter"):
        load_schema(BASE, extra)
