"""Passages into the event store: the same verdict on every row as the graph importer,
every row stored or rejected with where and why, a file stored once, and a killed
import that leaves the store as a whole run would."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from events.lookup import Lookups
from events.store import EventStore
from ingest.api import import_files
from ingest.passages.run import graph_places, import_passages
from ingest.readers import open_source
from ingest.rejects import read_rejects
from settings.home import private_dir
from settings.table import PROJECT_ROOT

PASSAGE_FILES = ("checkpoint_passages.csv", "gate_passages.jsonl")
PLACES = {"Checkpoint": {"JCZ330401", "JCZ330402"}, "Gate": {"MJ000111"}}
CSV_HEADER = "过车编号,号牌号码,号牌颜色,检查站编号,过车时间,方向,车道,核录身份证号\n"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def stored(store: EventStore) -> list[tuple]:
    con = store.connect()
    try:
        return con.execute(
            "SELECT passage_id, plate, place_id, source, time, day, direction, lane, driver_id, source_row "
            "FROM passages ORDER BY passage_id"
        ).fetchall()
    finally:
        con.close()


def _narrowed(store: EventStore, plate: str) -> list[tuple]:
    """The plate's passages as the lookup copies give them."""
    con = store.connect()
    try:
        Lookups(store).narrow_to_plate(con, plate, name="narrowed")
        return con.execute(
            "SELECT passage_id, plate, place_id, source, time, day, direction, lane, driver_id, source_row "
            "FROM narrowed ORDER BY passage_id"
        ).fetchall()
    finally:
        con.close()


def run(files: list[Path], store: EventStore, tmp_path: Path, places=PLACES):
    rejects = tmp_path / "rejects.csv"
    report = import_passages(files, schema=_schema(), store=store, known_places=places, rejects_path=rejects)
    return report, (read_rejects(rejects) if rejects.exists() else [])


def _schema():
    from graph.model import load_schema

    return load_schema(PROJECT_ROOT / "graph" / "schema")


def test_the_store_takes_and_rejects_each_sample_passage_as_the_graph_importer_does(sample_graph, sample_dir, tmp_path):
    files = [sample_dir / name for name in PASSAGE_FILES]
    graph_rejects = tmp_path / "graph-rejects.csv"
    graph = import_files(
        files, schema=_schema(), gateway=sample_graph, dry_run=True, force=True, rejects_path=graph_rejects
    )
    store = EventStore(tmp_path / "events")
    report, rejects = run(files, store, tmp_path, places=graph_places(sample_graph))

    assert report.rows_read == graph.rows_read
    assert report.rows_loaded == graph.rows_loaded
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    theirs = read_rejects(graph_rejects)
    # The graph importer names the entity where the event store names the column, and
    # leaves `original` blank for a missing reference; the row and the verdict agree.
    assert {(r["file"], r["row"], r["reason"], r["value"], r["message"]) for r in rejects} == {
        (r["file"], r["row"], r["reason"], r["value"], r["message"]) for r in theirs
    }
    same_lines = [r for r in theirs if r["reason"] != "reference.missing"]
    assert {tuple(r.values()) for r in same_lines} <= {tuple(r.values()) for r in rejects}
    assert all(r["original"] for r in rejects)

    # Every stored value is the value the graph holds for the same passage.
    records = sample_graph.read(
        "test.passages",
        "MATCH (p:Passage) OPTIONAL MATCH (p)-[:DRIVEN_BY]->(d:Person) "
        "RETURN p.passage_id AS id, p.plate AS plate, p.place_id AS place, p.time AS time, "
        "p.direction AS direction, p.lane AS lane, d.id_number AS driver",
    ).records
    graph_rows = {(r["id"], r["plate"], r["place"], r["time"].to_native(), r["direction"], r["lane"]) for r in records}
    ours = {(row[0], row[1], row[2], row[4], row[6], row[7]) for row in stored(store)}
    assert ours == graph_rows
    drivers = {r["id"]: r["driver"] for r in records if r["driver"]}
    by_id = {row[0]: row[8] for row in stored(store)}
    assert drivers and all(by_id[pid] == driver for pid, driver in drivers.items())


