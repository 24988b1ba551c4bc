"""`goldenbell analyse` against the test database: a label's projection and a saved query's
graph, as a table and as JSON, recorded like `query run`; too large a graph, an unknown
label and a pack with a bad `post:` end the command with one clear line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from access.audit.log import AuditLog
from cli.analyse import analyse
from tests.queries.test_analyses import A1, C1, GRAPH, P1, P2, PACK, T1, T2

CONSULT = ("--case", "JX-1", "--reason", "intelligence_analysis")
AROUND = """\
  - id: trial.around
    names: {zh: 周边, en: Around}
    description: {zh: 两步之内, en: Within two steps}
    returns: both
    parameters:
      who: {type: entity, labels: [Person], names: {zh: 人, en: Who}}
    cypher: |
      MATCH p = (s)-[*1..2]-() WHERE elementId(s) = $who
      RETURN p
"""


@pytest.fixture
def cli(neo4j_env, tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "trial.yaml").write_text(PACK + AROUND, encoding="utf-8")
    env = {
        **neo4j_env,
        "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        "GOLDENBELL_PACKS_DIR": str(packs),
        "COLUMNS": "220",
    }

    def invoke(*args: str, **more: str):
        return CliRunner().invoke(analyse, list(args), env={**env, **more}, catch_exceptions=False)

    invoke.entries = lambda: list(AuditLog(tmp_path / "audit.jsonl").events())
    invoke.packs = packs
    return invoke


@pytest.fixture
def graph(empty_graph):
    empty_graph.write("test.analyses", GRAPH)
    return empty_graph


def test_a_labels_projection_as_a_table(graph, cli):
    result = cli("betweenness", "--label", "Person", "--via", "HAS_PHONE,RESIDES_AT", "--top", "1", *CONSULT)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["rank", "node", "label", "caption", "betweenness"]
    assert lines[1].split()[:3] == ["1", A1, "Address"] and "0.666667" in lines[1]
    assert len(lines) == 2  # --top 1
    assert "betweenness over 5 nodes and 5 relationships (4 linked pairs); 1 rows" in result.stderr
    [entry] = cli.entries()
    assert entry["action"] == "analysis.projection" and entry["case_ref"] == "JX-1"
    assert entry["parameters"] == {
        "analysis": "betweenness",
        "label": "Person",
        "via": ["HAS_PHONE", "RESIDES_AT"],
        "top": 1,
    }
    assert entry["entities"] == [A1] and entry["rows"] == 1


def test_a_saved_querys_graph_as_json_with_a_parameter(graph, cli):
    result = cli("degree", "--query", "trial.around", "-p", f"who={P1}", "--json", *CONSULT)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["query_id"] == "trial.around" and payload["params"] == {"who": P1}
    assert {row["node"]: row["degree"] for row in payload["rows"]} == {P1: 3, C1: 2, T1: 2, A1: 2, P2: 1}
    assert payload["summary"]["nodes"] == 5 and payload["summary"]["relationships"] == 5
    assert payload["columns"] == ["rank", "node", "label", "caption", "degree", "id"]
    [entry] = cli.entries()
    assert entry["action"] == "query.run" and entry["query_id"] == "trial.around" and entry["case_ref"] == "JX-1"
    assert "analysis degree over 5 nodes" in entry["message"]


def test_totals_are_said_for_triangles_communities_and_components(graph, cli):
    triangles = cli("triangles", "--query", "trial.everything", *CONSULT)
    assert triangles.exit_code == 0, triangles.output
    assert "; 2 triangles;" in triangles.stderr
    components = cli("components", "--query", "trial.everything", "--json", *CONSULT)
    summary = json.loads(components.stdout)["summary"]
    assert summary["components"] == 2 and summary["largest_component"] == 7
    communities = cli("communities", "--label", "Person", "--via", "HAS_PHONE", *CONSULT)
    assert communities.exit_code == 0, communities.output
    assert "2 communities, modularity" in communities.stderr
    rows = [line.split() for line in communities.stdout.splitlines()[1:]]
    assert {row[0] for row in rows} == {P1, P2, T1, T2}


def test_a_projection_over_the_cap_is_refused_with_its_counts(graph, cli):
    result = cli(
        "degree",
        "--label",
        "Person",
        "--via",
        "HAS_PHONE,RESIDES_AT",
        *CONSULT,
        GOLDENBELL_ANALYSIS_MAX_RELATIONSHIPS="4",
    )
    assert result.exit_code == 1
    assert (
        "the projection of Person through HAS_PHONE, RESIDES_AT holds 5 relationships; an analysis takes at most "
        "4 relationships (GOLDENBELL_ANALYSIS_MAX_RELATIONSHIPS)"
    ) in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    [entry] = cli.entries()
    assert entry["outcome"] == "refused"
    nodes = cli("degree", "--query", "trial.everything", *CONSULT, GOLDENBELL_ANALYSIS_MAX_NODES="10")
    assert nodes.exit_code == 1
    assert "holds 11 nodes and 12 relationships; an analysis takes at most 10 nodes" in " ".join(nodes.stderr.split())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--label", "Persons", "--via", "HAS_PHONE"), "label 'Persons' is not in the schema"),
        (("--label", "Person", "--via", "SOLD_BY"), "relationship type SOLD_BY does not touch Person"),
        (("--query", "trial.names"), "returns no nodes, relationships or paths"),
    ],
)
def test_what_cannot_be_analysed_is_said_in_one_line(graph, cli, args, says):
    result = cli("degree", *args, *CONSULT)
    assert result.exit_code == 1 and says in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert [entry["outcome"] for entry in cli.entries()] == ["refused"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("degree",), "give either --label LABEL --via TYPE,TYPE or --query QUERY_ID"),
        (("degree", "--label", "Person", "--query", "trial.everything"), "give either"),
        (("degree", "--label", "Person", "--via", "OWNS", "-p", "a=b"), "-p belongs to --query"),
        (("degree", "--query", "trial.everything", "--via", "OWNS"), "--via belongs to --label"),
        (("closeness", "--label", "Person", "--via", "OWNS"), "'closeness' is not one of"),
    ],
)
def test_a_wrong_call_is_a_usage_error_and_nothing_is_recorded(cli, args, says):
    result = cli(*args, *CONSULT)
    assert result.exit_code == 2 and says in result.stderr
    assert cli.entries() == []


def test_a_consultation_needs_its_case_and_reason(cli):
    result = cli("degree", "--label", "Person", "--via", "OWNS")
    assert result.exit_code == 2 and "--case and --reason missing" in result.stderr
    assert cli.entries() == []


def test_a_pack_with_a_bad_post_is_refused_with_its_file_and_line(graph, cli):
    bad = cli.packs / "trial.yaml"
    bad.write_text(
        PACK.replace("post: {analysis: betweenness, top: 3}", "post: {analysis: closeness}"), encoding="utf-8"
    )
    result = cli("degree", "--query", "trial.everything", *CONSULT)
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert f"{bad}, line 9: query trial.everything: 'post.analysis' must be one of degree" in said
