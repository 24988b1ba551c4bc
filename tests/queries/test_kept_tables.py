"""A graph table is kept in the event store and read from there while nothing it depends on
has changed, as goldenbell's writes tell the change log: a day's passages (new vehicles,
SEEN_AT) keep the owners' table, a change to what it reads does not, and a table whose
plan reads past what names can cover is read from the graph every time."""

from __future__ import annotations

import stat

import duckdb
import pytest

from graph.changes import declared
from ingest.passages.seen_at import WRITES
from queries import event_rules, event_tables

RULES = """\
tables:
  owners:
    cypher: "MATCH (o:Person)-[:OWNS]->(v) RETURN o.id_number AS person_id, v.plate AS plate"
    columns: {person_id: string, plate: string}
  vehicles:
    cypher: "MATCH (v:Vehicle) RETURN v.plate AS plate"
    columns: {plate: string}
  usages:
    cypher: "MATCH (v:Vehicle) WHERE v.usage IS NOT NULL RETURN v.plate AS plate, v.usage AS usage"
    columns: {plate: string, usage: string}
  linked:
    cypher: "MATCH (o:Person)-[r]->(x) RETURN o.id_number AS person_id, x.plate AS plate"
    columns: {person_id: string, plate: string}
rules:
  - id: test.kept
    names: {zh: 车主, en: Owners}
    sql: >-
      SELECT p.plate FROM passages AS p JOIN owners USING (plate) JOIN vehicles USING (plate)
      JOIN linked USING (plate) JOIN usages USING (plate)
"""


@pytest.fixture
def tables(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "kept.yaml").write_text(RULES, encoding="utf-8")
    [rule] = event_rules.load_rules(tmp_path / "rules").values()
    return rule.tables


def _read(gateway, tables, kept) -> tuple[dict[str, list], dict[str, str | None]]:
    con = duckdb.connect()
    try:
        read = event_tables.register(con, gateway, tables, kept=kept)
        keys = event_tables.table_keys(con, [t.name for t in tables])
    finally:
        con.close()
    return {name: sorted(map(str, rows.to_pylist())) for name, rows in read.items()}, keys


def test_a_table_is_read_from_its_copy_while_its_key_holds(empty_graph, tables, tmp_path):
    empty_graph.write(
        "test.owner", "CREATE (:Person {id_number: 'P1'})-[:OWNS]->(:Vehicle {plate: '浙A10001', usage: '非营运'})"
    )
    kept = tmp_path / "events" / event_tables.KEPT_FOLDER
    first, keys = _read(empty_graph, tables, kept)
    assert len(first["owners"]) == 1 and keys["owners"] and keys["vehicles"]
    assert stat.S_IMODE((kept / "owners.parquet").stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.stat().st_mode) == 0o700

    # A write that says it changed something else: the copy is what is read (which shows it is used).
    empty_graph.write(
        "test.untold",
        "MATCH (o:Person {id_number: 'P1'}) CREATE (o)-[:OWNS]->(:Vehicle {plate: '浙A10002'})",
        changes=declared(updates=["Alert.status"]),
    )
    again, again_keys = _read(empty_graph, tables, kept)
    assert again_keys == keys and again["owners"] == first["owners"] and again["vehicles"] == first["vehicles"]
    assert len(again["linked"]) == 2, "a table no key covers is read from the graph"

    # A day's passages: a vehicle new to the graph and its SEEN_AT, as the passage import writes them.
    empty_graph.write(
        "test.place",
        "CREATE (:Checkpoint {checkpoint_id: 'C1'})",
        changes=declared(nodes={"Checkpoint": ["checkpoint_id"]}),
    )
    empty_graph.write(
        "test.seen",
        "MATCH (c:Checkpoint {checkpoint_id: 'C1'}) MERGE (v:Vehicle {plate: '浙A99999'}) SET v.last_seen = datetime() "
        "MERGE (v)-[s:SEEN_AT]->(c) SET s.passages = 3",
        changes=WRITES,
    )
    after_day, day_keys = _read(empty_graph, tables, kept)
    assert day_keys["owners"] == keys["owners"] and after_day["owners"] == first["owners"], (
        "the owners' table reads no vehicle but through OWNS: kept"
    )
    assert day_keys["vehicles"] != keys["vehicles"] and "{'plate': '浙A99999'}" in after_day["vehicles"]
    assert day_keys["usages"] == keys["usages"], "found through the index on usage, which a new plate lacks"
    empty_graph.write(
        "test.registered",
        "CREATE (:Vehicle {plate: '浙A20001', usage: '货运'})",
        changes=declared(nodes={"Vehicle": ["plate", "usage"]}),
    )
    registered, registered_keys = _read(empty_graph, tables, kept)
    assert registered_keys["usages"] != keys["usages"] and len(registered["usages"]) == 2

    # A write that changes what the owners' table reads: read from the graph again, untold change and all.
    empty_graph.write(
        "test.plate",
        "MATCH (v:Vehicle {plate: '浙A10001'}) SET v.plate = '浙A10003'",
        changes=declared(updates=["Vehicle.plate"]),
    )
    now, now_keys = _read(empty_graph, tables, kept)
    assert now_keys["owners"] != keys["owners"]
    assert now["owners"] == sorted(str({"person_id": "P1", "plate": plate}) for plate in ("浙A10002", "浙A10003"))


def test_a_table_whose_plan_follows_any_relationship_is_read_from_the_graph_every_time(empty_graph, tables, tmp_path):
    empty_graph.write("test.owner", "CREATE (:Person {id_number: 'P1'})-[:OWNS]->(:Vehicle {plate: '浙A10001'})")
    kept = tmp_path / "kept"
    _, keys = _read(empty_graph, tables, kept)
    assert keys["linked"] is None and not (kept / "linked.parquet").exists()
    empty_graph.write(
        "test.untold",
        "MATCH (o:Person {id_number: 'P1'}) CREATE (o)-[:DROVE]->(:Vehicle {plate: '浙A10002'})",
        changes=declared(updates=["Alert.status"]),
    )
    read, _ = _read(empty_graph, tables, kept)
    assert len(read["linked"]) == 2 and len(read["owners"]) == 1


def test_the_writes_that_say_what_they_change_name_every_property_their_new_nodes_carry(empty_graph):
    from datetime import UTC, datetime

    from ingest.passages import seen_at
    from queries import alerts

    empty_graph.write("test.place", "CREATE (:Checkpoint {checkpoint_id: 'C1'})")
    now = datetime.now(UTC)
    row = {"place": "C1", "file": "f", "row": 2, "passages": 1, "first": now, "last": now, "days": 1}
    params = {"vehicles": [{"plate": "浙A99999", "file": "f", "row": 2, "seen": [row]}], "run": "r", "source": "s"}
    empty_graph.write(
        "test.seen", seen_at._WRITE.format(label="Checkpoint", key="checkpoint_id"), {**params, "now": now}
    )
    [element_id, vehicle_keys] = (
        empty_graph.read("test.keys", "MATCH (v:Vehicle) RETURN elementId(v), keys(v)").records[0].values()
    )
    assert {f"Vehicle+{k}" for k in vehicle_keys} <= seen_at.WRITES.nodes

    hit = alerts.Hit(
        "a1", "vehicles.cloned_plates", "摘要", [{"element_id": element_id, "role": "vehicle"}], "s", "high"
    )
    alerts.store(empty_graph, [hit], run_id="r")
    [alert_keys] = empty_graph.read("test.keys", "MATCH (a:Alert) RETURN keys(a)").records[0].values()
    assert {f"Alert+{k}" for k in alert_keys} <= alerts._STORED.nodes
