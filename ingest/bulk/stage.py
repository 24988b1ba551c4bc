"""The graph a first load writes, held in memory: the import's MERGE statements done here,
so Neo4j's own importer can write the result in one pass into an empty store.

It follows ingest/cypher.py statement for statement. A node or link is created by the
first row that names it, which gives it its provenance (run, source, file, row). A later
row's non-blank value replaces the stored one, or only fills it for a `fill` entity. A
row whose required reference (`mode: match`) names no node staged before its batch is
refused, as the online importer refuses one whose node is not in the graph when its
batch is written. A reference by a property other than the key (`match_on`) must name
exactly one node.

One difference from the online importer: rows of one batch are applied in file order.
The online importer groups a batch's rows by shape, so when two rows of the same batch
give one node different values, the later row in the file wins here but may not win there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import Schema
from ingest.batch_keys import given_values, hashable
from ingest.mapping import EntityRecord, MappedRow, Reject
from ingest.reject_reasons import Reason
from ingest.spec import MappingSpec, also_present

# A staged node or link: [id, file index, source row, properties]. A list, not an object:
# a city's first load stages millions of them.
ID, FILE, ROW, PROPS = range(4)


@dataclass(frozen=True)
class StagedSource:
    """What a staged file writes as provenance."""

    file_hash: str
    source: str  # the spec's source system


@dataclass
class StagedGraph:
    schema: Schema
    sources: list[StagedSource] = field(default_factory=list)
    # label -> key -> [id, file, row, properties]
    nodes: dict[str, dict[Any, list]] = field(default_factory=lambda: defaultdict(dict))
    # (type, start label, end label) -> (start id, end id, link key) -> [id, file, row, properties]
    links: dict[tuple[str, str, str], dict[tuple, list]] = field(default_factory=lambda: defaultdict(dict))
    # (label, property) -> value -> keys of the nodes holding it: built when a reference first asks
    _by_value: dict[tuple[str, str], dict[Any, set]] = field(default_factory=dict)
    _next_id: int = 0

    def file(self, spec: MappingSpec, file_hash: str, key_columns: Mapping[str, str]) -> StagedFile:
        return StagedFile(self, spec, self.add_source(file_hash, spec.source), dict(key_columns))

    def add_source(self, file_hash: str, source: str) -> int:
        """The index a staged item's FILE names for this file and source system."""
        self.sources.append(StagedSource(file_hash, source))
        return len(self.sources) - 1

    @property
    def node_count(self) -> int:
        return sum(len(held) for held in self.nodes.values())

    @property
    def link_count(self) -> int:
        return sum(len(held) for held in self.links.values())

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def holding(self, label: str, prop: str, value: Any) -> set:
        """The keys of staged nodes whose `prop` is `value` and that hold what a reference by
        `prop` also needs (also_present)."""
        index = self._by_value.get((label, prop))
        if index is None:
            index = self._by_value[(label, prop)] = defaultdict(set)
            for key, node in self.nodes[label].items():
                held = node[PROPS].get(prop)
                if held is not None:
                    index[hashable(held)].add(key)
        keys = index.get(hashable(value), set())
        present = also_present(self.schema.nodes[label], prop)
        if not present:
            return set(keys)
        held = self.nodes[label]
        return {k for k in keys if all(held[k][PROPS].get(p) is not None for p in present)}

    def merge_node(
        self, label: str, key: Any, properties: Mapping[str, Any], *, fill: bool, at: tuple[int, int]
    ) -> int:
        """Stage a node as MERGE … ON CREATE SET provenance SET values does; returns its id."""
        held = self.nodes[label]
        key = hashable(key)
        node = held.get(key)
        given = {k: v for k, v in properties.items() if v is not None}
        if node is None:
            given[self.schema.nodes[label].key] = key
            node = held[key] = [self._new_id(), at[0], at[1], given]
            self._indexed(label, key, {}, given)
            return node[ID]
        stored = node[PROPS]
        changed = {k: v for k, v in given.items() if k not in stored} if fill else given
        if changed:
            self._indexed(label, key, stored, changed)
            stored.update(changed)
        return node[ID]

    def _indexed(self, label: str, key: Any, before: Mapping[str, Any], changed: Mapping[str, Any]) -> None:
        """Keep the value indexes of this label in step with a node's changed values."""
        for (indexed_label, prop), index in self._by_value.items():
            if indexed_label != label or prop not in changed:
                continue
            old = before.get(prop)
            if old is not None:
                index[hashable(old)].discard(key)
            index[hashable(changed[prop])].add(key)

    def merge_link(
        self, kind: tuple[str, str, str], ends: tuple, properties: Mapping[str, Any], at: tuple[int, int]
    ) -> None:
        held = self.links[kind]
        given = {k: v for k, v in properties.items() if v is not None}
        link = held.get(ends)
        if link is None:
            held[ends] = [self._new_id(), at[0], at[1], given]
        else:
            link[PROPS].update(given)


