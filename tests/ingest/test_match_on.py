"""A `mode: match` entity found by another property than its label's key (`match_on`): a
foreign dataset refers to subscribers by their phone number, not their ID. The value is
normalised as that property's type; a value no node holds is `reference.missing`, one that
several nodes hold rejects the row (`reference.ambiguous`) rather than linking it to each.
Only the key or an indexed property may be matched on, and a spec that says otherwise is
refused naming its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.ingest import ingest
from graph import ddl
from graph.model import load_schema
from ingest.rejects import read_rejects
from ingest.spec import SpecError, load_spec
from settings.table import PROJECT_ROOT

BASE = PROJECT_ROOT / "graph" / "schema"

SUBSCRIBER = """\
label: Subscriber
names: {zh: 电话用户, en: Subscriber}
key: subscriber_id
caption: name
style: {color: "#5b8def", shape: ellipse, icon: "户"}
properties:
  subscriber_id:
    type: text
    names: {zh: 用户编号, en: Subscriber ID}
    required: true
  name:
    type: name
    names: {zh: 姓名, en: Name}
    required: true
  phone_no:
    type: phone
    names: {zh: 电话号码, en: Phone number}
    index: true
  postcode:
    type: text
    names: {zh: 邮编, en: Postcode}
  nickname:
    type: text
    names: {zh: 昵称, en: Nickname}
    fragments: true
indexes:
  - [postcode, name]
"""

CALLED_SUBSCRIBER = """\
type: CALLED_SUBSCRIBER
names: {zh: 联系过, en: called}
from: [Person, Subscriber]
to: [Subscriber]
"""

SUBSCRIBERS_SPEC = """\
spec: subscribers
names: {zh: 电话用户, en: Subscribers}
files: ["subscribers*"]
columns:
  subscriber_id: [用户编号]
  name: [姓名]
  phone: [电话]
  postcode: [邮编]
entities:
  subscriber:
    label: Subscriber
    key: subscriber_id
    properties:
      name: name
      phone_no: phone
      postcode: postcode
"""

CALLS_SPEC = """\
spec: calls
names: {zh: 通话记录, en: Calls}
files: ["calls*"]
columns:
  caller_id: [主叫身份证号]
  caller_name: [主叫姓名]
  callee_phone: [被叫电话]
entities:
  caller:
    label: Person
    key: caller_id
    properties:
      name: caller_name
  callee:
    label: Subscriber
    key: callee_phone
    mode: match
    match_on: phone_no
links:
  - {type: CALLED_SUBSCRIBER, from: caller, to: callee}
