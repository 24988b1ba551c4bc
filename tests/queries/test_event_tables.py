"""Graph tables in rule files: a declaration the loader cannot vouch for is refused naming
the file and line, a rule reads only its own file's tables, and rows that are not as
declared are refused when read."""

from __future__ import annotations

import duckdb
import pytest

from queries import event_rules, event_tables
from queries.event_rules import EventRuleError

TABLES = """\
tables:
  {name}:
    cypher: "{cypher}"
    columns: {columns}
rules:
  - id: test.owned
    names: {{zh: 车主, en: Owners}}
    sql: {sql}
"""
OWNERS = "MATCH (o:Person)-[:OWNS]->(v:Vehicle) RETURN o.id_number AS person_id, v.plate AS plate"
GOOD = {
    "name": "owners",
    "cypher": OWNERS,
    "columns": "{person_id: string, plate: string}",
    "sql": "SELECT o.person_id FROM passages AS p JOIN owners AS o USING (plate)",
}


@pytest.mark.parametrize(
    ("change", "fault", "line"),
    [
        ({"cypher": OWNERS.replace(" RETURN", " SET v.seen = true RETURN")}, r"table owners: the Cypher is not a", 3),
        ({"cypher": OWNERS.replace("(v:Vehicle)", "(v:Vehicle {plate: $plate})")}, r"\$plate; a table takes no", 3),
        ({"columns": "{person_id: string, plate: point}"}, r"table owners: column 'plate' of type 'point'", 4),
        ({"columns": "[person_id, plate]"}, r"table owners: 'columns' maps each returned column", 4),
        ({"name": "places"}, r"table places: the name is the event store's own", 2),
        ({"sql": "SELECT * FROM passages JOIN vehicles USING (plate)"}, r"test\.owned: the SQL reads vehicles, wh", 8),
        ({"sql": "SELECT plate FROM passages"}, r"table owners is declared but no rule reads it", 2),
        ({"sql": "SELECT FROM WHERE"}, r"rule test\.owned: the SQL does not parse", 8),
    ],
)
def test_a_bad_graph_table_is_refused_naming_file_and_line(tmp_path, change, fault, line):
    path = tmp_path / "bad.yaml"
    path.write_text(TABLES.format(**{**GOOD, **change}), encoding="utf-8")
    with pytest.raises(EventRuleError, match=fault) as refused:
        event_rules.load_rules(tmp_path)
    assert str(refused.value).startswith(f"{path}, line {line}: ")


def test_a_table_declared_otherwise_in_another_file_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(TABLES.format(**GOOD), encoding="utf-8")
    other = OWNERS.replace("RETURN", "WHERE v.usage IS NOT NULL RETURN")
    (tmp_path / "b.yaml").write_text(
        TABLES.format(**{**GOOD, "cypher": other}).replace("test.owned", "test.used"), encoding="utf-8"
    )
    with pytest.raises(EventRuleError, match=r"b\.yaml, line 2: table owners is declared otherwise in .*a\.yaml"):
        event_rules.load_rules(tmp_path)


def test_a_rule_reads_only_the_tables_it_joins(tmp_path):
    (tmp_path / "good.yaml").write_text(TABLES.format(**GOOD), encoding="utf-8")
    [rule] = event_rules.load_rules(tmp_path).values()
    assert [t.name for t in rule.tables] == ["owners"]
    assert rule.tables[0].columns == (("person_id", "string"), ("plate", "string"))


@pytest.mark.parametrize(
    ("cypher", "columns", "fault"),
    [
        ("RETURN 'x' AS person_id", "{person_id: string, plate: string}", r"returns \['person_id'\], the decl"),
        ("RETURN 'x' AS person_id, 'seven' AS plate", "{person_id: string, plate: int}", r"not of its declared type"),
    ],
)
def test_a_table_whose_rows_are_not_as_declared_is_refused_when_read(gateway, tmp_path, cypher, columns, fault):
    path = tmp_path / "odd.yaml"
    path.write_text(TABLES.format(**{**GOOD, "cypher": cypher, "columns": columns}), encoding="utf-8")
    [rule] = event_rules.load_rules(tmp_path).values()
    with pytest.raises(EventRuleError, match=rf"{path}, line 2: table owners: .*{fault}"):
        event_tables.register(duckdb.connect(), gateway, rule.tables)
