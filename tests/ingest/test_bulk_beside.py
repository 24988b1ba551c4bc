"""Work a first load runs in another process: its value or its error comes back, and a
process that dies says so instead of hanging the load. The load holds its cycle collector
off while it stages; the work beside it keeps its own."""

from __future__ import annotations

import gc
import os

import pytest

from ingest.bulk.beside import Beside, BesideError
from ingest.bulk.heap import collector_paused


class _Unpicklable(Exception):
    def __init__(self, path: str, line: int):
        super().__init__(f"{path}:{line}: bad")


def _words(text: str) -> list[str]:
    return text.split()


def _refuse(what: str) -> None:
    raise ValueError(f"{what} refused")


def _refuse_oddly() -> None:
    raise _Unpicklable("rows.csv", 7)


def _die() -> None:
    os._exit(3)


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_the_work_gives_its_value(start):
    assert Beside("splitting", _words, "a b c", start=start).result() == ["a", "b", "c"]


def test_the_work_raises_its_error_here():
    with pytest.raises(ValueError, match="the file refused"):
        Beside("refusing", _refuse, "the file").result()


def test_an_error_that_does_not_cross_comes_back_as_its_message():
    with pytest.raises(RuntimeError, match=r"_Unpicklable: rows\.csv:7: bad"):
        Beside("refusing", _refuse_oddly).result()


def test_a_process_that_dies_is_an_error_not_a_wait():
    with pytest.raises(BesideError, match="dying stopped without an answer \\(exit code 3\\)"):
        Beside("dying", _die).result()


def test_the_collector_is_held_off_while_staging_but_not_in_the_work_beside():
    with collector_paused():
        assert not gc.isenabled()
        assert Beside("asking", gc.isenabled).result() is True
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        _refuse("staging")
    assert gc.isenabled()
