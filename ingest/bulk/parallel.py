"""Rows mapped in worker processes, handed back in file order.

Mapping a row (normalising and validating every value) is pure Python and the bulk of a
first load's reading; the server is stopped or idle meanwhile, so the cores the reading
process leaves can map (`load.default_workers`).
The reading process sends each chunk's raw values to a pool forked with the row mapper
and puts the outcomes back in order. What a reject file shows of a row (`original`) is
rendered by the reading process, which holds the row as read.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from typing import Any

from ingest.duplicates import fingerprint
from ingest.mapping import MappedRow, Reject, RowMapper
from ingest.readers.base import RawRow

CHUNK_ROWS = 2000
AHEAD = 3  # chunks in flight per worker: enough to keep them busy, few enough to bound memory

_mapper: RowMapper | None = None  # each worker's, inherited from the reading process by fork


def _adopt(mapper: RowMapper) -> None:
    global _mapper
    _mapper = mapper


def _map_chunk(rows: list[tuple[int, dict[str, Any], Any]]) -> list[tuple[MappedRow | Reject, int | None]]:
    """Each row's outcome, with a mapped row's fingerprint (for the duplicate check)."""
    out = []
    for number, values, fault in rows:
        outcome = _mapper.map(RawRow(number, values, None, fault))
        if isinstance(outcome, MappedRow):
            out.append((replace(outcome, raw=None), fingerprint(values.values())))
        else:
            out.append((outcome, None))
    return out


def _as_read(outcome: MappedRow | Reject, raw: RawRow) -> MappedRow | Reject:
    if isinstance(outcome, Reject):
        return replace(outcome, original=raw.original)
    dropped = tuple(replace(d, original=raw.original) for d in outcome.dropped)
    return replace(outcome, raw=raw, dropped=dropped)


class ParallelMapping:
    """`with ParallelMapping(mapper, workers) as mapping: for raw, outcome in mapping.outcomes(rows)`."""

    def __init__(self, mapper: RowMapper, workers: int):
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_adopt,
            initargs=(mapper,),
        )
        self._ahead = AHEAD * workers

    def __enter__(self) -> ParallelMapping:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def outcomes(self, rows: Iterable[RawRow]) -> Iterator[tuple[RawRow, MappedRow | Reject, int | None]]:
        """(row as read, its outcome, a mapped row's fingerprint), in the rows' order."""
        waiting: deque[tuple[list[RawRow], Future]] = deque()
        chunk: list[RawRow] = []
        for raw in rows:
            chunk.append(raw)
            if len(chunk) >= CHUNK_ROWS:
                waiting.append(self._submit(chunk))
                chunk = []
                if len(waiting) >= self._ahead:
                    yield from self._collect(*waiting.popleft())
        if chunk:
            waiting.append(self._submit(chunk))
        while waiting:
            yield from self._collect(*waiting.popleft())

    def _submit(self, chunk: list[RawRow]) -> tuple[list[RawRow], Future]:
        return chunk, self._pool.submit(_map_chunk, [(raw.number, raw.values, raw.fault) for raw in chunk])

    @staticmethod
    def _collect(chunk: list[RawRow], future: Future) -> Iterator[tuple[RawRow, MappedRow | Reject, int | None]]:
        for raw, (outcome, fp) in zip(chunk, future.result(), strict=True):
            yield raw, _as_read(outcome, raw), fp
