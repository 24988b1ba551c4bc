"""The audit log: one JSON line per event, appended, synced, readable by its owner only, hash-chained
so that `verify` names any entry edited, inserted or removed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

from access.audit.log import AuditEvent, AuditLog, Head, entry_hash
from access.audit.syncer import Syncer
from settings.table import PROJECT_ROOT, Settings


def test_each_event_is_one_json_line_appended_to_the_end(tmp_path):
    path = tmp_path / "logs" / "audit.jsonl"
    AuditLog(path).append(AuditEvent(user="analyst1", action="search", parameters={"text": "张三"}, rows=2))
    AuditLog(path).append(AuditEvent(user="analyst2", action="query.run", outcome="refused", message="bad value"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["user"] == "analyst1" and first["parameters"] == {"text": "张三"} and first["rows"] == 2
    assert second["outcome"] == "refused" and second["message"] == "bad value"
    assert first["time"].endswith("+00:00")
    assert "张三" in lines[0]  # readable text, not escapes
    assert list(AuditLog(path).events()) == [first, second]


def test_the_file_is_created_for_its_owner_only(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append(AuditEvent(user="u", action="export"))
    assert (log.path.stat().st_mode & 0o777) == 0o600


def test_parameter_values_are_kept_as_text(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    when = datetime(2025, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    log.append(
        AuditEvent(
            user="u",
            action="query.run",
            parameters={"day": date(2025, 3, 1), "when": when, "span": timedelta(hours=2), "kinds": ("a", "b")},
        )
    )
    [event] = log.events()
    assert event["parameters"] == {
        "day": "2025-03-01",
        "when": "2025-03-01T08:30:00+08:00",
        "span": "PT7200S",
        "kinds": ["a", "b"],
    }


def test_an_event_needs_a_user_and_a_known_outcome():
    with pytest.raises(ValueError, match="needs the user"):
        AuditEvent(user="", action="search")
    with pytest.raises(ValueError, match="outcome must be one of"):
        AuditEvent(user="u", action="search", outcome="maybe")


def test_the_log_lives_where_the_settings_say():
    settings = Settings.from_env({"GOLDENBELL_HOME": "/tmp/gb-home"})
    assert AuditLog.from_settings(settings).path == settings.audit_log_path
    custom = Settings.from_env({"GOLDENBELL_AUDIT_LOG": "/var/log/goldenbell/audit.jsonl"})
    assert str(AuditLog.from_settings(custom).path) == "/var/log/goldenbell/audit.jsonl"


# -- the hash chain ------------------------------------------------------------------------


def chained_log(tmp_path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(n):
        log.append(AuditEvent(user=f"analyst{i}", action="search", parameters={"text": f"张{i}"}, rows=i))
    return log


def lines_of(log: AuditLog) -> list[bytes]:
    return log.path.read_bytes().splitlines(keepends=True)


def rewrite(log: AuditLog, lines: list[bytes]) -> None:
    log.path.write_bytes(b"".join(lines))


def test_each_entry_carries_its_sequence_the_previous_hash_and_its_own(tmp_path):
    log = chained_log(tmp_path, 3)
    entries = list(log.events())
    assert [e["seq"] for e in entries] == [1, 2, 3]
    assert entries[0]["prev"] == hashlib.sha256(b"").hexdigest()
    assert entries[1]["prev"] == entries[0]["hash"] and entries[2]["prev"] == entries[1]["hash"]
    assert all(e["hash"] == entry_hash(e) for e in entries)
    assert log.read_head() == Head(3, entries[2]["hash"])
    assert (log.head_path.stat().st_mode & 0o777) == 0o600
    result = log.verify()
    assert result.ok and result.entries == 3 and result.last_seq == 3 and result.last_hash == entries[2]["hash"]


def test_editing_one_byte_names_the_entry(tmp_path):
    log = chained_log(tmp_path)
    lines = lines_of(log)
    lines[2] = lines[2].replace(b'"rows":2', b'"rows":7')
    rewrite(log, lines)
    result = log.verify()
    assert not result.ok and len(result.faults) == 1
    fault = result.first_fault
    assert (fault.kind, fault.line, fault.seq) == ("edited", 3, 3)
    assert str(fault).startswith("line 3, seq 3: edited")


def test_an_edit_that_breaks_the_json_names_the_line(tmp_path):
    log = chained_log(tmp_path)
    lines = lines_of(log)
    lines[1] = lines[1].replace(b'"user":"analyst1"', b'"user":"analyst1', 1)
    rewrite(log, lines)
    result = log.verify()
    assert [(f.kind, f.line) for f in result.faults] == [("unreadable", 2)]


def test_changing_the_bytes_but_not_the_values_is_still_caught(tmp_path):
    log = chained_log(tmp_path, 2)
    lines = lines_of(log)
    lines[0] = lines[0].replace(b'"action":"search",', b'"action": "search",')
    rewrite(log, lines)
    assert [(f.kind, f.line) for f in log.verify().faults] == [("edited", 1)]


def test_a_deleted_entry_is_named_by_the_gap(tmp_path):
    log = chained_log(tmp_path)
    lines = lines_of(log)
    del lines[2]
    rewrite(log, lines)
    result = log.verify()
    assert [(f.kind, f.line, f.seq) for f in result.faults] == [("deleted", 3, 4)]
    assert "entry 3 is missing" in result.first_fault.message


def test_a_copied_entry_is_an_insertion(tmp_path):
    log = chained_log(tmp_path)
    lines = lines_of(log)
    lines.insert(3, lines[0])
    rewrite(log, lines)
    assert [(f.kind, f.line, f.seq) for f in log.verify().faults] == [("inserted", 4, 1)]


def test_a_forged_entry_with_a_correct_hash_is_found_where_the_chain_resumes(tmp_path):
    log = chained_log(tmp_path, 3)
    lines = lines_of(log)
    second = json.loads(lines[1])
    forged = {**second, "user": "nobody", "prev": second["hash"], "seq": 3}
    forged["hash"] = entry_hash(forged)
    lines.insert(2, json.dumps(forged, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n")
    rewrite(log, lines)
    # The genuine third entry no longer fits, and the head names a different entry 3.
    assert [(f.kind, f.line) for f in log.verify().faults] == [("inserted", 4), ("head", None)]


def test_a_line_without_a_place_in_the_chain_is_an_insertion(tmp_path):
    log = chained_log(tmp_path, 3)
    lines = lines_of(log)
    lines.insert(1, b'{"user": "x", "action": "search"}\n')
    rewrite(log, lines)
    assert [(f.kind, f.line) for f in log.verify().faults] == [("inserted", 2)]


def test_cutting_entries_off_the_end_is_caught_by_the_head_and_stays_visible(tmp_path):
    log = chained_log(tmp_path)
    rewrite(log, lines_of(log)[:3])
    result = log.verify()
    assert [(f.kind, f.seq) for f in result.faults] == [("truncated", 3)]
    assert "entries 4–5 were cut off" in result.first_fault.message
    # The next append continues from the head: the cut stays a gap for good.
    log.append(AuditEvent(user="u", action="search"))
    assert [(f.kind, f.line, f.seq) for f in log.verify().faults] == [("deleted", 4, 6)]


def test_a_removed_head_is_a_fault(tmp_path):
    log = chained_log(tmp_path, 2)
    log.head_path.unlink()
    assert [f.kind for f in log.verify().faults] == ["head"]


def test_an_emptied_log_is_caught(tmp_path):
    log = chained_log(tmp_path, 2)
    log.path.unlink()
    assert [f.kind for f in log.verify().faults] == ["truncated"]


def test_lines_from_the_unchained_sink_are_sealed_by_the_first_entry(tmp_path):
    path = tmp_path / "audit.jsonl"
    path.write_text('{"user": "old", "action": "search"}\n{"user": "old", "action": "export"}\n', encoding="utf-8")
    log = AuditLog(path)
    log.append(AuditEvent(user="new", action="search"))
    result = log.verify()
    assert result.ok and result.unchained == 2 and result.entries == 1
    path.write_text(path.read_text(encoding="utf-8").replace('"export"', '"import"'), encoding="utf-8")
    assert [(f.kind, f.line) for f in log.verify().faults] == [("relinked", 3)]


def test_a_torn_last_line_is_reported_and_the_chain_goes_on(tmp_path):
    log = chained_log(tmp_path, 2)
    with log.path.open("ab") as handle:
        handle.write(b'{"user":"cut sh')
    log.append(AuditEvent(user="u", action="search"))
    entries = list(log.events())
    assert entries[-1]["seq"] == 3 and entries[-1]["prev"] == entries[-2]["hash"]
    assert [(f.kind, f.line) for f in log.verify().faults] == [("unreadable", 3)]


def test_appends_from_many_threads_keep_one_chain(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")

    def work(worker: int) -> None:
        for i in range(25):
            AuditLog(log.path).append(AuditEvent(user=f"t{worker}", action="search", rows=i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = log.verify()
    assert result.ok and result.entries == 200 and result.last_seq == 200


APPENDER = """
import sys
from access.audit.log import AuditEvent, AuditLog
log = AuditLog(sys.argv[1])
for i in range(int(sys.argv[3])):
    log.append(AuditEvent(user=sys.argv[2], action="query.run", rows=i))
