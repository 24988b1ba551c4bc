"""Loading packs: a bad pack is refused with a message naming the file, the query and the fault."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from queries.pack_model import PackError, load_catalog, load_pack
from queries.readonly import NotReadOnly, check_read_only, plan_check


def write_pack(folder: Path, cypher: str, *, parameters: dict | None = None, name: str = "trial", **extra) -> Path:
    query = {
        "id": f"{name}.q",
        "names": {"zh": "试验", "en": "Trial"},
        "description": {"zh": "试验查询", "en": "A trial query"},
        "parameters": parameters or {},
        "cypher": cypher,
        **extra,
    }
    pack = {"pack": name, "version": 1, "names": {"zh": "试验", "en": "Trial"}, "queries": [query]}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    return path


def refusal(path: Path, schema, gateway=None) -> str:
    with pytest.raises(PackError) as caught:
        load_catalog(schema, [path], gateway=gateway)
    message = str(caught.value)
    assert str(path) in message and "trial.q" in message, message
    return message


def test_every_builtin_pack_loads_and_passes_the_server_check(gateway, schema):
    catalog = load_catalog(schema, gateway=gateway)
    assert len(catalog.queries) >= 20
    assert {q.pack for q in catalog.queries.values()} >= {"links", "vehicles", "identity"}


WRITES = {
    "create": "CREATE (:Person {id_number: 'X'}) RETURN 1 AS done",
    "merge": "MERGE (p:Person {id_number: 'X'}) RETURN p",
    "set": "MATCH (p:Person) SET p.name = 'x' RETURN p",
    "delete": "MATCH (p:Person) DETACH DELETE p",
    "remove": "MATCH (p:Person) REMOVE p.name RETURN p",
    "in a CALL subquery": "MATCH (p:Person) CALL (p) { WITH p SET p.name = 'x' } RETURN count(p) AS n",
    "in a lowercase CALL subquery": "match (p:Person) call (p) { with p detach delete p } return count(*) as n",
    "through a procedure": "CALL db.createLabel('Intruder') RETURN 1 AS done",
    "through a system procedure": "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF') RETURN 1 AS done",
    "by loading a file": "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "as two statements": "MATCH (p:Person) RETURN p; MATCH (q:Person) RETURN q",
}


@pytest.mark.parametrize("cypher", list(WRITES.values()), ids=list(WRITES))
def test_a_pack_that_writes_is_refused_at_load(tmp_path, schema, gateway, cypher):
    message = refusal(write_pack(tmp_path, cypher), schema, gateway)
    assert "refused" in message


@pytest.mark.parametrize("cypher", [WRITES["in a CALL subquery"], WRITES["create"], "CALL db.createLabel('X')"])
def test_the_plan_check_alone_refuses_writes(gateway, cypher):
    # The text check is a first gate; the server's plan must refuse the same on its own.
    summary = gateway.read("test.explain", "EXPLAIN " + cypher).summary
    with pytest.raises(NotReadOnly, match="only reads may run here"):
        plan_check(summary.query_type, summary.plan)


@pytest.mark.parametrize(
    ("cypher", "why"),
    [
        ("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery", "ShowTransactions"),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TerminateTransactions"),
        ("SHOW USERS", "schema or administration"),
        ("CALL dbms.components()", "dbms.components"),
        ("USE system MATCH (n) RETURN n", "USE clause"),
        ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN"),
    ],
)
def test_reads_beyond_the_graph_are_refused_too(gateway, cypher, why):
    with pytest.raises(NotReadOnly, match=why):
        check_read_only(gateway, cypher)


def test_a_plain_read_passes_and_gives_its_columns(gateway):
    assert check_read_only(gateway, "MATCH (p:Person) RETURN p.name AS name, count(*) AS n") == ["name", "n"]


def test_an_undeclared_parameter_is_named(tmp_path, schema):
    message = refusal(write_pack(tmp_path, "MATCH (p:Person {id_number: $who}) RETURN p"), schema)
    assert "$who" in message and "does not declare" in message


def test_an_unused_parameter_is_named(tmp_path, schema):
    parameters = {"who": {"type": "string", "names": {"zh": "人", "en": "Who"}}}
    message = refusal(write_pack(tmp_path, "MATCH (p:Person) RETURN p", parameters=parameters), schema)
    assert "who" in message and "never uses" in message


def test_a_parameter_inside_a_string_or_comment_does_not_count_as_used(tmp_path, schema):
    parameters = {"who": {"type": "string", "names": {"zh": "人", "en": "Who"}}}
    cypher = "MATCH (p:Person) WHERE p.name = '$who' // $who\nRETURN p"
    assert "never uses" in refusal(write_pack(tmp_path, cypher, parameters=parameters), schema)


@pytest.mark.parametrize(
    ("cypher", "name"),
    [
        ("MATCH (p:Persn) RETURN p", "label 'Persn'"),
        ("MATCH (p:Person)-[:OWNZ]->(v) RETURN v", "relationship type 'OWNZ'"),
        ("MATCH (p) WHERE p:Suspect RETURN p", "label 'Suspect'"),
        ("MATCH (p:Person|Ghost) RETURN p", "label 'Ghost'"),
    ],
)
def test_a_label_or_type_missing_from_the_schema_is_named(tmp_path, schema, cypher, name):
    assert f"{name} is not in the schema" in refusal(write_pack(tmp_path, cypher), schema)


def test_map_keys_and_quoted_text_are_not_taken_for_labels(tmp_path, schema):
    cypher = "MATCH (p:Person {name: 'A:B'}) RETURN p {.name, plate: 'x'} AS p, {a: 1} AS m"
    load_catalog(schema, [write_pack(tmp_path, cypher)])


def test_a_syntax_error_is_reported_with_the_servers_words(tmp_path, schema, gateway):
    message = refusal(write_pack(tmp_path, "MATCH (p:Person RETURN p"), schema, gateway)
    assert "Cypher syntax error" in message and "Invalid input" in message


def test_an_alert_rule_must_return_entities_and_summary(tmp_path, schema, gateway):
    message = refusal(write_pack(tmp_path, "MATCH (p:Person) RETURN p", alert=True, severity="high"), schema, gateway)
    assert "entities and summary" in message


@pytest.mark.parametrize(
    ("parameters", "fault"),
    [
        ({"n": {"type": "integer", "names": {"zh": "数", "en": "N"}}}, "type 'integer' is not one of"),
        ({"n": {"type": "int", "names": {"zh": "数", "en": "N"}, "default": 50, "max": 10}}, "above the maximum"),
        ({"n": {"type": "int", "names": {"zh": "数", "en": "N"}, "default": "many"}}, "not a valid int"),
        ({"n": {"type": "enum", "names": {"zh": "数", "en": "N"}}}, "an enum needs"),
        ({"n": {"type": "enum", "values_from": "Vehicle.colour", "names": {"zh": "色", "en": "C"}}}, "no enum"),
        ({"n": {"type": "entity", "labels": ["Ghost"], "names": {"zh": "实", "en": "E"}}}, "'Ghost' is not in"),
        ({"n": {"type": "string"}}, "'names' needs both zh and en"),
        ({"n": {"type": "list", "names": {"zh": "表", "en": "L"}}}, "needs 'items'"),
    ],
)
def test_a_bad_parameter_declaration_is_named(tmp_path, schema, parameters, fault):
    cypher = "RETURN $n AS n"
    message = refusal(write_pack(tmp_path, cypher, parameters=parameters), schema)
    assert fault in message and "parameter 'n'" in message


def test_ids_must_carry_the_pack_name_and_be_unique(tmp_path, schema):
    path = write_pack(tmp_path, "RETURN 1 AS one")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["queries"][0]["id"] = "other.q"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackError, match=r"must be 'trial\.<lower_snake_case>'"):
        load_pack(path, schema)
    data["queries"][0]["id"] = "trial.q"
    data["queries"].append(dict(data["queries"][0]))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackError, match="used twice"):
        load_pack(path, schema)


def test_a_second_pack_with_the_same_name_is_refused(tmp_path, schema):
    first = write_pack(tmp_path, "RETURN 1 AS one")
    second = tmp_path / "copy.yaml"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PackError, match="already defined"):
        load_catalog(schema, [first, second])


def test_yaml_syntax_errors_name_the_line(tmp_path, schema):
    path = tmp_path / "broken.yaml"
    path.write_text("pack: broken\nqueries: [\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"broken\.yaml: YAML syntax error at line"):
        load_pack(path, schema)


def test_choices_queries_are_checked_too(tmp_path, schema, gateway):
    parameters = {
        "plate": {
            "type": "string",
            "names": {"zh": "号牌", "en": "Plate"},
            "choices": "MATCH (v:Vehicle) RETURN v.plate AS plate",
        }
    }
    cypher = "MATCH (v:Vehicle {plate: $plate}) RETURN v"
    message = refusal(write_pack(tmp_path, cypher, parameters=parameters), schema, gateway)
    assert "choices of 'plate' must return a column named value" in message


TWO_QUERIES = """pack: trial
version: 1
names: {zh: 试验, en: Trial}
queries:
  - id: trial.first
    names: {zh: 一, en: First}
    description: {zh: 一, en: First}
    cypher: RETURN 1 AS one
  - id: trial.second
    names: {zh: 二, en: Second}
    description: {zh: 二, en: Second}
    cypher: MATCH (x:Starship) RETURN x
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "fault"),
    [
        ("    cypher: MATCH (x:Starship) RETURN x", "    cypher: RETURN 2 AS two\n    colour: red", 13, "unknown key"),
        ("    cypher: MATCH (x:Starship) RETURN x", "    cypher: RETURN 2 AS two\n    returns: chart", 13, "'returns'"),
        ("", "", 9, "label 'Starship' is not in the schema"),
        ("version: 1", "version: one", 2, "'version'"),
    ],
)
def test_a_fault_names_the_pack_file_and_line(tmp_path, schema, old, new, line, fault):
    path = tmp_path / "trial.yaml"
    path.write_text(TWO_QUERIES.replace(old, new, 1) if old else TWO_QUERIES, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(path, schema)
    assert caught.value.line == line, str(caught.value)
    assert f"{path}, line {line}:" in str(caught.value) and fault in str(caught.value)


ALERT_RULE = "MATCH (p:Person) RETURN [{node: p, role: 'person'}] AS entities, p.name AS name"
SENTENCES = {"zh": "{name} 命中", "en": "{name} fired"}


def test_an_alert_rule_states_its_severity(tmp_path, schema):
    message = refusal(write_pack(tmp_path, ALERT_RULE, alert=True, summary=SENTENCES), schema)
    assert "needs 'severity': one of high, medium, low" in message
    message = refusal(write_pack(tmp_path, ALERT_RULE, alert=True, severity="urgent", summary=SENTENCES), schema)
    assert "got 'urgent'" in message
    message = refusal(write_pack(tmp_path, "MATCH (p:Person) RETURN p", severity="high"), schema)
    assert "'severity' is for alert rules" in message


def test_an_alert_rule_with_summary_sentences_needs_no_summary_column(tmp_path, schema, gateway):
    path = write_pack(tmp_path, ALERT_RULE, alert=True, severity="low", summary=SENTENCES)
    [rule] = load_catalog(schema, [path], gateway=gateway).alert_rules()
    assert rule.severity == "low" and rule.summary.en == "{name} fired"


@pytest.mark.parametrize(
    ("summary", "fault"),
    [
        ({"zh": "{name} 命中"}, "exactly zh and en"),
        ({"zh": "{name} 命中", "en": "{name!r} fired"}, "write each field as {name}"),
        ({"zh": "{name} 命中", "en": "{p[0]} fired"}, "is not a column name"),
    ],
)
def test_malformed_summary_sentences_are_refused_at_load(tmp_path, schema, summary, fault):
    message = refusal(write_pack(tmp_path, ALERT_RULE, alert=True, severity="low", summary=summary), schema)
    assert fault in message


def test_a_summary_field_must_be_a_column_or_a_parameter(tmp_path, schema, gateway):
    summary = {"zh": "{name} 命中", "en": "{nickname} fired"}
    path = write_pack(tmp_path, ALERT_RULE, alert=True, severity="low", summary=summary)
    message = refusal(path, schema, gateway)
    assert "the en summary uses {nickname}, neither a column the rule returns (entities, name)" in message