def test_a_file_already_in_the_store_is_skipped_and_changes_nothing(tmp_path):
    file = tmp_path / "checkpoint_passages.csv"
    file.write_text(CSV_HEADER + "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,\n", encoding="utf-8")
    store = EventStore(tmp_path / "events")
    run([file], store, tmp_path)
    before = stored(store)
    files_before = sorted(p.relative_to(store.root) for p in store.root.rglob("*"))

    report, _ = run([file], store, tmp_path)
    assert report.files[0].skipped and "already in the event store" in report.files[0].skipped
    assert stored(store) == before
    assert sorted(p.relative_to(store.root) for p in store.root.rglob("*")) == files_before
    assert all(p.stat().st_mode & 0o077 == 0 for p in store.root.rglob("*"))


def test_each_bad_row_is_rejected_with_its_row_column_value_and_reason(tmp_path):
    file = tmp_path / "checkpoint_passages.csv"
    rows = [
        "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,",  # 2: stored
        "P2,浙F1234I,蓝,JCZ330401,2025-03-01 08:01:00,进城,1,",  # 3: I is never issued
        "P3,浙F12346,蓝,JCZ330401,2025-02-30 08:01:00,进城,1,",  # 4: no such day
        "P4,浙F12347,蓝,JCZ339999,2025-03-01 08:02:00,进城,1,",  # 5: no such checkpoint
        "P5,浙F12348,蓝,JCZ330401",  # 6: too few fields
        "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,",  # 7: row 2 again
        "P6,浙f·12349,蓝,JCZ330402,2025/3/1 8:03,出城,,330402199001011230",  # 8: untidy but good
        "P7,浙F12350,蓝,JCZ330402,2025-03-01 08:04:00,出城,1,330402199001011231",  # 9: check digit
    ]
    file.write_text(CSV_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    store = EventStore(tmp_path / "events")
    report, rejects = run([file], store, tmp_path)

    got = {(int(r["row"]), r["column"], r["value"], r["reason"]) for r in rejects}
    assert got == {
        (3, "号牌号码", "浙F1234I", "plate.invalid"),
        (4, "过车时间", "2025-02-30 08:01:00", "datetime.invalid"),
        (5, "检查站编号", "JCZ339999", "reference.missing"),
        (6, "", "", "row.column_count"),
        (7, "", "", "row.duplicate"),
        (9, "核录身份证号", "330402199001011231", "citizen_id.check_digit"),
    }
    assert all(r["file"] == str(file) and r["original"] for r in rejects)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (8, 2, 6)
    kept = {row[0]: row for row in stored(store)}
    assert set(kept) == {"P1", "P6"}
    assert kept["P6"][1] == "浙F12349" and kept["P6"][8] == "330402199001011230"
    assert kept["P6"][4] == datetime(2025, 3, 1, 8, 3, tzinfo=SHANGHAI)
    assert (kept["P1"][5].isoformat(), kept["P1"][9]) == ("2025-03-01", 2)


def test_a_gbk_file_with_blank_lines_and_a_quoted_newline_keeps_the_row_readers_numbers(tmp_path):
    file = tmp_path / "checkpoint_passages.csv"
    text = (
        CSV_HEADER
        + "P1,浙F12345,蓝,JCZ330401,2025-03-01 08:00:00,进城,1,\n\n"
        + 'P2,浙F12346,"蓝\n色",JCZ330401,2025-03-01 08:01:00,进城,1,\n'
        + "P3,浙F1234I,蓝,JCZ330401,2025-03-01 08:02:00,进城,1,\n"
    )
    file.write_bytes(text.encode("gb18030"))
    report, rejects = run([file], EventStore(tmp_path / "events"), tmp_path)
    numbers = {r.values["过车编号"]: r.number for r in open_source(file).rows() if r.values}
    assert report.files[0].read_row_by_row
    assert [(int(r["row"]), r["reason"]) for r in rejects] == [(numbers["P3"], "plate.invalid")]


def test_json_lines_with_a_malformed_line_a_number_and_a_blank_line(tmp_path):
    file = tmp_path / "gate_passages.jsonl"
    lines = [
        '{"recordId":"G1","plateNo":"浙F12345","gateId":"MJ000111","passTime":"2025-03-01T08:00:00.000+08:00","direction":"进"}',
        "",
        '{"recordId":"G2","plateNo":"浙F12346","gateId":"MJ000111","passTime":"2025-03-01T08:01:00.000+08:00"',
        '{"recordId":"G3","plateNo":"浙F12347","gateId":"MJ000111","passTime":20250301080200,"direction":"出"}',
        '["G4"]',
    ]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = EventStore(tmp_path / "events")
    report, rejects = run([file], store, tmp_path)
    assert [(int(r["row"]), r["reason"], r["original"]) for r in rejects] == [
        (3, "row.malformed", lines[2]),
        (5, "row.malformed", lines[4]),
    ]
    assert {row[0]: row[4] for row in stored(store)} == {
        "G1": datetime(2025, 3, 1, 8, 0, tzinfo=SHANGHAI),
        "G3": datetime(2025, 3, 1, 8, 2, tzinfo=SHANGHAI),
    }
    assert report.files[0].rows_read == 4


KILLED_IMPORT = """
import sys
from pathlib import Path
from events.store import EventStore
from graph.model import load_schema
from ingest.passages.run import import_passages
from settings.table import PROJECT_ROOT
store = EventStore(Path(sys.argv[2]))
places = {"Checkpoint": {f"JCZ3304{i:02d}" for i in range(1, 9)}, "Gate": set()}
import_passages([Path(sys.argv[1])], schema=load_schema(PROJECT_ROOT / "graph" / "schema"), store=store,
                known_places=places, rejects_path=Path(sys.argv[3]))
"""


def _many_passages(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as f:
        f.write(CSV_HEADER)
        for i in range(rows):
            day, second = 1 + i % 28, rng.randrange(86_400)
            plate = f"浙F{rng.randrange(10_000, 99_999)}" if i % 997 else "浙F1234I"
            f.write(
                f"P{i:07d},{plate},蓝,JCZ3304{1 + i % 8:02d},2025-02-{day:02d} "
                f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d},进城,{i % 4},\n"
            )


@pytest.mark.slow
def test_an_import_killed_at_random_points_then_run_again_gives_the_same_store(tmp_path):
    source = tmp_path / "checkpoint_passages.csv"
    _many_passages(source, 300_000)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}

    def start(root: Path, rejects: Path) -> subprocess.Popen:
        command = [sys.executable, "-c", KILLED_IMPORT, str(source), str(root), str(rejects)]
        return subprocess.Popen(command, env=env, cwd=PROJECT_ROOT)

    whole = tmp_path / "whole"
    began = time.monotonic()
    assert start(whole, tmp_path / "whole.csv").wait(timeout=600) == 0
    took = time.monotonic() - began

    killed = tmp_path / "killed"
    rng = random.Random(11)
    for attempt in range(3):
        process = start(killed, tmp_path / f"killed-{attempt}.csv")
        time.sleep(rng.uniform(0.3, took))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        # Whatever the kill left, readers see only whole partitions.
        stored(EventStore(killed))
    assert start(killed, tmp_path / "again.csv").wait(timeout=600) == 0

    assert stored(EventStore(killed)) == stored(EventStore(whole))
    assert len(EventStore(killed).receipts()) == 1
    assert not list((killed / "staging").glob("*/*.parquet")) if (killed / "staging").exists() else True
    # The lookup copies too: a refresh killed halfway is made again whole, and what it left
    # is neither read nor kept.
    copies = Lookups(EventStore(killed))
    assert copies.manifest() == Lookups(EventStore(whole)).manifest()
    on_disk = sorted(str(p.relative_to(copies.root)) for p in copies.root.glob("by_*/*/*.parquet"))
    assert on_disk == sorted(copies.manifest()["files"])
    plate_rows = [row for row in stored(EventStore(whole)) if row[1] == "浙F1234I"]
    assert _narrowed(EventStore(killed), "浙F1234I") == plate_rows


