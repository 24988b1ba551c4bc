"""Write mapped rows to Neo4j: one transaction per batch, holding the batch's
entities, its links and the file's progress, so a crash loses nothing and a rerun
resumes after the last committed row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import neo4j
from neo4j.spatial import WGS84Point

from graph.gateway import Gateway, driver_safe
from graph.model import Schema
from ingest import cypher
from ingest.mapping import EntityRecord, MappedRow, Reject
from ingest.reasons import Reason
from ingest.spec import MappingSpec


@dataclass(frozen=True)
class FileContext:
    run_id: str
    file_hash: str
    source: str
    spec: str
    now: datetime


def _value(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
        return WGS84Point(value)
    return driver_safe(value)


def _props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _value(v) for k, v in props.items()}


class BatchWriter:
    def __init__(self, gateway: Gateway, spec: MappingSpec, schema: Schema, ctx: FileContext):
        self.gateway, self.spec, self.schema, self.ctx = gateway, spec, schema, ctx
        self._match_only = {alias for alias, e in spec.entities.items() if e.mode == "match"}

    def _key_of(self, label: str) -> str:
        return self.schema.nodes[label].key

    def missing_references(self, tx: neo4j.ManagedTransaction | None, rows: list[MappedRow]) -> dict[int, Reject]:
        """Rows whose required match-only entities do not exist, keyed by row number.

        An optional match-only entity that does not exist is dropped from its row, with
        its links, and the row still loads.
        """
        wanted: dict[tuple[str, Any], list[tuple[MappedRow, EntityRecord]]] = defaultdict(list)
        for row in rows:
            for entity in row.entities:
                if entity.alias in self._match_only:
                    wanted[(entity.label, entity.key)].append((row, entity))
        if not wanted:
            return {}
        by_label: dict[str, list[Any]] = defaultdict(list)
        for label, key in wanted:
            by_label[label].append(key)
        missing: set[tuple[str, Any]] = set()
        for label, keys in by_label.items():
            query = cypher.missing_nodes(label, self._key_of(label))
            if tx is None:
                found = self.gateway.read("ingest.references", query, {"keys": keys}).single_value([])
            else:
                found = tx.run(query, keys=keys).single()["missing"]
            missing.update((label, k) for k in found)
        rejects: dict[int, Reject] = {}
        dropped: dict[int, set[str]] = defaultdict(set)
        for label_key in missing:
            for row, entity in wanted[label_key]:
                if self.spec.entities[entity.alias].optional:
                    dropped[row.number].add(entity.alias)
                    continue
                rejects.setdefault(
                    row.number,
                    Reject(
                        row.number,
                        entity.alias,
                        str(entity.key),
                        Reason.REFERENCE_MISSING,
                        f"no {entity.label} with {self._key_of(entity.label)} {entity.key!r} exists",
                        "",
                    ),
                )
        for i, row in enumerate(rows):
            if row.number in dropped and row.number not in rejects:
                gone = dropped[row.number]
                rows[i] = replace(
                    row,
                    entities=[e for e in row.entities if e.alias not in gone],
                    links=[link for link in row.links if link.start.alias not in gone and link.end.alias not in gone],
                )
        return rejects

    def _statements(self, rows: list[MappedRow]) -> list[tuple[str, dict[str, Any]]]:
        nodes: dict[tuple[str, str, tuple[str, ...]], list[dict]] = defaultdict(list)
        for row in rows:
            for entity in row.entities:
                if entity.alias in self._match_only:
                    continue
                spec_entity = self.spec.entities[entity.alias]
                props = tuple(sorted(entity.properties))
                nodes[(entity.label, spec_entity.update, props)].append(
                    {"k": _value(entity.key), "r": row.number, "p": _props(entity.properties)}
                )
        links: dict[tuple, list[dict]] = defaultdict(list)
        for row in rows:
            for link in row.links:
                spec_link = self.spec.links[link.link_index]
                group = (
                    spec_link.type,
                    (link.start.label, self._key_of(link.start.label)),
                    (link.end.label, self._key_of(link.end.label)),
                    spec_link.key.name if spec_link.key else None,
                    tuple(sorted(link.properties)),
                )
                links[group].append(
                    {
                        "a": _value(link.start.key),
                        "b": _value(link.end.key),
                        "rk": _value(link.key),
                        "r": row.number,
                        "p": _props(link.properties),
                    }
                )
        common = {"run": self.ctx.run_id, "source": self.ctx.source, "file": self.ctx.file_hash, "now": self.ctx.now}
        statements = [
            (cypher.merge_nodes(label, self._key_of(label), props, update), {**common, "rows": batch})
            for (label, update, props), batch in nodes.items()
        ]
        statements += [(cypher.merge_links(*group), {**common, "rows": batch}) for group, batch in links.items()]
        return statements

    def write(self, rows: list[MappedRow], *, committed_through: int, loaded: int, rejected: int) -> list[Reject]:
        """Write one batch and the file's progress atomically; return rows refused for missing references.

        `loaded` and `rejected` are the file's totals before this batch.
        """

        def work(tx: neo4j.ManagedTransaction) -> list[Reject]:
            refused = self.missing_references(tx, rows)
            kept = [row for row in rows if row.number not in refused]
            for query, params in self._statements(kept):
                tx.run(query, params).consume()
            tx.run(
                cypher.SAVE_PROGRESS,
                run=self.ctx.run_id,
                spec=self.ctx.spec,
                file=self.ctx.file_hash,
                committed=committed_through,
                loaded=loaded + len(kept),
                rejected=rejected + len(refused),
            ).consume()
            return list(refused.values())

        return self.gateway.in_write_transaction("ingest.batch", work, metadata={"import_run": self.ctx.run_id})
