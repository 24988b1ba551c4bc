"""An import killed with SIGKILL and run again gives the same graph as one clean run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import admin
from ingest.api import import_files
from tests.ingest.engine.signature import graph_signature

pytestmark = pytest.mark.slow

ROWS = 15_000  # 30 batches: the kill lands at least ten batches before the end
BATCH = 500


def _write_sources(folder: Path) -> list[Path]:
    checkpoints = folder / "checkpoints.csv"
    lines = ["检查站编号,检查站名称,所在道路,所属区县,经度,纬度"]
    lines += [f"CP{i:02d},检查站{i:02d},07省道,南湖区,120.{70 + i},30.{60 + i}" for i in range(1, 9)]
    checkpoints.write_text("\n".join(lines) + "\n", encoding="utf-8")
    passages = folder / "checkpoint_passages.csv"
    rows = ["过车编号,号牌号码,号牌颜色,检查站编号,过车时间,方向,车道,核录身份证号"]
    for i in range(ROWS):
        plate = f"浙F{(i * 7919) % 90000 + 10000}"
        stamp = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}"
        rows.append(f"G{i:07d},{plate},蓝,CP{1 + i % 8:02d},{stamp},进城,{1 + i % 3},")
    passages.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [checkpoints, passages]


def _committed(gateway) -> int:
    return (
        gateway.read(
            "test.progress",
            "MATCH (:SourceFile {name: 'checkpoint_passages.csv'})<-[rf:READ_FILE]-() RETURN max(rf.rows_committed)",
        ).single_value()
        or 0
    )


def test_a_killed_import_resumes_to_the_same_graph(empty_graph, schema, neo4j_env, tmp_path):
    sources = _write_sources(tmp_path)
    clean = import_files(
        sources, schema=schema, gateway=empty_graph, rejects_path=tmp_path / "clean.csv", batch_size=BATCH
    )
    assert clean.rows_loaded == ROWS + 8
    expected = graph_signature(empty_graph, schema)

    admin.wipe(empty_graph)
    kill_after = random.randint(3, ROWS // BATCH - 10) * BATCH
    env = {**os.environ, **neo4j_env}
    command = [
        sys.executable,
        "-m",
        "cli.main",
        "ingest",
        "--batch-size",
        str(BATCH),
        "--rejects",
        str(tmp_path / "killed.csv"),
        *map(str, sources),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while _committed(empty_graph) < kill_after:
        assert process.poll() is None, f"the import ended before the kill point: {process.stderr.read()!r}"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partly = _committed(empty_graph)
    assert 0 < partly < ROWS + 1, f"killed after row {partly}"

    resumed = import_files(
        sources, schema=schema, gateway=empty_graph, rejects_path=tmp_path / "resumed.csv", batch_size=BATCH
    )
    passages = resumed.files[1]
    assert passages.resumed_after_row >= kill_after
    assert passages.rows_read == ROWS and passages.rows_loaded == ROWS and passages.rows_rejected == 0
    assert graph_signature(empty_graph, schema) == expected
    statuses = empty_graph.read(
        "test.statuses", "MATCH (r:ImportRun) RETURN r.status AS s, count(*) AS n ORDER BY s"
    ).data()
    assert {"s": "interrupted", "n": 1} in statuses
