"""`goldenbell export` and `goldenbell import-graph` as a data officer runs them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.exchange import export, import_graph
from graph import admin
from tests.exchange.conftest import P1, counts

CONSULT = ("--case", "JX-2025-001", "--reason", "intelligence_analysis")


@pytest.fixture
def cli(neo4j_env, tmp_path):
    env = {**neo4j_env, "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"), "COLUMNS": "220"}

    def invoke(command, *args: str):
        return CliRunner().invoke(command, list(args), env=env, catch_exceptions=False)

    invoke.audit = tmp_path / "audit.jsonl"
    return invoke


def test_export_then_import_graph(small_graph, cli, tmp_path):
    before = counts(small_graph)
    out = tmp_path / "persons.graphml"
    result = cli(
        export, "--format", "graphml", "--label", "Person", "--via", "HAS_PHONE,OWNS", "--out", str(out), *CONSULT
    )
    assert result.exit_code == 0, result.output
    assert "7 nodes and 5 relationships" in result.stderr
    assert P1 in out.read_text(encoding="utf-8")  # the operator sees everything
    admin.wipe(small_graph)
    rejects = tmp_path / "rejects.csv"
    dry = cli(import_graph, str(out), "--dry-run", "--json")
    assert dry.exit_code == 0 and json.loads(dry.stdout)["nodes_loaded"] == 7 and counts(small_graph) == {}
    loaded = cli(import_graph, str(out), "--rejects", str(rejects))
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 7 nodes and 5 relationships, rejected 0" in loaded.stderr
    assert counts(small_graph) == {
        k: v for k, v in before.items() if k[1:].rstrip("]") in ("Person", "Phone", "Vehicle", "HAS_PHONE", "OWNS")
    }
    actions = [json.loads(line)["action"] for line in cli.audit.read_text(encoding="utf-8").splitlines()]
    assert actions == ["export", "import.dry_run", "import"]


def test_masked_export_is_refused_on_import_with_one_line(small_graph, cli, tmp_path):
    out = tmp_path / "masked.jsonl"
    assert cli(export, "--format", "ftm", "--all", "--masked", "--out", str(out), *CONSULT).exit_code == 0
    assert P1 not in out.read_text(encoding="utf-8")
    result = cli(import_graph, str(out))
    assert result.exit_code == 1
    assert "is a masked export" in result.stderr and "Nothing was imported" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "graphml", "--out", "x.graphml", *CONSULT), "name one of --query ID"),
        (("--format", "graphml", "--label", "Person", "--all", "--out", "x.graphml", *CONSULT), "name one of"),
        (("--format", "graphml", "--all", "--via", "OWNS", "--out", "x.graphml", *CONSULT), "--via goes with --label"),
        (("--format", "graphml", "--all", "--out", "x.graphml"), "--case and --reason missing"),
    ],
)
def test_usage_mistakes(cli, args, message):
    result = cli(export, *args)
    assert result.exit_code == 2 and message in result.output


def test_unknown_label_and_existing_file_end_with_one_line(small_graph, cli, tmp_path):
    result = cli(export, "--format", "csv", "--label", "Spaceship", "--out", str(tmp_path / "x"), *CONSULT)
    assert result.exit_code == 1 and "label 'Spaceship' is not in the schema" in result.stderr
    taken = tmp_path / "taken.graphml"
    taken.write_text("mine", encoding="utf-8")
    result = cli(export, "--format", "graphml", "--all", "--out", str(taken), *CONSULT)
    assert result.exit_code == 1 and "never overwrites" in result.stderr
    assert taken.read_text(encoding="utf-8") == "mine"
