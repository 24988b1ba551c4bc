"""The keys a dry run's earlier files would create, so a later file of the same batch may
refer to them (sales to the shops listed beside them) as it will once the batch is loaded.

Only the labels some file of the batch refers to (`mode: match`) are kept, so a dry run of
a whole dataset holds its shops, checkpoints and persons in memory, not its passages. A
reference by another property than the key (`match_on`) keeps, per label and property, the
values the earlier files would give their nodes, each with the keys of the nodes holding it.
"""

from __future__ import annotations

from collections import defaultdict
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

    def add(self, spec: MappingSpec, rows: Iterable[MappedRow]) -> None:
        """The keys (and matched values) of the entities these rows would merge (rows that would
        load, in a dry run)."""
        rows = list(rows)
        keys = self._keys
        merged = {a for a, e in spec.entities.items() if e.mode == "merge" and e.label in keys}
        for row in rows if merged else ():
            for entity in row.entities:
                # A person without a reliable key becomes a PersonRecord, which nothing refers to.
                if entity.alias in merged and entity.label in keys:
                    keys[entity.label].add(entity.key)
        for pair, held in given_values(spec, rows, self._values).items():
            for value, nodes in held.items():
                self._values[pair].setdefault(value, set()).update(nodes)

    def holds(self, label: str, key: Any) -> bool:
        found = self._keys.get(label)
        return found is not None and key in found

    def nodes_with(self, label: str, prop: str, value: Any) -> set[Any]:
        """The keys of the nodes the batch's earlier files would give `value` in `prop`."""
        return self._values.get((label, prop), {}).get(hashable(value), set())


def given_values(
    spec: MappingSpec, rows: Iterable[MappedRow], pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[Any, set[Any]]]:
    """(label, property) -> value -> keys of the nodes these rows merge with that value in that
    property, for the (label, property) pairs asked."""
    props: dict[str, list[str]] = defaultdict(list)
    for label, prop in pairs:
        props[label].append(prop)
    merged = {alias for alias, e in spec.entities.items() if e.mode == "merge" and e.label in props}
    given: dict[tuple[str, str], dict[Any, set[Any]]] = defaultdict(dict)
    if not merged:
        return given
    for row in rows:
        for entity in row.entities:
            if entity.alias not in merged:
                continue
            for prop in props.get(entity.label, ()):
                value = entity.properties.get(prop)
                if value is not None:
                    given[(entity.label, prop)].setdefault(hashable(value), set()).add(entity.key)
    return given


def hashable(value: Any) -> Any:
    """A value fit to key a dict: a list property becomes a tuple."""
    return tuple(value) if isinstance(value, list) else value