"""

SUBSCRIBERS = "用户编号,姓名,电话,邮编\nU1,王芳,138 1234 5678,314000\nU2,李娜,139-0000-0001,314001\n"
ZHANG, LI, ZHAO = "11010519491231002X", "330402198001010014", "110101199003070070"
CALLS = (
    "主叫身份证号,主叫姓名,被叫电话\n"
    f"{ZHANG},张伟,+86 13812345678\n"  # U1's number, written another way
    f"{LI},刘洋,13900000001\n"  # U2's
    f"{ZHAO},赵磊,13700000009\n"  # nobody's
)
LINKED = "MATCH (p:Person)-[:CALLED_SUBSCRIBER]->(s:Subscriber) RETURN p.id_number AS caller, s.subscriber_id AS callee"


@pytest.fixture(scope="module")
def extra_schema(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("match_on_schema")
    (folder / "nodes").mkdir()
    (folder / "relationships").mkdir()
    (folder / "nodes" / "Subscriber.yaml").write_text(SUBSCRIBER, encoding="utf-8")
    (folder / "relationships" / "CALLED_SUBSCRIBER.yaml").write_text(CALLED_SUBSCRIBER, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def match_schema(extra_schema):
    return load_schema(BASE, extra_schema)


@pytest.fixture
def graph(empty_graph, match_schema):
    ddl.apply_schema(empty_graph, match_schema)  # Subscriber's constraint and its phone_no index
    return empty_graph


@pytest.fixture
def specs(tmp_path) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "subscribers.yaml").write_text(SUBSCRIBERS_SPEC, encoding="utf-8")
    (folder / "calls.yaml").write_text(CALLS_SPEC, encoding="utf-8")
    return folder


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run_ingest(neo4j_env, extra_schema, specs, tmp_path, *args: str):
    env = {
        **neo4j_env,
        "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        "GOLDENBELL_SCHEMA_EXTRA_DIR": str(extra_schema),
        "GOLDENBELL_SPECS_DIR": str(specs),
    }
    return CliRunner().invoke(ingest, [*args, "--json", "--rejects", str(tmp_path / "rejects.csv")], env=env)


def loaded(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rows_are_linked_to_the_node_holding_the_value_and_a_value_nobody_holds_is_missing(
    neo4j_env, graph, extra_schema, specs, tmp_path
):
    subscribers = write(tmp_path / "subscribers.csv", SUBSCRIBERS)
    calls = write(tmp_path / "calls.csv", CALLS)
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(calls), str(subscribers)))
    assert [f["spec"] for f in report["files"]] == ["subscribers", "calls"], "the files they refer to go first"
    assert (report["rows_loaded"], report["rows_rejected"]) == (4, 1)

    assert sorted(graph.read("test.linked", LINKED).data(), key=lambda r: r["callee"]) == [
        {"caller": ZHANG, "callee": "U1"},
        {"caller": LI, "callee": "U2"},
    ]
    (reject,) = read_rejects(tmp_path / "rejects.csv")
    assert (reject["row"], reject["column"], reject["value"], reject["reason"]) == (
        "4",
        "被叫电话",
        "13700000009",
        "reference.missing",
    )
    assert "no Subscriber with phone_no '13700000009' exists" in reject["message"]
    assert reject["original"] == f"{ZHAO},赵磊,13700000009" and reject["outcome"] == "row rejected"
    persons = graph.read("test.persons", "MATCH (p:Person) RETURN p.id_number ORDER BY p.id_number").data()
    assert ZHAO not in [p["p.id_number"] for p in persons], "a rejected row writes nothing"


def test_a_value_two_nodes_share_rejects_the_row_and_links_nothing(neo4j_env, graph, extra_schema, specs, tmp_path):
    shared = SUBSCRIBERS + "U3,陈静,13812345678,314002\n"  # the same number as U1
    subscribers = write(tmp_path / "subscribers.csv", shared)
    calls = write(tmp_path / "calls.csv", CALLS)
    loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(subscribers)))
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(calls)))
    assert (report["rows_loaded"], report["rows_rejected"]) == (1, 2)

    assert graph.read("test.linked", LINKED).data() == [{"caller": LI, "callee": "U2"}]
    assert (
        graph.read("test.zhang", "MATCH (p:Person {id_number: $id}) RETURN count(p)", {"id": ZHANG}).single_value() == 0
    )
    rejects = {r["row"]: r for r in read_rejects(tmp_path / "rejects.csv")}
    ambiguous = rejects["2"]
    assert (ambiguous["column"], ambiguous["value"], ambiguous["reason"]) == (
        "被叫电话",
        "13812345678",
        "reference.ambiguous",
    )
    assert "2 Subscriber nodes have phone_no '13812345678'" in ambiguous["message"]
    assert ambiguous["original"] == f"{ZHANG},张伟,+86 13812345678"
    assert rejects["4"]["reason"] == "reference.missing"


SUBSCRIBER_CALLS_SPEC = """\
spec: subscriber_calls
names: {zh: 用户通话, en: Subscriber calls}
files: ["subscriber_calls*"]
columns:
  caller_id: [主叫用户编号]
  caller_name: [主叫姓名]
  caller_phone: [主叫电话]
  callee_phone: [被叫电话]
entities:
  caller:
    label: Subscriber
    key: caller_id
    properties:
      name: caller_name
      phone_no: caller_phone
  callee:
    label: Subscriber
    key: callee_phone
    mode: match
    match_on: phone_no
links:
  - {type: CALLED_SUBSCRIBER, from: caller, to: callee}
