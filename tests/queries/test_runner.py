"""The runner: parameters checked, reads only, bounded in time and rows, every run audited."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest

from access.actor import Actor
from access.audit.log import AuditLog
from graph.errors import QueryTimeout
from queries.pack_model import Catalog, load_catalog, pack_files
from queries.runner import QueryRefused, Runner

U1 = Actor.cli("u1")  # who runs the trial queries

HOSTILE = "'}) DETACH DELETE n //"

TRIAL_PACK = """
pack: trial
version: 1
names: {zh: 试验, en: Trial}
queries:
  - id: trial.echo
    names: {zh: 回显, en: Echo}
    description: {zh: 原样返回参数, en: Returns its parameters}
    parameters:
      text: {type: string, names: {zh: 文本, en: Text}, default: null, max_length: 40}
      n: {type: int, names: {zh: 数, en: N}, default: 5, min: 1, max: 10}
      ratio: {type: float, names: {zh: 比, en: Ratio}, default: 0.5}
      day: {type: date, names: {zh: 日, en: Day}, default: null}
      when: {type: datetime, names: {zh: 时, en: When}, default: null}
      span: {type: duration, names: {zh: 时长, en: Span}, default: 1h, max: P7D}
      flag: {type: bool, names: {zh: 开关, en: Flag}, default: false}
      usage: {type: enum, values_from: Vehicle.usage, names: {zh: 使用性质, en: Usage}, default: 非营运}
      kinds: {type: list, items: {type: reltype}, names: {zh: 类型, en: Types}, default: []}
    cypher: |
      RETURN $text AS text, $n AS n, $ratio AS ratio, $day AS day, $when AS when, $span AS span,
             $flag AS flag, $usage AS usage, $kinds AS kinds
  - id: trial.count
    names: {zh: 计数, en: Count}
    description: {zh: 一到 n, en: One to n}
    parameters:
      n: {type: int, names: {zh: 数, en: N}, default: 10, min: 0, max: 100000}
    cypher: UNWIND range(1, $n) AS i RETURN i
  - id: trial.named
    names: {zh: 按姓名, en: By name}
    description: {zh: 按姓名找人, en: People by name}
    returns: both
    parameters:
      name: {type: string, names: {zh: 姓名, en: Name}}
    cypher: MATCH (p:Person) WHERE p.name = $name RETURN p
  - id: trial.twice
    names: {zh: 两用, en: Used twice}
    description: {zh: 实体参数用了两次, en: An entity parameter used twice}
    parameters:
      who: {type: entity, labels: [Person], names: {zh: 人, en: Who}}
    cypher: |
      MATCH (p) WHERE elementId(p) = $who
      RETURN p.name AS name, elementId(p) = $who AS same
  - id: trial.runaway
    names: {zh: 失控, en: Runaway}
    description: {zh: 笛卡尔积, en: A cartesian product}
    timeout_s: 1.5
    parameters:
      n: {type: int, names: {zh: 数, en: N}, default: 100000}
    cypher: UNWIND range(1, $n) AS a UNWIND range(1, $n) AS b RETURN count(*) AS pairs
