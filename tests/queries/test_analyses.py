"""Graph analyses over a saved query's graph (a pack's `post:`) and over a label's projection,
on a small hand-made graph in the real Neo4j, checked against networkx computed from the
same links; too large a graph is refused with its size and the caps; a bad `post:` is
refused when the pack loads, with its file and line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import networkx
import pytest

from access.actor import Actor
from access.visibility import Visibility
from queries.analyses import AnalysisRefused, Limits, Post, analyse
from queries.pack_model import PackError, load_catalog, load_pack, pack_files
from queries.projection import analyse_projection
from queries.runner import QueryRefused, Runner

ANALYST = Actor("an-analyst", "analyst", case_ref="JX-2025-0001", reason="intelligence_analysis")

# Two cases, each naming a person and the person's phone (two triangles); the two people live at
# one address (the broker between them); apart from them, two owners sharing a vehicle. P2's phone
# is recorded twice: two relationships, one tie.
GRAPH = """
CREATE (c1:Case {case_id: 'C1', title: '盗窃案'}), (c2:Case {case_id: 'C2', title: '诈骗案'}),
       (p1:Person {id_number: '330402199001011234', name: '王建国'}),
       (p2:Person {id_number: '330402198505052345', name: '李红'}),
       (p3:Person {id_number: '330402197712123456', name: '赵强'}),
       (p4:Person {id_number: '330402196603034567', name: '钱芳'}),
       (t1:Phone {number: '13900000001'}), (t2:Phone {number: '13900000002'}),
       (a1:Address {address_id: 'A1', full: '嘉兴市南湖区建设街道1号'}),
       (v1:Vehicle {plate: '浙F12345'}), (v2:Vehicle {plate: '浙F54321'}),
       (c1)-[:MENTIONS]->(p1), (c1)-[:MENTIONS]->(t1), (p1)-[:HAS_PHONE]->(t1),
       (c2)-[:MENTIONS]->(p2), (c2)-[:MENTIONS]->(t2), (p2)-[:HAS_PHONE]->(t2), (p2)-[:HAS_PHONE]->(t2),
       (p1)-[:RESIDES_AT]->(a1), (p2)-[:RESIDES_AT]->(a1),
       (p3)-[:OWNS]->(v1), (p3)-[:OWNS]->(v2), (p4)-[:OWNS]->(v2)
"""
P1, P2, P3, P4 = (
    "Person:330402199001011234",
    "Person:330402198505052345",
    "Person:330402197712123456",
    "Person:330402196603034567",
)
T1, T2, A1 = "Phone:13900000001", "Phone:13900000002", "Address:A1"
C1, C2, V1, V2 = "Case:C1", "Case:C2", "Vehicle:浙F12345", "Vehicle:浙F54321"
# The same links, written out by hand: what networkx is given.
LINKS = [
    (C1, P1),
    (C1, T1),
    (P1, T1),
    (C2, P2),
    (C2, T2),
    (P2, T2),
    (P2, T2),
    (P1, A1),
    (P2, A1),
    (P3, V1),
    (P3, V2),
    (P4, V2),
]
PROJECTED = [(P1, T1), (P2, T2), (P1, A1), (P2, A1)]  # Person through HAS_PHONE and RESIDES_AT

PACK = """\
pack: trial
version: 1
names: {zh: 试验, en: Trial}
queries:
  - id: trial.everything
    names: {zh: 全部关系, en: Every link}
    description: {zh: 返回全部关系, en: Every link in the graph}
    returns: graph
    post: {analysis: betweenness, top: 3}
    cypher: MATCH (a)-[r]->(b) RETURN a, r, b
  - id: trial.names
    names: {zh: 姓名, en: Names}
    description: {zh: 只返回姓名, en: Names only}
    returns: both
    cypher: MATCH (p:Person) RETURN p.name AS name
