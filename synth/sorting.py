"""Sorting more records than memory should hold: sorted runs spilled to
temporary files, merged on the way out. Purchases are generated buyer by buyer
but exported in time order, as a sales system exports them."""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path


class SpillSorter:
    def __init__(self, work_dir: Path, run_size: int = 20_000):
        self._dir = tempfile.TemporaryDirectory(dir=work_dir, prefix=".synth-sort-")
        self._run_size = run_size
        self._buffer: list[tuple] = []
        self._runs: list[Path] = []

    def add(self, record: tuple) -> None:
        self._buffer.append(record)
        if len(self._buffer) >= self._run_size:
            self._spill()

    def _spill(self) -> None:
        self._buffer.sort()
        path = Path(self._dir.name) / f"run{len(self._runs):05d}.pickle"
        with open(path, "wb") as f:
            for record in self._buffer:
                pickle.dump(record, f, protocol=pickle.HIGHEST_PROTOCOL)
        self._runs.append(path)
        self._buffer = []

    @staticmethod
    def _read(path: Path) -> Iterator[tuple]:
        with open(path, "rb") as f:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    return

    def sorted(self) -> Iterator[tuple]:
        self._buffer.sort()
        try:
            yield from heapq.merge(self._buffer, *(self._read(p) for p in self._runs))
        finally:
            self._buffer = []
            self._dir.cleanup()
