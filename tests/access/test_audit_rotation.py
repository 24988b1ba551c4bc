"""Rotation: the live audit file is renamed after its last entry when it grows past a size, and the
chain runs on across files — a rotated file's last hash is the next file's first `prev` — so
`verify`, reading and "who looked at this person" walk them all. Retention removes old files only."""

from __future__ import annotations

import itertools
import json
import os
import threading
import time

from access.audit.anchors import read_anchors
from access.audit.files import Retention
from access.audit.log import AuditEvent, AuditLog
from settings.table import Settings


def rotating_log(tmp_path, n: int, **options) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl", rotate_bytes=600, **options)
    for i in range(n):
        log.append(AuditEvent(user=f"analyst{i}", action="query.run", rows=i, entities=(f"Person:P{i % 3}",)))
    return log


def entries_in(path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_the_chain_runs_on_from_each_rotated_file_into_the_next(tmp_path):
    log = rotating_log(tmp_path, 12)
    rotated = sorted(tmp_path.glob("audit.jsonl.*[0-9]"))
    assert len(rotated) >= 3
    files = [*rotated, log.path]
    for before, after in itertools.pairwise(files):
        last, first = entries_in(before)[-1], entries_in(after)[0]
        assert before.name == f"audit.jsonl.{last['seq']:012d}"
        assert (first["seq"], first["prev"]) == (last["seq"] + 1, last["hash"])
    assert all((f.stat().st_mode & 0o777) == 0o600 for f in files)
    result = log.verify()
    assert result.ok and result.entries == 12 and result.files == tuple(rotated)


def test_reading_and_who_looked_walk_the_rotated_files(tmp_path):
    log = rotating_log(tmp_path, 12)
    assert [e["seq"] for e in log.read(limit=None, newest_first=False)] == list(range(1, 13))
    assert [e["seq"] for e in log.consulted("Person:P0").entries] == [10, 7, 4, 1]


def test_a_fault_in_a_rotated_file_is_named_with_the_file(tmp_path):
    log = rotating_log(tmp_path, 12)
    first = sorted(tmp_path.glob("audit.jsonl.*[0-9]"))[0]
    first.write_bytes(first.read_bytes().replace(b'"rows":1,', b'"rows":9,'))
    [fault] = log.verify().faults
    assert (fault.kind, fault.file, fault.seq) == ("edited", first.name, 2)
    assert str(fault).startswith(f"{first.name} line 2, seq 2: edited")


def test_a_rotated_file_removed_from_the_middle_is_a_gap(tmp_path):
    log = rotating_log(tmp_path, 12)
    sorted(tmp_path.glob("audit.jsonl.*[0-9]"))[1].unlink()
    assert [f.kind for f in log.verify().faults] == ["deleted"]


def test_appends_from_many_threads_across_rotations_keep_one_chain(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl", rotate_bytes=2000)

    def work(worker: int) -> None:
        for i in range(25):
            AuditLog(log.path, rotate_bytes=2000).append(AuditEvent(user=f"t{worker}", action="search", rows=i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = log.verify()
    assert result.ok and result.entries == 200 and result.last_seq == 200 and len(result.files) > 5


def test_retention_keeps_the_newest_rotated_files_and_verify_notes_what_it_removed(tmp_path):
    sink = tmp_path / "anchors.log"
    log = rotating_log(tmp_path, 15, retention=Retention(files=2), anchors=[f"file:{sink}"])
    kept = sorted(tmp_path.glob("audit.jsonl.*[0-9]"))
    assert len(kept) == 2
    first_kept = entries_in(kept[0])[0]["seq"]
    result = log.verify(read_anchors(sink))
    assert result.ok and result.entries == 15 - (first_kept - 1)
    assert f"entries 1–{first_kept - 1} were in rotated files since removed (retention)" in result.notes
    assert any("anchors name entries in rotated files since removed" in note for note in result.notes)


def test_retention_in_days_removes_only_rotated_files_older_than_that(tmp_path):
    log = rotating_log(tmp_path, 12, retention=Retention(days=30))
    rotated = sorted(tmp_path.glob("audit.jsonl.*[0-9]"))
    old = time.time() - 40 * 86400
    os.utime(rotated[0], (old, old))
    for i in range(6):  # enough to rotate again, which is when retention applies
        log.append(AuditEvent(user="u", action="search", rows=i))
    assert not rotated[0].exists() and all(path.exists() for path in rotated[1:])
    assert log.path.exists() and log.verify().ok


def test_rotation_and_retention_come_from_the_settings(tmp_path):
    settings = Settings.from_env(
        {
            "GOLDENBELL_HOME": str(tmp_path),
            "GOLDENBELL_AUDIT_ROTATE_SIZE": "1k",
            "GOLDENBELL_AUDIT_RETENTION": "3 files",
        }
    )
    log = AuditLog.from_settings(settings)
    assert (log.rotate_bytes, log.retention) == (1024, Retention(files=3))
    assert AuditLog.from_settings(Settings.from_env({"GOLDENBELL_HOME": str(tmp_path)})).retention == Retention()
    assert Retention.parse("12 files") == Retention(files=12) and Retention.parse("365 days") == Retention(days=365)