"""


@pytest.fixture(scope="module")
def trial_catalog(schema, tmp_path_factory):
    path = tmp_path_factory.mktemp("packs") / "trial.yaml"
    path.write_text(PACK, encoding="utf-8")
    return load_catalog(schema, [*pack_files(), path])


@pytest.fixture
def hand_made(empty_graph):
    empty_graph.write("test.analyses", GRAPH)
    return empty_graph


def runner_with(gateway, catalog, schema, settings, audit, **caps) -> Runner:
    return Runner(gateway, catalog, schema, replace(settings, **caps), audit)


def nx_graph(links) -> networkx.Graph:
    graph = networkx.Graph()
    graph.add_edges_from(links)
    return graph


def pagerank(graph: networkx.Graph, damping: float = 0.85) -> dict[str, float]:
    # The textbook power iteration (networkx's own needs scipy, which goldenbell does not ship);
    # every node here has a link, so no rank dangles.
    n = graph.number_of_nodes()
    rank = dict.fromkeys(graph, 1 / n)
    for _ in range(200):
        rank = {
            v: (1 - damping) / n + damping * sum(rank[u] / graph.degree(u) for u in graph.neighbors(v)) for v in graph
        }
    return rank


def by_node(rows, column) -> dict:
    return {row["node"]: row[column] for row in rows}


@pytest.mark.parametrize("measure", ["degree", "betweenness", "pagerank", "triangles"])
def test_a_saved_querys_graph_is_measured_as_networkx_measures_it(
    hand_made, trial_catalog, schema, neo4j_settings, audit, measure
):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit)
    outcome = runner.run("trial.everything", actor=ANALYST, post=Post(measure))
    expected_graph = nx_graph(LINKS)
    expected = {
        "degree": dict(expected_graph.degree()),
        "betweenness": networkx.betweenness_centrality(expected_graph),
        "pagerank": pagerank(expected_graph),
        "triangles": networkx.triangles(expected_graph),
    }[measure]
    found = by_node(outcome.rows, measure)
    assert found.keys() == expected.keys()
    for node, value in expected.items():
        assert found[node] == pytest.approx(value, abs=1e-6), node
    assert outcome.columns == ["rank", "node", "label", "caption", measure, "id"]
    values = [row[measure] for row in outcome.rows]
    assert values == sorted(values, reverse=True) and [row["rank"] for row in outcome.rows] == list(range(1, 12))
    assert outcome.summary["nodes"] == 11 and outcome.summary["relationships"] == 12 and outcome.summary["ties"] == 11
    if measure == "triangles":
        assert outcome.summary["triangles"] == sum(networkx.triangles(expected_graph).values()) // 3 == 2
    # The graph stays with the outcome, to draw.
    assert len(outcome.nodes) == 11 and len(outcome.relationships) == 12


def test_the_packs_own_post_keeps_its_top_and_the_broker_ranks_first(
    hand_made, trial_catalog, schema, neo4j_settings, audit
):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit)
    outcome = runner.run("trial.everything", actor=ANALYST)
    # The address ties the two cases' people; equal scores go in the order of their references.
    assert [row["node"] for row in outcome.rows] == [A1, P2, P1]
    assert outcome.rows[0]["caption"] == "嘉兴市南湖区建设街道1号" and outcome.rows[0]["label"] == "Address"
    [entry] = list(audit.events())
    assert entry["outcome"] == "ok" and entry["query_id"] == "trial.everything" and entry["case_ref"] == "JX-2025-0001"
    assert "analysis betweenness, top 3 over 11 nodes" in entry["message"]
    assert P1 in entry["entities"] and V2 in entry["entities"]


def test_components_and_communities_split_the_graph(hand_made, trial_catalog, schema, neo4j_settings, audit):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit)
    components = runner.run("trial.everything", actor=ANALYST, post=Post("components"))
    expected = list(networkx.connected_components(nx_graph(LINKS)))
    found = {}
    for row in components.rows:
        found.setdefault(row["component"], set()).add(row["node"])
    assert sorted(map(sorted, found.values())) == sorted(map(sorted, expected))
    assert components.summary["components"] == 2 and components.summary["largest_component"] == 7
    assert found[1] == {C1, C2, P1, P2, T1, T2, A1}  # numbered from the largest
    communities = runner.run("trial.everything", actor=ANALYST, post=Post("communities"))
    community = by_node(communities.rows, "community")
    assert community[C1] == community[P1] == community[T1]
    assert community[C2] == community[P2] == community[T2]
    assert community[P1] != community[P2] and community[P3] != community[P1] != community[V1]
    assert communities.summary["modularity"] > 0.3
    assert communities.columns == ["node", "label", "caption", "community", "community_size", "id"]


def test_top_keeps_the_largest_groups(hand_made, trial_catalog, schema, neo4j_settings, audit):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit)
    outcome = runner.run("trial.everything", actor=ANALYST, post=Post("components", top=1))
    assert {row["node"] for row in outcome.rows} == {C1, C2, P1, P2, T1, T2, A1}


def test_a_graph_over_the_caps_is_refused_with_its_size(hand_made, trial_catalog, schema, neo4j_settings, audit):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit, analysis_max_nodes=10)
    with pytest.raises(QueryRefused) as refused:
        runner.run("trial.everything", actor=ANALYST)
    message = str(refused.value)
    assert "holds 11 nodes and 12 relationships" in message
    assert "at most 10 nodes (GOLDENBELL_ANALYSIS_MAX_NODES) and 25,000 relationships" in message
    [entry] = list(audit.events())
    assert entry["outcome"] == "refused" and "holds 11 nodes" in entry["message"]
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit, analysis_max_relationships=11)
    with pytest.raises(QueryRefused, match="11 relationships \\(GOLDENBELL_ANALYSIS_MAX_RELATIONSHIPS\\)"):
        runner.run("trial.everything", actor=ANALYST)


def test_a_query_that_returns_no_graph_cannot_be_analysed(hand_made, trial_catalog, schema, neo4j_settings, audit):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit)
    with pytest.raises(QueryRefused, match="returns no nodes, relationships or paths"):
        runner.run("trial.names", actor=ANALYST, post=Post("degree"))


def test_a_result_cut_at_the_row_cap_is_not_analysed(hand_made, trial_catalog, schema, neo4j_settings, audit):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit)
    with pytest.raises(QueryRefused, match="cut off at the row cap"):
        runner.run("trial.everything", actor=ANALYST, row_cap=5)


def test_captions_and_references_are_masked_for_a_role_without_the_right(
    hand_made, trial_catalog, schema, neo4j_settings, audit
):
    runner = runner_with(hand_made, trial_catalog, schema, neo4j_settings, audit)
    outcome = runner.run("trial.everything", actor=ANALYST, post=Post("degree"))
    shown = Visibility(sees_all=False).outcome(schema, outcome)
    text = json.dumps(shown.rows, ensure_ascii=False)
    for secret in ("330402199001011234", "13900000001", "13900000002"):
        assert secret not in text
    assert "139****0001" in text and "**************1234" in text
    assert "王建国" in text  # a name is not masked


def test_a_labels_projection_follows_only_the_types_named(hand_made, schema, audit):
    limits = Limits(5000, 25000)
    outcome = analyse_projection(
        hand_made, schema, audit, ANALYST, "betweenness", "Person", ["HAS_PHONE", "RESIDES_AT"], limits
    )
    expected = networkx.betweenness_centrality(nx_graph(PROJECTED))
    found = by_node(outcome.analysis.rows, "betweenness")
    assert found.keys() == expected.keys() == {P1, P2, T1, T2, A1}  # no owners, no cases
    for node, value in expected.items():
        assert found[node] == pytest.approx(value)
    assert outcome.analysis.rows[0]["node"] == A1
    assert outcome.analysis.summary["relationships"] == 5  # P2's phone twice
    degree = analyse_projection(hand_made, schema, audit, ANALYST, "degree", "Person", ["OWNS"], limits)
    assert by_node(degree.analysis.rows, "degree") == dict(nx_graph([(P3, V1), (P3, V2), (P4, V2)]).degree())
    entries = list(audit.events())
    assert [e["action"] for e in entries] == ["analysis.projection", "analysis.projection"]
    assert entries[0]["parameters"]["via"] == ["HAS_PHONE", "RESIDES_AT"] and entries[0]["case_ref"] == "JX-2025-0001"
    assert set(entries[0]["entities"]) == {P1, P2, T1, T2, A1}


@pytest.mark.parametrize(
    ("label", "via", "fault"),
    [
        ("Persons", ["HAS_PHONE"], "label 'Persons' is not in the schema"),
        ("Person) DETACH DELETE n //", ["HAS_PHONE"], "is not in the schema"),
        ("Person", ["KNOWS"], "relationship type 'KNOWS' is not in the schema"),
        ("Person", ["HAS_PHONE]-() DETACH DELETE n //"], "is not in the schema"),
        ("Person", ["SOLD_BY"], "relationship type SOLD_BY does not touch Person: it runs from Purchase to Shop"),
        ("Person", [], "name the relationship types to follow from Person"),
    ],
)
def test_a_projection_takes_its_label_and_types_from_the_schema(hand_made, schema, audit, label, via, fault):
    with pytest.raises(AnalysisRefused, match=fault.replace("(", "\\(").replace(")", "\\)")):
        analyse_projection(hand_made, schema, audit, ANALYST, "degree", label, via, Limits(5000, 25000))
    assert hand_made.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 11
    [entry] = list(audit.events())
    assert entry["outcome"] == "refused" and entry["action"] == "analysis.projection"


def test_a_projection_over_the_caps_is_refused_with_its_counts(hand_made, schema, audit):
    via = ["HAS_PHONE", "RESIDES_AT"]
    with pytest.raises(AnalysisRefused) as refused:
        analyse_projection(hand_made, schema, audit, ANALYST, "degree", "Person", via, Limits(5000, 4))
    assert str(refused.value).startswith(
        "the projection of Person through HAS_PHONE, RESIDES_AT holds 5 relationships; an analysis takes at most "
        "4 relationships (GOLDENBELL_ANALYSIS_MAX_RELATIONSHIPS)"
    )
    with pytest.raises(AnalysisRefused, match="holds 5 nodes and 5 relationships; an analysis takes at most 4 nodes"):
        analyse_projection(hand_made, schema, audit, ANALYST, "degree", "Person", via, Limits(4, 5))


def test_an_empty_result_gives_no_rows():
    found = analyse("triangles", [], [])
    assert found.rows == [] and found.summary["triangles"] == 0 and found.summary["nodes"] == 0


BAD_POSTS = {
    "unknown analysis": ("post: {analysis: closeness}", 9, "'post.analysis' must be one of degree, betweenness"),
    "unknown key": ("post:\n      analysis: degree\n      limit: 5", 11, "'post' has unknown key(s) limit"),
    "top not a number": ("post:\n      analysis: degree\n      top: many", 11, "'post.top' must be a whole number"),
    "top zero": ("post: {analysis: degree, top: 0}", 9, "'post.top' must be a whole number from 1 to 10,000, got 0"),
    "not a mapping": ("post: betweenness", 9, "'post' is a mapping such as {analysis: betweenness, top: 20}"),
    "on a table": (
        "post: {analysis: degree}\n    returns: table",
        9,
        "'post' analyses the graph a query returns (degree), but this one says returns: table",
    ),
    "on an alert rule": (
        "post: {analysis: degree}\n    alert: true\n    severity: low",
        9,
        "'post' is not for alert rules",
    ),
}


@pytest.mark.parametrize(("post", "line", "fault"), list(BAD_POSTS.values()), ids=list(BAD_POSTS))
def test_a_bad_post_is_refused_at_load_with_its_file_and_line(tmp_path: Path, schema, post, line, fault):
    returns = "" if "returns:" in post else "\n    returns: graph"
    text = (
        "pack: trial\nversion: 1\nnames: {zh: 试验, en: Trial}\nqueries:\n  - id: trial.q\n"
        "    names: {zh: 试验, en: Trial}\n    description: {zh: 试验, en: Trial}\n"
        f"    cypher: MATCH (a)-[r]->(b) RETURN a, r, b\n    {post}{returns}\n"
    )
    path = tmp_path / "trial.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as refused:
        load_pack(path, schema)
    assert str(refused.value).startswith(f"{path}, line {line}: query trial.q: {fault}"), str(refused.value)
