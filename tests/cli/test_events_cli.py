"""`goldenbell events …` against the test database: passage files into the event store,
misuse refused with one clear line, and the event alert rules run from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main

PLACES = """
CREATE (:Checkpoint {checkpoint_id: 'JCZ330401', name: '东检查站',
                     location: point({longitude: 120.70, latitude: 30.70})}),
       (:Checkpoint {checkpoint_id: 'JCZ330402', name: '西检查站',
                     location: point({longitude: 120.90, latitude: 30.80})})
"""
HEADER = "过车编号,号牌号码,号牌颜色,检查站编号,过车时间,方向,车道,核录身份证号\n"


@pytest.fixture
def cli(neo4j_env, tmp_path):
    env = {**neo4j_env, "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"), "COLUMNS": "220"}
    store = Path(neo4j_env["GOLDENBELL_HOME"]) / "events"
    shutil.rmtree(store, ignore_errors=True)

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    yield invoke
    shutil.rmtree(store, ignore_errors=True)


def test_events_import_stores_passages_and_counts_every_row(empty_graph, cli, tmp_path):
    empty_graph.write("test.places", PLACES)
    file = tmp_path / "checkpoint_passages.csv"
    file.write_text(
        HEADER
        + "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,\n"
        + "P2,浙F12345,蓝,JCZ330402,2025-03-01 08:01:00,进城,1,\n"
        + "P3,浙F1234I,蓝,JCZ330401,2025-03-01 08:02:00,进城,1,\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    result = cli("events", "import", str(file), "--rejects", str(rejects), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["rows_read"], report["rows_loaded"], report["rows_rejected"]) == (3, 2, 1)
    assert report["seen_at_links"] == 2
    assert "plate.invalid" in rejects.read_text(encoding="utf-8-sig")

    again = cli("events", "import", str(file), "--rejects", str(tmp_path / "again.csv"))
    assert again.exit_code == 0 and "already in the event store" in again.output

    # The map draws a vehicle's places itself when passages are not nodes: the stored link
    # is not expanded as well, or the map would show it twice.
    consult = ("--case", "JX-1", "--reason", "intelligence_analysis", "--format", "json")
    expand = "links.neighbourhood", "-p", "start=Vehicle:浙F12345"
    without = cli("query", "run", *expand, "-p", "passages=false", *consult)
    assert without.exit_code == 0, without.output
    assert [r["relationship_type"] for r in json.loads(without.output)["rows"]] == []
    with_passages = json.loads(cli("query", "run", *expand, *consult).output)["rows"]
    assert {r["relationship_type"] for r in with_passages} == {"SEEN_AT"}

    # Two checkpoints 20 km apart a minute apart: a cloned plate, raised on DuckDB.
    alerts = cli("events", "alerts", "--rule", "vehicles.cloned_plates", "--json")
    assert alerts.exit_code == 0, alerts.output
    assert json.loads(alerts.output)[0]["hits"] == 1

    # The alert keeps its two passages; reading them back is a consultation.
    [alert_id] = json.loads(alerts.output)[0]["alert_ids"]
    refused = cli("events", "evidence", alert_id)
    assert refused.exit_code == 2 and "--case and --reason missing" in refused.output
    evidence = cli("events", "evidence", alert_id, "--case", "JX-1", "--reason", "intelligence_analysis", "--json")
    assert evidence.exit_code == 0, evidence.output
    assert [(r["passage_id"], r["place"]) for r in json.loads(evidence.output)] == [
        ("P1", "东检查站"),
        ("P2", "西检查站"),
    ]
    shown = cli("events", "evidence", alert_id, "--case", "JX-1", "--reason", "intelligence_analysis")
    assert "东检查站" in shown.output and "2 passages" in shown.output


def test_events_import_refuses_a_file_that_holds_no_passages(empty_graph, cli, tmp_path):
    file = tmp_path / "checkpoints.csv"
    file.write_text("检查站编号,检查站名称,所在道路,经度,纬度\nJCZ1,东,路,120.7,30.7\n", encoding="utf-8")
    result = cli("events", "import", str(file))
    assert result.exit_code == 1
    assert "not passages" in result.output and "Traceback" not in result.output
    unknown = cli("events", "alerts", "--rule", "vehicles.nothing")
    assert unknown.exit_code == 1 and "no event rule" in unknown.output


def test_lookup_copies_can_wait_for_a_later_refresh(empty_graph, cli, tmp_path):
    empty_graph.write("test.places", PLACES)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(HEADER + "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,\n", encoding="utf-8")
    second.write_text(HEADER + "P2,浙F12345,蓝,JCZ330402,2025-03-02 08:00:00,进城,1,\n", encoding="utf-8")

    waited = cli("events", "import", str(first), "--no-lookups", "--json")
    assert waited.exit_code == 0, waited.output
    assert json.loads(waited.output)["lookup_files"] == 0
    made = cli("events", "lookups", "--json")
    assert made.exit_code == 0, made.output
    assert (json.loads(made.output)["files"], json.loads(made.output)["rows"]) == (1, 1)
    again = cli("events", "lookups")
    assert again.exit_code == 0 and "0 stored files (0 passages) already copied" in again.output

    imported = cli("events", "import", str(second))
    assert imported.exit_code == 0, imported.output
    assert "1 files copied into the lookup copies" in imported.output


def test_events_tables_writes_the_graph_tables_a_rule_reads_as_parquet(empty_graph, cli, tmp_path):
    import pyarrow.parquet as pq

    empty_graph.write(
        "test.owner",
        "CREATE (:Person {id_number: '330402199001011234', name: '张三'})-[:OWNS]->(:Vehicle {plate: '浙F12345'})",
    )
    out = tmp_path / "tables"
    result = cli("events", "tables", "--out", str(out), "--rule", "vehicles.wanted_owner_passages")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["listings.parquet", "vehicle_owners.parquet"]
    assert pq.read_table(out / "vehicle_owners.parquet").to_pylist() == [
        {"person_id": "330402199001011234", "plate": "浙F12345"}
    ]
    assert (out / "listings.parquet").stat().st_mode & 0o077 == 0  # the rows name people
    none = cli("events", "tables", "--out", str(out), "--rule", "vehicles.cloned_plates")
    assert none.exit_code == 0 and "reads no graph table" in none.output


def test_once_passages_are_stored_the_other_commands_follow_them(empty_graph, cli, tmp_path):
    empty_graph.write("test.places", PLACES)
    file = tmp_path / "checkpoint_passages.csv"
    file.write_text(
        HEADER
        + "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,\n"
        + "P2,浙F12345,蓝,JCZ330402,2025-03-01 08:01:00,进城,1,\n",
        encoding="utf-8",
    )
    assert cli("events", "import", str(file)).exit_code == 0

    consult = ("--case", "JX-1", "--reason", "intelligence_analysis", "--format", "json")
    route = cli("query", "run", "vehicles.trajectory", "-p", "plate=浙F12345", *consult)
    assert route.exit_code == 0, route.output
    assert [r["place"] for r in json.loads(route.output)["rows"]] == ["东检查站", "西检查站"]

    raised = cli("alerts", "run", "--rule", "vehicles.cloned_plates")
    assert raised.exit_code == 0, raised.output
    assert "vehicles.cloned_plates" in raised.output and " 1 " in raised.output, "one hit, raised from the store"

    # Loaded as Passage nodes, they would be read by nothing: refused, saying where they go.
    refused = cli("ingest", str(file), "--rejects", str(tmp_path / "rejects.csv"))
    assert refused.exit_code == 1 and "goldenbell events import" in refused.output
    assert "Traceback" not in refused.output
    assert empty_graph.read("test.passages", "MATCH (p:Passage) RETURN count(p) AS n").single_value() == 0


def test_an_incremental_run_says_what_it_looked_at_and_a_write_past_goldenbell_can_be_told(empty_graph, cli, tmp_path):
    empty_graph.write("test.places", PLACES)
    file = tmp_path / "checkpoint_passages.csv"
    file.write_text(HEADER + "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,\n", encoding="utf-8")
    assert cli("events", "import", str(file), "--rejects", str(tmp_path / "r.csv")).exit_code == 0
    rule = ("events", "alerts", "--rule", "vehicles.revoked_licence_driving", "--incremental")

    first = cli(*rule)
    assert first.exit_code == 0, first.output
    assert "looking at every passage" in first.output, "a first run looks at everything"
    again = cli(*rule)
    assert "looking at the passages of 0 plates" in again.output, "nothing new: the licences read are kept"
    told = cli(*rule, "--graph-changed")
    assert told.exit_code == 0 and "looking at every passage" in told.output
