"""The keys a dry run's earlier files would create, so a later file of the same batch may
refer to them (sales to the shops listed beside them) as it will once the batch is loaded.

Only the labels some file of the batch refers to (`mode: match`) are kept, so a dry run of
a whole dataset holds its shops, checkpoints and persons in memory, not its passages. A
reference by another property than the key (`match_on`) keeps, per label and property, the
values the earlier files would give their nodes, each with the keys of the nodes holding it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ingest.mapping import MappedRow
from ingest.spec import MappingSpec


class BatchKeys:
    def __init__(self, specs: Iterable[MappingSpec]):
        self._keys: dict[str, set[Any]] = {}
        # (label, property) -> value -> keys of the nodes the batch would give that value
        self._values: dict[tuple[str, str], dict[Any, set[Any]]] = {}
        for spec in specs:
            for e in spec.entities.values():
                if e.mode != "match":
                    continue
                if e.match_on is None:
                    self._keys.setdefault(e.label, set())
                else:
                    self._values.setdefault((e.label, e.match_on), {})
        self._matched_by: dict[str, list[tuple[str, dict[Any, set[Any]]]]] = {}
        for (label, prop), held in self._values.items():
            self._matched_by.setdefault(label, []).append((prop, held))
        self._labels = set(self._keys) | set(self._matched_by)

    def add(self, spec: MappingSpec, rows: Iterable[MappedRow]) -> None:
        """The keys (and matched values) of the entities these rows would merge (rows that would
        load, in a dry run)."""
        labels = self._labels
        merged = {a for a, e in spec.entities.items() if e.mode == "merge" and e.label in labels}
        if not merged:
            return
        keys, matched_by = self._keys, self._matched_by
        for row in rows:
            for entity in row.entities:
                # A person without a reliable key becomes a PersonRecord, which nothing refers to.
                if entity.alias not in merged or entity.label not in labels:
                    continue
                if entity.label in keys:
                    keys[entity.label].add(entity.key)
                for prop, held in matched_by.get(entity.label, ()):
                    value = entity.properties.get(prop)
                    if value is not None:
                        held.setdefault(_hashable(value), set()).add(entity.key)

    def holds(self, label: str, key: Any) -> bool:
        found = self._keys.get(label)
        return found is not None and key in found

    def nodes_with(self, label: str, prop: str, value: Any) -> set[Any]:
        """The keys of the nodes the batch's earlier files would give `value` in `prop`."""
        return self._values.get((label, prop), {}).get(_hashable(value), set())


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