"""


def test_a_value_the_same_batch_gives_another_node_is_ambiguous_too(neo4j_env, graph, extra_schema, specs, tmp_path):
    (specs / "subscriber_calls.yaml").write_text(SUBSCRIBER_CALLS_SPEC, encoding="utf-8")
    loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(write(tmp_path / "subscribers.csv", SUBSCRIBERS))))
    calls = write(
        tmp_path / "subscriber_calls.csv",
        "主叫用户编号,主叫姓名,主叫电话,被叫电话\n"
        "U5,周敏,13812345678,13900000001\n"  # U5 takes U1's number, calls U2
        "U6,孙丽,13600000000,13812345678\n",  # U1's number, and now U5's
    )
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(calls)))
    assert (report["rows_loaded"], report["rows_rejected"]) == (1, 1)
    (reject,) = read_rejects(tmp_path / "rejects.csv")
    assert (reject["row"], reject["reason"]) == ("3", "reference.ambiguous")
    linked = "MATCH (a:Subscriber)-[:CALLED_SUBSCRIBER]->(b) RETURN a.subscriber_id AS a, b.subscriber_id AS b"
    assert graph.read("test.linked", linked).data() == [{"a": "U5", "b": "U2"}]


def test_an_optional_entity_whose_value_two_nodes_share_still_rejects_the_row(
    neo4j_env, graph, extra_schema, specs, tmp_path
):
    (specs / "calls.yaml").write_text(CALLS_SPEC.replace("    mode: match\n", "    mode: match\n    optional: true\n"))
    subscribers = write(tmp_path / "subscribers.csv", SUBSCRIBERS + "U3,陈静,13812345678,314002\n")
    calls = write(tmp_path / "calls.csv", CALLS)
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(subscribers), str(calls)))
    calls_report = report["files"][1]
    assert (calls_report["rows_loaded"], calls_report["rows_rejected"]) == (2, 1), "nobody's number: loaded, unlinked"
    (reject,) = read_rejects(tmp_path / "rejects.csv")
    assert (reject["row"], reject["reason"]) == ("2", "reference.ambiguous")
    assert graph.read("test.linked", LINKED).data() == [{"caller": LI, "callee": "U2"}]


def test_the_first_property_of_a_composite_index_links_the_rows_too(neo4j_env, graph, extra_schema, specs, tmp_path):
    (specs / "calls.yaml").write_text(CALLS_SPEC.replace("match_on: phone_no", "match_on: postcode"))
    subscribers = write(tmp_path / "subscribers.csv", SUBSCRIBERS)
    calls = write(tmp_path / "calls.csv", f"主叫身份证号,主叫姓名,被叫电话\n{ZHANG},张伟,314001\n")
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(subscribers), str(calls)))
    assert report["rows_rejected"] == 0
    assert graph.read("test.linked", LINKED).data() == [{"caller": ZHANG, "callee": "U2"}]


def test_a_dry_run_of_both_files_finds_what_the_first_file_would_create(
    neo4j_env, graph, extra_schema, specs, tmp_path
):
    subscribers = write(tmp_path / "subscribers.csv", SUBSCRIBERS)
    calls = write(tmp_path / "calls.csv", CALLS.replace(f"{ZHAO},赵磊,13700000009\n", ""))
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, "--dry-run", str(calls), str(subscribers)))
    assert (report["rows_loaded"], report["rows_rejected"]) == (4, 0)
    assert graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0

    # Best effort on ambiguity: a number the earlier file gives two subscribers is refused.
    write(tmp_path / "subscribers.csv", SUBSCRIBERS + "U3,陈静,13812345678,314002\n")
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, "--dry-run", str(calls), str(subscribers)))
    (reject,) = read_rejects(tmp_path / "rejects.csv")
    assert (reject["file"], reject["row"], reject["reason"]) == (str(calls), "2", "reference.ambiguous")


def test_a_dry_run_counts_a_node_in_the_graph_and_another_the_batch_would_create(
    neo4j_env, graph, extra_schema, specs, tmp_path
):
    loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(write(tmp_path / "subscribers.csv", SUBSCRIBERS))))
    again = write(tmp_path / "subscribers_more.csv", "用户编号,姓名,电话,邮编\nU1,王芳,138 1234 5678,314000\n")
    calls = write(tmp_path / "calls.csv", CALLS.replace(f"{ZHAO},赵磊,13700000009\n", ""))
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, "--dry-run", str(again), str(calls)))
    assert report["rows_rejected"] == 0, "U1 again is the same node, not a second one"

    other = write(tmp_path / "subscribers_other.csv", "用户编号,姓名,电话,邮编\nU9,周敏,13812345678,314000\n")
    report = loaded(run_ingest(neo4j_env, extra_schema, specs, tmp_path, "--dry-run", str(other), str(calls)))
    (reject,) = read_rejects(tmp_path / "rejects.csv")
    assert (reject["row"], reject["reason"]) == ("2", "reference.ambiguous")


MATCH_ON_LINE = 18  # `match_on:` in CALLS_SPEC


@pytest.mark.parametrize(
    ("old", "new", "line", "fault"),
    [
        (
            "match_on: phone_no",
            "match_on: nickname",
            MATCH_ON_LINE,
            "entity 'callee': match_on 'nickname' is not indexed on Subscriber, so every row would scan the label; "
            "it may match on subscriber_id (the key), phone_no (index: true), postcode (first of the index "
            "(postcode, name)), or give Subscriber.nickname index: true in the schema",
        ),
        (
            "match_on: phone_no",
            "match_on: fax_no",
            MATCH_ON_LINE,
            "entity 'callee': match_on 'fax_no' is not a property of Subscriber in the schema; it may match on "
            "subscriber_id (the key), phone_no (index: true)",
        ),
        (
            "    mode: match\n",
            "    mode: merge\n",
            MATCH_ON_LINE,
            "entity 'callee': match_on only applies with mode: match",
        ),
        (
            "    mode: match\n",
            "",
            MATCH_ON_LINE - 1,
            "entity 'callee': match_on only applies with mode: match",
        ),
    ],
)
def test_a_spec_matching_on_what_it_may_not_is_refused_naming_file_and_line(
    match_schema, tmp_path, old, new, line, fault
):
    path = write(tmp_path / "calls.yaml", CALLS_SPEC.replace(old, new))
    with pytest.raises(SpecError) as caught:
        load_spec(path, match_schema)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}, line {line}: ")
    assert fault in str(caught.value)


def test_match_on_does_not_go_with_keeping_a_person_record(schema, tmp_path):
    spec = CALLS_SPEC.replace(
        "  callee:\n    label: Subscriber\n    key: callee_phone\n    mode: match\n    match_on: phone_no\n",
        "  callee:\n    label: Person\n    key: caller_name\n    mode: match\n    on_missing_key: record\n"
        "    match_on: name\n",
    ).replace("CALLED_SUBSCRIBER", "KNOWS")
    path = write(tmp_path / "calls.yaml", spec)
    with pytest.raises(SpecError, match="match_on does not go with on_missing_key: record") as caught:
        load_spec(path, schema)
    assert caught.value.line == MATCH_ON_LINE + 1


def test_matching_on_the_key_or_the_first_of_a_composite_index_is_allowed(match_schema, tmp_path):
    by_postcode = load_spec(write(tmp_path / "a.yaml", CALLS_SPEC.replace("phone_no", "postcode")), match_schema)
    assert by_postcode.entities["callee"].match_on == "postcode"
    by_key = load_spec(write(tmp_path / "b.yaml", CALLS_SPEC.replace("phone_no", "subscriber_id")), match_schema)
    assert by_key.entities["callee"].match_on is None and by_key.entities["callee"].key.name == "subscriber_id"


def test_the_command_refuses_such_a_spec_before_writing(neo4j_env, graph, extra_schema, specs, tmp_path):
    (specs / "calls.yaml").write_text(CALLS_SPEC.replace("match_on: phone_no", "match_on: nickname"))
    calls = write(tmp_path / "calls.csv", CALLS)
    result = run_ingest(neo4j_env, extra_schema, specs, tmp_path, str(calls))
    assert result.exit_code == 1
    assert f"calls.yaml, line {MATCH_ON_LINE}" in result.output and "Traceback" not in result.output
    assert "match_on 'nickname' is not indexed on Subscriber" in result.output
    assert graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0
