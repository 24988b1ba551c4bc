"""The cache warm-up after `db start` reads every index, label and relationship type the
schema declares, from the schema's names only, and logs each step."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from click.testing import CliRunner

from cli.main import main
from graph.warmup import log_path, steps, warm
from settings.table import PROJECT_ROOT, Settings
from tests.conftest import server_env
from workspace.warmup import FIRST_QUERIES


def run_module(env: dict[str, str], module: str, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", module, *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_the_warm_up_reads_every_index_label_and_type_of_the_schema(sample_graph, schema):
    planned = [what for what, _, _ in steps(sample_graph, schema)]
    assert any(what.startswith("full-text index") for what in planned)
    assert {f"nodes {label}" for label in schema.nodes} <= set(planned)
    assert {f"links {rel_type}" for rel_type in schema.relationships} <= set(planned)
    # Indexes first: the search box and keyed lookups are what an analyst touches first.
    first_store_step = min(i for i, what in enumerate(planned) if what.startswith("nodes "))
    assert all(what.startswith(("index ", "full-text index")) for what in planned[:first_store_step])
    lines: list[str] = []
    warm(sample_graph, schema, lines.append)
    assert len(lines) == len(planned) + 1 and lines[-1].startswith("warm in")
    persons = next(line for line in lines if line.startswith("nodes Person:"))
    assert int(persons.split(": ")[1].split()[0]) > 0


def test_the_background_process_logs_its_steps_to_an_owner_only_file(neo4j_env, sample_graph, tmp_path):
    env = {**os.environ, **neo4j_env, "PYTHONPATH": str(PROJECT_ROOT)}
    run_module(env, "workspace.warmup")
    log = log_path(Settings.from_env(env))
    text = log.read_text(encoding="utf-8")
    assert "full-text index" in text and "warm in" in text
    last = text.splitlines()[-1].split(" ", 1)[1]
    assert last.startswith("first queries planned and compiled")
    # The first double-click on the map runs the seen-at links beside the expansion: planned too.
    assert all(query in last for query in FIRST_QUERIES)
    assert log.stat().st_mode & 0o077 == 0


def test_db_warm_plans_the_first_queries_again_once_a_load_is_done(neo4j_env, sample_graph):
    # `make demo` starts the server (and its warm-up) on an empty graph, then loads the sample.
    env = {**os.environ, **neo4j_env, "PYTHONPATH": str(PROJECT_ROOT)}
    log = log_path(Settings.from_env(env))
    log.unlink(missing_ok=True)
    done = run_module(env, "cli.main", "db", "warm")
    assert f"warming its caches in the background: {log}" in done.stdout.replace("\n", "")
    deadline, last = time.monotonic() + 300, ""
    while "first queries planned" not in last and time.monotonic() < deadline:
        time.sleep(1)
        last = log.read_text(encoding="utf-8").splitlines()[-1] if log.is_file() else ""
    assert all(query in last for query in FIRST_QUERIES), last


def test_db_warm_with_no_server_says_how_to_start_one(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = CliRunner().invoke(main, ["db", "warm"], env=server_env(tmp_path / "home", port))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Run `goldenbell db start`" in result.output
    assert not log_path(Settings.from_env(server_env(tmp_path / "home", port))).exists()


def test_the_store_files_are_read_once_and_counted(tmp_path):
    from graph.warmup import read_files

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "neostore.nodestore.db").write_bytes(b"x" * 3_000_000)
    (tmp_path / "index.cfs").write_bytes(b"y" * 1_000_000)
    lines: list[str] = []
    read_files(tmp_path, lines.append)
    assert lines == [lines[0]] and lines[0].startswith("store files: 4 MB read in")