def test_a_vehicle_gets_a_seen_at_link_per_place_and_a_known_driver_a_drove_link(sample_graph, sample_dir, tmp_path):
    files = [sample_dir / name for name in PASSAGE_FILES]
    store = EventStore(tmp_path / "events")
    try:
        report = import_passages(
            files,
            schema=_schema(),
            store=store,
            known_places=graph_places(sample_graph),
            rejects_path=tmp_path / "rejects.csv",
            gateway=sample_graph,
        )
        links = {
            (r["plate"], r["place"]): (r["passages"], r["first"], r["last"], r["days"])
            for r in sample_graph.read(
                "test.seen_at",
                "MATCH (v:Vehicle)-[s:SEEN_AT]->(place) "
                "RETURN v.plate AS plate, coalesce(place.checkpoint_id, place.gate_id) AS place, "
                "s.passages AS passages, s.first_passage AS first, s.last_passage AS last, s.days AS days",
            ).records
        }
        # The graph importer loaded the same files as Passage nodes: the links count them.
        expected = {
            (r["plate"], r["place"]): (r["passages"], r["first"], r["last"], r["days"])
            for r in sample_graph.read(
                "test.passage_pairs",
                "MATCH (v:Vehicle)<-[:OF_VEHICLE]-(p:Passage)-[:PASSED_AT]->(place) "
                "WITH v, place, count(p) AS passages, min(p.time) AS first, max(p.time) AS last, "
                "count(DISTINCT date(p.time)) AS days "
                "RETURN v.plate AS plate, coalesce(place.checkpoint_id, place.gate_id) AS place, passages, "
                "first, last, days",
            ).records
        }
        assert report.seen_at == len(expected) > 1000
        assert links == expected
        # Known drivers captured at the wheel: one DROVE link per person and vehicle, as DRIVEN_BY counts them.
        drove = {
            (r["person"], r["plate"]): (r["passages"], r["first"], r["last"])
            for r in sample_graph.read(
                "test.drove",
                "MATCH (who:Person)-[d:DROVE]->(v:Vehicle) RETURN who.id_number AS person, v.plate AS plate, "
                "d.passages AS passages, d.first_passage AS first, d.last_passage AS last",
            ).records
        }
        driven = {
            (r["person"], r["plate"]): (r["passages"], r["first"], r["last"])
            for r in sample_graph.read(
                "test.driven_by",
                "MATCH (who:Person)<-[:DRIVEN_BY]-(p:Passage)-[:OF_VEHICLE]->(v:Vehicle) "
                "RETURN who.id_number AS person, v.plate AS plate, count(p) AS passages, min(p.time) AS first, "
                "max(p.time) AS last",
            ).records
        }
        assert report.drove == len(driven) > 0 and drove == driven

        # Naming the files again stores nothing and gives the same links.
        again = import_passages(
            files,
            schema=_schema(),
            store=store,
            known_places=graph_places(sample_graph),
            rejects_path=tmp_path / "again.csv",
            gateway=sample_graph,
        )
        assert all(f.skipped for f in again.files)
        count = sample_graph.read("test.seen_at_count", "MATCH ()-[s:SEEN_AT]->() RETURN count(s) AS n").records
        assert count[0]["n"] == len(expected)
    finally:
        # The session's sample graph is shared: leave it as the graph importer made it.
        sample_graph.write("test.seen_at_clear", "MATCH ()-[s:SEEN_AT|DROVE]->() DELETE s", {})


def test_a_query_past_its_memory_spills_into_the_store_owner_only_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where DuckDB's own default, `.tmp`, would spill
    store = EventStore(tmp_path / "events", memory_limit="64m")
    killed = store.root / "staging" / "spill-999999999-0badcafe"  # no such process
    private_dir(killed)
    (killed / "duckdb_temp_storage.tmp").write_bytes(b"passages")
    con = store.connect()
    try:
        con.execute("CREATE TEMP TABLE big AS SELECT range AS x, md5(range::VARCHAR) AS h FROM range(3000000)")
        con.execute("SELECT count(DISTINCT h) FROM big").fetchall()
        spilled = [Path(r[0]) for r in con.execute("SELECT path FROM duckdb_temporary_files()").fetchall()]
        assert spilled, "the query did not go past 64 MB"
        assert all(p.parent.parent == store.root / "staging" for p in spilled)
        assert (store.root / "staging").stat().st_mode & 0o777 == 0o700
    finally:
        con.close()
    assert not killed.exists()
    assert not list((store.root / "staging").glob("spill-*"))  # DuckDB removed its own on closing
    assert not (tmp_path / ".tmp").exists()
