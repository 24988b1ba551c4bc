"""Graph tables in rule files: a declaration the loader cannot vouch for is refused naming
the file and line, a rule reads only its own file's tables, and rows that are not as
declared are refused when read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from graph.errors import MemoryLimitExceeded
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
        # a date's text is not a date
        ("RETURN 'x' AS person_id, '2025-01-01' AS plate", "{person_id: string, plate: date}", r"not of its declared"),
    ],
)
def test_a_table_whose_rows_are_not_as_declared_is_refused_when_read(gateway, tmp_path, cypher, columns, fault):
    path = tmp_path / "odd.yaml"
    path.write_text(TABLES.format(**{**GOOD, "cypher": cypher, "columns": columns}), encoding="utf-8")
    [rule] = event_rules.load_rules(tmp_path).values()
    with pytest.raises(EventRuleError, match=rf"{path}, line 2: table owners: .*{fault}"):
        event_tables.register(duckdb.connect(), gateway, rule.tables)


def test_a_tables_rows_come_whole_and_in_order_with_nulls_and_dates_in_place(gateway, tmp_path, monkeypatch):
    cypher = (
        "UNWIND range(1, 8) AS n RETURN toString(n) AS id, CASE WHEN n % 3 = 0 THEN null ELSE n END AS k, "
        "CASE WHEN n % 2 = 0 THEN date('2025-01-0' + toString(n)) END AS d, "
        "datetime({epochSeconds: n * 3600}) AS t ORDER BY n DESC"
    )
    columns = "{id: string, k: int, d: date, t: datetime}"
    path = tmp_path / "rows.yaml"
    sql = "SELECT p.plate FROM passages AS p JOIN owners AS o ON o.id = p.plate"
    path.write_text(TABLES.format(**{**GOOD, "cypher": cypher, "columns": columns, "sql": sql}), encoding="utf-8")
    [rule] = event_rules.load_rules(tmp_path).values()
    expected = [
        (
            str(n),
            None if n % 3 == 0 else n,
            date(2025, 1, n) if n % 2 == 0 else None,
            datetime.fromtimestamp(n * 3600, tz=UTC),
        )
        for n in range(8, 0, -1)
    ]

    def read() -> list[tuple]:
        table = event_tables.read_table(gateway, rule.tables[0])
        return list(zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True))

    assert read() == expected
    monkeypatch.setattr(event_tables, "_CHUNK_ROWS", 3)  # eight rows in three lists
    assert read() == expected

    def too_many(*_args):
        raise MemoryLimitExceeded("the transaction's memory is spent", query_name="events.table.owners")

    # Rows the server cannot gather in a transaction's memory come one record a row.
    monkeypatch.setattr(event_tables, "_rows_in_chunks", too_many)
    assert read() == expected
