"""The import's writer thread: while it runs the interpreter hands its lock over every
millisecond (so replies from Neo4j are answered at once), and the process's own setting
is back afterwards, whether the import succeeded or failed."""

from __future__ import annotations

import sys

import pytest

from ingest.ledger import Ledger
from ingest.writer import HANDOFF_INTERVAL_S, BackgroundWriter


class _Writes:
    """Stands in for BatchWriter (no Cypher here): notes the interval each write ran under."""

    def __init__(self, fail: bool = False):
        self.fail = fail
        self.intervals: list[float] = []

    def prepare(self, rows):
        return []

    def write(self, rows, **_progress):
        self.intervals.append(sys.getswitchinterval())
        if self.fail:
            raise OSError("the disk is full")
        return []


def test_writes_run_with_quick_handoffs_and_the_setting_is_restored_after():
    before = sys.getswitchinterval()
    writes = _Writes()
    writer = BackgroundWriter(writes, Ledger())
    writer.submit([], through_row=1)
    writer.submit([], through_row=2)
    writer.finish()
    assert writes.intervals == [HANDOFF_INTERVAL_S, HANDOFF_INTERVAL_S]
    assert sys.getswitchinterval() == before


def test_a_failed_import_restores_the_setting_too():
    before = sys.getswitchinterval()
    writer = BackgroundWriter(_Writes(fail=True), Ledger())
    writer.submit([], through_row=1)
    with pytest.raises(OSError, match="disk is full"):
        writer.finish()
    writer.abandon()  # what the importer does after an error
    assert sys.getswitchinterval() == before


def test_two_imports_at_once_restore_the_setting_only_when_both_are_done():
    before = sys.getswitchinterval()
    first = BackgroundWriter(_Writes(), Ledger())
    second = BackgroundWriter(_Writes(), Ledger())
    first.finish()
    assert sys.getswitchinterval() == HANDOFF_INTERVAL_S
    second.finish()
    assert sys.getswitchinterval() == before
