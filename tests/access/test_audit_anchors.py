"""Anchors: every sync of the audit log also sends its head (seq, hash, time) somewhere its writer
cannot rewrite, and `verify` checks the log against what was sent. Each way of rewriting the log
and its head together that the head alone misses is caught against the anchors."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from access.audit import anchors as anchors_module
from access.audit.anchors import read_anchors
from access.audit.log import AuditEvent, AuditLog, Head
from tests.access.tampering import cut_tail, entries_of, forge_append, rewrite_from


@pytest.fixture
def sink(tmp_path):
    folder = tmp_path / "other-mount"
    folder.mkdir()
    return folder / "anchors.log"


def anchored_log(tmp_path, sink, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl", anchors=[f"file:{sink}"])
    for i in range(n):
        log.append(AuditEvent(user=f"analyst{i}", action="search", parameters={"text": f"张{i}"}, rows=i))
    return log


def test_each_sync_appends_the_head_to_the_anchor_file(tmp_path, sink):
    log = anchored_log(tmp_path, sink, 3)
    anchors = read_anchors(sink)
    assert [(a.seq, a.hash) for a in anchors] == [(e["seq"], e["hash"]) for e in log.events()]
    assert {(a.log, a.sink) for a in anchors} == {(str(log.path), "file")}
    assert all(a.time.endswith("+00:00") for a in anchors)
    result = log.verify(anchors)
    assert result.ok and result.anchors == 3 and result.last_anchor.seq == 3


def test_entries_appended_without_waiting_are_anchored_once_per_sync_not_once_each(tmp_path, sink):
    log = anchored_log(tmp_path, sink, 0)
    for i in range(40):
        log.append(AuditEvent(user="u", action="query.run", rows=i), sync=False)
    log.flush()
    deadline = time.monotonic() + 10
    while log.read_head() != Head(40, entries_of(log)[-1]["hash"]) and time.monotonic() < deadline:
        time.sleep(0.01)
    anchors = read_anchors(sink)
    assert anchors[-1].seq == 40 and len(anchors) < 40
    assert log.verify(anchors).ok


def test_a_cut_tail_with_a_rewritten_head_is_caught_only_by_the_anchors(tmp_path, sink):
    log = anchored_log(tmp_path, sink)
    cut_tail(log, 3)
    assert log.verify().ok, "the head alone cannot tell"
    result = log.verify(read_anchors(sink))
    assert [f.kind for f in result.faults] == ["truncated"]
    assert "seq 5 was anchored" in result.first_fault.message and "entries 4–5 were cut off" in str(result.first_fault)


def test_a_rewritten_chain_with_a_rewritten_head_is_caught_at_the_first_changed_entry(tmp_path, sink):
    log = anchored_log(tmp_path, sink)
    rewrite_from(log, 1, user="someone-else")
    assert log.verify().ok, "every hash recomputed: the chain alone cannot tell"
    result = log.verify(read_anchors(sink))
    assert [(f.kind, f.seq) for f in result.faults] == [("anchor", 2)]
    assert "the log was rewritten; 3 later anchors differ too" in result.first_fault.message


def test_a_forged_entry_appended_with_the_head_moved_is_caught(tmp_path, sink):
    log = anchored_log(tmp_path, sink)
    forge_append(log)
    assert log.verify().ok, "a correct SHA-256 and a matching head: the chain alone cannot tell"
    result = log.verify(read_anchors(sink))
    assert [f.kind for f in result.faults] == ["head"]
    assert "the last file anchor names seq 5" in result.first_fault.message


def test_a_forged_entry_appended_with_the_head_left_alone_is_only_noted_without_a_key(tmp_path, sink):
    # The documented limit: it looks like an entry a writer wrote just before it was stopped.
    log = anchored_log(tmp_path, sink)
    forge_append(log, move_head=False)
    result = log.verify(read_anchors(sink))
    assert result.ok
    assert any("1 entries after the last anchor (seq 5)" in note for note in result.notes)


def test_a_deleted_anchored_entry_is_named_by_its_anchor_too(tmp_path, sink):
    log = anchored_log(tmp_path, sink)
    lines = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join(lines[:2] + lines[3:]))
    result = log.verify(read_anchors(sink))
    assert [(f.kind, f.seq) for f in result.faults] == [("deleted", 4), ("anchor", 3)]
    assert "entry 3, anchored at" in result.faults[1].message


def test_anchors_that_name_another_log_do_not_vouch_for_this_one(tmp_path, sink):
    other = AuditLog(tmp_path / "elsewhere" / "audit.jsonl", anchors=[f"file:{sink}"])
    other.append(AuditEvent(user="u", action="search"))
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append(AuditEvent(user="u", action="search"))
    result = log.verify(read_anchors(sink))
    assert [f.kind for f in result.faults] == ["anchor"]
    assert "none of the 1 anchors names it" in result.first_fault.message
    assert "none was found" in log.verify([]).first_fault.message


def test_an_anchor_file_unreachable_is_recorded_once_and_again_when_it_works(tmp_path):
    sink = tmp_path / "not-mounted" / "anchors.log"
    log = AuditLog(tmp_path / "audit.jsonl", anchors=[f"file:{sink}"])
    for _ in range(3):
        log.append(AuditEvent(user="u", action="search"))  # the writer goes on
    sink.parent.mkdir()
    log.append(AuditEvent(user="u", action="search"))
    log.flush()
    anchor_entries = [e for e in log.events() if e["action"] == "audit.anchor"]
    assert Counter(e["outcome"] for e in anchor_entries) == {"error": 1, "ok": 1}
    failed = next(e for e in anchor_entries if e["outcome"] == "error")
    assert failed["user"] == "goldenbell" and f"to file:{sink}" in failed["message"]
    # Once the sink works again, its anchors cover everything before them.
    assert [e["action"] for e in log.events()].count("search") == 4
    assert log.verify(read_anchors(sink)).ok


class _Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def log_server():
    handler = type("Handler", (_Collector,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler.received
    server.shutdown()
    server.server_close()


def test_each_sync_posts_the_head_to_a_log_server_whose_store_verifies_the_log(tmp_path, log_server):
    server, received = log_server
    url = f"http://127.0.0.1:{server.server_address[1]}/anchor"
    log = AuditLog(tmp_path / "audit.jsonl", anchors=[url])
    for i in range(3):
        log.append(AuditEvent(user="u", action="search", rows=i))
    assert log.anchoring.flush(timeout=10)
    store = tmp_path / "server-store.jsonl"
    store.write_bytes(b"".join(received))
    anchors = read_anchors(store)
    assert anchors[-1].seq == 3 and {a.sink for a in anchors} == {"http"}
    assert json.loads(received[-1])["hash"] == entries_of(log)[-1]["hash"]
    assert log.verify(anchors).ok
    cut_tail(log, 2)
    assert [f.kind for f in log.verify(read_anchors(store)).faults] == ["truncated"]


def test_a_log_server_that_never_answers_holds_up_no_append_and_is_recorded(tmp_path, monkeypatch):
    monkeypatch.setattr(anchors_module, "ANCHOR_TIMEOUT_S", 0.5)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections into its backlog, never reads or answers
    try:
        log = AuditLog(tmp_path / "audit.jsonl", anchors=[f"http://127.0.0.1:{silent.getsockname()[1]}/anchor"])
        started = time.monotonic()
        for i in range(5):
            log.append(AuditEvent(user="u", action="search", rows=i))
        assert time.monotonic() - started < 0.5 * 5
        assert log.anchoring.flush(timeout=10)
        log.flush()
    finally:
        silent.close()
    failed = [e for e in log.events() if e["action"] == "audit.anchor"]
    assert [e["outcome"] for e in failed] == ["error"] and "timed out" in failed[0]["message"]


def test_each_sync_sends_the_head_to_syslog(tmp_path):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(10)
    try:
        log = AuditLog(tmp_path / "audit.jsonl", anchors=[f"syslog:127.0.0.1:{receiver.getsockname()[1]}"])
        entry = log.append(AuditEvent(user="u", action="login"))
        message = receiver.recv(65536)
    finally:
        receiver.close()
    assert message.startswith(b"<") and b"goldenbell-audit-anchor: {" in message
    syslog_file = tmp_path / "messages"
    syslog_file.write_bytes(b"Mar  1 08:00:00 host " + message.split(b">", 1)[1] + b"\n")
    [anchor] = read_anchors(syslog_file)
    assert (anchor.seq, anchor.hash, anchor.sink) == (1, entry["hash"], "syslog")