"""


def test_appends_from_two_processes_and_a_thread_keep_one_chain(tmp_path):
    path = tmp_path / "audit.jsonl"
    processes = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(path), f"proc{n}", "60"], cwd=PROJECT_ROOT)
        for n in range(2)
    ]
    for i in range(60):
        AuditLog(path).append(AuditEvent(user="here", action="search", rows=i))
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    log = AuditLog(path)
    result = log.verify()
    assert result.ok and result.entries == 180
    assert Counter(e["user"] for e in log.events()) == {"proc0": 60, "proc1": 60, "here": 60}


def test_read_filters_and_keeps_the_newest(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append(AuditEvent(user="a", action="query.run", case_ref="JX-1", time="2025-03-01T00:00:00.000+00:00"))
    log.append(AuditEvent(user="b", action="search", outcome="refused", time="2025-03-02T00:00:00.000+00:00"))
    log.append(AuditEvent(user="a", action="query", time="2025-03-03T00:00:00.000+00:00"))
    log.append(AuditEvent(user="a", action="queryx", time="2025-03-04T00:00:00.000+00:00"))
    assert [e["seq"] for e in log.read(user="a")] == [4, 3, 1]
    assert [e["seq"] for e in log.read(action="query")] == [3, 1]
    assert [e["seq"] for e in log.read(outcome="refused")] == [2]
    assert [e["seq"] for e in log.read(case_ref="JX-1")] == [1]
    assert [e["seq"] for e in log.read(since="2025-03-02", until="2025-03-04")] == [3, 2]
    assert [e["seq"] for e in log.read(since=datetime(2025, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=8))))] == [
        4,
        3,
        2,
    ]
    assert [e["seq"] for e in log.read(limit=2)] == [4, 3]
    assert [e["seq"] for e in log.read(limit=2, newest_first=False)] == [3, 4]


# Consultations the query runner records: in the log at once, on disk within moments.


def test_an_unsynced_entry_is_in_the_log_at_once_and_the_head_follows_on_flush(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    first = log.append(AuditEvent(user="u", action="login"))
    second = log.append(AuditEvent(user="u", action="query.run", rows=3), sync=False)
    assert [e["seq"] for e in log.events()] == [1, 2]
    assert log.read_head() in (Head(1, first["hash"]), Head(2, second["hash"]))  # the syncer may be done already
    assert log.verify().ok  # a head behind the log is noted, not a fault
    log.flush()
    assert log.read_head() == Head(2, second["hash"])
    assert log.verify().ok and log.verify().notes == ()


def test_the_head_reaches_unsynced_entries_without_being_asked(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    entries = [log.append(AuditEvent(user="u", action="query.run", rows=i), sync=False) for i in range(20)]
    deadline = time.monotonic() + 10
    while log.read_head() != Head(20, entries[-1]["hash"]) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert log.read_head() == Head(20, entries[-1]["hash"])


def test_a_synced_append_after_unsynced_ones_keeps_the_chain_and_the_head(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(5):
        log.append(AuditEvent(user="u", action="query.run", rows=i), sync=False)
    last = log.append(AuditEvent(user="u", action="logout"))
    log.flush()  # must not move the head back to an older entry
    assert log.read_head() == Head(6, last["hash"])
    assert log.verify().ok and log.verify().entries == 6


def test_syncs_from_several_threads_at_once_move_the_head_without_error(tmp_path):
    # The background syncer and a flush (or the exit hook) can sync the same log together.
    log = AuditLog(tmp_path / "audit.jsonl")
    failures: list[BaseException] = []

    def sync_often() -> None:
        try:
            for i in range(40):
                log.append(AuditEvent(user="u", action="query.run", rows=i), sync=False)
                log._sync()
        except OSError as exc:
            failures.append(exc)

    threads = [threading.Thread(target=sync_often) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log.flush()
    assert failures == []
    assert log.read_head().seq == 160 and log.verify().ok


def test_a_flush_returns_only_once_the_syncers_round_is_over(tmp_path):
    # A bench removed its scratch folder right after its last flush, while the syncer thread
    # was still writing the head beside the log: the folder was "not empty".
    syncer = Syncer(delay=0)
    began, release, order = threading.Event(), threading.Event(), []

    class Slow:
        path = tmp_path / "slow.jsonl"

        def _sync(self) -> None:
            began.set()
            release.wait(5)
            order.append("round over")

    syncer.soon(Slow())
    assert began.wait(5), "the syncer's round began"
    flushing = threading.Thread(target=lambda: (syncer.now(Slow.path), order.append("flush returned")))
    flushing.start()
    time.sleep(0.2)
    assert order == [], "the flush waits for the round"
    release.set()
    flushing.join(5)
    assert order == ["round over", "flush returned"]


KILLED_AFTER_APPEND = """
import os, signal, sys
from access.audit.log import AuditEvent, AuditLog
AuditLog(sys.argv[1]).append(AuditEvent(user="u", action="query.run", rows=1), sync=False)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_an_unsynced_entry_survives_its_process_being_killed(tmp_path):
    path = tmp_path / "audit.jsonl"
    AuditLog(path).append(AuditEvent(user="u", action="login"))
    done = subprocess.run([sys.executable, "-c", KILLED_AFTER_APPEND, str(path)], cwd=PROJECT_ROOT, check=False)
    assert done.returncode == -9
    log = AuditLog(path)
    assert [e["action"] for e in log.events()] == ["login", "query.run"]
    result = log.verify()
    assert result.ok and result.entries == 2
