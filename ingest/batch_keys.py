"""The keys a dry run's earlier files would create, so a later file of the same batch may
refer to them (sales to the shops listed beside them) as it will once the batch is loaded.

Only the labels some file of the batch refers to (`mode: match`) are kept, so a dry run of
a whole dataset holds its shops, checkpoints and persons in memory, not its passages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ingest.mapping import MappedRow
from ingest.spec import MappingSpec


class BatchKeys:
    def __init__(self, specs: Iterable[MappingSpec]):
        self._keys: dict[str, set[Any]] = {
            e.label: set() for spec in specs for e in spec.entities.values() if e.mode == "match"
        }

    def add(self, spec: MappingSpec, rows: Iterable[MappedRow]) -> None:
        """The keys of the entities these rows would merge (rows that would load, in a dry run)."""
        kept = self._keys
        merged = {a for a, e in spec.entities.items() if e.mode == "merge" and e.label in kept}
        if not merged:
            return
        for row in rows:
            for entity in row.entities:
                # A person without a reliable key becomes a PersonRecord, which nothing refers to.
                if entity.alias in merged and entity.label in kept:
                    kept[entity.label].add(entity.key)

    def holds(self, label: str, key: Any) -> bool:
        found = self._keys.get(label)
        return found is not None and key in found
