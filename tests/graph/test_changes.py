"""Every write through the gateway says in the change log what it may have changed, so what
is kept of the graph is kept exactly as long as it holds: a write that says nothing
changes everything, one that says what it changes changes only that, a creation counts
only when something was created, and a write under way or cut off leaves nothing settled."""

from __future__ import annotations

import os
import signal
import stat

import pytest

from graph.changes import EVERYTHING, ChangeLog, declared
from graph.errors import GraphError

NAMES = ["Vehicle+", "Vehicle.last_seen", "Person.id_number", "SEEN_AT+"]


def test_a_write_that_says_nothing_changes_everything_and_a_declared_one_only_its_names(empty_graph):
    log = empty_graph.changes
    before = log.tokens(NAMES)
    empty_graph.write(
        "test.seen",
        "CREATE (:Vehicle {plate: '浙A00001', last_seen: datetime()})",
        changes=declared(updates=["Vehicle.last_seen"], nodes={"Vehicle": ["plate", "last_seen"]}),
    )
    after = log.tokens(NAMES)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"Vehicle+", "Vehicle.last_seen"}

    empty_graph.write(
        "test.seen_again",
        "MATCH (v:Vehicle {plate: '浙A00001'}) SET v.last_seen = datetime()",
        changes=declared(updates=["Vehicle.last_seen"], nodes={"Vehicle": ["plate", "last_seen"]}),
    )
    again = log.tokens(NAMES)
    assert {name for name in again if again[name] != after.get(name)} == {"Vehicle.last_seen"}, (
        "nothing created: Vehicle+ holds"
    )

    empty_graph.write("test.anything", "MATCH (v:Vehicle) SET v.colour = 'red'")
    last = log.tokens(NAMES)
    assert last[EVERYTHING] != again[EVERYTHING]
    assert {k: v for k, v in last.items() if k != EVERYTHING} == {k: v for k, v in again.items() if k != EVERYTHING}


def test_a_failed_write_changes_all_it_named(empty_graph):
    log = empty_graph.changes
    before = log.tokens(NAMES)
    with pytest.raises(GraphError, match=r"test\.broken"):
        empty_graph.write(
            "test.broken",
            "CREATE (:Vehicle {plate: 1 / 0})",
            changes=declared(nodes={"Vehicle": ["plate", "last_seen"]}),
        )
    assert log.tokens(NAMES)["Vehicle+"] != before.get("Vehicle+")


def test_nothing_is_settled_while_a_write_is_under_way_or_after_one_was_cut_off(tmp_path):
    log = ChangeLog(tmp_path / "home" / "graph-changes.json")
    settled = log.tokens(NAMES)
    assert EVERYTHING in settled, "a new log draws `*`: nothing read before it can match"

    mark = log.begin(declared(updates=["Vehicle.last_seen"]))
    assert log.tokens(["Vehicle.last_seen"]) is None
    assert log.tokens(["Person.id_number"]) is not None, "a write of other names leaves these settled"
    log.end(mark, {"Vehicle.last_seen"})
    assert log.tokens(["Vehicle.last_seen"])["Vehicle.last_seen"]

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # a writer killed in the middle of its write
        os.close(read)
        log.begin(declared(updates=["Person.id_number"]))
        os.write(write, b"x")
        signal.pause()
    os.close(write)
    os.read(read, 1)
    assert log.tokens(["Person.id_number"]) is None, "its write is under way"
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    tokens = log.tokens(["Person.id_number"])
    assert tokens is not None and tokens["Person.id_number"] != settled.get("Person.id_number"), (
        "the names of a write cut off are drawn anew once its process is gone"
    )
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_a_lost_log_starts_over_with_everything_changed(tmp_path):
    log = ChangeLog(tmp_path / "graph-changes.json")
    first = log.tokens(NAMES)
    log.path.unlink()
    assert log.tokens(NAMES)[EVERYTHING] != first[EVERYTHING]
    log.path.write_text("{not json", encoding="utf-8")
    assert log.tokens(NAMES)[EVERYTHING] != first[EVERYTHING]
    before = log.tokens(NAMES)
    log.everything_changed()
    assert log.tokens(NAMES)[EVERYTHING] != before[EVERYTHING]
