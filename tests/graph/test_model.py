import shutil
from pathlib import Path

import pytest

from graph.ddl import schema_objects
from graph.model import SchemaError, load_schema
from settings.table import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "graph" / "schema"

DOMAIN_LABELS = {
    "Person",
    "Phone",
    "Vehicle",
    "DrivingLicence",
    "Address",
    "Compound",
    "Gate",
    "Checkpoint",
    "Passage",
    "Registration",
    "Shop",
    "Purchase",
    "WatchList",
    "Case",
    "Mention",
    "ImportRun",
    "SourceFile",
}


@pytest.fixture
def schema_copy(tmp_path: Path) -> Path:
    root = tmp_path / "schema"
    shutil.copytree(SHIPPED, root)
    return root


def test_shipped_schema_covers_the_domain_vocabulary(schema):
    assert DOMAIN_LABELS <= set(schema.nodes)
    assert schema.node("Person").key == "id_number"
    assert schema.node("Vehicle").key == "plate"
    assert schema.relationship("PASSED_AT").end == ("Checkpoint", "Gate")
    assert {"prov_run", "prov_file", "prov_row", "first_seen", "last_seen"} <= set(schema.provenance)
    assert schema.masked_properties()["id_number"] == "citizen_id"


def test_derived_indexes_include_fulltext_and_passage_time_ranges(schema):
    objects = {o.name: o for o in schema_objects(schema)}
    fulltext = objects["gb_fulltext_entities"]
    assert {"Person", "Vehicle", "Phone", "Address"} <= set(fulltext.labels)
    assert {"name", "id_number", "plate", "number", "full"} <= set(fulltext.properties)
    assert objects["gb_idx_Passage_plate_time"].properties == ("plate", "time")
    assert objects["gb_idx_Passage_place_id_time"].properties == ("place_id", "time")
    assert objects["gb_key_Person"].kind == "constraint"


def _break(root: Path, relative: str, old: str, new: str) -> Path:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("relative", "old", "new", "line", "fault"),
    [
        ("nodes/Person.yaml", "type: citizen_id", "type: citizenid", 11, "unknown type 'citizenid'"),
        ("nodes/Person.yaml", "key: id_number", "key: passport", 6, "key 'passport' is not one of its properties"),
        ("nodes/Person.yaml", "caption: name", "caption: nickname", 7, "caption 'nickname'"),
        ("nodes/Person.yaml", "names: {zh: 人员, en: Person}", "names: {zh: 人员}", 2, "names need both 'zh' and 'en'"),
        ("nodes/Person.yaml", "label: Person", "label: Person\nlabels: oops", 2, "unknown key(s) labels"),
        (
            "nodes/Person.yaml",
            "  gender:\n    type: enum\n    values: [男, 女]",
            "  gender:\n    type: enum",
            24,
            "an enum needs its 'values'",
        ),
        ("nodes/Vehicle.yaml", 'color: "#337ab7"', 'color: "blue"', 8, "must look like #1f3a93"),
        # the parser's line is in the fault: the file has no line of its own to name
        ("nodes/Phone.yaml", "properties:\n", "properties:\n  - oops\n", 0, "YAML syntax error at line 11"),
        ("relationships/OWNS.yaml", "to: [Vehicle]", "to: [Car]", 4, "unknown label 'Car'"),
        ("relationships/OWNS.yaml", "type: OWNS", "type: owns", 1, "must be UPPER_SNAKE_CASE"),
    ],
)
def test_a_malformed_file_is_named_with_its_line_and_fault(schema_copy, relative, old, new, line, fault):
    broken = _break(schema_copy, relative, old, new)
    with pytest.raises(SchemaError) as caught:
        load_schema(schema_copy)
    assert caught.value.path == broken
    assert str(broken) in str(caught.value)
    assert fault in str(caught.value)
    assert caught.value.line == line
    assert not line or f"{broken}, line {line}: " in str(caught.value)


def test_a_duplicate_label_names_both_files(schema_copy):
    (schema_copy / "nodes" / "Person.yaml").rename(schema_copy / "nodes" / "Human.yaml")
    with pytest.raises(SchemaError, match=r"file name must be the label: expected Person\.yaml"):
        load_schema(schema_copy)


def test_a_new_type_is_added_by_data_alone(schema_copy):
    (schema_copy / "nodes" / "Boat.yaml").write_text(
        """label: Boat
names: {zh: 船舶, en: Boat}
key: hull_no
caption: hull_no
style: {color: "#123456", shape: diamond, icon: "船"}
properties:
  hull_no: {type: text, names: {zh: 船号, en: Hull number}, required: true, fulltext: true}
  berth: {type: text, names: {zh: 泊位, en: Berth}, index: true}
""",
        encoding="utf-8",
    )
    (schema_copy / "relationships" / "MOORS.yaml").write_text(
        "type: MOORS\nnames: {zh: 停泊, en: moors}\nfrom: [Person]\nto: [Boat]\n", encoding="utf-8"
    )
    extended = load_schema(schema_copy)
    assert extended.relationship("MOORS").connects("Person", "Boat")
    names = {o.name for o in schema_objects(extended)}
    assert {"gb_key_Boat", "gb_idx_Boat_berth"} <= names
    fulltext = next(o for o in schema_objects(extended) if o.index_type == "FULLTEXT")
    assert "Boat" in fulltext.labels and "hull_no" in fulltext.properties