@dataclass
class StagedFile:
    """One file's rows into the staged graph, a batch at a time."""

    graph: StagedGraph
    spec: MappingSpec
    index: int  # into graph.sources
    key_columns: dict[str, str]

    def add(self, rows: list[MappedRow]) -> tuple[list[MappedRow], list[Reject]]:
        """Check the batch's references against what earlier batches staged, then stage the rows
        that pass; returns (rows staged, rejects)."""
        refused = self._refused(rows)
        kept = [row for row in rows if row.number not in refused] if refused else rows
        for row in kept:
            self._stage(row)
        return kept, list(refused.values())

    def _found_by(self, entity: EntityRecord) -> str:
        spec_entity = self.spec.entities[entity.alias]
        schema_key = self.graph.schema.nodes[entity.label].key
        return spec_entity.key.name if entity.label == spec_entity.label else schema_key

    def _refused(self, rows: list[MappedRow]) -> dict[int, Reject]:
        graph, spec = self.graph, self.spec
        rejects: dict[int, Reject] = {}
        by_value: dict[tuple[str, str, Any], list[tuple[MappedRow, EntityRecord]]] = defaultdict(list)
        for row in rows:
            for entity in row.entities:
                spec_entity = spec.entities[entity.alias]
                if spec_entity.mode != "match":
                    continue
                prop = self._found_by(entity)
                key = graph.schema.nodes[entity.label].key
                if prop != key:
                    by_value[(entity.label, prop, hashable(entity.key))].append((row, entity))
                elif not spec_entity.optional and hashable(entity.key) not in graph.nodes[entity.label]:
                    message = f"no {entity.label} with {key} {entity.key!r} exists"
                    self._refuse(rejects, row, entity, Reason.REFERENCE_MISSING, message)
        if by_value:
            own = given_values(spec, rows, {entry[:2] for entry in by_value})
            for (label, prop, value), wanted in by_value.items():
                found = graph.holding(label, prop, value)
                total = len(found | own.get((label, prop), {}).get(value, set()))
                if max(total, len(found)) >= 2:
                    reason = Reason.REFERENCE_AMBIGUOUS
                    message = (
                        f"{max(total, len(found))} {label} nodes have {prop} {value!r}; the row links to none of them"
                    )
                elif not found:
                    reason, message = Reason.REFERENCE_MISSING, f"no {label} with {prop} {value!r} exists"
                else:
                    continue
                for row, entity in wanted:
                    required = not spec.entities[entity.alias].optional
                    if reason is Reason.REFERENCE_AMBIGUOUS or required:
                        self._refuse(rejects, row, entity, reason, message)
        return rejects

    def _refuse(
        self, rejects: dict[int, Reject], row: MappedRow, entity: EntityRecord, reason: Reason, message: str
    ) -> None:
        column = self.key_columns.get(entity.alias, entity.alias)
        rejects.setdefault(row.number, Reject(row.number, column, str(entity.key), reason, message, row.original))

    def _stage(self, row: MappedRow) -> None:
        graph, spec = self.graph, self.spec
        at = (self.index, row.number)
        ids: dict[str, int | None] = {}
        for entity in row.entities:
            spec_entity = spec.entities[entity.alias]
            held = graph.nodes[entity.label]
            if spec_entity.mode == "match":
                prop = self._found_by(entity)
                if prop == graph.schema.nodes[entity.label].key:
                    node = held.get(hashable(entity.key))
                else:
                    # Checked to be one node, or none for an optional reference.
                    found = graph.holding(entity.label, prop, entity.key)
                    node = held[next(iter(found))] if len(found) == 1 else None
                ids[entity.alias] = node[ID] if node is not None else None
                continue
            fill = spec_entity.update == "fill" and entity.label == spec_entity.label
            ids[entity.alias] = graph.merge_node(entity.label, entity.key, entity.properties, fill=fill, at=at)
        for link in row.links:
            start, end = ids.get(link.start.alias), ids.get(link.end.alias)
            if start is None or end is None:  # an optional end that does not exist: no link, the row loads
                continue
            spec_link = spec.links[link.link_index]
            key = hashable(link.key) if spec_link.key else None
            kind = (spec_link.type, link.start.label, link.end.label)
            properties = {spec_link.key.name: link.key, **link.properties} if spec_link.key else link.properties
            graph.merge_link(kind, (start, end, key), properties, at)
