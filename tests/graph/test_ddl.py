from graph.ddl import LOOKUP_TYPES, apply_schema, await_indexes, existing_objects, schema_objects


def _definitions(gateway):
    return {
        name: (row["type"], tuple(row["labelsOrTypes"] or ()), tuple(row["properties"] or ()))
        for name, row in existing_objects(gateway).items()
    }


def test_init_twice_changes_nothing(gateway, schema):
    apply_schema(gateway, schema)
    before = _definitions(gateway)
    report = apply_schema(gateway, schema)
    assert {item.outcome for item in report} == {"unchanged"}
    assert _definitions(gateway) == before
    assert {o.name for o in schema_objects(schema)} <= set(before)


def test_init_recreates_only_what_is_missing(gateway, schema):
    gateway.write("test.drop", "DROP INDEX gb_idx_Passage_plate_time")
    report = {item.name: item.outcome for item in apply_schema(gateway, schema)}
    assert report["gb_idx_Passage_plate_time"] == "created"
    assert [name for name, outcome in report.items() if outcome == "created"] == ["gb_idx_Passage_plate_time"]


def test_the_lookups_can_be_awaited_apart_from_the_search_indexes(gateway, schema):
    """A first load links with the lookups' indexes while the search indexes fill."""
    ft = schema.fulltext.name
    gateway.write("test.drop", "DROP INDEX gb_idx_Passage_plate_time")
    gateway.write("test.drop", f"DROP INDEX {ft}")
    report = {item.name: item.outcome for item in apply_schema(gateway, schema, awaited=LOOKUP_TYPES)}
    assert report["gb_idx_Passage_plate_time"] == report[ft] == "created"
    states = {r["name"]: r["state"] for r in gateway.read("test.states", "SHOW INDEXES YIELD name, state").data()}
    assert states["gb_idx_Passage_plate_time"] == "ONLINE"
    await_indexes(gateway)
    states = {r["name"]: r["state"] for r in gateway.read("test.states", "SHOW INDEXES YIELD name, state").data()}
    assert set(states.values()) == {"ONLINE"}


def test_an_index_with_another_definition_is_reported_not_replaced(gateway, schema):
    gateway.write("test.drop", "DROP INDEX gb_idx_Vehicle_usage")
    gateway.write("test.impostor", "CREATE INDEX gb_idx_Vehicle_usage FOR (n:Vehicle) ON (n.brand)")
    try:
        report = {item.name: item for item in apply_schema(gateway, schema)}
        assert report["gb_idx_Vehicle_usage"].outcome == "differs"
        assert "brand" in report["gb_idx_Vehicle_usage"].detail
    finally:
        gateway.write("test.drop", "DROP INDEX gb_idx_Vehicle_usage")
        apply_schema(gateway, schema)


def test_the_fulltext_index_finds_partial_chinese_names(empty_graph):
    empty_graph.write(
        "test.people",
        "UNWIND $rows AS r CREATE (:Person {id_number: r.id, name: r.name})",
        {"rows": [{"id": "330402199001010011", "name": "欧阳建国"}, {"id": "330402199001010038", "name": "王芳"}]},
    )
    hits = empty_graph.read(
        "test.search",
        "CALL db.index.fulltext.queryNodes('gb_fulltext_entities', $q) YIELD node RETURN node.name AS name",
        {"q": "建国"},
    ).data()
    assert hits == [{"name": "欧阳建国"}]
