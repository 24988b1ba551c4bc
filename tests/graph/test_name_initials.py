"""A name's pinyin initials (张超洋 → zcy): read from pypinyin's dictionary with the surname
read as a surname, declared in the schema with `initials_of`, and refused there when they
could not be filled."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.initials import pinyin_initials, with_initials
from graph.model import SchemaError, load_schema
from settings.table import PROJECT_ROOT

BASE = PROJECT_ROOT / "graph" / "schema"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("张超洋", "zcy"),
        ("王 伟", "ww"),
        ("单田芳", "stf"),  # 单 as a surname is Shan, not dan
        ("曾国藩", "zgf"),  # Zeng, not ceng
        ("仇英", "qy"),
        ("解晓东", "xxd"),
        ("欧阳娜娜", "oynn"),
        ("尉迟恭", "ycg"),  # a compound surname read as one
        ("阿依古丽·买买提", "ayglmmt"),
        ("Tom Smith", None),  # no Chinese: searched as written
        ("", None),
    ],
)
def test_initials_read_the_surname_as_a_surname(name, initials):
    assert pinyin_initials(name) == initials


def test_the_person_label_fills_its_initials_from_the_name():
    person = load_schema(BASE).node("Person")
    assert with_initials(person, {"name": "单田芳", "gender": "男"}) == {
        "name": "单田芳",
        "gender": "男",
        "name_initials": "stf",
    }
    assert with_initials(person, {"name": "Tom"}) == {"name": "Tom"}
    assert with_initials(load_schema(BASE).node("Phone"), {"number": "13800138000"}) == {"number": "13800138000"}


def overlay(folder: Path, label: str, text: str) -> Path:
    extra = folder / "extra"
    (extra / "nodes").mkdir(parents=True)
    (extra / "nodes" / f"{label}.yaml").write_text(text, encoding="utf-8")
    return extra


WITNESS = """label: Witness
names: {{zh: 证人, en: Witness}}
key: witness_id
caption: witness_id
style: {{color: "#123456", shape: ellipse, icon: "证"}}
properties:
  witness_id: {{type: text, names: {{zh: 编号, en: ID}}, required: true}}
  seen_on: {{type: date, names: {{zh: 日期, en: Date}}}}
  initials: {{type: text, names: {{zh: 首字母, en: Initials}}, initials_of: {source}}}
"""


@pytest.mark.parametrize(
    ("source", "fault"),
    [
        ("nickname", "'initials_of' must name a name or text property of Witness"),
        ("seen_on", "'initials_of' must name a name or text property of Witness"),
    ],
)
def test_initials_of_what_is_not_a_text_property_of_the_label_is_refused(tmp_path, source, fault):
    extra = overlay(tmp_path, "Witness", WITNESS.format(source=source))
    with pytest.raises(SchemaError, match=fault) as raised:
        load_schema(BASE, extra)
    assert "Witness.yaml, line 9:" in str(raised.value)


BEFORE = """
CREATE (:Person {id_number: '330402199001010011', name: '单田芳'}),
       (:Person {id_number: '330402199001010012', name: 'Tom Smith'}),
       (:Person {id_number: '330402199001010013', name: '王芳', name_initials: 'wf'})
"""


def test_db_init_fills_the_initials_a_graph_loaded_before_them_lacks(empty_graph, neo4j_env):
    from click.testing import CliRunner

    from cli.db import db

    empty_graph.write("test.before", BEFORE)
    done = CliRunner().invoke(db, ["init"], env=neo4j_env, catch_exceptions=False)
    assert done.exit_code == 0 and "filled 1 derived values" in done.output, done.output
    stored = empty_graph.read("test.initials", "MATCH (p:Person) RETURN p.name AS name, p.name_initials AS i").data()
    assert {row["name"]: row["i"] for row in stored} == {"单田芳": "stf", "Tom Smith": None, "王芳": "wf"}
    again = CliRunner().invoke(db, ["init"], env=neo4j_env, catch_exceptions=False)
    assert "filled" not in again.output
