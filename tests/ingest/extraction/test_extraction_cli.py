"""`goldenbell extract`: a file without a database, and cases in the graph."""

from __future__ import annotations

import json

from click.testing import CliRunner
from stdnum.cn import ric

from cli.main import main

BODY = "33040219850312123"
KNOWN = BODY + ric.calc_check_digit(BODY + "0")


def test_a_jsonl_file_prints_its_mentions_without_a_database(tmp_path):
    reports = tmp_path / "case_reports.jsonl"
    rows = [
        {"警情编号": "JQ9", "案情简述": f"报警人陆帆（身份证号{KNOWN}，电话+86 138 1234 5678）称车辆浙F·12345被划。"},
    ]
    reports.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(reports), "--json"], env={"GOLDENBELL_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(m["case"], m["entity_type"], m["key"]) for m in found} >= {
        ("JQ9", "person", "陆帆"),
        ("JQ9", "id_number", KNOWN),
        ("JQ9", "phone", "13812345678"),
        ("JQ9", "plate", "浙F12345"),
    }


def test_a_case_in_the_graph_is_extracted_and_written(empty_graph, neo4j_env):
    empty_graph.write(
        "test.case",
        "MERGE (c:Case {case_id: 'JQ8'}) SET c.text = $text",
        {"text": f"报警人沈松竹（身份证号{KNOWN}）称其手机被盗。"},
    )
    runner = CliRunner()
    shown = runner.invoke(main, ["extract", "--case", "JQ8", "--json"], env=neo4j_env)
    assert shown.exit_code == 0, shown.output
    links = {json.loads(line)["entity_type"]: json.loads(line)["links_to"] for line in shown.stdout.splitlines()}
    assert links == {"person": "unresolved", "id_number": "unresolved"}  # no Person in this graph yet
    written = runner.invoke(main, ["extract", "--case", "JQ8", "--write"], env=neo4j_env)
    assert written.exit_code == 0, written.output
    assert "0 mentions linked, 2 kept unresolved" in written.stdout
    stored = empty_graph.read(
        "test.stored", "MATCH (:Case {case_id: 'JQ8'})-[:HAS_MENTION]->(n:Mention) RETURN count(n)"
    ).single_value()
    assert stored == 2
    missing = runner.invoke(main, ["extract", "--case", "NOPE"], env=neo4j_env)
    assert missing.exit_code == 1 and "no Case" in missing.output
