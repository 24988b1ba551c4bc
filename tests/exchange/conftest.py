"""A small hand-made graph (synthetic values), the export and import calls as the command
line makes them, and the counts and pack answers a round trip must keep."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from access.actor import Actor
from access.audit.log import AuditLog
from exchange import subgraph
from exchange.exporting import export_graph
from exchange.loading import import_graph
from graph.gateway import Gateway
from queries.runner import Runner
from synth.citizen_ids import make_id

P1 = make_id("330402", date(1990, 1, 2), 12)
P2 = make_id("330402", date(1985, 6, 30), 31)
P3 = make_id("330411", date(1979, 11, 5), 7)
SHARED_PHONE = "13912345678"
OWN_PHONE = "13987654321"
HOME = "浙江省嘉兴市南湖区建设街道文昌路100号3幢2单元301室"

SMALL_GRAPH = """
CREATE (p1:Person {id_number: $p1, name: '王建国', gender: '男', birth_date: date('1990-01-02')}),
       (p2:Person {id_number: $p2, name: '王建华', gender: '男', birth_date: date('1985-06-30')}),
       (p3:Person {id_number: $p3, name: '李秀英', gender: '女', birth_date: date('1979-11-05'),
                   hukou_address: '浙江省嘉兴市秀洲区新城街道'}),
       (shared:Phone {number: $shared}), (own:Phone {number: $own}),
       (v1:Vehicle {plate: '浙F12345', brand: '大众', colour: '白', key_vehicle: false,
                    registered_on: date('2020-05-01')}),
       (v2:Vehicle {plate: '浙FD12345', brand: '比亚迪', key_vehicle: true}),
       (home:Address {address_id: $home, full: $home, district: '南湖区', town: '建设街道', road: '文昌路100号',
                      building: '3', unit: '2', room: '301', location: point({longitude: 120.755, latitude: 30.746})}),
       (shop:Shop {shop_id: 'SHOP-001', name: '平安烟花店', categories: ['烟花爆竹', '管制刀具']}),
       (p1)-[:HAS_PHONE]->(shared), (p2)-[:HAS_PHONE]->(shared), (p3)-[:HAS_PHONE]->(own),
       (p1)-[:OWNS {since: date('2020-05-01')}]->(v1), (p3)-[:OWNS]->(v2),
       (p1)-[:HUKOU_AT]->(home), (p2)-[:HUKOU_AT]->(home), (p3)-[:RESIDES_AT]->(home),
       (shop)-[:LOCATED_AT]->(home)
"""

CONSULTING = {"case_ref": "JX-2025-001", "reason": "intelligence_analysis"}
BOOKKEEPING = ("ImportRun", "SourceFile")


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def runner(gateway, catalog, schema, neo4j_settings, audit) -> Runner:
    # The same driver with a minute for each read: planning the search pack's query on a busy
    # two-core machine can take longer than the test server's ten seconds, and the answers,
    # not the time, are what these tests compare.
    patient = Gateway(
        gateway.driver, database=gateway.database, query_timeout=60, uri=gateway.uri, changes=gateway.changes
    )
    return Runner(patient, catalog, schema, neo4j_settings, audit)


@pytest.fixture
def small_graph(empty_graph):
    empty_graph.write(
        "test.small_graph",
        SMALL_GRAPH,
        {"p1": P1, "p2": P2, "p3": P3, "shared": SHARED_PHONE, "own": OWN_PHONE, "home": HOME},
    )
    return empty_graph


def operator() -> Actor:
    return Actor("exchange-test", "operator", **CONSULTING)


def analyst() -> Actor:
    return Actor("analyst-1", "analyst", **CONSULTING)


def export_whole(gateway, schema, audit, fmt: str, out: Path, actor: Actor | None = None):
    return export_graph(
        lambda visibility: subgraph.from_graph(gateway, schema, visibility=visibility, timeout=120),
        fmt=fmt,
        out=out,
        schema=schema,
        audit=audit,
        actor=actor or operator(),
        source="the whole graph",
    )


def load(gateway, schema, audit, path: Path, rejects: Path, **kwargs):
    return import_graph(
        path, schema=schema, gateway=gateway, audit=audit, actor=operator(), rejects_path=rejects, **kwargs
    )


def counts(gateway) -> dict[str, int]:
    """Nodes per label and relationships per type, the import's own bookkeeping left out."""
    nodes = gateway.read(
        "test.count_nodes",
        "MATCH (n) WHERE NOT n:ImportRun AND NOT n:SourceFile UNWIND labels(n) AS label RETURN label, count(*) AS n",
    ).data()
    rels = gateway.read(
        "test.count_rels",
        "MATCH ()-[r]->() WHERE type(r) <> 'READ_FILE' RETURN type(r) AS type, count(*) AS n",
    ).data()
    return {**{f":{row['label']}": row["n"] for row in nodes}, **{f"[{row['type']}]": row["n"] for row in rels}}


def answers(runner: Runner) -> dict[str, str]:
    """What a few pack queries answer on the small graph, as text to compare."""
    asked = {
        "identity.shared_phones": {"min_persons": 2},
        "search.entities": {"text": "王建国"},
    }
    out = {}
    for query_id, params in asked.items():
        outcome = runner.run(query_id, params, actor=operator())
        rows = [{k: v for k, v in row.items() if k != "score"} for row in outcome.rows]
        out[query_id] = json.dumps(sorted(rows, key=lambda r: json.dumps(r, sort_keys=True)), sort_keys=True)
    return out