"""


@pytest.fixture(scope="module")
def trial_catalog(schema, tmp_path_factory) -> Catalog:
    path = tmp_path_factory.mktemp("packs") / "trial.yaml"
    path.write_text(TRIAL_PACK, encoding="utf-8")
    return load_catalog(schema, [*pack_files(), path])


@pytest.fixture
def trial(gateway, trial_catalog, schema, neo4j_settings, audit) -> Runner:
    return Runner(gateway, trial_catalog, schema, neo4j_settings, audit)


def audit_lines(audit: AuditLog) -> list[dict]:
    return list(audit.events())


def node_count(gateway) -> int:
    return gateway.read("test.count", "MATCH (n) RETURN count(n)").single_value()


def test_values_are_coerced_from_command_line_text(trial):
    params = {
        "text": " 张三 ",
        "n": "7",
        "ratio": "0.25",
        "day": "2025-03-01",
        "when": "2025-03-01 08:30",
        "span": "2h",
        "flag": "yes",
        "usage": "危险货物运输",
        "kinds": "OWNS,HAS_PHONE",
    }
    row = trial.run("trial.echo", params, actor=U1).rows[0]
    assert row == {
        "text": "张三",
        "n": 7,
        "ratio": 0.25,
        "day": "2025-03-01",
        "when": "2025-03-01T08:30:00+08:00",
        "span": "PT2H",
        "flag": True,
        "usage": "危险货物运输",
        "kinds": ["OWNS", "HAS_PHONE"],
    }


def test_defaults_fill_what_is_not_given(trial):
    row = trial.run("trial.echo", {}, actor=U1).rows[0]
    assert row["n"] == 5 and row["text"] is None and row["span"] == "PT1H" and row["kinds"] == []


@pytest.mark.parametrize(
    ("params", "fault"),
    [
        ({"n": "11"}, "parameter 'n': 11 is above the maximum 10"),
        ({"n": "0"}, "parameter 'n': 0 is below the minimum 1"),
        ({"n": "seven"}, "parameter 'n': 'seven' is not a valid int"),
        ({"n": "2.5"}, "not a valid int"),
        ({"day": "2025-02-30"}, "parameter 'day'"),
        ({"span": "P30D"}, "above the maximum"),
        ({"usage": "飞行"}, "is not one of 非营运"),
        ({"kinds": "OWNS,LOVES"}, "'LOVES' is not one of"),
        ({"text": "x" * 41}, "at most 40 characters"),
        ({"flag": "perhaps"}, "expected true or false"),
        ({"colour": "red"}, "no such parameter"),
    ],
)
def test_bad_values_are_refused_before_anything_runs_and_the_refusal_is_audited(trial, audit, params, fault):
    with pytest.raises(QueryRefused, match=fault):
        trial.run("trial.echo", params, actor=Actor.cli("u1", case_ref="JX-1"))
    [event] = audit_lines(audit)
    assert event["outcome"] == "refused" and fault.split(":")[0] in event["message"]
    assert event["user"] == "u1" and event["case_ref"] == "JX-1" and event["query_id"] == "trial.echo"


def test_a_missing_required_value_is_refused(trial):
    with pytest.raises(QueryRefused, match="parameter 'name': a value is required"):
        trial.run("trial.named", {}, actor=U1)


def test_an_unknown_query_is_refused_and_audited(trial, audit):
    with pytest.raises(QueryRefused, match=r"no query 'trial\.nothing'"):
        trial.run("trial.nothing", {}, actor=U1)
    assert audit_lines(audit)[0]["outcome"] == "refused"


def test_the_row_cap_truncates_and_says_so(trial, audit):
    outcome = trial.run("trial.count", {"n": 50}, actor=U1, row_cap=10)
    assert [r["i"] for r in outcome.rows] == list(range(1, 11))
    assert outcome.truncated and outcome.row_cap == 10
    assert audit_lines(audit)[-1]["message"] == "truncated at the row cap"
    full = trial.run("trial.count", {"n": 5}, actor=U1, row_cap=10)
    assert not full.truncated and len(full.rows) == 5


def test_a_row_cap_above_the_setting_is_lowered_to_it(trial, neo4j_settings):
    capped = replace(neo4j_settings, row_cap=20)
    runner = Runner(trial.gateway, trial.catalog, trial.schema, capped, trial.audit)
    outcome = runner.run("trial.count", {"n": 100}, actor=U1, row_cap=1000)
    assert len(outcome.rows) == 20 and outcome.truncated


def test_a_hostile_value_is_only_a_value_and_writes_nothing(empty_graph, trial):
    empty_graph.write("test.people", "CREATE (:Person {id_number: 'P1', name: '张三'}), (:Phone {number: '1'})")
    before = node_count(empty_graph)
    assert trial.run("trial.named", {"name": HOSTILE}, actor=U1).rows == []
    assert trial.run("search.entities", {"text": HOSTILE}, actor=U1).rows == []
    with pytest.raises(QueryRefused, match="no Person with id_number"):
        trial.run("links.neighbourhood", {"start": f"Person:{HOSTILE}"}, actor=U1)
    assert node_count(empty_graph) == before == 2


def test_a_runaway_query_ends_with_a_timeout_message_and_an_audited_error(trial, audit):
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"trial\.runaway' was stopped because it ran past its time limit"):
        trial.run("trial.runaway", {}, actor=U1)
    assert time.monotonic() - began < 10
    [event] = audit_lines(audit)
    assert event["outcome"] == "error" and "time limit" in event["message"]


def test_the_transaction_carries_user_case_and_query_id(trial, gateway):
    seen: list[dict] = []

    def watch() -> None:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not seen:
            rows = gateway.read("test.watch", "SHOW TRANSACTIONS YIELD metaData RETURN metaData AS m").data()
            seen.extend(r["m"] for r in rows if r["m"].get("query_id") == "trial.runaway")
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    with pytest.raises(QueryTimeout):
        trial.run("trial.runaway", {}, actor=Actor.cli("analyst7", case_ref="JX-2025-042", reason="盗窃案串并"))
    watcher.join()
    assert seen and seen[0]["user"] == "analyst7" and seen[0]["case_ref"] == "JX-2025-042"
    assert seen[0]["reason"] == "盗窃案串并" and seen[0]["app"] == "goldenbell"


def test_the_audit_line_is_written_before_results_come_back(trial, audit):
    outcome = trial.run("trial.count", {"n": 3}, actor=Actor.cli("u1", case_ref="JX-9", reason="核查"))
    [event] = audit_lines(audit)
    assert event["action"] == "query.run" and event["outcome"] == "ok" and event["rows"] == len(outcome.rows) == 3
    assert event["parameters"] == {"n": 3} and event["reason"] == "核查"
    assert (audit.path.stat().st_mode & 0o777) == 0o600


def test_no_results_without_an_audit_record(trial, tmp_path):
    broken = AuditLog(tmp_path)  # a folder: appending fails
    runner = Runner(trial.gateway, trial.catalog, trial.schema, trial.settings, broken)
    with pytest.raises(OSError):
        runner.run("trial.count", {"n": 3}, actor=U1)


def test_the_runner_itself_refuses_a_query_whose_plan_writes(empty_graph, trial, audit):
    # A query that skipped the loader's checks (built in code) still meets the plan check.
    write = "CREATE (:Person {id_number: 'X'})"
    query = replace(trial.catalog.query("trial.count"), id="trial.sneaky", cypher=write, compiled=write)
    catalog = Catalog(packs=trial.catalog.packs, queries={**trial.catalog.queries, "trial.sneaky": query})
    runner = Runner(empty_graph, catalog, trial.schema, trial.settings, audit)
    with pytest.raises(QueryRefused, match="writes"):
        runner.run("trial.sneaky", {}, actor=U1)
    assert node_count(empty_graph) == 0
    assert audit_lines(audit)[-1]["outcome"] == "refused"


def test_the_subgraph_holds_each_node_and_relationship_once(empty_graph, runner):
    empty_graph.write(
        "test.graph",
        "CREATE (a:Person {id_number: 'A', name: '甲'})-[:HAS_PHONE]->(ph:Phone {number: '13900000001'}),"
        " (b:Person {id_number: 'B', name: '乙'})-[:HAS_PHONE]->(ph), (a)-[:OWNS]->(:Vehicle {plate: '浙F00001'})",
    )
    outcome = runner.run("links.neighbourhood", {"start": "Person:A", "hops": 2}, actor=U1)
    nodes = {n["ref"]: n for n in outcome.nodes}
    assert set(nodes) == {"Person:A", "Person:B", "Phone:13900000001", "Vehicle:浙F00001"}
    assert nodes["Person:A"]["caption"] == "甲" and nodes["Person:A"]["labels"] == ["Person"]
    ids = {n["id"] for n in outcome.nodes}
    assert len(outcome.relationships) == 3
    assert all(r["start"] in ids and r["end"] in ids for r in outcome.relationships)
    assert sorted(r["type"] for r in outcome.relationships) == ["HAS_PHONE", "HAS_PHONE", "OWNS"]
    json.dumps({"rows": outcome.rows, "nodes": outcome.nodes, "rels": outcome.relationships})


def test_an_entity_is_addressed_by_label_and_key(empty_graph, runner):
    empty_graph.write("test.one", "CREATE (:Vehicle {plate: '浙F00001'})-[:OF_VEHICLE]->(:Vehicle {plate: 'x'})")
    with pytest.raises(QueryRefused, match="label 'Car' is not one of"):
        runner.run("links.neighbourhood", {"start": "Car:浙F00001"}, actor=U1)
    with pytest.raises(QueryRefused, match="should be Label:key"):
        runner.run("links.neighbourhood", {"start": "浙F00001"}, actor=U1)
    assert len(runner.run("links.neighbourhood", {"start": "Vehicle:浙F00001"}, actor=U1).rows) == 1
    assert len(runner.run("links.neighbourhood", {"start": {"label": "Vehicle", "key": "x"}}, actor=U1).rows) == 1


def test_a_run_without_a_user_is_refused(trial):
    with pytest.raises(QueryRefused, match="no user given"):
        trial.run("trial.count", {}, actor=Actor.cli(" "))


def test_choices_come_from_their_query(empty_graph, runner):
    empty_graph.write(
        "test.lists",
        "CREATE (:WatchList {list_id: 'ZT', name: '全国在逃人员', kind: '在逃人员'}),"
        " (:WatchList {list_id: 'XS', name: '刑满释放人员名单', kind: '刑满释放人员'})",
    )
    query = runner.catalog.query("dangerous_goods.watchlisted_purchases")
    assert runner.choices(query, "lists") == [
        {"value": "ZT", "label": "全国在逃人员"},
        {"value": "XS", "label": "刑满释放人员名单"},
    ]
    assert runner.choices(query, "kinds") == []


def test_an_entity_anchor_compiles_to_one_guarded_seek_per_allowed_label(trial_catalog):
    query = trial_catalog.query("links.co_residents")
    assert query.anchored == {"person"}
    assert "MATCH (s:`Person` {`id_number`: $person.key}) WHERE $person.label = 'Person' RETURN s" in query.compiled
    assert "MATCH (s:`PersonRecord` {`record_id`: $person.key})" in query.compiled
    assert "elementId(s) = $person" not in query.compiled and "elementId(s) = $person" in query.cypher


def test_an_entity_used_more_than_once_is_looked_up_first(empty_graph, trial, trial_catalog):
    assert trial_catalog.query("trial.twice").anchored == frozenset()
    empty_graph.write("test.one", "CREATE (:Person {id_number: 'P1', name: '张三'})")
    assert trial.run("trial.twice", {"who": "Person:P1"}, actor=U1).rows == [{"name": "张三", "same": True}]
    with pytest.raises(QueryRefused, match="no Person with id_number 'P2'"):
        trial.run("trial.twice", {"who": "Person:P2"}, actor=U1)
