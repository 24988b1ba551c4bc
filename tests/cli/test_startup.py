"""Small commands start fast: `goldenbell ingest --help` and `goldenbell query list` import
none of the heavy libraries (the Neo4j driver, pandas, DuckDB, spaCy, Streamlit …), which
took seconds to load before any work began. What is imported is asserted, not the time,
so the test holds on a busy machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from settings.table import PROJECT_ROOT

HEAVY = ("neo4j", "pandas", "numpy", "pyarrow", "duckdb", "spacy", "streamlit", "openpyxl")
# Runs the command as the console script does, then says what it imported.
WRAPPER = """
import json, sys
from cli.main import main
try:
    main(sys.argv[2:], prog_name="goldenbell")
    code = 0
except SystemExit as exc:
    code = exc.code or 0
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(name.split(".")[0] for name in sys.modules)}, out)
"""


@pytest.mark.parametrize(
    ("argv", "shows"),
    [
        (["ingest", "--help"], "--dry-run"),
        (["query", "list"], "links.neighbourhood"),
        (["cypher", "--help"], "--param"),
    ],
    ids=" ".join,
)
def test_a_small_command_imports_no_heavy_library(tmp_path, argv, shows):
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOLDENBELL_", "NEO4J_"))}
    env |= {"GOLDENBELL_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(report), *argv],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = json.loads(report.read_text(encoding="utf-8"))
    assert found["code"] == 0, done.stderr
    assert shows in done.stdout
    assert [name for name in HEAVY if name in found["modules"]] == []
