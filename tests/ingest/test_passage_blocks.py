"""Passages judged a block at a time give what reading the file row by row gives: the same
rows stored, the same rejects with the same numbers and text, wherever in a large file
the odd rows fall; and a file in any order still makes one file per day."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from events.store import EventStore
from ingest.passages import blocks, day_files, importer
from ingest.passages.day_files import STORED, DayFiles
from ingest.passages.run import import_passages
from ingest.rejects import read_rejects
from tests.ingest.test_passage_events import CSV_HEADER, PLACES, _schema, stored

ROWS = 60_000  # several blocks and groups of blocks
ODD_LINES = {3: "plate", 4_321: "columns", 20_000: "place", 31_415: "twin", 45_001: "id", 59_000: "columns"}


def _csv_file(path: Path) -> None:
    rng = random.Random(5)
    lines = []
    for i in range(ROWS):
        second = rng.randrange(86_400)
        lines.append(
            f"P{i:06d},浙F{10_000 + i % 89_999},蓝,JCZ33040{1 + i % 2},2025-03-{1 + i % 5:02d} "
            f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d},进城,{i % 4},"
        )
    for line, odd in ODD_LINES.items():
        at = line - 2  # the header is line 1
        if odd == "plate":
            lines[at] = lines[at].replace("浙F", "浙f·", 1)  # untidy: the row mapper cleans it
        elif odd == "columns":
            lines[at] = "P9,浙F12345,蓝"
        elif odd == "place":
            lines[at] = lines[at].replace("JCZ33040", "JCZ33049", 1)
        elif odd == "twin":
            lines[at] = lines[10]  # row 12 again
        elif odd == "id":
            lines[at] = "P000100" + lines[at][7:]  # row 102's passage ID, other values
    path.write_text(CSV_HEADER + "\n".join(lines) + "\n", encoding="utf-8")


def _jsonl_file(path: Path) -> None:
    rng = random.Random(6)
    lines = []
    for i in range(ROWS):
        second = rng.randrange(86_400)
        lines.append(
            f'{{"recordId":"G{i:06d}","plateNo":"浙F{10_000 + i % 89_999}","gateId":"MJ000111",'
            f'"passTime":"2025-03-0{1 + i % 5}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}'
            f'.000+08:00","direction":"进"}}'
        )
    lines[999] = '{"recordId":"G9","plateNo":"浙F12345"'  # not JSON
    lines[30_000] = lines[29_000]  # a twin
    lines[40_000] = lines[40_000].replace("MJ000111", "MJ000999")  # no such gate
    lines[50_000] = lines[50_000].replace("浙F", "浙f·", 1)  # untidy: the row mapper cleans it
    # Objects the plain-line pattern does not take, read by DuckDB's JSON functions instead:
    # an escaped value (进), and the keys in another order; then one it takes, spaced out.
    lines[10_000] = lines[10_000].replace('"direction":"进"', '"direction":"\\u8fdb"')
    lines[11_000] = '{"direction":"进",' + lines[11_000][1:].replace(',"direction":"进"', "")
    lines[12_000] = lines[12_000].replace('":"', '" : "').replace('","', '", "')
    lines[13_000] = lines[13_000].replace('"direction":"进"', '"direction":"\\x"')  # no such escape: not JSON
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _both_ways(file: Path, tmp_path: Path, monkeypatch) -> tuple[tuple, tuple]:
    # Many small blocks, judged a few at a time: the odd rows fall in different groups.
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 256 << 10)
    monkeypatch.setattr(importer, "GROUP_ROWS", 8_000)
    outcomes = []
    for way in ("blocks", "rows"):
        if way == "rows":
            monkeypatch.setattr(importer._Blocks, "judge_all", lambda *_: None)
        store = EventStore(tmp_path / way / "events")
        rejects = tmp_path / way / "rejects.csv"
        report = import_passages(
            [file], schema=_schema(), store=store, known_places=PLACES, rejects_path=rejects, lookups=False
        )
        assert report.files[0].read_row_by_row == (way == "rows")
        found = [
            (r["row"], r["column"], r["value"], r["reason"], r["message"], r["original"]) for r in read_rejects(rejects)
        ]
        counts = (report.rows_read, report.rows_loaded, report.rows_rejected, report.files[0].rows_stored)
        outcomes.append((counts, found, stored(store)))
    return outcomes[0], outcomes[1]


@pytest.mark.slow
def test_a_csv_file_judged_in_blocks_stores_and_rejects_as_read_row_by_row(tmp_path, monkeypatch):
    file = tmp_path / "checkpoint_passages.csv"
    _csv_file(file)
    in_blocks, by_rows = _both_ways(file, tmp_path, monkeypatch)
    assert in_blocks == by_rows
    (read, loaded, rejected, kept), found, _ = in_blocks
    assert (read, rejected) == (ROWS, 4)
    assert [(int(r[0]), r[3]) for r in found] == [
        (4_321, "row.column_count"),
        (20_000, "reference.missing"),
        (31_415, "row.duplicate"),
        (59_000, "row.column_count"),
    ]
    assert kept == loaded - 1  # row 45,001 repeats row 102's passage ID: loaded, stored once


@pytest.mark.slow
def test_json_lines_judged_in_blocks_store_and_reject_as_read_row_by_row(tmp_path, monkeypatch):
    file = tmp_path / "gate_passages.jsonl"
    _jsonl_file(file)
    in_blocks, by_rows = _both_ways(file, tmp_path, monkeypatch)
    assert in_blocks == by_rows
    assert [(int(r[0]), r[3]) for r in in_blocks[1]] == [
        (1_000, "row.malformed"),
        (13_001, "row.malformed"),
        (30_001, "row.duplicate"),
        (40_001, "reference.missing"),
    ]


def test_rows_of_any_order_make_one_file_per_day_however_few_files_may_be_open(tmp_path):
    days = DayFiles(tmp_path, "checkpoint", run_id="run-1", sha256="f" * 64, held_rows=50, open_files=2)
    rng = random.Random(3)
    numbers = list(range(1, 2_001))
    rng.shuffle(numbers)
    for start in range(0, len(numbers), 100):
        chunk = numbers[start : start + 100]
        days.add(_rows(chunk))
    con = duckdb.connect()
    con.execute("CREATE TABLE dropped (number INTEGER, day DATE)")
    con.execute("INSERT INTO dropped VALUES (7, $day)", {"day": _day(7)})
    days.finish(con, [_day(7)])
    partitions = days.partitions()
    assert list(partitions) == [f"day={_day(n).isoformat()}/source=checkpoint" for n in range(10)]
    # one file a day, and nothing else left in the folder
    assert sorted(tmp_path.iterdir()) == sorted(partitions.values())
    by_day = {name.split("/")[0]: pq.read_table(f) for name, f in partitions.items()}
    every = sorted(n for t in by_day.values() for n in t.column("source_row").to_pylist())
    assert every == [n for n in range(1, 2_001) if n != 7]
    for name, table in by_day.items():
        rows = table.column("source_row").to_pylist()
        assert all(_day(n).isoformat() == name[4:] for n in rows)
        assert set(table.column("run_id").to_pylist()) == {"run-1"}


def test_a_day_waiting_to_be_written_holds_its_own_rows_not_its_whole_group():
    rows = _rows(list(range(1, 10_001)))  # ten days, interleaved
    parts = dict(day_files._by_day(rows))
    assert sorted(parts) == [_day(n) for n in range(10)]
    for day, part in parts.items():
        assert part.column("source_row").to_pylist() == [n for n in range(1, 10_001) if _day(n) == day]
        # a tenth of the rows, in buffers about a tenth of the group's
        assert part.get_total_buffer_size() < rows.get_total_buffer_size() / 5


def _day(number: int) -> dt.date:
    return dt.date(2025, 3, 1) + dt.timedelta(days=number % 10)


def _rows(numbers: list[int]) -> pa.Table:
    n = len(numbers)
    values = {
        "passage_id": [f"P{i}" for i in numbers],
        "plate": ["浙F12345"] * n,
        "place_id": ["JCZ330401"] * n,
        "time": [dt.datetime(2025, 3, 1, tzinfo=dt.UTC)] * n,
        "direction": [None] * n,
        "lane": [1] * n,
        "driver_id": [None] * n,
        "plate_colour": [None] * n,
        "source_row": numbers,
    }
    table = pa.table(values, schema=STORED)
    return table.append_column("day", pa.array([_day(i) for i in numbers], pa.date32()))


def test_a_write_that_fails_on_the_writing_thread_fails_the_import(tmp_path, monkeypatch):
    class FullDisk:
        def __init__(self, *args, **kwargs):
            pass

        def write_table(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(day_files.pq, "ParquetWriter", FullDisk)
    days = DayFiles(tmp_path, "checkpoint", run_id="run-1", sha256="f" * 64)
    days.add(_rows(list(range(1, 101))))
    with pytest.raises(OSError, match="No space left"):
        days.close()
